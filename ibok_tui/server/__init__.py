"""ibok_tui.server"""
