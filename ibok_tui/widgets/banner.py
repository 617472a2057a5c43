"""The banner over a customer's tabs while a clerk serves them: whose data this is, who
is acting, and how to get back to the office's own tabs."""

from __future__ import annotations

from textual.content import Content

from ..domain.text import visible
from ..i18n import _
from .header import HeaderState, SessionHeader


def banner_line(customer_name: str, customer_number: str, operator: str) -> Content:
    return Content.assemble(
        (f" {visible(customer_name)} ({visible(customer_number)})", "bold"),
        " " + _("obsługiwany przez {operator}", operator=visible(operator)),
        (" · " + _("F9 powrót do BOK"), "bold"),
    )


class ActingBanner(SessionHeader):
    """The session header with the banner on its first line."""

    DEFAULT_CSS = """
    ActingBanner { height: 3; }
    """

    def __init__(self, customer_name: str, customer_number: str, operator: str) -> None:
        super().__init__(id="acting-banner")
        self.banner = banner_line(customer_name, customer_number, operator)

    def render_state(self, state: HeaderState) -> Content:
        first = self.banner.stylize("reverse $warning")
        return Content.assemble(first, "\n", super().render_state(state))
