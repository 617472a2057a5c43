"""Large synthetic data sets for the benchmarks, from the demo's own expansion."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from ...domain.models import (
    Tariff,
)

# share of a day's water used in each hour, a household's typical dayfrom .auth import hash_password
from .. import search
from ..auth import hash_password
from ..store import Store
from .fixtures import Seeder, _customer, _tariffs, read_fixture, seed

# --- synthetic data for the benchmarks -----------------------------------------------------

_FIRST = (
    "Jan",
    "Anna",
    "Piotr",
    "Maria",
    "Tomasz",
    "Katarzyna",
    "Paweł",
    "Agnieszka",
    "Michał",
    "Małgorzata",
    "Krzysztof",
    "Ewa",
    "Andrzej",
    "Joanna",
    "Łukasz",
    "Zofia",
)
_LAST = (
    "Nowak",
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Kowalczyk",
    "Kamiński",
    "Lewandowski",
    "Zieliński",
    "Szymański",
    "Woźniak",
    "Dąbrowski",
    "Kozłowski",
    "Jankowski",
    "Mazur",
)
_STREETS = (
    "ul. Lipowa",
    "ul. Polna",
    "ul. Leśna",
    "ul. Słoneczna",
    "ul. Krótka",
    "ul. Szkolna",
    "ul. Ogrodowa",
    "ul. Kwiatowa",
    "ul. Brzozowa",
    "ul. Łąkowa",
    "ul. Kościuszki",
    "ul. Mickiewicza",
    "ul. Sienkiewicza",
    "ul. Źródlana",
)
SYNTHETIC_PASSWORD = "Synteza!2026"


def synthetic_customer(rng: random.Random, index: int, years: int) -> dict[str, Any]:
    street = rng.choice(_STREETS)
    address = {
        "street": street,
        "building": str(rng.randint(1, 180)),
        "postal_code": "05-540",
        "city": "Zalesie Górne",
    }
    meters = [
        {
            "serial": f"SY-{index:07d}",
            "diameter_mm": 15,
            "location": "piwnica",
            "legalized_months_ago": rng.randint(1, 64),
            "litres_per_day": rng.randint(90, 600),
            "full_history": True,
        }
    ]
    if rng.random() < 0.1:
        meters[0]["submeters"] = [
            {
                "serial": f"SG-{index:07d}",
                "diameter_mm": 15,
                "location": "ogród",
                "legalized_months_ago": rng.randint(1, 50),
                "litres_per_day": rng.randint(50, 200),
                "garden": True,
            }
        ]
    return {
        "number": f"{500000 + index:06d}",
        "name": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
        "kind": "person",
        "address": address,
        "email": f"klient{index}@example.pl",
        "phone": f"+48 600 {index % 1000:03d} {index // 1000 % 1000:03d}",
        "status": "active",
        "billing_months": rng.choice((1, 2)),
        "history_months": years * 12,
        "properties": [
            {
                "label": "Dom",
                "address": address,
                "points": [{"label": "Przyłącze główne", "meters": meters}],
            }
        ],
    }


def generate(
    store: Store,
    *,
    customers: int,
    years: int,
    today: date,
    now: datetime,
    seed_value: int = 2026,
    progress: Any = None,
) -> None:
    """Seed an empty store with the demo set plus `customers` synthetic customers with
    `years` of history each. Every synthetic customer signs in with SYNTHETIC_PASSWORD."""
    seed(store, read_fixture(), today=today, now=now)
    data = read_fixture()
    tariffs = _tariffs(data["tariffs"], today - timedelta(days=1))
    oldest = tariffs[0]
    tariffs[0] = Tariff(
        oldest.id,
        date(1990, 1, 1),
        oldest.valid_to,
        oldest.water_per_m3,
        oldest.sewage_per_m3,
        oldest.subscription_per_month,
        oldest.vat_rate,
    )
    seeder = Seeder(store, today, now, tariffs, data["utility"]["bank_sort_code"], False)
    shared_hash = hash_password(SYNTHETIC_PASSWORD)
    rng = random.Random(seed_value)
    batch = 200
    for start in range(0, customers, batch):
        with store.transaction():
            for index in range(start, min(start + batch, customers)):
                _customer(seeder, synthetic_customer(rng, index, years), shared_hash)
        if progress is not None:
            progress(min(start + batch, customers), customers)
    with store.transaction():
        search.reindex(store)
