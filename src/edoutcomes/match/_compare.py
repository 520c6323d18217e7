"""Comparison levels of candidate pairs, vectorised: names, birth date, SSN, middle initial ..."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from .._kernel._optional import require
from ._dates import ymd
from ._prepare import Prepared

__all__ = ["FIELDS", "FieldSpec", "Scorers", "compare", "fields_for"]

I8 = NDArray[np.int8]
I32 = NDArray[np.int32]
I64 = NDArray[np.int64]
F64 = NDArray[np.float64]

#: Jaro-Winkler bands for names: a level is the number of bands the similarity reaches.
NAME_BANDS = (0.70, 0.85, 0.92)
#: Jaro-Winkler bands for other text fields (addresses).
TEXT_BANDS = (0.80, 0.92)


@frozen
class FieldSpec:
    """
    One compared field: its name and level labels (worst first; -1 is the null level).

    Examples:
        >>> birth = FIELDS[4]
        >>> birth.name, birth.n_levels, birth.levels[-1]
        ('birth_date', 5, 'exact')
    """

    name: str
    levels: tuple[str, ...]

    @property
    def n_levels(self) -> int:
        """
        Number of non-null levels.

        Examples:
            >>> FIELDS[0].n_levels, FIELDS[-1].levels
            (5, ('different', 'same'))
        """
        return len(self.levels)


_NAME_LEVELS = (
    "different",
    "jw >= 0.70",
    "jw >= 0.85",
    "jw >= 0.92, or one edit, a nickname, a part or a previous name",
    "exact",
)

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("first_name", _NAME_LEVELS),
    FieldSpec("last_name", _NAME_LEVELS),
    FieldSpec("middle_name", ("different", "same initial", "exact")),
    FieldSpec("name_suffix", ("different", "same")),
    FieldSpec(
        "birth_date",
        ("different", "one digit off", "year one off", "day/month swapped", "exact"),
    ),
    FieldSpec("ssn", ("different", "one digit off", "exact")),
    FieldSpec("gender", ("different", "same")),
)
"""
The fields every matcher compares, in column order of the comparison vectors.

Examples:
    >>> [spec.name for spec in FIELDS]
    ['first_name', 'last_name', 'middle_name', 'name_suffix', 'birth_date', 'ssn', 'gender']
"""

_TEXT_LEVELS = ("different", "jw >= 0.80", "jw >= 0.92", "exact")


def fields_for(extra_fields: Sequence[str]) -> tuple[FieldSpec, ...]:
    """The standard fields followed by one text field per extra column."""
    return FIELDS + tuple(FieldSpec(name, _TEXT_LEVELS) for name in extra_fields)


Similarity = Callable[[NDArray[np.object_], I32, I32], F64]


def _on_distinct_pairs(
    scorer: Any, *, workers: int, same: float, dedupe: bool = True
) -> Similarity:
    """
    Score code pairs with *scorer*: one rapidfuzz call for the pairs of different values,
    distinct ones only when *dedupe* (names repeat a lot; addresses hardly do).
    """
    process = require("rapidfuzz.process", feature="record matching", extra="match")

    def score(values: NDArray[np.object_], a: I32, b: I32) -> F64:
        out = np.full(len(a), np.nan)
        ok = (a >= 0) & (b >= 0)
        out[ok & (a == b)] = same
        differ = np.flatnonzero(ok & (a != b))
        if not len(differ):
            return out
        da, db = a[differ], b[differ]
        inverse = None
        if dedupe:
            width = np.int64(len(values))
            distinct, inverse = np.unique(da.astype(np.int64) * width + db, return_inverse=True)
            da, db = distinct // width, distinct % width
        scores = np.asarray(
            process.cpdist(
                values[da].tolist(), values[db].tolist(), scorer=scorer, workers=workers
            ),
            dtype=np.float64,
        )
        out[differ] = scores if inverse is None else scores[inverse.reshape(-1)]
        return out

    return score


def jaro_winkler(*, workers: int = 1, dedupe: bool = True) -> Similarity:
    """Batch Jaro-Winkler similarity on code pairs (NaN where either is missing)."""
    distance = require("rapidfuzz.distance", feature="record matching", extra="match")
    return _on_distinct_pairs(
        distance.JaroWinkler.normalized_similarity, workers=workers, same=1.0, dedupe=dedupe
    )


def edit_distance(*, workers: int = 1) -> Similarity:
    """
    Batch edit distance on code pairs: insertions, deletions, substitutions and adjacent
    transpositions (optimal string alignment), NaN where either is missing.
    """
    distance = require("rapidfuzz.distance", feature="record matching", extra="match")
    return _on_distinct_pairs(distance.OSA.distance, workers=workers, same=0.0)


@frozen
class Scorers:
    """The string comparisons :func:`compare` needs, built once per match."""

    similarity: Similarity
    edits: Similarity
    #: Jaro-Winkler on values that seldom repeat (addresses): no search for distinct pairs.
    text_similarity: Similarity

    @classmethod
    def make(cls, *, workers: int = 1) -> Scorers:
        """Jaro-Winkler and edit distance from rapidfuzz, on *workers* threads."""
        return cls(
            jaro_winkler(workers=workers),
            edit_distance(workers=workers),
            jaro_winkler(workers=workers, dedupe=False),
        )


def _bands(sim: F64, exact: NDArray[np.bool_], bands: Sequence[float]) -> I8:
    level = np.zeros(len(sim), dtype=np.int8)
    for band in bands:
        level += (sim >= band).astype(np.int8)
    level[exact] = len(bands) + 1
    level[np.isnan(sim)] = -1
    return level


_POWERS = 10 ** np.arange(19, dtype=np.int64)


def _near(a: I64, b: I64) -> NDArray[np.bool_]:
    """
    One decimal digit different, or two adjacent digits transposed (arithmetic, no digit arrays).

    Examples:
        >>> _near(np.array([1234, 1234, 1234, 1234]), np.array([1284, 1432, 2134, 1243])).tolist()
        [True, False, True, True]
    """
    diff = np.abs(a - b)
    out = np.zeros(len(a), dtype=bool)
    nonzero = diff > 0
    # One digit: a - b = d * 10^k with every other digit equal.
    p = _POWERS[np.maximum(np.searchsorted(_POWERS, diff, side="right") - 1, 0)]
    out |= nonzero & (diff % p == 0) & (a // (10 * p) == b // (10 * p))
    # Adjacent transposition of x, y at 10^k: a - b = 9 * (x - y) * 10^k.
    nine = nonzero & (diff % 9 == 0)
    q = diff // 9
    p = _POWERS[np.maximum(np.searchsorted(_POWERS, q, side="right") - 1, 0)]
    swap = nine & (q % p == 0) & (a // (100 * p) == b // (100 * p))
    swap &= ((a // p) % 10 == (b // (10 * p)) % 10) & ((a // (10 * p)) % 10 == (b // p) % 10)
    return cast(NDArray[np.bool_], out | swap)


def birth_levels(a: I32, b: I32) -> I8:
    """
    Birth-date levels: 4 exact, 3 day and month swapped, 2 same day and month with the year one
    off (one digit of it, or the next or previous year: ``1999`` for ``2000``), 1 one digit off
    (or two adjacent digits transposed) elsewhere.

    Examples:
        >>> from edoutcomes.model import dates_to_days
        >>> import datetime as dt
        >>> d = lambda *x: dates_to_days([dt.date(*x)])
        >>> [int(birth_levels(d(2001, 3, 4), d(*o))[0]) for o in [(2001, 3, 4), (2001, 4, 3), (2001, 3, 5), (1999, 1, 1)]]
        [4, 3, 1, 0]
        >>> int(birth_levels(d(2001, 3, 4), d(2002, 3, 4))[0]), int(birth_levels(d(1999, 3, 4), d(2000, 3, 4))[0])
        (2, 2)
    """
    return ymd_levels(ymd(a), ymd(b))


def ymd_levels(a: I64, b: I64) -> I8:
    """:func:`birth_levels` on ``YYYYMMDD`` integers (-1 missing)."""
    level = np.full(len(a), -1, dtype=np.int8)
    ok = (a >= 0) & (b >= 0)
    a, b = a[ok], b[ok]
    sub = np.zeros(len(a), dtype=np.int8)
    near = _near(a, b)
    sub[near] = 1
    swapped = (a // 10000 == b // 10000) & (a // 100 % 100 == b % 100) & (a % 100 == b // 100 % 100)
    year_off = near | (np.abs(a // 10000 - b // 10000) == 1)
    sub[year_off & (a % 10000 == b % 10000)] = 2
    sub[swapped] = 3
    sub[a == b] = 4
    level[ok] = sub
    return level


def ssn_levels(a: I64, b: I64) -> I8:
    """
    SSN levels: 2 exact, 1 one digit off or two adjacent digits transposed, 0 different.

    Examples:
        >>> ssn_levels(np.array([123456789, 123456789, 123456789, -1]),
        ...            np.array([123456789, 123456780, 213456789, 5])).tolist()
        [2, 1, 1, -1]
    """
    level = np.full(len(a), -1, dtype=np.int8)
    ok = (a >= 0) & (b >= 0)
    sub = _near(a[ok], b[ok]).astype(np.int8)
    sub[a[ok] == b[ok]] = 2
    level[ok] = sub
    return level


def _equal_level(a: NDArray[Any], b: NDArray[Any]) -> I8:
    level: I8 = np.asarray(a == b).astype(np.int8)
    level[(a < 0) | (b < 0)] = -1
    return level


@frozen(eq=False)
class Comparison:
    """Per-pair levels (``n_pairs x n_fields``, -1 null) and the pass-relevant flags."""

    levels: I8
    swapped: NDArray[np.bool_]
    previous: NDArray[np.bool_]
    #: First names equal, one edit apart or nicknames of each other (what a twin's never are).
    first_near: NDArray[np.bool_]


def _any_equal(pairs: Sequence[tuple[I32, I32]]) -> NDArray[np.bool_]:
    out = np.zeros(len(pairs[0][0]), dtype=bool)
    for a, b in pairs:
        out |= (a == b) & (a >= 0)
    return out


def _name_levels(
    scorers: Scorers,
    names: NDArray[np.object_],
    a: I32,
    b: I32,
    near: NDArray[np.bool_] | None = None,
) -> I8:
    """
    Jaro-Winkler bands, with a pair one edit apart in a lower band raised to the 0.92 level.

    Where *near* is given, it is set for pairs that are equal or one edit apart.
    """
    level = _bands(scorers.similarity(names, a, b), a == b, NAME_BANDS)
    check = np.flatnonzero((level >= 1) & (level <= 3))
    if len(check):
        one_edit = scorers.edits(names, a[check], b[check]) <= 1
        raise_to = check[one_edit & (level[check] < 3)]
        level[raise_to] = 3
        if near is not None:
            near[check[one_edit]] = True
    if near is not None:
        near[level == 4] = True
    return level


def _similar(scorers: Scorers, names: NDArray[np.object_], a: I32, b: I32) -> NDArray[np.bool_]:
    """Where names are the same or close (level 3 or more), computed only where both are present."""
    out = np.zeros(len(a), dtype=bool)
    both = np.flatnonzero((a >= 0) & (b >= 0))
    if len(both):
        out[both] = _name_levels(scorers, names, a[both], b[both]) >= 3
    return out


def compare(
    prepared: Prepared,
    li: I32,
    ri: I32,
    *,
    scorers: Scorers,
) -> Comparison:
    """Compare candidate pairs ``(li[k], ri[k])`` field by field."""
    a, b = prepared.left, prepared.right
    names = prepared.names
    fa, fb, la, lb = a.first[li], b.first[ri], a.last[li], b.last[ri]

    first_near = np.zeros(len(li), dtype=bool)
    first = _name_levels(scorers, names, fa, fb, first_near)
    # A nickname, or one mistyped (BIL for WILLIAM): near, as a typo of the name is.
    nickname = prepared.nicknames(fa, fb) | prepared.nickname_typos(fa, fb)
    first[nickname & (first >= 0) & (first < 3)] = 3
    first_near |= nickname

    last = _name_levels(scorers, names, la, lb)
    pa, pb = a.last_part_a[li], a.last_part_b[li]
    qa, qb = b.last_part_a[ri], b.last_part_b[ri]
    part = _any_equal(
        [(pa, lb), (pb, lb), (la, qa), (la, qb), (pa, qa), (pb, qb), (pa, qb), (pb, qa)]
    )
    # A previous last name, typed with a typo or not, on either side.
    xa, xb = a.previous_last[li], b.previous_last[ri]
    previous = (_similar(scorers, names, xa, lb) | _similar(scorers, names, la, xb)) & (last < 4)
    strong = (part | previous) & (last < 3)
    last[strong] = 3

    # Swapped first and last names: only where neither name agrees the straight way. The
    # submitted last name (a first name, really) may have gained a part or been replaced by a
    # married name, with the first name kept as the previous one.
    swapped = np.zeros(len(li), dtype=bool)
    weak = np.flatnonzero((first >= 0) & (first <= 1) & (last >= 0) & (last <= 1))
    if len(weak):
        wa, wb, wl, wf = fa[weak], lb[weak], la[weak], fb[weak]
        fx = _name_levels(scorers, names, wa, wb)
        lx = _name_levels(scorers, names, wl, wf)
        fx[(fx >= 0) & (fx < 3) & _any_equal([(wa, qa[weak]), (wa, qb[weak])])] = 3
        by_part = _any_equal([(pa[weak], wf), (pb[weak], wf), (xa[weak], wf)])
        # The submitted last name is the first name here: it may be a nickname of it.
        lx[(lx >= 0) & (lx < 3) & (by_part | prepared.nicknames(wl, wf))] = 3
        ok = (fx >= 3) & (lx >= 3)
        swapped[weak[ok]] = True
        first_near[weak[ok]] = True
        first[weak[ok]] = fx[ok]
        last[weak[ok]] = lx[ok]

    ma, mb = a.middle[li], b.middle[ri]
    middle = _equal_level(a.middle_initial[li], b.middle_initial[ri])
    full_middle = (ma == mb) & (ma >= 0) & (prepared.name_length[np.maximum(ma, 0)] > 1)
    middle[full_middle] = 2
    # Two full middle names that share only the initial (ROBIN, RONALD) are different names;
    # one edit apart, a typo.
    both_full = (ma >= 0) & (mb >= 0) & (ma != mb)
    both_full &= (prepared.name_length[np.maximum(ma, 0)] > 1) & (
        prepared.name_length[np.maximum(mb, 0)] > 1
    )
    check = np.flatnonzero(both_full & (middle == 1))
    if len(check):
        middle[check[scorers.edits(names, ma[check], mb[check]) > 1]] = 0

    columns = [
        first,
        last,
        middle,
        _equal_level(a.suffix[li], b.suffix[ri]),
        ymd_levels(a.birth_ymd[li], b.birth_ymd[ri]),
        ssn_levels(a.ssn[li], b.ssn[ri]),
        _equal_level(a.gender[li], b.gender[ri]),
    ]
    for values, ca, cb in zip(prepared.extra_values, a.extras, b.extras, strict=True):
        ea, eb = ca[li], cb[ri]
        columns.append(_bands(scorers.text_similarity(values, ea, eb), ea == eb, TEXT_BANDS))
    return Comparison(np.stack(columns, axis=1).astype(np.int8), swapped, previous, first_near)
