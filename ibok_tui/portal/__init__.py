"""ibok_tui.portal"""
