"""Dialogs that take a new password and check it against the utility's policy as you type."""

from __future__ import annotations

from typing import ClassVar

from textual.widgets import Input

from ...domain.passwords import PasswordPolicy
from ...host import host_of
from ...i18n import _
from ...i18n.problems import error_text
from ...widgets.password_rules import PasswordRules
from ..forms.dialogs import Dialog
from ..forms.workers import guarded


class PasswordDialog(Dialog):
    """Loads the policy from the backend and keeps `PasswordRules` in step with the field
    named by `PASSWORD_INPUT` (an Input id); until the policy comes, the strict default."""

    PASSWORD_INPUT: ClassVar[str] = ""
    policy: PasswordPolicy = PasswordPolicy()

    @guarded("policy")
    async def load_policy(self) -> None:
        try:
            self.policy = await host_of(self).backend.password_policy()
        except Exception as error:  # the strict default stays; the server checks anyway
            self.notify(
                _("Nie pobrano zasad haseł z serwera ({reason}): pokazano najsurowsze.").format(
                    reason=error_text(error)
                ),
                severity="warning",
                markup=False,
            )
            return
        self.query_one(PasswordRules).check(
            self.query_one(f"#{self.PASSWORD_INPUT}", Input).value, self.policy
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == self.PASSWORD_INPUT:
            self.query_one(PasswordRules).check(event.value, self.policy)
