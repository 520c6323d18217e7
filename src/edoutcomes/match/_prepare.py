"""Both sides of a match encoded once: integer codes in shared vocabularies, so joins are numpy."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from .._names import name_parts, normalise_name, normalise_suffix, split_suffix
from ..errors import InvalidArgumentError
from ..model import MISSING_DAY, STUDENTS, Table
from ._dates import ymd
from ._normalise import NICKNAMES, phonetic_codes

__all__ = ["Prepared", "Side", "prepare"]

I32 = NDArray[np.int32]
Column = tuple[NDArray[np.object_], I32]  # distinct values, row codes into them (-1 missing)

#: SSNs that schools type when they have none; read as missing.
_PLACEHOLDER_SSNS = frozenset({"000000000", "111111111", "123456789", "999999999"})
_MIN_PART = 3


@frozen(eq=False)
class Side:
    """One side (submitted students or the person store) as integer columns."""

    n: int
    first: I32
    first_canon: I32
    middle: I32
    middle_initial: NDArray[np.int8]
    last: I32
    last_part_a: I32
    last_part_b: I32
    previous_last: I32
    suffix: NDArray[np.int8]
    birth: I32
    birth_ymd: NDArray[np.int64]
    ssn: NDArray[np.int64]
    gender: NDArray[np.int8]
    extras: tuple[I32, ...]


@frozen(eq=False)
class Prepared:
    """Both sides, the shared name vocabulary and per-name derived codes."""

    left: Side
    right: Side
    names: NDArray[np.object_]
    name_length: I32
    extra_names: tuple[str, ...]
    extra_values: tuple[NDArray[np.object_], ...]
    phonetic: I32
    prefix3: I32
    suffix5: I32
    initial: I32


def _column(table: Table, name: str, function: Callable[[str], Any]) -> Column:
    if name not in table.names:
        return np.empty(0, dtype=object), np.full(table.n_rows, -1, dtype=np.int32)
    distinct = table.categories[name]
    mapped = np.empty(len(distinct), dtype=object)
    mapped[:] = [None if v is None else function(v) for v in distinct.tolist()]
    return mapped, table.data[name]


def _gather(columns: Sequence[Column]) -> tuple[NDArray[np.object_], list[I32]]:
    """One sorted vocabulary for several columns, and each column's row codes into it."""
    pool = sorted({v for values, _ in columns for v in values.tolist() if v is not None})
    vocabulary = np.empty(len(pool), dtype=object)
    vocabulary[:] = pool
    index = {v: i for i, v in enumerate(pool)}
    out = []
    for values, rows in columns:
        lookup = np.array(
            [-1 if v is None else index[v] for v in values.tolist()] + [-1], dtype=np.int32
        )
        out.append(lookup[rows])
    return vocabulary, out


def _ssn_numbers(values: NDArray[np.object_]) -> NDArray[np.int64]:
    """SSNs as integers, vectorised over the distinct values (-1 for missing or a placeholder)."""
    out = np.full(len(values), -1, dtype=np.int64)
    present = np.array([v is not None for v in values.tolist()], dtype=bool)
    if not present.any():
        return out
    text = values[present].astype(str)
    for separator in ("-", " "):
        text = np.char.replace(text, separator, "")
    ok = np.char.isdigit(text) & (np.char.str_len(text) > 0) & (np.char.str_len(text) <= 18)
    ok &= ~np.isin(text, list(_PLACEHOLDER_SSNS))
    numbers = np.full(len(text), -1, dtype=np.int64)
    numbers[ok] = text[ok].astype(np.int64)
    numbers[numbers == 0] = -1
    out[present] = numbers
    return out


def _small_codes(column: Column, vocabulary: Sequence[str]) -> NDArray[np.int8]:
    values, rows = column
    index = {v: i for i, v in enumerate(vocabulary)}
    lookup = np.array(
        [index.get(v, -1) if v is not None else -1 for v in values.tolist()] + [-1], dtype=np.int8
    )
    return lookup[rows]


_SUFFIX_ORDER = ("JR", "SR", "II", "III", "IV", "V")


def _suffixes(table: Table) -> NDArray[np.int8]:
    given = _small_codes(_column(table, "name_suffix", normalise_suffix), _SUFFIX_ORDER)
    from_last = _small_codes(
        _column(table, "last_name", lambda v: split_suffix(v)[1]), _SUFFIX_ORDER
    )
    return np.where(given >= 0, given, from_last).astype(np.int8)


def _ssns(table: Table) -> NDArray[np.int64]:
    if "ssn" not in table.names:
        return np.full(table.n_rows, -1, dtype=np.int64)
    lookup: NDArray[np.int64] = np.append(_ssn_numbers(table.categories["ssn"]), np.int64(-1))
    return cast(NDArray[np.int64], lookup[table.data["ssn"]])


def _gender(value: str) -> str | None:
    text = normalise_name(value)
    return None if text is None else text[0]


def _check(table: Table, side: str) -> None:
    if table.schema is not STUDENTS and table.schema.name != "students":
        msg = f"{side} must be a students table, got {table.schema.name!r}"
        raise InvalidArgumentError(msg)


def prepare(
    left: Table,
    right: Table,
    *,
    previous_names: Sequence[str] = ("previous_last_name",),
    extra_fields: Sequence[str] = (),
    nicknames: Mapping[str, str] | None = NICKNAMES,
) -> Prepared:
    """Encode both sides in shared vocabularies (one Python call per distinct value, none per row)."""
    _check(left, "submitted")
    _check(right, "people")
    nick = dict(nicknames or {})

    def last(value: str) -> str | None:
        if value.isalpha():
            return normalise_name(value)
        return normalise_name(split_suffix(value)[0])

    def canon(value: str) -> str | None:
        text = normalise_name(value)
        return None if text is None else nick.get(text, text)

    def part(position: int) -> Callable[[str], str | None]:
        def pick(value: str) -> str | None:
            if value.isalpha():  # one word: no parts (most surnames; skip the splitting)
                return None
            parts = [p for p in name_parts(split_suffix(value)[0]) if len(p) >= _MIN_PART]
            return parts[position] if len(parts) > 1 else None

        return pick

    def previous(table: Table) -> Column:
        for name in previous_names:
            if name in table.names:
                return _column(table, name, last)
        return np.empty(0, dtype=object), np.full(table.n_rows, -1, dtype=np.int32)

    per_side = []
    for table in (left, right):
        per_side.append(
            [
                _column(table, "first_name", normalise_name),
                _column(table, "first_name", canon),
                _column(table, "middle_name", normalise_name),
                _column(table, "last_name", last),
                _column(table, "last_name", part(0)),
                _column(table, "last_name", part(-1)),
                previous(table),
            ]
        )
    names, codes = _gather([c for columns in per_side for c in columns])
    k = len(per_side[0])
    initials = np.array([ord(v[0]) - 64 for v in names.tolist()] + [-1], dtype=np.int8)

    extra_values: list[NDArray[np.object_]] = []
    extra_codes: list[list[I32]] = [[], []]
    for field_name in extra_fields:
        for table in (left, right):
            if field_name not in table.names:
                msg = f"extra field {field_name!r} is not a column of both tables"
                raise InvalidArgumentError(msg)
        vocabulary, (lc, rc) = _gather(
            [_column(left, field_name, normalise_name), _column(right, field_name, normalise_name)]
        )
        extra_values.append(vocabulary)
        extra_codes[0].append(lc)
        extra_codes[1].append(rc)

    genders = ("F", "M", "X")
    sides = []
    for position, table in enumerate((left, right)):
        c = codes[position * k : (position + 1) * k]
        sides.append(
            Side(
                n=table.n_rows,
                first=c[0],
                first_canon=c[1],
                middle=c[2],
                middle_initial=initials[c[2]],
                last=c[3],
                last_part_a=c[4],
                last_part_b=c[5],
                previous_last=c[6],
                suffix=_suffixes(table),
                birth=table.data["birth_date"].astype(np.int32),
                birth_ymd=ymd(table.data["birth_date"].astype(np.int32)),
                ssn=_ssns(table),
                gender=_small_codes(_column(table, "gender", _gender), genders),
                extras=tuple(extra_codes[position]),
            )
        )
    return Prepared(
        left=sides[0],
        right=sides[1],
        names=names,
        name_length=np.array([len(v) for v in names.tolist()], dtype=np.int32),
        extra_names=tuple(extra_fields),
        extra_values=tuple(extra_values),
        phonetic=_derived(names, None),
        prefix3=_derived(names, lambda v: v[:3]),
        suffix5=_derived(names, lambda v: v[-5:]),
        initial=_derived(names, lambda v: v[:1]),
    )


def _derived(names: NDArray[np.object_], function: Callable[[str], str] | None) -> I32:
    """Dense codes of a per-name derived string (a phonetic code when *function* is None)."""
    if len(names) == 0:
        return np.empty(0, dtype=np.int32)
    derived = phonetic_codes(names) if function is None else names.copy()
    if function is not None:
        derived[:] = [function(v) for v in names.tolist()]
    present = np.array([v is not None for v in derived.tolist()], dtype=bool)
    out = np.full(len(names), -1, dtype=np.int32)
    if present.any():
        _, inverse = np.unique(derived[present].astype(str), return_inverse=True)
        out[present] = inverse.astype(np.int32)
    return out


def missing_birth(birth: I32) -> NDArray[np.bool_]:
    """Where a birth date is missing."""
    return cast(NDArray[np.bool_], birth == MISSING_DAY)
