"""Dialogs that take a new password and check it against the utility's policy as you type."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.widgets import Input

from ..domain.errors import IbokError
from ..domain.passwords import PasswordPolicy
from ..widgets.password_rules import PasswordRules
from .dialogs import Dialog


class PasswordDialog(Dialog):
    """Loads the policy from the backend and keeps `PasswordRules` in step with the field
    named by `PASSWORD_INPUT` (an Input id); until the policy comes, the strict default."""

    PASSWORD_INPUT: ClassVar[str] = ""
    policy: PasswordPolicy = PasswordPolicy()

    @work(exclusive=True, group="policy", exit_on_error=False)
    async def load_policy(self) -> None:
        try:
            self.policy = await self.app.backend.password_policy()  # type: ignore[attr-defined]
        except IbokError:
            return
        self.query_one(PasswordRules).check(
            self.query_one(f"#{self.PASSWORD_INPUT}", Input).value, self.policy
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == self.PASSWORD_INPUT:
            self.query_one(PasswordRules).check(event.value, self.policy)
