"""ibok_tui.screens"""
