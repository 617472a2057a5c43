"""The demo's people (README.md) and signing them in through any backend."""

from __future__ import annotations

from typing import Protocol

from ibok_tui.backends.base import Backend

PASSWORDS = {
    "100001": "Woda!Kowalski1",  # Jan Kowalski: flat, e-invoice, last invoice unpaid
    "100002": "Woda!Nowak2026",  # Anna Nowak: garden sub-meter, overpayment, reading waiting
    "100003": "Woda!Wisniewski3",  # Piotr Wiśniewski: smart meter, night-flow alert
    "200001": "Woda!ZlotyKlos4",  # Piekarnia Złoty Kłos: business, overdue, interest notes
    "100004": "Woda!Wojcik2026",  # Maria Wójcik: estimate + correction, requests
    "100005": "Woda!Kaminski5",  # Tomasz Kamiński: pending activation
    "100006": "Woda!Lewandowska6",  # Katarzyna Lewandowska: blocked by the BOK
    "100007": "Nadane!Haslo77",  # Krzysztof Zieliński: must change the generated password
}
OPERATORS = {"bok.anna": "Operator!2026a", "bok.marek": "Operator!2026m"}
OPERATOR_NAMES = {"bok.anna": "Anna Kowalczyk", "bok.marek": "Marek Dąbrowski"}
NEW_PASSWORD = "Nowe!Haslo2027"


class Clients(Protocol):
    async def client(self) -> Backend: ...


async def customer(portal: Clients, number: str) -> Backend:
    """A new client of `portal` signed in as the demo customer `number`."""
    backend = await portal.client()
    await backend.login(number, PASSWORDS[number])
    return backend


async def operator(portal: Clients, login: str = "bok.anna") -> Backend:
    """A new client of `portal` signed in as a BOK operator."""
    backend = await portal.client()
    await backend.operator_login(login, OPERATORS[login])
    return backend
