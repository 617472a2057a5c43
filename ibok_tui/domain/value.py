"""`@value`: a frozen dataclass that is cheaper to define than `@dataclass(frozen=True)`.

A frozen dataclass gets six methods compiled from source text when its class is made
(`__init__`, `__setattr__`, `__delattr__`, `__eq__`, `__hash__`, `__repr__`), and the
domain has dozens: compiling them was most of the time importing the domain took (a
script's command, the console's first data on a resumed start). Here nothing is compiled
when the class is made: refusing assignment, equality, hashing and the representation are
the same functions for every class, reading the fields that `dataclasses` recorded, and
`__init__` is compiled on the class's first instance (a class never built in a process,
or whose instances only msgspec decodes, never pays for it). A class without a docstring
is not given its signature as one (msgspec's and pydantic's schemas ignore that text).
Instances behave as those of `@dataclass(frozen=True)` do: equal when of the same class
with equal fields, hashable, immutable; `dataclasses.replace`, msgspec and pydantic see a
frozen dataclass.
"""

from __future__ import annotations

from dataclasses import MISSING, FrozenInstanceError, dataclass, field, fields
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass(frozen=True)
class _Frozen:
    """Its `__dataclass_params__` say "frozen" for every value class (made once)."""


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


def _setattr(self: Any, name: str, _value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


_FACTORY = object()  # a parameter's default when its field has a default_factory


def _compiled_init(cls: type) -> Any:
    """`cls.__init__` as `@dataclass(frozen=True)` would write it: the fields in order,
    their defaults and factories, then `__post_init__` when the class has one."""
    scope: dict[str, Any] = {"_set": object.__setattr__, "_FACTORY": _FACTORY}
    params, lines = ["self"], []
    for number, part in enumerate(fields(cls)):
        name = part.name
        if part.default_factory is not MISSING:
            scope[f"_factory{number}"] = part.default_factory
            params.append(f"{name}=_FACTORY")
            lines.append(
                f" _set(self, {name!r}, _factory{number}() if {name} is _FACTORY else {name})"
            )
            continue
        if part.default is not MISSING:
            scope[f"_default{number}"] = part.default
            params.append(f"{name}=_default{number}")
        else:
            params.append(name)
        lines.append(f" _set(self, {name!r}, {name})")
    if hasattr(cls, "__post_init__"):
        lines.append(" self.__post_init__()")
    source = f"def __init__({', '.join(params)}):\n" + ("\n".join(lines) or " pass") + "\n"
    exec(source, scope)
    made = scope["__init__"]
    made.__qualname__ = f"{cls.__qualname__}.__init__"
    return made


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def value(cls: type[T]) -> type[T]:
    if cls.__doc__ is None:  # what dataclasses would write, without inspecting a signature
        cls.__doc__ = f"{cls.__name__}(...)"
    # the fields recorded, no method compiled (init, eq, repr and frozen are ours)
    made = dataclass(init=False, eq=False, repr=False)(cls)
    made.__dataclass_params__ = _Frozen.__dataclass_params__  # type: ignore[attr-defined]

    def first_init(self: Any, *args: Any, **kwargs: Any) -> None:
        made.__init__ = compiled = _compiled_init(made)  # type: ignore[method-assign]
        compiled(self, *args, **kwargs)

    made.__init__ = first_init  # type: ignore[method-assign]
    made.__setattr__ = _setattr  # type: ignore[method-assign]
    made.__delattr__ = _delattr  # type: ignore[method-assign]
    made.__eq__ = _eq  # type: ignore[method-assign]
    made.__hash__ = _hash  # type: ignore[method-assign]
    made.__repr__ = _repr  # type: ignore[method-assign]
    return made
