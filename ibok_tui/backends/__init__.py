"""ibok_tui.backends"""
