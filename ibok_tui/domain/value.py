"""`@value`: a frozen dataclass that is cheaper to define than `@dataclass(frozen=True)`.

A frozen dataclass gets six methods compiled from source text when its class is made
(`__init__`, `__setattr__`, `__delattr__`, `__eq__`, `__hash__`, `__repr__`), and the
domain has dozens: defining them was most of the time a script's command spent importing
the domain. Here only the first three are compiled per class; equality, hashing and the
representation are the same three functions for every class, reading the fields that
`dataclasses` recorded; and a class without a docstring is not given its signature as one
(msgspec's and pydantic's schemas ignore that text anyway). Instances behave as those of
`@dataclass(frozen=True)` do: equal when of the same class with equal fields, hashable,
immutable; `dataclasses.replace`, msgspec and pydantic see a dataclass.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


def _values(item: Any) -> tuple[Any, ...]:
    return tuple(getattr(item, name) for name in item.__dataclass_fields__)


def _eq(self: Any, other: object) -> bool:
    if other.__class__ is self.__class__:
        return _values(self) == _values(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(_values(self))


def _repr(self: Any) -> str:
    shown = ", ".join(
        f"{part.name}={getattr(self, part.name)!r}" for part in fields(self) if part.repr
    )
    return f"{self.__class__.__qualname__}({shown})"


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def value(cls: type[T]) -> type[T]:
    if cls.__doc__ is None:  # what dataclasses would write, without inspecting a signature
        cls.__doc__ = f"{cls.__name__}(...)"
    made = dataclass(frozen=True, eq=False, repr=False)(cls)
    made.__eq__ = _eq  # type: ignore[method-assign]
    made.__hash__ = _hash  # type: ignore[method-assign]
    made.__repr__ = _repr  # type: ignore[method-assign]
    return made
