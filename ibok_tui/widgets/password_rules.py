"""The password policy checked as you type: each rule with a tick or a cross."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ..domain.passwords import PasswordPolicy, password_problems
from ..i18n import _, n_


def rule_texts(policy: PasswordPolicy) -> list[tuple[str, str]]:
    """(problem code, the rule in words) for every rule the policy has."""
    rules = [
        (
            "too_short",
            n_("co najmniej {count} znak", "co najmniej {count} znaków", policy.min_length),
        )
    ]
    if policy.require_upper:
        rules.append(("no_upper", _("wielka litera")))
    if policy.require_lower:
        rules.append(("no_lower", _("mała litera")))
    if policy.require_digit:
        rules.append(("no_digit", _("cyfra")))
    if policy.require_special:
        rules.append(("no_special", _("znak specjalny (np. ! # % &)")))
    return rules


class PasswordRules(Static):
    DEFAULT_CSS = "PasswordRules { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.policy = PasswordPolicy()
        self.problems: list[str] = []

    def on_mount(self) -> None:
        self.check("")

    def check(self, password: str, policy: PasswordPolicy | None = None) -> bool:
        """Show which rules `password` meets; True when it meets them all."""
        if policy is not None:
            self.policy = policy
        self.problems = password_problems(self.policy, password)
        parts: list[str | tuple[str, str]] = []
        for code, text in rule_texts(self.policy):
            if code in self.problems:
                parts.append(("✗ " + text, "$error"))
            else:
                parts.append(("✓ " + text, "$success"))
            parts.append("  ")
        if "too_long" in self.problems:
            parts.append(("✗ " + _("za długie"), "$error"))
        self.update(Content.assemble(*parts))
        return not self.problems
