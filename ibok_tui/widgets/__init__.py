"""ibok_tui.widgets"""
