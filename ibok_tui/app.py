"""IbokApp: the console. (A minimal sign-in and home screen; the full shell comes next.)"""

from __future__ import annotations

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Footer, Header, Input, Label, Static

from .backends.base import Backend, IbokError


class IbokApp(App[None]):
    TITLE = "iBOK"
    BINDINGS = [Binding("ctrl+q", "quit", "Wyjście", id="app.quit")]
    CSS = "#login { width: 60; height: auto; border: round $accent; padding: 1 2; }"

    def __init__(self, backend: Backend) -> None:
        super().__init__()
        self.backend = backend

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="login"):
            yield Label("Kod nabywcy")
            yield Input(id="number")
            yield Label("Hasło")
            yield Input(id="password", password=True)
            yield Button("Zaloguj", id="sign-in", variant="primary")
            yield Static(id="message")
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.sign_in(
            self.query_one("#number", Input).value, self.query_one("#password", Input).value
        )

    @work(exclusive=True, group="session")
    async def sign_in(self, number: str, password: str) -> None:
        message = self.query_one("#message", Static)
        try:
            await self.backend.login(number, password)
            dashboard = await self.backend.dashboard()
        except IbokError as exc:
            message.update(exc.message)
            return
        message.update(f"{dashboard.customer.name}: dane na dzień {dashboard.data_as_of:%d.%m.%Y}")

    async def on_unmount(self) -> None:
        await self.backend.close()
