"""Large synthetic data sets for the benchmarks, from the demo's own expansion."""

from __future__ import annotations

import contextlib
import gc
import random
from collections import deque
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

from ...domain.models import (
    Tariff,
)
from .. import history_schema, search
from ..hashing import hash_password
from ..store import Batch, Store
from .fixtures import Seeder, _customer, _tariffs, read_fixture, seed
from .seeder import BulkWriter

# the tables the load fills by the million: their secondary indexes (and on PostgreSQL their
# foreign keys) are built after it. The readings' history is one of them: its backfill, one
# INSERT … SELECT of a step per reading (9.2 million for 100,000 customers × 10 years), kept
# its index and checked its foreign key row by row: 231 s on PostgreSQL, against 46 s
# without them and 20 s to build the index and check the key once after
_BULK_TABLES = (
    "readings",
    "invoices",
    "invoice_lines",
    "payments",
    "contracts",
    "hourly",
    "reading_events",
)

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
    progress: Callable[[int, int], object] | None = None,
    batch: int = 500,
    workers: int = 1,
) -> None:
    """Seed an empty store with the demo set plus `customers` synthetic customers with
    `years` of history each. Every synthetic customer signs in with SYNTHETIC_PASSWORD.
    `workers` processes expand the customers while this one writes them; the data is the
    same whatever their number."""
    seed(store, read_fixture(), today=today, now=now)
    setting = expansion_setting(type(store), today, now, hash_password(SYNTHETIC_PASSWORD))
    rng = random.Random(seed_value)
    batches = (
        [
            synthetic_customer(rng, index, years)
            for index in range(start, min(start + batch, customers))
        ]
        for start in range(0, customers, batch)
    )
    done = 0
    with store.bulk_load(_BULK_TABLES), _without_cycle_collection():
        for rows in _expanded(batches, setting, workers):
            store.load_packed(rows)  # one transaction
            done = min(done + batch, customers)
            if progress is not None:
                progress(done, customers)
        with store.transaction():  # each reading's first step (its own index kept: the
            history_schema.backfill(store)  # demo's rows are there already)
    with store.transaction():
        search.reindex(store)


_Setting = tuple[date, datetime, list[Tariff], str, str, type[Store]]


def expansion_setting(
    store: type[Store], today: date, now: datetime, password_hash: str
) -> _Setting:
    """What every process expanding synthetic customers works with: the demo's tariffs
    (the oldest reaching back to 1990, for any number of years), its bank sort code, the
    one password hash and the store's class (which packs the batches)."""
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
    return (today, now, tariffs, data["utility"]["bank_sort_code"], password_hash, store)


def _expanded(
    batches: Iterator[list[dict[str, Any]]], setting: _Setting, workers: int
) -> Iterator[Any]:
    """Each batch of customers expanded into the rows to insert (for `Store.load_packed`),
    in order: in `workers` processes when more than one (the expansion is Python work, the
    inserts are the store's), packed there by the store's `packed`, with at most two
    batches a worker waiting, so memory stays bounded."""
    if workers <= 1:
        _start_expanding(setting)
        try:
            yield from map(_expand, batches)
        finally:
            _PRICED.clear()  # this process goes on: its memory back
        return
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")  # nothing of this process's threads
    with ProcessPoolExecutor(workers, context, _start_expanding, (setting,)) as pool:
        waiting: deque[Future[Any]] = deque()
        for specs in batches:
            waiting.append(pool.submit(_packed, specs))
            if len(waiting) > 2 * workers:
                yield waiting.popleft().result()
        while waiting:
            yield waiting.popleft().result()


_SETTING: list[_Setting] = []
# the invoices priced in this process, kept from one batch to the next (Seeder.priced)
_PRICED: dict[tuple[str, int, int, int], Any] = {}


def _start_expanding(setting: _Setting) -> None:
    _SETTING[:] = [setting]
    _PRICED.clear()  # priced at the tariffs of another setting


def _packed(specs: list[dict[str, Any]]) -> Any:
    """A worker's batch: expanded, then packed by the store's class (`Store.packed`)."""
    with _without_cycle_collection():
        return _SETTING[0][-1].packed(_expand(specs))


def _expand(specs: list[dict[str, Any]]) -> Batch:
    today, now, tariffs, sort_code, shared_hash, _store = _SETTING[0]
    writer = BulkWriter()
    seeder = Seeder(writer, today, now, tariffs, sort_code, False, priced=_PRICED)
    with _without_cycle_collection():
        for spec in specs:
            _customer(seeder, spec, shared_hash)
    return writer.pending


@contextlib.contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector off meanwhile: the expansion makes no reference cycles
    (a test counts them), only hundreds of thousands of rows and prices, and scanning them
    again and again took a fifth of its time. Reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
