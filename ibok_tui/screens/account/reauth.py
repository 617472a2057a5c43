"""The session expired: ask for the password again over the screen the user was on, so
nothing typed there is lost, then retry what failed. After wrong passwords the console
does the captcha's proof of work here as on the login screen, and a lock says until when."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from ...domain.errors import CaptchaRequired, IbokError, LoginFailed
from ...host import host_of
from ...i18n import _
from ...i18n.problems import error_text
from ...widgets.captcha import CaptchaBox, captcha_to_show, sign_in_failure
from ..forms.dialogs import Dialog
from ..forms.workers import guarded


class ReauthDialog(Dialog):
    """Dismisses with True once signed in again, with False when the user gives up."""

    DEFAULT_CSS = "ReauthDialog #reauth-message { height: auto; }"

    def __init__(self, customer_number: str, *, operator: bool = False) -> None:
        super().__init__()
        self.customer_number = customer_number
        self.operator = operator

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="reauth"):
            yield Label(_("Sesja wygasła"), classes="title")
            yield Static(
                Text(
                    _(
                        "Podaj hasło, aby kontynuować jako {number}. "
                        "To, co wpisano na ekranie, zostanie zachowane.",
                        number=self.customer_number,
                    )
                )
            )
            yield Input(password=True, id="reauth-password", placeholder=_("Hasło"), compact=True)
            yield CaptchaBox("reauth-captcha")
            yield Static(id="reauth-message")
            with Horizontal(classes="buttons"):
                yield Button(_("Anuluj"), id="cancel")
                yield Button(_("Zaloguj"), id="sign-in", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "sign-in":
            self.sign_in()
        else:
            self.dismiss(False)

    def action_dismiss_dialog(self) -> None:
        self.dismiss(False)

    @guarded("reauth")
    async def sign_in(self) -> None:
        field = self.query_one("#reauth-password", Input)
        captcha = self.query_one(CaptchaBox)
        backend = host_of(self).backend
        button = self.query_one("#sign-in", Button)
        button.disabled = True
        message = self.query_one("#reauth-message", Static)
        try:
            # a captcha asked for before the password was checked: solved, sent again
            for attempt in range(3):
                if captcha.busy:
                    message.update(Text(_("Sprawdzanie…")))
                proof = await captcha.proof()
                captcha_id, answer = proof.get("captcha_id"), proof.get("captcha_answer")
                try:
                    if self.operator:
                        await backend.operator_login(
                            self.customer_number,
                            field.value,
                            captcha_id=captcha_id,
                            captcha_answer=answer,
                        )
                    else:
                        await backend.login(
                            self.customer_number,
                            field.value,
                            captcha_id=captcha_id,
                            captcha_answer=answer,
                        )
                    break
                except CaptchaRequired as error:
                    captcha.prepare(await captcha_to_show(error, backend))
                    if captcha.captcha is None or attempt == 2:
                        raise
        except LoginFailed as error:  # the next try's captcha is begun; a lock until when
            captcha.prepare(await captcha_to_show(error, backend))
            self._failed(sign_in_failure(error))
            return
        except IbokError as error:
            self._failed(sign_in_failure(error))
            return
        except Exception as error:  # said here, and shown by the app (the error dialog)
            self._failed(error_text(error))
            raise
        finally:
            button.disabled = False
        self.dismiss(True)

    def _failed(self, text: str) -> None:
        self.query_one("#reauth-message", Static).update(Text(text, style="red"))
        field = self.query_one("#reauth-password", Input)
        field.value = ""
        field.focus()
