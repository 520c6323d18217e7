"""Both sides of a match encoded once: integer codes in shared vocabularies, so joins are numpy."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, cast

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from .._kernel._names import name_parts, normalise_name, normalise_suffix, split_suffix
from ..errors import InvalidArgumentError
from ..formats.intake import BIRTH_DATE_DIGITS
from ..model import MISSING_DAY, STUDENTS, Table
from ._dates import ymd
from ._normalise import groups_of, phonetic_codes

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
    middle: I32
    middle_initial: NDArray[np.int8]
    last: I32
    last_part_a: I32
    last_part_b: I32
    previous_last: I32
    suffix: NDArray[np.int8]
    birth: I32
    #: ``YYYYMMDD`` of the birth date, or the 8 digits intake kept of an impossible one; -1.
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
    #: Name code -> nickname group, exploded (a name may stand for several full names).
    nick_name: I32
    nick_group: I32
    #: Sorted ``a * len(names) + b`` of every pair of different names that are nicknames.
    nick_pairs: NDArray[np.int64]
    #: The same for first names one edit from a nickname of the other (both orders).
    nick_typo_pairs: NDArray[np.int64]

    def nicknames(self, a: I32, b: I32) -> NDArray[np.bool_]:
        """Where names *a* and *b* (codes) are different names one of which stands for the other."""
        return _pair_in(self.nick_pairs, len(self.names), a, b)

    def nickname_typos(self, a: I32, b: I32) -> NDArray[np.bool_]:
        """Where first name *a* is one edit from a nickname of *b*, its full name, or another
        name it shares one with (BIL for WILLIAM), or *b* one edit from one of *a*'s."""
        return _pair_in(self.nick_typo_pairs, len(self.names), a, b)


def _pair_in(pairs: NDArray[np.int64], width: int, a: I32, b: I32) -> NDArray[np.bool_]:
    """Where ``a * width + b`` is one of the sorted *pairs* (codes present on both sides)."""
    out = np.zeros(len(a), dtype=bool)
    ok = (a >= 0) & (b >= 0)
    if len(pairs) == 0 or not ok.any():
        return out
    codes = a[ok].astype(np.int64) * width + b[ok]
    at = np.minimum(np.searchsorted(pairs, codes), len(pairs) - 1)
    out[ok] = pairs[at] == codes
    return out


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


def _last(value: str) -> str | None:
    """A last name without its suffix, normalised."""
    if value.isalpha():
        return normalise_name(value)
    return normalise_name(split_suffix(value)[0])


def _part(position: int) -> Callable[[str], str | None]:
    """The part at *position* of a last name of several (of 3 letters or more), else None."""

    def pick(value: str) -> str | None:
        if value.isalpha():  # one word: no parts (most surnames; skip the splitting)
            return None
        parts = [p for p in name_parts(split_suffix(value)[0]) if len(p) >= _MIN_PART]
        return parts[position] if len(parts) > 1 else None

    return pick


def _name_columns(table: Table, previous_names: Sequence[str]) -> list[Column]:
    """First, middle, last name, the two parts of a last name of several, the previous name."""
    previous = (np.empty(0, dtype=object), np.full(table.n_rows, -1, dtype=np.int32))
    for name in previous_names:
        if name in table.names:
            previous = _column(table, name, _last)
            break
    return [
        _column(table, "first_name", normalise_name),
        _column(table, "middle_name", normalise_name),
        _column(table, "last_name", _last),
        _column(table, "last_name", _part(0)),
        _column(table, "last_name", _part(-1)),
        previous,
    ]


@frozen(eq=False)
class _Extras:
    """The extra fields' vocabularies, and each side's row codes into them."""

    values: tuple[NDArray[np.object_], ...]
    left: tuple[I32, ...]
    right: tuple[I32, ...]


def _extras(left: Table, right: Table, extra_fields: Sequence[str]) -> _Extras:
    values: list[NDArray[np.object_]] = []
    codes: tuple[list[I32], list[I32]] = ([], [])
    for field_name in extra_fields:
        for table in (left, right):
            if field_name not in table.names:
                msg = f"extra field {field_name!r} is not a column of both tables"
                raise InvalidArgumentError(msg)
        vocabulary, (lc, rc) = _gather(
            [_column(left, field_name, normalise_name), _column(right, field_name, normalise_name)]
        )
        values.append(vocabulary)
        codes[0].append(lc)
        codes[1].append(rc)
    return _Extras(tuple(values), tuple(codes[0]), tuple(codes[1]))


_GENDERS = ("F", "M", "X")


def _side(
    table: Table, names: Sequence[I32], initials: NDArray[np.int8], extras: tuple[I32, ...]
) -> Side:
    """One side from its name codes (in :func:`_name_columns` order) and its other columns."""
    first, middle, last, part_a, part_b, previous = names
    return Side(
        n=table.n_rows,
        first=first,
        middle=middle,
        middle_initial=initials[middle],
        last=last,
        last_part_a=part_a,
        last_part_b=part_b,
        previous_last=previous,
        suffix=_suffixes(table),
        birth=table.data["birth_date"].astype(np.int32),
        birth_ymd=_birth_ymd(table),
        ssn=_ssns(table),
        gender=_small_codes(_column(table, "gender", _gender), _GENDERS),
        extras=extras,
    )


def prepare(
    left: Table,
    right: Table,
    *,
    previous_names: Sequence[str] = ("previous_last_name",),
    extra_fields: Sequence[str] = (),
    nicknames: Mapping[str, str | Collection[str]] | None = None,
) -> Prepared:
    """Encode both sides in shared vocabularies (one Python call per distinct value, none per row)."""
    _check(left, "submitted")
    _check(right, "people")
    left_names = _name_columns(left, previous_names)
    k = len(left_names)
    names, codes = _gather(left_names + _name_columns(right, previous_names))
    initials = np.array([ord(v[0]) - 64 for v in names.tolist()] + [-1], dtype=np.int8)
    extras = _extras(left, right, extra_fields)
    nick_name, nick_group, nick_pairs = _nickname_codes(names, nicknames or {})
    sides = (
        _side(left, codes[:k], initials, extras.left),
        _side(right, codes[k:], initials, extras.right),
    )
    firsts = np.unique(np.concatenate([sides[0].first, sides[1].first]))
    return Prepared(
        left=sides[0],
        right=sides[1],
        names=names,
        name_length=np.array([len(v) for v in names.tolist()], dtype=np.int32),
        extra_names=tuple(extra_fields),
        extra_values=extras.values,
        phonetic=_derived(names, None),
        prefix3=_derived(names, lambda v: v[:3]),
        suffix5=_derived(names, lambda v: v[-5:]),
        initial=_derived(names, lambda v: v[:1]),
        nick_name=nick_name,
        nick_group=nick_group,
        nick_pairs=nick_pairs,
        nick_typo_pairs=_nickname_typo_codes(names, firsts[firsts >= 0], nicknames or {}),
    )


def _birth_ymd(table: Table) -> NDArray[np.int64]:
    """Birth dates as ``YYYYMMDD``; where missing, the digits intake kept of an impossible date."""
    out = ymd(table.data["birth_date"].astype(np.int32))
    if BIRTH_DATE_DIGITS not in table.names:
        return out
    digits = table.categories[BIRTH_DATE_DIGITS]
    lookup = np.array(
        [
            int(v) if isinstance(v, str) and v.isdigit() and len(v) == 8 else -1
            for v in digits.tolist()
        ]
        + [-1],
        dtype=np.int64,
    )
    kept = lookup[table.data[BIRTH_DATE_DIGITS]]
    return np.where(out < 0, kept, out)


def _nickname_codes(
    names: NDArray[np.object_], table: Mapping[str, str | Collection[str]]
) -> tuple[I32, I32, NDArray[np.int64]]:
    """The exploded name -> group codes of the vocabulary, and the sorted nickname pairs."""
    group_ids: dict[str, int] = {}
    members: dict[int, list[int]] = {}
    name_codes: list[int] = []
    group_codes: list[int] = []
    for code, name in enumerate(names.tolist()):
        for group in groups_of(table, name):
            gid = group_ids.setdefault(group, len(group_ids))
            name_codes.append(code)
            group_codes.append(gid)
            members.setdefault(gid, []).append(code)
    width = len(names)
    pairs = {
        a * width + b
        for codes in members.values()
        if len(codes) > 1
        for a in codes
        for b in codes
        if a != b
    }
    return (
        np.array(name_codes, dtype=np.int32),
        np.array(group_codes, dtype=np.int32),
        np.array(sorted(pairs), dtype=np.int64),
    )


#: A mistyped nickname counts only from this length of the nickname (BILL, not AL) and of
#: the mistyped name (BIL).
_TYPO_NICKNAME, _TYPO_NAME = 4, 3


def _nickname_typo_codes(
    names: NDArray[np.object_], firsts: I32, table: Mapping[str, str | Collection[str]]
) -> NDArray[np.int64]:
    """
    Sorted ``a * len(names) + b`` (both orders) of the first names *firsts* (codes) where name
    *a* is one edit from a name the table relates to *b* (a nickname of it, its full name, or
    another nickname of that) but not that name itself: ``BIL`` and ``WILLIAM``. A name the
    table knows is a name of its own, not a typo: ``TAMMY`` is not ``TOMMY`` mistyped, so not
    ``THOMAS``. One Python step per distinct first name and per relative, found through
    one-deletion keys.
    """
    members: dict[str, set[str]] = {}
    for name in table:
        for group in groups_of(table, name):
            members.setdefault(group, {group}).add(name)
    words = names.tolist()
    index: dict[str, list[int]] = {}
    for code in firsts.tolist():
        if (
            len(words[code]) >= _TYPO_NAME
            and words[code] not in table
            and words[code] not in members
        ):
            for key in _deletions(words[code]):
                index.setdefault(key, []).append(code)
    width = len(names)
    pairs: set[int] = set()
    for b in firsts.tolist():
        relatives = {r for g in groups_of(table, words[b]) for r in members.get(g, ())}
        for relative in relatives - {words[b]}:
            if len(relative) < _TYPO_NICKNAME:
                continue
            near = {a for key in _deletions(relative) for a in index.get(key, ())}
            for a in near:
                if a != b and _one_edit(words[a], relative):
                    pairs.update((a * width + b, b * width + a))
    return np.array(sorted(pairs), dtype=np.int64)


def _deletions(word: str) -> set[str]:
    """The word and every string one deleted letter away from it."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def _one_edit(x: str, y: str) -> bool:
    """Exactly one substitution, insertion, deletion or swap of adjacent letters apart."""
    if x == y or abs(len(x) - len(y)) > 1:
        return False
    if len(x) != len(y):
        short, long = (x, y) if len(x) < len(y) else (y, x)
        return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
    diff = [i for i, (u, v) in enumerate(zip(x, y, strict=True)) if u != v]
    if len(diff) == 1:
        return True
    i, j = diff[0], diff[-1]
    return len(diff) == 2 and j == i + 1 and x[i] == y[j] and x[j] == y[i]


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
