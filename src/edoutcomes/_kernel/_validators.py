"""The one set of attrs validators: they raise the library's errors and name the field, never a personal value."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..errors import EdOutcomesError, InvalidRecordError
from ._days import is_date
from ._findings import is_personal

__all__ = [
    "attributes",
    "boolean",
    "date",
    "instance",
    "optional_date",
    "optional_text",
    "show",
    "ssn",
    "text",
]

Validator = Callable[[Any, Any, Any], None]


def show(name: str, value: object) -> str:
    """``name=value`` for a message, or ``name (value not shown)`` for a personal field."""
    if is_personal(name):
        return f"{name} (value not shown)"
    return f"{name}={value!r}"


def _fail(attribute: Any, value: object, expected: str) -> None:
    name = attribute.name
    msg = f"{show(name, value)} must be {expected}, got {type(value).__name__}"
    raise InvalidRecordError(msg)


def text(instance: Any, attribute: Any, value: Any) -> None:
    """A non-blank string."""
    if not isinstance(value, str):
        _fail(attribute, value, "a string")
    elif not value.strip():
        msg = f"{attribute.name} must not be blank"
        raise InvalidRecordError(msg)


def optional_text(instance: Any, attribute: Any, value: Any) -> None:
    """None or a string."""
    if value is not None and not isinstance(value, str):
        _fail(attribute, value, "a string or None")


def date(instance: Any, attribute: Any, value: Any) -> None:
    """A ``datetime.date`` that is not a ``datetime``."""
    if not is_date(value):
        _fail(attribute, value, "a datetime.date (not a datetime or a string)")


def optional_date(instance: Any, attribute: Any, value: Any) -> None:
    """None or a ``datetime.date``."""
    if value is not None:
        date(instance, attribute, value)


def instance(cls: type, *, optional: bool = False) -> Validator:
    """An instance of *cls*, e.g. a member of a code set (or None when *optional*)."""

    def check(instance: Any, attribute: Any, value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, cls):
            _fail(attribute, value, f"a {cls.__name__}")

    return check


def boolean(
    *, optional: bool = False, error: type[EdOutcomesError] = InvalidRecordError
) -> Validator:
    """
    True or False (or None when *optional*); *error* is what a wrong value raises.

    Records raise :class:`InvalidRecordError`, options (arguments) :class:`InvalidArgumentError`.
    """

    def check(instance: Any, attribute: Any, value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, bool):
            msg = f"{attribute.name}={value!r} must be True or False"
            raise error(msg)

    return check


_SSN = re.compile(r"^\d{9}$")


def ssn(instance: Any, attribute: Any, value: Any) -> None:
    """None or nine digits (the value is never echoed)."""
    if value is None:
        return
    if not isinstance(value, str) or not _SSN.match(value):
        msg = f"{attribute.name} must be 9 digits (value not shown)"
        raise InvalidRecordError(msg)


def attributes(instance: Any, attribute: Any, value: Any) -> None:
    """A tuple of ``(name, value)`` pairs with unique names; values str, bool or None."""
    if not isinstance(value, tuple):
        _fail(attribute, value, "a tuple of (name, value) pairs")
        return
    seen: set[str] = set()
    for pair in value:
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)):
            msg = f"{attribute.name} must hold (name, value) pairs"
            raise InvalidRecordError(msg)
        name, item = pair
        if name in seen:
            msg = f"{attribute.name} has the name {name!r} twice"
            raise InvalidRecordError(msg)
        seen.add(name)
        if item is not None and not isinstance(item, str | bool):
            msg = f"attribute {name!r} must be a string, a bool or None"
            raise InvalidRecordError(msg)
