"""The captcha a sign-in asks for after wrong passwords: the digits drawn as text art and a
field for them, and the words for a failed sign-in. The login screen and the password
prompt after an expired session both use it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from ..domain.errors import AccountLocked, Captcha, CaptchaRequired, IbokError, LoginFailed
from ..i18n import _, moment
from ..i18n.problems import error_text

ANSWER_CHARACTERS = r"[0-9]*"
ANSWER_LENGTH = 8


async def captcha_to_show(error: LoginFailed, backend: Any) -> Captcha | None:
    """The captcha a failed sign-in asks for: the one sent with the error, or a new one when
    the error came without it; None when no captcha is needed (or the account is locked).
    If a new one cannot be had now, None too: the next attempt's error brings one."""
    if not isinstance(error, CaptchaRequired):
        return None
    if error.captcha is not None:
        return error.captcha
    try:
        captcha: Captcha = await backend.new_captcha()
    except IbokError:
        return None
    return captcha


def sign_in_failure(error: IbokError) -> str:
    """What to tell the person whose sign-in failed: a lock says until when."""
    if isinstance(error, AccountLocked):
        until = moment(error.locked_until) if error.locked_until else ""
        return _("Zbyt wiele nieudanych prób. Konto zablokowane do {until}.", until=until)
    if isinstance(error, CaptchaRequired):
        return _("Przepisz kod z obrazka i podaj hasło ponownie.")
    if isinstance(error, LoginFailed):
        return _("Nieprawidłowy kod nabywcy lub hasło.")
    return error_text(error)


class CaptchaBox(Vertical):
    """The drawing (`#<prefix>-art`) and the answer field (`#<prefix>`), hidden until the
    backend asks for a captcha. `answer()` gives what a login call takes."""

    DEFAULT_CSS = """
    CaptchaBox { height: auto; display: none; }
    CaptchaBox .captcha-art { color: $warning; }
    """

    def __init__(self, prefix: str) -> None:
        super().__init__(id=f"{prefix}-box")
        self.prefix = prefix
        self.captcha: Captcha | None = None

    def compose(self) -> ComposeResult:
        yield Static(id=f"{self.prefix}-art", classes="captcha-art")
        yield Label(_("Przepisz cyfry z obrazka"))
        yield Input(
            id=self.prefix, restrict=ANSWER_CHARACTERS, max_length=ANSWER_LENGTH, compact=True
        )

    @property
    def field(self) -> Input:
        return self.query_one(f"#{self.prefix}", Input)

    def show(self, captcha: Captcha | None) -> None:
        """Draw `captcha` and show the box, or hide it for None; the answer starts empty."""
        self.captcha = captcha
        self.display = captcha is not None
        self.field.value = ""
        if captcha is not None:  # drawn literally, never as markup
            self.query_one(f"#{self.prefix}-art", Static).update(Text(captcha.art))

    def answer(self) -> dict[str, str | None]:
        """The captcha id and the typed digits (both None when no captcha is shown)."""
        if self.captcha is None:
            return {"captcha_id": None, "captcha_answer": None}
        return {"captcha_id": self.captcha.id, "captcha_answer": self.field.value}
