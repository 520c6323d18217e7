"""Candidate pairs by sort/merge joins on integer blocking keys (no pair loops, bounded blocks)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from ._prepare import Prepared, Side

__all__ = ["BlockingKey", "SortedKeys", "blocking_keys", "candidate_pairs", "combine", "join"]

I32 = NDArray[np.int32]
I64 = NDArray[np.int64]

_LIMIT = np.int64(1) << 62
#: Keys loose enough to make many pairs for few true ones: a tighter block limit of their own.
#: Last name + birth year finds a first-name error with a day or month error, but a surname
#: shared by more than this many people born in one year is too common to say much.
_LOOSE = {"last_year": 10}
#: The name prefix of an extra field's key on its own; such a block holds at most
#: _ALONE_BLOCK people (a household), beyond which the field is shared too widely to say much.
_ALONE = "only_"
_ALONE_BLOCK = 4


def _lookup(table: I32, codes: I32) -> I32:
    return np.append(table, np.int32(-1))[codes]


def _birth(side: Side) -> I64:
    """``YYYYMMDD`` (an impossible date's digits too), -1 where missing."""
    return side.birth_ymd


def _year(side: Side) -> I64:
    return np.where(side.birth_ymd >= 0, side.birth_ymd // 10000, -1)


def _month_day(side: Side) -> I64:
    return np.where(side.birth_ymd >= 0, side.birth_ymd % 10000, -1)


def _by_nickname(prepared: Prepared, side: Side) -> tuple[I32, I32]:
    """Each row once per nickname group of its first name: (row, group), rows ascending."""
    order = np.argsort(prepared.nick_name, kind="stable")
    names, groups = prepared.nick_name[order], prepared.nick_group[order]
    first = side.first
    ok = np.flatnonzero(first >= 0)
    lo = np.searchsorted(names, first[ok], side="left")
    hi = np.searchsorted(names, first[ok], side="right")
    counts = hi - lo
    rows = np.repeat(ok, counts).astype(np.int32)
    starts = np.cumsum(counts) - counts
    offsets = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(starts, counts)
    return rows, groups[np.repeat(lo, counts) + offsets].astype(np.int32)


def _ssn_head(ssn: I64) -> I64:
    return np.where(ssn >= 1_000_000, ssn // 10_000, -1)


def _ssn_tail(ssn: I64) -> I64:
    return np.where(ssn >= 1_000_000, ssn % 10_000, -1)


def combine(left: Sequence[NDArray[Any]], right: Sequence[NDArray[Any]]) -> tuple[I64, I64]:
    """
    Mixed-radix ``int64`` keys of several code columns, the same radix on both sides.

    A row with any component missing (negative) gets key -1.

    Examples:
        >>> lk, rk = combine([np.array([1, 2, -1])], [np.array([2])])
        >>> lk.tolist(), rk.tolist()
        ([1, 2, -1], [2])
    """
    n_left, n_right = len(left[0]), len(right[0])
    lk = np.zeros(n_left, dtype=np.int64)
    rk = np.zeros(n_right, dtype=np.int64)
    missing_l = np.zeros(n_left, dtype=bool)
    missing_r = np.zeros(n_right, dtype=bool)
    for a, b in zip(left, right, strict=True):
        a64, b64 = a.astype(np.int64), b.astype(np.int64)
        missing_l |= a64 < 0
        missing_r |= b64 < 0
        radix = max(int(a64.max(initial=0)), int(b64.max(initial=0))) + 1
        top = max(int(lk.max(initial=0)), int(rk.max(initial=0))) + 1
        if top * radix >= _LIMIT:
            # Re-densify the keys so far; their number is at most the number of rows.
            _, inverse = np.unique(np.concatenate([lk, rk]), return_inverse=True)
            lk, rk = inverse[:n_left].astype(np.int64), inverse[n_left:].astype(np.int64)
        lk = lk * radix + np.maximum(a64, 0)
        rk = rk * radix + np.maximum(b64, 0)
    lk[missing_l] = -1
    rk[missing_r] = -1
    return lk, rk


@frozen(eq=False)
class SortedKeys:
    """The right side's keys of one blocking key, sorted once for every left chunk."""

    order: NDArray[np.intp]
    keys: I64

    @classmethod
    def of(cls, keys: I64, rows: I32 | None = None) -> SortedKeys:
        """Sort *keys* (of *rows*, by default of rows 0, 1, ...), dropping the missing ones."""
        order = np.argsort(keys, kind="stable")
        order = order[keys[order] >= 0]
        sorted_keys = keys[order]
        if rows is not None:
            order = rows[order].astype(np.intp)
        return cls(order, sorted_keys)


def join(left_keys: I64, right: SortedKeys, *, max_block: int) -> tuple[I32, I32]:
    """
    Every (left row, right row) pair with equal keys, skipping blocks of more than *max_block* rows.

    Examples:
        >>> li, ri = join(np.array([5, 7, -1]), SortedKeys.of(np.array([7, 5, 7])), max_block=10)
        >>> li.tolist(), ri.tolist()
        ([0, 1, 1], [1, 0, 2])
    """
    lo = np.searchsorted(right.keys, left_keys, side="left")
    hi = np.searchsorted(right.keys, left_keys, side="right")
    counts = hi - lo
    counts[(left_keys < 0) | (counts > max_block)] = 0
    total = int(counts.sum())
    li = np.repeat(np.arange(len(left_keys), dtype=np.int32), counts)
    starts = np.cumsum(counts) - counts
    offsets = np.arange(total, dtype=np.int64) - np.repeat(starts, counts)
    ri = right.order[np.repeat(lo, counts) + offsets].astype(np.int32)
    return li, ri


@frozen(eq=False)
class BlockingKey:
    """One blocking key: its name and both sides' keys."""

    name: str
    left: I64
    right: SortedKeys
    #: The left row of each key where a row has several (ascending); None: key ``i`` is row ``i``.
    left_rows: I32 | None = None
    #: At most this many people per block for this key (a loose key); None: the matcher's limit.
    max_block: int | None = None

    def chunk(self, start: int, stop: int) -> tuple[I64, I32 | None]:
        """The keys of left rows ``start:stop`` (and their rows, relative to *start*)."""
        if self.left_rows is None:
            return self.left[start:stop], None
        lo, hi = np.searchsorted(self.left_rows, [start, stop])
        return self.left[lo:hi], (self.left_rows[lo:hi] - start).astype(np.int32)


@frozen(eq=False)
class _KeySpec:
    """A blocking key before it is combined: its name and the code columns of each side."""

    name: str
    left: tuple[NDArray[Any], ...]
    right: tuple[NDArray[Any], ...]


def _spec(name: str, left: Sequence[NDArray[Any]], right: Sequence[NDArray[Any]]) -> _KeySpec:
    return _KeySpec(name, tuple(left), tuple(right))


def _name_specs(prepared: Prepared) -> list[_KeySpec]:
    """The keys on names and the birth date (exact, year or month and day)."""
    a, b = prepared.left, prepared.right
    ba, bb = _birth(a), _birth(b)
    pa = [_lookup(prepared.phonetic, a.first), _lookup(prepared.phonetic, a.last)]
    pb = [_lookup(prepared.phonetic, b.first), _lookup(prepared.phonetic, b.last)]
    return [
        _spec("last_birth", [a.last, ba], [b.last, bb]),
        _spec("first_last", [a.first, a.last], [b.first, b.last]),
        _spec("last_year", [a.last, _year(a)], [b.last, _year(b)]),
        _spec("phonetic_month_day", [*pa, _month_day(a)], [*pb, _month_day(b)]),
        _spec("swapped_birth", [a.first, ba], [b.last, bb]),
        _spec("previous_birth", [a.previous_last, ba], [b.last, bb]),
        _spec("birth_previous", [a.last, ba], [b.previous_last, bb]),
        _spec("birth", [ba], [bb]),
        _spec(
            "first3_last5",
            [_lookup(prepared.prefix3, a.first), _lookup(prepared.suffix5, a.last)],
            [_lookup(prepared.prefix3, b.first), _lookup(prepared.suffix5, b.last)],
        ),
        _spec("phonetic", pa, pb),
        _spec("phonetic_swapped", pa, pb[::-1]),
    ]


def _ssn_specs(prepared: Prepared) -> list[_KeySpec]:
    """
    An SSN with one wrong digit still agrees on its other half. Each half with the last name's
    initial (SSN prefixes cluster: area and group numbers), the first half with the first's.
    """
    a, b = prepared.left, prepared.right

    def initial(side: Side, which: str) -> I32:
        return _lookup(prepared.initial, side.last if which == "last" else side.first)

    return [
        _spec(
            "ssn_head",
            [_ssn_head(a.ssn), initial(a, "last")],
            [_ssn_head(b.ssn), initial(b, "last")],
        ),
        _spec(
            "ssn_head_first",
            [_ssn_head(a.ssn), initial(a, "first")],
            [_ssn_head(b.ssn), initial(b, "first")],
        ),
        _spec(
            "ssn_tail",
            [_ssn_tail(a.ssn), initial(a, "last")],
            [_ssn_tail(b.ssn), initial(b, "last")],
        ),
        # Typos in both names, past the first letter: the initials and the birth date.
        _spec(
            "initials_birth",
            [initial(a, "first"), initial(a, "last"), _birth(a)],
            [initial(b, "first"), initial(b, "last"), _birth(b)],
        ),
    ]


def _extra_specs(prepared: Prepared, specs: list[_KeySpec]) -> list[_KeySpec]:
    """
    Where an address (or another extra field) is compared: the last name with each of them,
    for pairs whose birth date and first name are both wrong or missing; and for both names
    wrong (a changed surname and a first-name typo) the birth date and the address in place of
    the birth date alone (far fewer pairs).
    """
    if not prepared.extra_names:
        return specs
    a, b = prepared.left, prepared.right
    extras = list(zip(prepared.extra_names, a.extras, b.extras, strict=True))
    out = [*specs]
    out += [_spec(f"last_{name}", [a.last, ea], [b.last, eb]) for name, ea, eb in extras]
    # Each extra field alone (at most _LOOSE people share it): both names and the birth date
    # wrong or missing, at the same address.
    out += [_spec(f"{_ALONE}{name}", [ea], [eb]) for name, ea, eb in extras]
    out = [spec for spec in out if spec.name != "birth"]
    birth_a, birth_b = _birth(a), _birth(b)
    out += [_spec(f"birth_{name}", [birth_a, ea], [birth_b, eb]) for name, ea, eb in extras]
    return out


def _block_limit(name: str) -> int | None:
    return _ALONE_BLOCK if name.startswith(_ALONE) else _LOOSE.get(name)


def blocking_keys(prepared: Prepared) -> tuple[BlockingKey, ...]:
    """
    The blocking keys that generate candidates for every pass.

    SSN; last name + birth date; first name or a nickname of it + birth date; first name
    against last name + birth date (swapped names); previous last name + birth date (both
    ways); birth date alone; first 3 letters of the first name + last 5 of the last name;
    phonetic first + last name, straight and swapped; either half of the SSN with the last
    name's initial, and the first half with the first name's initial, so one mistyped digit
    still finds the pair; both initials + birth date; last name + each extra field (address).
    One error anywhere still leaves a key: first + last name (any birth-date error or none),
    last name + birth year (a first-name error and a day or month error), phonetic names +
    month and day (a year typo and name typos), first name + birth date (a changed surname).
    """
    a, b = prepared.left, prepared.right
    out = [*_nickname_keys(prepared)]
    ssn_key = BlockingKey("ssn", a.ssn.astype(np.int64), SortedKeys.of(b.ssn.astype(np.int64)))
    if (ssn_key.left >= 0).any() and (ssn_key.right.keys >= 0).any():
        out.append(ssn_key)
    for spec in _extra_specs(prepared, _name_specs(prepared) + _ssn_specs(prepared)):
        lk, rk = combine(spec.left, spec.right)
        if (lk >= 0).any() and (rk >= 0).any():
            out.append(
                BlockingKey(spec.name, lk, SortedKeys.of(rk), max_block=_block_limit(spec.name))
            )
    return tuple(out)


def _nickname_keys(prepared: Prepared) -> list[BlockingKey]:
    """First name or any nickname of it + birth date (rows exploded over nickname groups)."""
    a, b = prepared.left, prepared.right
    la, ga = _by_nickname(prepared, a)
    lb, gb = _by_nickname(prepared, b)
    lk, rk = combine([ga, _birth(a)[la]], [gb, _birth(b)[lb]])
    if not ((lk >= 0).any() and (rk >= 0).any()):
        return []
    return [BlockingKey("nickname_birth", lk, SortedKeys.of(rk, lb), la)]


def candidate_pairs(
    keys: Sequence[BlockingKey], start: int, stop: int, n_right: int, *, max_block: int
) -> tuple[I32, I32]:
    """The distinct candidate pairs of left rows ``start:stop`` over all blocking keys."""
    found: list[I64] = []
    for key in keys:
        left, rows = key.chunk(start, stop)
        limit = max_block if key.max_block is None else min(max_block, key.max_block)
        li, ri = join(left, key.right, max_block=limit)
        if rows is not None:
            li = rows[li]
        found.append((li.astype(np.int64) + start) * n_right + ri)
    if not found:
        return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.int32)
    # Sort-based distinct (faster than hashing for millions of int64 pair codes).
    pairs = np.sort(np.concatenate(found))
    if len(pairs):
        pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    return (pairs // n_right).astype(np.int32), (pairs % n_right).astype(np.int32)
