"""ibok_tui.i18n"""
