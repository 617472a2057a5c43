"""The outbox's file: 0600, one per scope, nothing on a kiosk, a key kept from the first
try, a damaged or foreign file set aside rather than sent, and changes from two processes
never lost."""

from __future__ import annotations

import json
import multiprocessing
import stat
from pathlib import Path

import pytest

from ibok_tui.backends.outbox import MAX_ITEMS, Outbox, OutboxError, Refusal
from ibok_tui.domain.errors import FieldError, NeedsConfirmation, NotFound, ValidationFailed
from ibok_tui.domain.models import (
    Address,
    ContactUpdate,
    ReadingSubmission,
    RequestCategory,
    RequestDraft,
)

READING = ReadingSubmission("M-1", "123,456", confirm_meter_change=True)
REQUEST = RequestDraft(RequestCategory.FAILURE, "Wyciek", "Cieknie za licznikiem.\nPilne.", "M-1")
CONTACT = ContactUpdate(email="a@example.pl", address=Address("Polna", "1", "00-001", "Gdańsk"))


def test_items_survive_reopening_with_their_keys_and_values(tmp_path: Path) -> None:
    box = Outbox.open("https://ibok.example.pl|100001", kiosk=False, root=tmp_path)
    first = box.add(READING, key="k-reading")
    second = box.add(REQUEST)
    third = box.add(CONTACT)
    again = Outbox.open("https://ibok.example.pl|100001", kiosk=False, root=tmp_path)
    items = again.items()
    assert [i.id for i in items] == [first.id, second.id, third.id]
    assert [i.kind for i in items] == ["reading", "request", "contact"]
    assert items[0].key == "k-reading" and items[0].payload == READING
    assert items[1].payload == REQUEST and len(items[1].key) == 32
    assert items[2].payload == CONTACT
    assert again.path is not None
    assert stat.S_IMODE(again.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(again.path.parent.stat().st_mode) == 0o700


def test_the_same_key_is_kept_once_with_the_latest_values(tmp_path: Path) -> None:
    box = Outbox.open("demo|100001", kiosk=False, root=tmp_path)
    one = box.add(READING, key="same")
    two = box.add(READING, key="same")
    assert one == two and len(box.items()) == 1
    corrected = ReadingSubmission("M-1", "124,000")
    three = box.add(corrected, key="same")  # the form's retry after the value was corrected
    assert three.id == one.id and box.items() == [three] and three.payload == corrected


def test_withdraw_and_sent_take_an_item_out(tmp_path: Path) -> None:
    box = Outbox.open("demo|100001", kiosk=False, root=tmp_path)
    a = box.add(READING, key="a")
    b = box.add(REQUEST, key="b")
    assert box.withdraw(a.id) == a
    assert box.withdraw(a.id) is None
    assert box.sent("b") == b
    assert box.items() == []
    assert box.path is not None and not box.path.exists()  # an empty outbox leaves no file


def test_a_kiosk_keeps_nothing_and_writes_nothing(tmp_path: Path) -> None:
    box = Outbox.open("demo|100001", kiosk=True, root=tmp_path)
    assert not box.available
    with pytest.raises(OutboxError) as raised:
        box.add(READING)
    assert raised.value.code == "outbox_unavailable"
    assert box.items() == []
    assert list(tmp_path.iterdir()) == []


def test_scopes_are_apart_even_when_their_names_would_clash(tmp_path: Path) -> None:
    # "a/b|1" and "a_b|1" reduce to the same folder name; the file names and the scope
    # written in the file keep them apart
    one = Outbox.open("http://x/b|100001", kiosk=False, root=tmp_path)
    two = Outbox.open("http://x_b|100001", kiosk=False, root=tmp_path)
    one.add(READING)
    assert two.items() == []
    other = Outbox.open("http://x/b|100002", kiosk=False, root=tmp_path)
    assert other.items() == []


def test_a_file_of_another_scope_is_set_aside_not_sent(tmp_path: Path) -> None:
    one = Outbox.open("demo|100001", kiosk=False, root=tmp_path)
    one.add(READING)
    assert one.path is not None
    body = json.loads(one.path.read_text())
    body["scope"] = "demo|100002"  # a file moved or written by someone else
    one.path.write_text(json.dumps(body))
    assert one.items() == []
    assert one.damaged is not None and one.damaged.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not json",
        b"[]",
        b'{"scope": "demo|100001", "items": [{"id": 1}]}',
        b'{"scope": "demo|100001", "items": [], "format": 99}',
        b'{"scope": "demo|100001", "items": [{"id": "a", "kind": "rm -rf", "key": "k",'
        b' "created": "x"}]}',
        b"{" * 100_000,
        b'{"scope": "demo|100001", "items": []}' + b" " * (2 * 1024 * 1024),
    ],
)
def test_a_damaged_or_hostile_file_is_set_aside(tmp_path: Path, content: bytes) -> None:
    box = Outbox.open("demo|100001", kiosk=False, root=tmp_path)
    assert box.path is not None
    box.path.write_bytes(content)
    assert box.items() == []
    assert box.damaged is not None and box.damaged.read_bytes() == content
    box.add(READING)  # the outbox works again
    assert len(box.items()) == 1


def test_an_outbox_has_a_limit(tmp_path: Path) -> None:
    box = Outbox.open("demo|100001", kiosk=False, root=tmp_path)
    for number in range(MAX_ITEMS):
        box.add(ReadingSubmission("M-1", str(number)), key=str(number))
    with pytest.raises(OutboxError) as raised:
        box.add(READING)
    assert raised.value.code == "outbox_full"


def test_a_refusal_is_kept_as_its_error(tmp_path: Path) -> None:
    box = Outbox.open("demo|100001", kiosk=False, root=tmp_path)
    item = box.add(READING)
    refusal = NeedsConfirmation([FieldError("value", "lower_than_previous", params={"last": "5"})])
    box.refused(item.id, refusal)
    kept = box.items()[0]
    assert not kept.waiting and kept.tries == 1
    assert kept.refusal is not None
    again = kept.refusal.error()
    assert type(again) is NeedsConfirmation
    assert again.errors == refusal.errors and again.code == "needs_confirmation"
    assert box.waiting() == []
    other = Refusal.of(NotFound(code="meter_not_found", params={"meter": "M-9"})).error()
    assert type(other) is NotFound and other.code == "meter_not_found"
    assert other.params == {"meter": "M-9"}
    assert type(Refusal.of(ValidationFailed.single("body", "too_long")).error()) is (
        ValidationFailed
    )


def test_replacing_an_edited_item(tmp_path: Path) -> None:
    box = Outbox.open("demo|100001", kiosk=False, root=tmp_path)
    old = box.add(READING, key="old")
    new = box.add(ReadingSubmission("M-1", "200"), key="new", replaces=old.id)
    assert [i.id for i in box.items()] == [new.id]


def _add_many(root: str, start: int) -> None:
    box = Outbox.open("demo|100001", kiosk=False, root=Path(root))
    for number in range(start, start + 20):
        box.add(ReadingSubmission("M-1", str(number)), key=f"key-{number}")


def test_two_processes_adding_at_once_lose_nothing(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_add_many, args=(str(tmp_path), s)) for s in (0, 20)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    box = Outbox.open("demo|100001", kiosk=False, root=tmp_path)
    assert sorted(i.key for i in box.items()) == sorted(f"key-{n}" for n in range(40))
