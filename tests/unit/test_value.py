"""`@value` (domain/value.py): instances behave as `@dataclass(frozen=True)`'s, and making a
class compiles no method (its `__init__` is compiled on the first instance)."""

from __future__ import annotations

import dataclasses
from dataclasses import field
from typing import Any

import msgspec
import pytest
from pydantic import TypeAdapter

from ibok_tui.domain.value import value


@value
class Point:
    x: int
    y: int = 0
    tags: dict[str, str] = field(default_factory=dict)


@value
class Checked:
    amount: int

    def __post_init__(self) -> None:
        if self.amount < 0:
            raise ValueError("negative")


def test_a_value_is_built_compared_hashed_and_shown_as_a_frozen_dataclass() -> None:
    point = Point(1, tags={"a": "b"})
    assert (point.x, point.y, point.tags) == (1, 0, {"a": "b"})
    assert Point(2) == Point(x=2, y=0) and Point(2) != Point(3)
    assert Point(2).tags is not Point(2).tags  # a fresh dict from the factory each time
    assert hash(Checked(1)) == hash(Checked(1))
    assert {Checked(1), Checked(1)} == {Checked(1)}
    assert repr(Point(1, 2)) == "Point(x=1, y=2, tags={})"
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 5  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del point.x
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, 2, {}, 4)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="negative"):
        Checked(-1)
    assert dataclasses.replace(point, y=7) == Point(1, 7, {"a": "b"})
    assert dataclasses.is_dataclass(point) and dataclasses.fields(Point)[1].default == 0
    assert Point.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_msgspec_and_pydantic_read_and_write_a_value() -> None:
    encoded = msgspec.json.encode(Point(1, 2, {"k": "v"}))
    assert msgspec.json.decode(encoded, type=Point) == Point(1, 2, {"k": "v"})
    assert TypeAdapter(Point).validate_python({"x": 3}) == Point(3)
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(b'{"amount": -1}', type=Checked)


def test_making_a_value_class_compiles_no_method(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cost of a domain import: dataclasses compiles methods with `exec`; a value
    class compiles none until its first instance, and then only `__init__`, once."""
    import builtins

    calls: list[object] = []
    real_exec = builtins.exec

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0])
        return real_exec(*args, **kwargs)

    monkeypatch.setattr(builtins, "exec", counting)

    @value
    class Late:
        a: int
        b: str = "x"

    made = len(calls)
    Late(1)
    Late(2, "y")
    assert (made, len(calls)) == (0, 1)
    assert Late(1) == Late(1, "x")
