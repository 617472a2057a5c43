"""Dane klienta: the customer's data and properties; contact data editable with validation
(errors are shown by their fields and what was typed stays)."""

from __future__ import annotations

import re
import uuid
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label, Static

from ...domain.changes import Change
from ...domain.errors import Unavailable, ValidationFailed
from ...domain.models import Address, ContactUpdate, Customer, Profile
from ...domain.payments import format_nrb
from ...i18n import N_, _, label
from ...i18n.problems import field_text
from ...widgets.tables import ListTable
from ..forms.base import TabScreen
from ..forms.outbox_queue import delivered, keep_unsent

CONTACT_FIELDS = (
    ("email", N_("E-mail")),
    ("phone", N_("Telefon")),
    ("address.street", N_("Ulica")),
    ("address.building", N_("Numer domu")),
    ("address.apartment", N_("Numer lokalu")),
    ("address.postal_code", N_("Kod pocztowy")),
    ("address.city", N_("Miejscowość")),
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_POSTAL = re.compile(r"^\d{2}-\d{3}$")


def field_id(name: str) -> str:
    return "contact-" + name.replace(".", "-")


def check_contact(values: dict[str, str]) -> dict[str, str]:
    """The same rules as the iBOK's, checked before sending: field -> message."""
    errors = {}
    if not _EMAIL.match(values["email"].strip()):
        errors["email"] = _("Podaj poprawny adres e-mail.")
    digits = [c for c in values["phone"] if c.isdigit()]
    if not 9 <= len(digits) <= 15 or not set(values["phone"]) <= set("0123456789+ -()"):
        errors["phone"] = _("Podaj numer telefonu (9–15 cyfr).")
    for name in ("address.street", "address.building", "address.postal_code", "address.city"):
        if not values[name].strip():
            errors[name] = _("To pole jest wymagane.")
    if values["address.postal_code"].strip() and not _POSTAL.match(
        values["address.postal_code"].strip()
    ):
        errors["address.postal_code"] = _("Kod pocztowy ma postać 00-000.")
    return errors


class CustomerScreen(TabScreen):
    """Dane klienta: dane, posesje i wodomierze; zmiana danych kontaktowych."""

    TAB_ID = "dane"
    TAB_TITLE = N_("Dane klienta")
    SHOWS = frozenset({Change.ACCOUNT, Change.CONTRACTS})
    _contact_key: str | None = None  # the outbox key of the change being saved
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Zapisz dane kontaktowe", id="dane.save"),
    ]
    DEFAULT_CSS = """
    CustomerScreen #customer-columns { height: 1fr; }
    CustomerScreen #customer-left { width: 1fr; padding: 0 1; }
    CustomerScreen #contact-form { width: 52; border: round $primary; padding: 0 1; height: auto; }
    CustomerScreen .field-error { color: $error; height: auto; }
    CustomerScreen #properties-table { height: auto; max-height: 16; }
    CustomerScreen .section { text-style: bold; color: $accent; margin-top: 1; }
    """

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="customer-columns"):
            with VerticalScroll(id="customer-left", can_focus=False):
                yield Label(_("Dane klienta"), classes="section")
                yield Static(id="customer-data")
                yield Label(_("Posesje i wodomierze"), classes="section")
                yield ListTable(id="properties-table", cursor_type="row")
            with VerticalScroll(id="contact-form", can_focus=False):
                yield Label(_("Dane kontaktowe"), classes="section")
                for name, text in CONTACT_FIELDS:
                    yield Label(_(text))
                    yield Input(id=field_id(name), compact=True)
                    yield Static(classes="field-error", id="err-" + field_id(name))
                yield Button(_("Zapisz (ctrl+s)"), id="contact-save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#properties-table", DataTable).add_columns(
            _("Posesja"), _("Adres"), _("Punkt"), _("Wodomierz"), _("Rodzaj"), _("Miejsce")
        )

    def load(self) -> None:
        left = self.query_one("#customer-left")
        left.loading = True

        def done(profile: Profile) -> None:
            left.loading = False
            self.show(profile)

        def failed(error: BaseException) -> bool:
            left.loading = False
            return False

        self.call(self.backend.profile, done, on_error=failed)

    def show(self, profile: Profile) -> None:
        self.show_customer(profile.customer, fill_form=True)
        table = self.query_one("#properties-table", DataTable)
        table.clear()
        for item in profile.properties:
            for point in item.points:
                for meter in point.meters:
                    table.add_row(
                        Text(item.label),
                        Text(item.address.one_line()),
                        Text(point.label),
                        Text(meter.serial),
                        label(meter.role),
                        Text(meter.location),
                    )

    def show_customer(self, customer: Customer, *, fill_form: bool) -> None:
        facts = Table.grid(padding=(0, 2))
        facts.add_column(style="dim")
        facts.add_column()
        facts.add_row(_("Kod nabywcy"), Text(customer.number, style="bold"))
        facts.add_row(_("Nazwa"), Text(customer.name))
        facts.add_row(_("Rodzaj"), label(customer.kind))
        if customer.nip:
            facts.add_row("NIP", Text(customer.nip))
        if customer.regon:
            facts.add_row("REGON", Text(customer.regon))
        facts.add_row(_("Adres"), Text(customer.address.one_line()))
        facts.add_row(_("E-mail"), Text(customer.email))
        facts.add_row(_("Telefon"), Text(customer.phone))
        facts.add_row(_("Konto do wpłat"), Text(format_nrb(customer.bank_account)))
        facts.add_row(_("Okres rozliczeniowy"), _("{n} mies.", n=customer.billing_months))
        facts.add_row(_("Konto iBOK"), label(customer.status))
        self.query_one("#customer-data", Static).update(facts)
        if fill_form:
            address = customer.address
            values = {
                "email": customer.email,
                "phone": customer.phone,
                "address.street": address.street,
                "address.building": address.building,
                "address.apartment": address.apartment,
                "address.postal_code": address.postal_code,
                "address.city": address.city,
            }
            for name, value in values.items():
                self.query_one("#" + field_id(name), Input).value = value

    def values(self) -> dict[str, str]:
        return {
            name: self.query_one("#" + field_id(name), Input).value for name, _t in CONTACT_FIELDS
        }

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, _text in CONTACT_FIELDS:
            box = self.query_one("#err-" + field_id(name), Static)
            box.update(Text(errors.get(name, "")))
            self.query_one("#" + field_id(name), Input).set_class(name in errors, "-invalid")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "contact-save":
            event.stop()
            self.action_save()

    def action_save(self) -> None:
        values = self.values()
        errors = check_contact(values)
        self.show_errors(errors)
        if errors:
            self.notify(_("Popraw zaznaczone pola."), severity="warning")
            return
        update = ContactUpdate(
            email=values["email"].strip(),
            phone=values["phone"].strip(),
            address=Address(
                street=values["address.street"].strip(),
                building=values["address.building"].strip(),
                apartment=values["address.apartment"].strip(),
                postal_code=values["address.postal_code"].strip(),
                city=values["address.city"].strip(),
            ),
        )

        if self._contact_key is None:  # one per change, kept while it is retried
            self._contact_key = uuid.uuid4().hex
        key = self._contact_key

        async def save() -> Customer | None:
            try:
                return await self.backend.update_contact(update)
            except Unavailable:  # kept in the outbox, sent when the server answers again
                if await keep_unsent(self, self.backend, update, key=key) is None:
                    raise
                return None

        async def done(customer: Customer | None) -> None:
            if customer is None:
                self.notify(
                    _(
                        "Nie można połączyć się z iBOK. Zmiana danych kontaktowych czeka w "
                        "kolejce do wysłania (Ctrl+O) i zostanie wysłana, gdy iBOK odpowie."
                    ),
                    severity="warning",
                    timeout=10,
                )
                return
            await delivered(self, self.backend, key=key)
            self._contact_key = None
            self.show_customer(customer, fill_form=False)
            self.notify(_("Dane kontaktowe zapisane."))

        def failed(error: BaseException) -> bool:
            if isinstance(error, ValidationFailed):
                self.show_errors({e.field: field_text(e) for e in error.errors})
                return True
            return False

        self.call(save, done, group="save", on_error=failed)
