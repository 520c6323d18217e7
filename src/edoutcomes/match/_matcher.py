"""The default matcher: blocking, vectorised comparisons, Fellegi-Sunter by EM, ordered passes."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any, Protocol, cast, runtime_checkable

import attrs
import numpy as np
from attrs import field, frozen
from attrs.validators import ge, gt, instance_of, lt
from numpy.typing import NDArray

from .._kernel._optional import require
from ..errors import InvalidArgumentError
from ..model import STUDENTS, Student, Table
from ._blocking import SortedKeys, blocking_keys, candidate_pairs, combine, join
from ._compare import FIELDS, FieldSpec, Scorers, compare, fields_for, ymd_levels
from ._model import FellegiSunterModel, FitReport
from ._normalise import nickname_groups
from ._prepare import Prepared, Side, prepare
from ._result import Explained, MatchPass, MatchResult, NoMatchReason

__all__ = [
    "CandidatePairs",
    "FellegiSunterMatcher",
    "Matcher",
    "Progress",
    "as_students",
    "match_students",
]

I8 = NDArray[np.int8]
I32 = NDArray[np.int32]
I64 = NDArray[np.int64]
F64 = NDArray[np.float64]

Progress = Callable[[int, int], None]
"""
Called as ``progress(done, total)`` with submitted rows processed so far.

Examples:
    >>> import datetime as dt
    >>> from edoutcomes.model import Student
    >>> ann = Student("S1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))
    >>> seen = []
    >>> _ = match_students([ann], [ann], progress=lambda done, total: seen.append((done, total)))
    >>> seen[-1]
    (1, 1)
"""

_BIRTH_EXACT = 4
_BIRTH_SWAPPED = 3
_NAME_CLOSE = 3
#: A candidate this many bits below another accepted one of the same student loses, whatever
#: its pass.
_PASS_OVERRIDE_BITS = 10.0
_SSN = 5
#: Rows sharing a last name and birth date beyond this many are not searched for twins.
_TWIN_GROUP = 1000
#: Fields twins share by birth, or that say nothing about who is who: they cannot tell twins apart.
_SHARED_BY_TWINS = frozenset({"first_name", "last_name", "birth_date", "name_suffix", "gender"})
#: Fields on which twins differ: a disagreement there is never outweighed by a shared address.
_TELL_TWINS_APART = frozenset({"middle_name", "gender"})
#: Fields whose bits decide between submitted siblings claiming one person.
_SIBLING_FIELDS = frozenset({"first_name", "middle_name", "ssn", "gender"})
#: Bits the other identifying fields must add to set a twin-like pair apart from twins when
#: neither file shows a twin: agreement that chance gives fewer than 1 pair in 1,000.
_CORROBORATION_BITS = 10.0
#: Weight of the built-in u values, in random pairs, when smoothing the sampled ones.
_U_PSEUDO = 1000.0
#: Pseudo-matches, spread as the independent model spreads them, that smooth the extra
#: fields' joint m; and the EM steps that fit it.
_JOINT_PSEUDO = 50.0
_JOINT_STEPS = 10
_REASON_INDEX = {reason: i for i, reason in enumerate(NoMatchReason)}


@runtime_checkable
class Matcher(Protocol):
    """
    Anything that links submitted students to a person store (the default, Splink, ...).

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.model import Student
        >>> people = as_students([Student("P1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))])
        >>> sent = as_students([Student("S1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))])
        >>> matcher = FellegiSunterMatcher()  # the default Matcher
        >>> isinstance(matcher, Matcher), matcher.match(sent, people).person.tolist()
        (True, [0])
    """

    def match(
        self, submitted: Table, people: Table, *, progress: Progress | None = None
    ) -> MatchResult:
        """One result row per submitted student, in submission order."""
        ...


@frozen(eq=False)
class CandidatePairs:
    """
    Every candidate pair with its comparison levels, pass, and (once scored) weight.

    ``submitted[k]`` and ``person[k]`` are row numbers of pair ``k``; ``levels[k]`` its
    comparison vector (-1 is the null level: a value missing on either side).

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.model import Student
        >>> people = as_students([Student("P1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3)),
        ...                       Student("P2", first_name="William", last_name="Ortiz", birth_date=dt.date(2000, 5, 6))])
        >>> sent = as_students([Student("S1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3)),
        ...                     Student("S2", first_name="Bill", last_name="Ortiz", birth_date=dt.date(2000, 5, 6))])
        >>> pairs = FellegiSunterMatcher().compare(sent, people)
        >>> len(pairs), pairs.submitted.tolist(), pairs.person.tolist()
        (2, [0, 1], [0, 1])
        >>> pairs.levels[1].tolist()  # Bill ~ William (a nickname), the last name and birth date exact
        [3, 4, -1, -1, 4, -1, -1]
    """

    fields: tuple[FieldSpec, ...]
    submitted: I32
    person: I32
    levels: I8
    match_pass: I8

    def __len__(self) -> int:
        return len(self.submitted)

    def to_pandas(self, *, binary: bool = False) -> Any:
        """
        The comparison vectors as a DataFrame indexed by the pair MultiIndex (recordlinkage's form).

        Args:
            binary: 1 where a field agrees exactly (its best level), else 0 (null included),
                as recordlinkage's ``ECMClassifier`` expects; otherwise the levels (-1 null).

        Examples:
            >>> import datetime as dt
            >>> from edoutcomes.model import Student
            >>> ann = as_students([Student("S1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))])
            >>> frame = FellegiSunterMatcher().compare(ann, ann).to_pandas()
            >>> frame.shape, frame["birth_date"].tolist()
            ((1, 7), [4])
        """
        pd = require("pandas", feature="comparison vectors as a DataFrame", extra="pandas")
        index = pd.MultiIndex.from_arrays(
            [self.submitted.astype(np.int64), self.person.astype(np.int64)],
            names=["submitted", "person"],
        )
        columns: dict[str, Any] = {}
        for f, spec in enumerate(self.fields):
            column = self.levels[:, f]
            columns[spec.name] = (column == spec.n_levels - 1).astype(np.int8) if binary else column
        return pd.DataFrame(columns, index=index)


def _pattern_codes(
    levels: I8,
    swapped: NDArray[np.bool_],
    previous: NDArray[np.bool_],
    first_near: NDArray[np.bool_],
    radices: Sequence[int],
) -> I64:
    code = np.zeros(len(levels), dtype=np.int64)
    for f, radix in enumerate(radices):
        code = code * radix + (levels[:, f].astype(np.int64) + 1)
    code = code * 2 + swapped
    code = code * 2 + previous
    return code * 2 + first_near


@frozen(eq=False)
class _Patterns:
    """Distinct comparison patterns: levels and the flags the rules need."""

    levels: I8
    swapped: NDArray[np.bool_]
    previous: NDArray[np.bool_]
    first_near: NDArray[np.bool_]


def _decode(codes: I64, radices: Sequence[int]) -> _Patterns:
    first_near = (codes % 2).astype(bool)
    codes = codes // 2
    previous = (codes % 2).astype(bool)
    codes = codes // 2
    swapped = (codes % 2).astype(bool)
    codes = codes // 2
    levels = np.zeros((len(codes), len(radices)), dtype=np.int8)
    for f in range(len(radices) - 1, -1, -1):
        levels[:, f] = codes % radices[f] - 1
        codes = codes // radices[f]
    return _Patterns(levels, swapped, previous, first_near)


def _passes(levels: I8, swapped: NDArray[np.bool_], previous: NDArray[np.bool_]) -> I8:
    """The earliest pass whose rule each comparison pattern satisfies (PROBABILISTIC if none)."""
    first, last, middle, suffix, birth, ssn = (levels[:, f] for f in range(6))
    dob = birth == _BIRTH_EXACT
    straight = ~swapped
    rules = [
        (MatchPass.SSN, ssn == 2),
        (
            MatchPass.FULL_NAME_BIRTH_DATE,
            straight & (first == 4) & (last == 4) & (middle == 2) & (suffix != 0) & dob,
        ),
        (MatchPass.NAME_BIRTH_DATE, straight & (first == 4) & (last == 4) & dob),
        (MatchPass.SWAPPED_NAMES_BIRTH_DATE, swapped & (first == 4) & (last == 4) & dob),
        (MatchPass.PREVIOUS_NAME_BIRTH_DATE, previous & (first >= 3) & dob),
        (MatchPass.LAST_NAME_BIRTH_DATE, straight & (last == 4) & (first >= 3) & dob),
        (MatchPass.FIRST_NAME_BIRTH_DATE, straight & (first == 4) & (last >= 3) & dob),
    ]
    out = np.full(len(levels), MatchPass.PROBABILISTIC, dtype=np.int8)
    for rule, holds in reversed(rules):
        out[holds] = rule
    return out


def _twin_like(p: _Patterns) -> NDArray[np.bool_]:
    """
    What twins look like: first names neither equal, one edit apart nor nicknames; the birth
    date the same, day and month swapped, a typo away or missing; SSNs not (nearly) equal.
    The last name may differ: a twin who married, or whose names were swapped, is still the
    store person's twin, not the person. First names only near (a typo or a nickname apart:
    Sara and Sarah, Mark and Marcus) with middle names that disagree look like twins too:
    two disagreements on the names that tell twins apart.
    """
    first, middle, birth, ssn = (p.levels[:, f] for f in (0, 2, 4, 5))
    apart = ~p.first_near | ((first < 4) & (middle == 0))
    out: NDArray[np.bool_] = (
        ~p.swapped & ((birth >= 1) | (birth < 0)) & (first >= 0) & apart & (ssn < 1)
    )
    return out


def _third_field(p: _Patterns, model: FellegiSunterModel) -> NDArray[np.bool_]:
    """
    A field besides the names and birth date agrees strongly: the SSN, or the middle name or
    an extra field (an address) whose agreement chance gives fewer than 1 pair in 1,000.
    """
    tables = model.level_weights()
    levels = p.levels
    out = levels[:, _SSN] == 2
    for f in [2, *range(len(FIELDS), levels.shape[1])]:
        top = model.fields[f].n_levels - 1
        if tables[f][top] >= _CORROBORATION_BITS:
            out |= levels[:, f] == top
    return cast(NDArray[np.bool_], out)


def _ssn_refused(p: _Patterns, model: FellegiSunterModel) -> NDArray[np.bool_]:
    """
    A present, different SSN (not one digit off or transposed) weighs strongly against: the
    other fields must bring at least the evidence of full name, birth date and a middle name
    all agreeing exactly, and the middle name must not disagree, or the pair is refused.
    """
    tables = model.level_weights()
    need = sum(float(tables[f][-1]) for f in (0, 1, 2, 4))
    other = np.zeros(len(p.levels))
    for f, table in enumerate(tables):
        if f == _SSN:
            continue
        column = p.levels[:, f].astype(np.intp)
        present = column >= 0
        other[present] += table[column[present]]
    # A different SSN and a different middle name: two fields say it is someone else.
    apart = (other < need) | (p.levels[:, 2] == 0)
    out: NDArray[np.bool_] = (p.levels[:, _SSN] == 0) & apart
    return out


def _surname_change(p: _Patterns, model: FellegiSunterModel) -> NDArray[np.bool_]:
    """A new last name (marriage): first name and birth date agree, and a third field does."""
    first, last, birth = (p.levels[:, f] for f in (0, 1, 4))
    return cast(
        NDArray[np.bool_],
        ~p.swapped
        & (last >= 0)
        & (last <= 1)
        & (first >= 3)
        & (birth == _BIRTH_EXACT)
        & _third_field(p, model),
    )


def _extras_together(levels: I8, counts: I64, model: FellegiSunterModel) -> F64:
    """
    Bits that replace the extra fields' independent m by their joint m among matches.

    Extra fields describing one thing (an address and its postcode) change together: a move
    makes both disagree at once, which the independent model counts once per field. Among
    non-matches they stay independent (u from random pairs); among matches, P(levels of all
    extra fields | match) is fitted by EM steps over the candidate pairs' patterns, the other
    fields' m held as fitted, within each pattern of missing values. Zero with fewer than two
    extra fields.
    """
    first = len(FIELDS)
    extra = levels[:, first:]
    out = np.zeros(len(levels))
    if extra.shape[1] < 2 or len(levels) == 0:
        return out
    code = np.zeros(len(levels), dtype=np.int64)
    for f in range(extra.shape[1]):
        code = code * (model.fields[first + f].n_levels + 1) + extra[:, f] + 1
    joint, group = np.unique(code, return_inverse=True)
    group = group.reshape(-1)
    missing = np.zeros(len(levels), dtype=np.int64)
    for f in range(extra.shape[1]):
        missing = missing * 2 + (extra[:, f] < 0)
    # The independent m of each joint pattern (a product over the fields present).
    log_m = np.zeros(len(levels))
    for f in range(first, levels.shape[1]):
        column = levels[:, f].astype(np.intp)
        present = column >= 0
        log_m[present] += np.log2(np.asarray(model.m[f]))[column[present]]
    independent = np.zeros(len(joint))
    independent[group] = np.exp2(log_m)
    joint_missing = np.zeros(len(joint), dtype=np.int64)
    joint_missing[group] = missing
    base = model.weights(levels)
    weight = counts.astype(np.float64)
    for _ in range(_JOINT_STEPS):
        posterior = 1.0 / (1.0 + np.exp2(-np.clip(base + out, -1000.0, 1000.0)))
        tally: F64 = np.bincount(group, weight * posterior, len(joint)).astype(np.float64)
        tally = tally + _JOINT_PSEUDO * independent
        totals = np.bincount(joint_missing, tally)
        m_joint = tally / totals[joint_missing]
        out = np.log2(np.maximum(m_joint[group], 1e-12)) - log_m
    return out


def _corroborated(levels: I8, model: FellegiSunterModel, *, household: bool) -> NDArray[np.bool_]:
    """
    Where the fields twins do not share by birth (middle name, SSN, address ...) agree strongly
    and neither of those that tell twins apart (middle name, gender) disagrees. The extra fields
    (an address) are what a household shares, twins included: unless *household*, they add to
    the evidence only where the middle name or the SSN agrees too.
    """
    bits = np.zeros(len(levels))
    apart = np.zeros(len(levels), dtype=bool)
    personal = np.zeros(len(levels), dtype=bool)
    for f, (spec, table) in enumerate(zip(model.fields, model.level_weights(), strict=True)):
        column = levels[:, f].astype(np.intp)
        if spec.name in _TELL_TWINS_APART:
            apart |= column == 0
        if spec.name in _SHARED_BY_TWINS:
            continue
        present = column >= 0
        bits[present] += table[column[present]]
        if f < len(FIELDS):
            personal |= column == spec.n_levels - 1
    out: NDArray[np.bool_] = (bits >= _CORROBORATION_BITS) & ~apart & (personal | household)
    return out


def _household_corroborates(levels: I8, counts: I64, twins: float) -> bool:
    """
    Whether a household (the extra fields, an address) may corroborate a twin-like pair on its
    own: a pair with another first name that agrees on everything else is either the person
    with the first name replaced or the person's twin, and the household cannot tell which.
    It may where the data show replaced first names likelier than twins: among candidate
    pairs whose SSNs agree exactly (the same person, nearly always), the share whose first
    names disagree outright, against the store's share of people with a twin
    (:func:`twin_groups`), *twins*. *levels* are the distinct patterns, *counts* their pairs.
    With no SSN agreement to measure it, it may not.
    """
    first, ssn = levels[:, 0], levels[:, _SSN]
    same = (ssn == 2) & (first >= 0)
    total = int(counts[same].sum())
    if total == 0:
        return False
    replaced = int(counts[same & (first == 0)].sum()) / total
    return replaced > twins


def twin_evidence(side: Side) -> NDArray[np.bool_]:
    """
    Rows that someone else on the same side, under another first name, shares the last name
    and birth date with (and the address, the first extra field, where both give one); where
    addresses are compared, also the birth date and address (a sibling whose surname was
    changed or mistyped) or the last name and address (whose birth date was).

    Such a pair of rows is what twins look like; where one exists, no pair with clearly
    different first names is merged, whatever else agrees.
    """
    address = side.extras[0] if side.extras else np.full(side.n, -1, dtype=np.int32)
    keys: list[list[NDArray[Any]]] = [[side.last, side.birth_ymd]]
    if side.extras:
        keys += [[side.birth_ymd, address], [side.last, address]]
    out = np.zeros(side.n, dtype=bool)
    for columns in keys:
        key = combine(columns, columns)[0]
        key[side.first < 0] = -1
        i, j = join(key, SortedKeys.of(key), max_block=_TWIN_GROUP)
        other = (i != j) & (side.first[i] != side.first[j])
        other &= (address[i] == address[j]) | (address[i] < 0) | (address[j] < 0)
        out[i[other]] = True
    return out


def _sibling_keys(side: Side) -> tuple[I64, I32]:
    """Per row, its last name and birth date as one key (-1 where either is missing) and its
    first name's code."""
    key = combine([side.last, side.birth_ymd], [side.last, side.birth_ymd])[0]
    key[side.first < 0] = -1
    return key, side.first


def _apart_bits(levels: I8, model: FellegiSunterModel) -> F64:
    """Per pattern, the bits of the fields that tell twins apart (first and middle name, SSN,
    gender)."""
    bits = np.zeros(len(levels))
    for f, (spec, table) in enumerate(zip(model.fields, model.level_weights(), strict=True)):
        if spec.name in _SIBLING_FIELDS:
            column = levels[:, f].astype(np.intp)
            present = column >= 0
            bits[present] += table[column[present]]
    return bits


def _differs(levels: I8, model: FellegiSunterModel) -> NDArray[np.bool_]:
    """Per pattern, whether a field besides the first name that tells twins apart (middle name,
    SSN, gender) disagrees."""
    out = np.zeros(len(levels), dtype=bool)
    for f, spec in enumerate(model.fields):
        if spec.name in _SIBLING_FIELDS and spec.name != "first_name":
            out |= levels[:, f] == 0
    return out


def twin_groups(side: Side) -> I64:
    """
    Per row, a group shared with the rows that are its twins on the same side (the same last
    name and birth date, another first name, the same address where both give one: what
    :func:`twin_evidence` finds); -1 for a row with no twin.
    """
    address = side.extras[0] if side.extras else np.full(side.n, -1, dtype=np.int32)
    key = combine([side.last, side.birth_ymd], [side.last, side.birth_ymd])[0]
    key[side.first < 0] = -1
    i, j = join(key, SortedKeys.of(key), max_block=_TWIN_GROUP)
    other = (i != j) & (side.first[i] != side.first[j])
    other &= (address[i] == address[j]) | (address[i] < 0) | (address[j] < 0)
    out = np.full(side.n, -1, dtype=np.int64)
    out[i[other]] = key[i[other]]
    return out


def _refused_twins(
    prepared: Prepared,
    li: I32,
    ri: I32,
    twin_like: NDArray[np.bool_],
    corroborated: NDArray[np.bool_],
) -> NDArray[np.bool_]:
    """
    Twin-like pairs refused: every one where either file shows a twin; where neither does,
    those the fields twins do not share by birth do not corroborate.
    """
    refused = twin_like.copy()
    check = np.flatnonzero(twin_like)
    if len(check):
        evidence = (
            twin_evidence(prepared.left)[li[check]] | twin_evidence(prepared.right)[ri[check]]
        )
        refused[check] = evidence | ~corroborated[check]
    return refused


def _twins_refused(
    prepared: Prepared,
    p: _Patterns,
    model: FellegiSunterModel,
    pairs: tuple[I32, I32],
    inverse: NDArray[np.intp],
    counts: I64,
) -> NDArray[np.bool_]:
    """
    Per pair, whether the twin rule refuses it: a twin-like pair where either file shows a
    twin or the other fields do not corroborate it (:func:`_refused_twins`,
    :func:`_household_corroborates`), or whose person another submitted student resembles
    (:func:`_resembled`). *counts* are the pairs of each pattern.
    """
    li, ri = pairs
    twin_like = _twin_like(p)[inverse]
    twins = float(np.mean(twin_groups(prepared.right) >= 0)) if prepared.right.n else 0.0
    household = _household_corroborates(p.levels, counts, twins)
    corroborated = _corroborated(p.levels, model, household=household)[inverse]
    refused = _refused_twins(prepared, li, ri, twin_like, corroborated)
    open_ = twin_like & ~refused
    near = p.first_near & (p.levels[:, 4] != 0)
    namesake = (near & ((p.levels[:, 1] >= _NAME_CLOSE) | (p.levels[:, 2] == 2)))[inverse]
    claimed = np.zeros(prepared.right.n, dtype=bool)
    claimed[ri[namesake]] = True
    claimed |= _resembled(prepared, ri[open_])
    refused |= twin_like & claimed[ri]
    return refused


def _full_middle(prepared: Prepared, side: Side) -> I32:
    """The middle name's code where it is a name (not an initial), else -1."""
    full = (side.middle >= 0) & (prepared.name_length[np.maximum(side.middle, 0)] > 1)
    return np.where(full, side.middle, -1).astype(np.int32)


def _resembled(prepared: Prepared, persons: I32) -> NDArray[np.bool_]:
    """
    Store people among *persons* whom a submitted student resembles though no blocking key
    brought them together: the person's first and (full) middle name, the last name's
    initial, and a birth date that is close (a typo, day and month swapped) or the same. That
    student is likely the person's own record (with a changed or
    mistyped surname, a birth-date typo and a move), so no twin-like student is merged with
    the person.
    """
    a, b = prepared.left, prepared.right
    out = np.zeros(b.n, dtype=bool)
    persons = np.unique(persons)
    if not len(persons):
        return out

    def initial(side: Side) -> I32:
        return np.where(side.last >= 0, prepared.initial[np.maximum(side.last, 0)], -1)

    lk, rk = combine(
        [a.first, _full_middle(prepared, a), initial(a)],
        [b.first[persons], _full_middle(prepared, b)[persons], initial(b)[persons]],
    )
    i, j = join(lk, SortedKeys.of(rk), max_block=_TWIN_GROUP)
    ok = ymd_levels(a.birth_ymd[i], b.birth_ymd[persons[j]]) >= 1
    out[persons[j[ok]]] = True
    return out


def _nicknames(value: object) -> Mapping[str, str | Collection[str]] | None:
    if value is True:
        return nickname_groups()
    if value is False or value is None:
        return None
    return cast(Mapping[str, str | Collection[str]], value)


@frozen
class FellegiSunterMatcher:
    """
    The default matcher: ordered passes over blocking keys, verified by a Fellegi-Sunter model.

    Args:
        threshold: Least match probability (0-1) a candidate needs to be accepted.
        tie_margin: A runner-up at the same pass within this many bits (log2 odds) of the best
            makes the student ambiguous.
        nicknames: True for the ``nicknames`` package's table (both directions, one name to
            many), False for none, or a mapping of a name to the full name(s) it stands for.
        term_frequency: Adjust exact first- and last-name agreement for how common the name is.
        model: A fitted (or fixed) model to use as is; None to fit one by EM on the data.
        em: Fit by EM (True) or use the fixed weights (False) when *model* is None.
        chunk_size: Submitted rows processed at a time (memory is bounded by it).
        max_block: Blocks with more people than this are skipped for that key.
        previous_names: Extra columns that may hold a previous last name.
        extra_fields: Extra text columns (address, postcode ...) compared with Jaro-Winkler.
        workers: Threads for the string comparisons (rapidfuzz).
        never_merge_twins: Refuse pairs with the same last name and birth date but clearly
            different first names (twins), unless their SSNs agree (or differ by one digit), or
            the other identifying fields (middle name, address ...) agree strongly and neither
            file holds another person with that last name and birth date (an address, which
            twins share, counts only with the middle name or SSN, unless the data show more
            replaced first names than twins); students the file names alike who claim one
            person, told apart only by a value one of them lacks, leave it to neither.

    Examples:
        >>> FellegiSunterMatcher(threshold=0.95).threshold
        0.95
    """

    threshold: float = field(default=0.9, kw_only=True, validator=[gt(0.0), lt(1.0)])
    tie_margin: float = field(default=1.0, kw_only=True, validator=ge(0.0))
    nicknames: bool | Mapping[str, str | Collection[str]] = field(default=True, kw_only=True)
    term_frequency: bool = field(default=True, kw_only=True)
    model: FellegiSunterModel | None = field(default=None, kw_only=True)
    em: bool = field(default=True, kw_only=True)
    chunk_size: int = field(default=20_000, kw_only=True, validator=[instance_of(int), gt(0)])
    max_block: int = field(default=100, kw_only=True, validator=[instance_of(int), gt(0)])
    previous_names: tuple[str, ...] = field(
        default=("previous_last_name",), kw_only=True, converter=tuple
    )
    extra_fields: tuple[str, ...] = field(default=(), kw_only=True, converter=tuple)
    workers: int = field(default=1, kw_only=True)
    never_merge_twins: bool = field(default=True, kw_only=True)

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        """The compared fields, in comparison-vector order."""
        return fields_for(self.extra_fields)

    def prepare(self, submitted: Table, people: Table) -> Prepared:
        """Encode both sides (normalised names, codes, blocking material)."""
        return prepare(
            submitted,
            people,
            previous_names=self.previous_names,
            extra_fields=self.extra_fields,
            nicknames=_nicknames(self.nicknames),
        )

    def _pairs(
        self, prepared: Prepared, progress: Progress | None
    ) -> tuple[I32, I32, I64, list[int]]:
        fields = self.fields
        radices = [spec.n_levels + 1 for spec in fields]
        scorers = Scorers.make(workers=self.workers)
        keys = blocking_keys(prepared)
        n_left, n_right = prepared.left.n, prepared.right.n
        lis: list[I32] = []
        ris: list[I32] = []
        codes: list[I64] = []
        for start in range(0, n_left, self.chunk_size):
            stop = min(start + self.chunk_size, n_left)
            li, ri = candidate_pairs(keys, start, stop, n_right, max_block=self.max_block)
            comparison = compare(prepared, li, ri, scorers=scorers)
            lis.append(li)
            ris.append(ri)
            codes.append(
                _pattern_codes(
                    comparison.levels,
                    comparison.swapped,
                    comparison.previous,
                    comparison.first_near,
                    radices,
                )
            )
            if progress is not None:
                progress(stop, n_left)
        if not lis:
            empty32 = np.empty(0, dtype=np.int32)
            return empty32, empty32, np.empty(0, dtype=np.int64), radices
        return np.concatenate(lis), np.concatenate(ris), np.concatenate(codes), radices

    def compare(
        self, submitted: Table, people: Table, *, progress: Progress | None = None
    ) -> CandidatePairs:
        """
        The candidate pairs and their comparison vectors (for inspection or another classifier).

        Examples:
            >>> from edoutcomes.model import Student
            >>> import datetime as dt
            >>> a = as_students([Student("s1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))])
            >>> pairs = FellegiSunterMatcher().compare(a, a)
            >>> pairs.levels.tolist()
            [[4, 4, -1, -1, 4, -1, -1]]
        """
        prepared = self.prepare(submitted, people)
        li, ri, codes, radices = self._pairs(prepared, progress)
        p = _decode(codes, radices)
        return CandidatePairs(
            self.fields, li, ri, p.levels, _passes(p.levels, p.swapped, p.previous)
        )

    def fit(
        self,
        levels: I8,
        counts: I64,
        *,
        u: Sequence[Sequence[float]],
        n_comparisons: int,
        smaller_file: int = 0,
    ) -> tuple[FellegiSunterModel, FitReport]:
        """
        The model used to score, and how it was obtained: the given one, an EM fit, a refit
        from the default priors when the fit breaks the sanity rule, or the fixed m.

        The sanity rule: every field's agreeing level weighs for a match and its disagreeing
        level against, and the model expects no more matches than the smaller file holds.
        """
        fields = self.fields
        pairs, patterns = int(counts.sum()), len(levels)

        def report(model: FellegiSunterModel, rejected: Sequence[str]) -> FitReport:
            expected = model.prior * n_comparisons
            return FitReport(model.source, pairs, patterns, expected, tuple(rejected))

        if self.model is not None:
            return self.model, report(self.model, ())
        rejected: list[str] = []
        if self.em and len(levels) > 1 and pairs >= 20:
            fit = functools.partial(
                FellegiSunterModel.fit, levels, counts, fields, u=u, n_comparisons=n_comparisons
            )
            check = functools.partial(
                FellegiSunterModel.problems, n_comparisons=n_comparisons, smaller_file=smaller_file
            )
            fitted = fit()
            problems = check(fitted)
            if not problems:
                return fitted, report(fitted, ())
            rejected.append("EM fit: " + ", ".join(problems))
            # Anchored on the default m (as many pseudo-matches as the smaller file has rows),
            # expecting at most half the smaller file to be matched.
            refitted = fit(
                prior_strength=float(max(smaller_file, 20)),
                max_matches=0.5 * smaller_file if smaller_file else None,
            )
            problems = check(refitted)
            if not problems:
                return refitted, report(refitted, rejected)
            rejected.append("refit: " + ", ".join(problems))
        # Without a fit: about 0.5 x sqrt(possible pairs) matches.
        prior = min(
            0.5,
            max(1.0, 0.5 * min(len(levels), 1) * np.sqrt(n_comparisons)) / max(n_comparisons, 1),
        )
        fixed = FellegiSunterModel.fixed(fields, u=u, prior=prior)
        return fixed, report(fixed, rejected)

    def match(
        self, submitted: Table, people: Table, *, progress: Progress | None = None
    ) -> MatchResult:
        """
        Match every submitted student to at most one person of the store.

        Args:
            submitted: Submitted students (a students table).
            people: The person store (a students table; its ``requester_id`` is the person id).
            progress: Called with (rows done, rows total) after each chunk.

        Returns:
            One row per submitted student, in submission order.

        Examples:
            >>> import datetime as dt
            >>> from edoutcomes.model import Student
            >>> people = as_students([Student("P1", first_name="William", last_name="Ortiz", birth_date=dt.date(2000, 5, 6))])
            >>> sent = as_students([Student("S1", first_name="Bill", last_name="Ortiz", birth_date=dt.date(2000, 5, 6))])
            >>> FellegiSunterMatcher().match(sent, people).matched_person_ids()
            ['P1']
        """
        prepared = self.prepare(submitted, people)
        li, ri, codes, radices = self._pairs(prepared, progress)
        patterns, inverse, counts = np.unique(codes, return_inverse=True, return_counts=True)
        inverse = inverse.reshape(-1)
        p = _decode(patterns, radices)
        u = estimate_u(prepared, self.fields, Scorers.make(workers=self.workers))
        n_comparisons = submitted.n_rows * people.n_rows
        model, fit = self.fit(
            p.levels,
            counts.astype(np.int64),
            u=u,
            n_comparisons=n_comparisons,
            smaller_file=min(submitted.n_rows, people.n_rows),
        )
        tables = model.level_weights()
        pattern_weight = model.weights(p.levels)
        # A changed surname (first name, birth date and a third field agree): the last name
        # is neither for nor against.
        changed = _surname_change(p, model)
        last = p.levels[changed, 1].astype(np.intp)
        pattern_weight[changed] -= tables[1][last]
        # The extra fields change together (a move): scored by their joint m among matches.
        pattern_weight += _extras_together(p.levels, counts.astype(np.int64), model)
        weight = pattern_weight[inverse]
        if self.term_frequency:
            right = prepared.right
            for f, names_of in ((0, right.first), (1, right.last)):
                exact = p.levels[inverse, f] == self.fields[f].n_levels - 1
                weight += _term_frequency(names_of, len(prepared.names), ri, exact, model.u[f][-1])
        match_pass = _passes(p.levels, p.swapped, p.previous)[inverse]
        refused = _ssn_refused(p, model)[inverse]
        if self.never_merge_twins:
            refused |= _twins_refused(
                prepared, p, model, (li, ri), inverse, counts.astype(np.int64)
            )
        scores = _Scores(li, ri, weight, match_pass, refused, inverse)
        if self.never_merge_twins:
            scores = attrs.evolve(
                scores,
                twin_group=twin_groups(prepared.right),
                siblings=_sibling_keys(prepared.left),
                apart=_apart_bits(p.levels, model)[inverse],
                differs=_differs(p.levels, model)[inverse],
            )
        return self._select(submitted, people, scores, p, model, fit)

    def _select(
        self,
        submitted: Table,
        people: Table,
        scores: _Scores,
        patterns: _Patterns,
        model: FellegiSunterModel,
        fit: FitReport,
    ) -> MatchResult:
        n = submitted.n_rows
        li, ri = scores.li, scores.ri
        candidates = np.bincount(li, minlength=n).astype(np.int32)
        # A refused pair (a twin, a different SSN) is rejected by verification, whatever its score.
        usable = np.where(scores.refused, -np.inf, scores.weight)
        probability = _probability(usable)
        best_probability = np.full(n, -np.inf)
        np.maximum.at(best_probability, li, probability)
        best_weight = np.full(n, -np.inf)
        np.maximum.at(best_weight, li, usable)
        choice = self._choose(scores, usable, probability, n)
        chosen_pair = choice.pairs
        chosen = li[chosen_pair]
        person = np.full(n, -1, dtype=np.int32)
        person[chosen] = ri[chosen_pair]
        passes = np.zeros(n, dtype=np.int8)
        passes[chosen] = scores.match_pass[chosen_pair]
        reason = np.full(n, _REASON_INDEX[NoMatchReason.NO_CANDIDATE], dtype=np.int8)
        reason[candidates > 0] = _REASON_INDEX[NoMatchReason.BELOW_THRESHOLD]
        reason[chosen] = -1
        reason[choice.tied] = _REASON_INDEX[NoMatchReason.AMBIGUOUS]
        reason[choice.taken] = _REASON_INDEX[NoMatchReason.TAKEN]
        # The reported score is the chosen (or best) candidate's.
        score = np.where(candidates > 0, best_probability, np.nan)
        score[chosen] = probability[chosen_pair]
        best_weight[candidates == 0] = np.nan
        best_weight[chosen] = usable[chosen_pair]
        return MatchResult(
            requester_ids=submitted.text("requester_id"),
            person_ids=people.text("requester_id"),
            person=person,
            match_pass=passes,
            score=score,
            weight=best_weight,
            reason=reason,
            candidates=candidates,
            model=model,
            fit=fit,
            explained=self._explained(scores, chosen_pair, patterns, model, n),
        )

    def _choose(self, scores: _Scores, usable: F64, probability: F64, n: int) -> _Choice:
        """
        Each student's accepted candidate: above the threshold and not refused; an earlier pass
        wins, unless another accepted candidate outweighs it by far (the same name and birth
        date, but a middle name that disagrees where another agrees); a runner-up at the same
        pass within the tie margin makes the student ambiguous; a store person is one person.
        """
        li, ri, match_pass = scores.li, scores.ri, scores.match_pass
        ok = np.flatnonzero((probability >= self.threshold) & ~scores.refused)
        top = np.full(n, -np.inf)
        np.maximum.at(top, li[ok], usable[ok])
        ok = ok[usable[ok] >= top[li[ok]] - _PASS_OVERRIDE_BITS]
        ranked = _twin_pass(li, ri, match_pass, ok, scores.twin_group)
        order = ok[np.lexsort((-usable[ok], ranked[ok], li[ok]))]
        e_li, e_w, e_p = li[order], usable[order], ranked[order]
        students, first = np.unique(e_li, return_index=True)
        second = first + 1
        has_second = second < len(e_li)
        has_second[has_second] = e_li[second[has_second]] == students[has_second]
        tied = np.zeros(len(students), dtype=bool)
        s2 = second[has_second]
        f2 = first[has_second]
        tied[has_second] = (e_p[s2] == e_p[f2]) & (e_w[s2] >= e_w[f2] - self.tie_margin)
        chosen_pair = order[first[~tied]]
        chosen_pair, alike = _one_to_one(chosen_pair, scores, usable, self.tie_margin)
        taken = np.setdiff1d(np.setdiff1d(students[~tied], li[chosen_pair]), alike)
        return _Choice(chosen_pair, np.union1d(students[tied], alike), taken)

    def _explained(
        self,
        scores: _Scores,
        chosen_pair: NDArray[np.intp],
        patterns: _Patterns,
        model: FellegiSunterModel,
        n: int,
    ) -> Explained:
        """What each student's explanation shows: the chosen pair, else the best-scored one."""
        li, ri, weight = scores.li, scores.ri, scores.weight
        shown = np.full(n, -1, dtype=np.int64)
        if len(li):
            by_weight = np.lexsort((-weight, li))
            heads = np.unique(li[by_weight], return_index=True)
            shown[heads[0]] = by_weight[heads[1]]
        shown[li[chosen_pair]] = chosen_pair
        has = shown >= 0
        pattern = np.full(n, -1, dtype=np.int64)
        pattern[has] = scores.inverse[shown[has]]
        at = np.maximum(shown, 0)
        return Explained(
            person=np.where(has, ri[at], -1).astype(np.int32),
            pattern=pattern,
            levels=patterns.levels,
            surname_change=_surname_change(patterns, model),
            weight=np.where(has, weight[at], np.nan),
            refused=np.where(has, scores.refused[at], False),
            threshold=self.threshold,
            histogram=_histogram(weight),
        )


@frozen(eq=False)
class _Choice:
    """The chosen pair of each matched student; the students tied and those whose person was taken."""

    pairs: NDArray[np.intp]
    tied: NDArray[np.int32]
    taken: NDArray[np.int32]


@frozen(eq=False)
class _Scores:
    """Every candidate pair's rows, weight, pass, whether a rule refuses it, and its pattern."""

    li: I32
    ri: I32
    weight: F64
    match_pass: I8
    refused: NDArray[np.bool_]
    inverse: NDArray[np.intp]
    #: Each store person's twin group (-1 none), or None when twins are not looked for.
    twin_group: I64 | None = None
    #: Per submitted row, a key of its last name and birth date (-1 where either is missing)
    #: and its first name's code: who may be a sibling of whom. None: not looked for.
    siblings: tuple[I64, I32] | None = None
    #: Per pair, the bits of the fields that tell twins apart (first and middle name, SSN,
    #: gender).
    apart: F64 | None = None
    #: Per pair, whether one of those besides the first name disagrees.
    differs: NDArray[np.bool_] | None = None


def _probability(weight: F64) -> F64:
    out: F64 = 1.0 / (1.0 + np.exp2(-np.clip(weight, -1000.0, 1000.0)))
    return out


def _twin_pass(
    li: I32, ri: I32, match_pass: I8, ok: NDArray[np.intp], twin_group: I64 | None
) -> I8:
    """
    The pass that ranks each pair: its own, except that between store twins the pass order
    does not decide (one twin's exact first name against the other's nickname and middle
    name): a student's accepted candidates in one twin group all rank at the earliest of
    their passes, so the weight decides, and a near tie is ambiguous.
    """
    ranked = match_pass.copy()
    if twin_group is None or not len(ok):
        return ranked
    group = twin_group[ri[ok]]
    twins = ok[group >= 0]
    if not len(twins):
        return ranked
    key = li[twins].astype(np.int64) * (int(twin_group.max()) + 1) + twin_group[ri[twins]]
    keys, inverse = np.unique(key, return_inverse=True)
    earliest = np.full(len(keys), np.iinfo(np.int8).max, dtype=np.int8)
    np.minimum.at(earliest, inverse.reshape(-1), match_pass[twins])
    ranked[twins] = earliest[inverse.reshape(-1)]
    return ranked


def _one_to_one(
    chosen: NDArray[Any], scores: _Scores, weight: F64, margin: float
) -> tuple[NDArray[Any], NDArray[np.int32]]:
    """
    The chosen pairs without those whose person another student holds at an earlier pass, or
    at the same pass with a claim more than *margin* bits better: a store person is one
    person. Claims equally good stay (the same student sent twice). Between submitted
    siblings the claims are weighed as :func:`_sibling_rank` says; where the file names them
    alike, no one keeps the person (:func:`_named_alike`): those students are returned too.
    """
    ri, match_pass = scores.ri, scores.match_pass
    size = int(ri.max(initial=-1)) + 1
    best = np.full(size, np.iinfo(np.int8).max, dtype=np.int8)
    np.minimum.at(best, ri[chosen], match_pass[chosen])
    earliest = chosen[match_pass[chosen] <= best[ri[chosen]]]
    rank = _sibling_rank(earliest, scores, weight, size)
    top = np.full(size, -np.inf)
    np.maximum.at(top, ri[earliest], rank[earliest])
    kept: NDArray[Any] = earliest[rank[earliest] >= top[ri[earliest]] - margin]
    void = _named_alike(chosen, kept, scores, size)
    alike = scores.li[chosen[void[ri[chosen]]]]
    return kept[~void[ri[kept]]], alike


def _named_alike(
    chosen: NDArray[Any], kept: NDArray[Any], scores: _Scores, size: int
) -> NDArray[np.bool_]:
    """
    Per store person, whether a student who loses the person (a later pass, a lower claim) is
    named like one who keeps it: the same first name, last name and birth date, and no
    disagreement with the person on the other fields that tell twins apart (middle name, SSN,
    gender). Two such students are one student sent twice or twins the file calls by one name
    (a twin sent under her sister's nickname, which is her own name); the fields cannot say
    which of them is the person, whose claim is better only by a value the other lacks (no
    middle name), so the person goes to neither: the students are ambiguous.
    """
    void = np.zeros(size, dtype=bool)
    if scores.siblings is None or scores.differs is None or not len(kept):
        return void
    key_of, first_of = scores.siblings
    li, ri = scores.li, scores.ri
    winner_key = np.full(size, -1, dtype=np.int64)
    winner_first = np.full(size, -1, dtype=np.int64)
    winner_key[ri[kept]] = key_of[li[kept]]
    winner_first[ri[kept]] = first_of[li[kept]]
    lost = chosen[np.isin(chosen, kept, invert=True)]
    person = ri[lost]
    key, first = key_of[li[lost]], first_of[li[lost]]
    alike = (key >= 0) & (key == winner_key[person]) & (first == winner_first[person])
    void[person[alike & ~scores.differs[lost]]] = True
    return void


def _sibling_rank(chosen: NDArray[Any], scores: _Scores, weight: F64, size: int) -> F64:
    """
    The weight that ranks the claims on one person: the pair's weight, except where every
    student claiming the person shares one last name and birth date under other first names
    (twins sent together): the fields twins share (last name, birth date, address) cannot
    tell which of them is the person, so the bits of those that tell twins apart (first and
    middle name, SSN, gender) decide.
    """
    if scores.siblings is None or scores.apart is None or not len(chosen):
        return weight
    key_of, first_of = scores.siblings
    li, person = scores.li[chosen], scores.ri[chosen]
    key, first = key_of[li], first_of[li].astype(np.int64)
    low, high = np.full(size, np.iinfo(np.int64).max), np.full(size, -1)
    np.minimum.at(low, person, key)
    np.maximum.at(high, person, key)
    first_low, first_high = np.full(size, np.iinfo(np.int64).max), np.full(size, -1)
    np.minimum.at(first_low, person, first)
    np.maximum.at(first_high, person, first)
    contested = (key >= 0) & (low[person] == high[person])
    contested &= first_low[person] != first_high[person]
    out = weight.copy()
    out[chosen[contested]] = scores.apart[chosen[contested]]
    return out


#: Bin edges (bits) of the match-weight distribution a result keeps.
WEIGHT_BINS = np.arange(-40.0, 41.0, 2.0)


def _histogram(weight: F64) -> NDArray[np.int64]:
    finite = weight[np.isfinite(weight)]
    clipped = np.clip(finite, WEIGHT_BINS[0], WEIGHT_BINS[-1])
    return np.histogram(clipped, bins=WEIGHT_BINS)[0].astype(np.int64)


def _term_frequency(
    names: I32, n_names: int, ri: I32, exact: NDArray[np.bool_], u_exact: float
) -> F64:
    """Bits that replace the average chance agreement on a name by that name's own frequency."""
    present = names[names >= 0]
    out = np.zeros(len(ri))
    if len(present) == 0:
        return out
    frequency = np.bincount(present, minlength=n_names) / len(present)
    codes = names[ri[exact]]
    out[exact] = np.clip(np.log2(u_exact / np.maximum(frequency[codes], 1e-12)), -5.0, 5.0)
    return out


def _canonical_order(side: Side) -> NDArray[np.intp]:
    """Rows sorted by content, so a sample of rows does not depend on the input order."""
    keys: list[NDArray[Any]] = [side.first, side.middle, side.last, side.suffix, side.birth]
    keys += [side.ssn, side.gender, side.previous_last, *side.extras]
    return np.lexsort(keys[::-1])


def estimate_u(
    prepared: Prepared,
    fields: Sequence[FieldSpec],
    scorers: Scorers,
    *,
    n_samples: int = 100_000,
    seed: int = 0,
) -> list[tuple[float, ...]]:
    """
    P(level | non-match) per field, from random pairs (nearly all of them non-matches).

    Rows are drawn from a content-sorted order with a fixed seed, so the estimate does not
    depend on the order of the input rows; the built-in u values smooth small samples.
    """
    priors = FellegiSunterModel.prior_u(fields)
    n_left, n_right = prepared.left.n, prepared.right.n
    if n_left == 0 or n_right == 0:
        return priors
    rng = np.random.default_rng(seed)
    k = int(min(n_samples, n_left * n_right))
    li = _canonical_order(prepared.left)[rng.integers(n_left, size=k)].astype(np.int32)
    ri = _canonical_order(prepared.right)[rng.integers(n_right, size=k)].astype(np.int32)
    levels = compare(prepared, li, ri, scorers=scorers).levels
    out = []
    for f, spec in enumerate(fields):
        column = levels[:, f]
        column = column[column >= 0]
        counts = np.bincount(column, minlength=spec.n_levels).astype(np.float64)
        smoothed = (counts + _U_PSEUDO * np.asarray(priors[f])) / (len(column) + _U_PSEUDO)
        out.append(tuple(float(x) for x in smoothed))
    return out


def as_students(rows: Table | Iterable[Student]) -> Table:
    """
    A students table from a table (returned as is) or from ``Student`` objects.

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.model import Student
        >>> table = as_students([Student("S1", first_name="Ann", last_name="Lee", birth_date=dt.date(2001, 2, 3))])
        >>> table, as_students(table) is table
        (<Table students: 1 rows, 13 columns>, True)
    """
    if isinstance(rows, Table):
        if rows.schema.name != STUDENTS.name:
            msg = f"expected a students table, got {rows.schema.name!r}"
            raise InvalidArgumentError(msg)
        return rows
    return Table.from_records(STUDENTS, rows)


def match_students(
    submitted: Table | Iterable[Student],
    people: Table | Iterable[Student],
    *,
    matcher: Matcher | None = None,
    progress: Progress | None = None,
) -> MatchResult:
    """
    Match submitted students to a person store with *matcher* (the default one if None).

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.model import Student
        >>> born = dt.date(2001, 2, 3)
        >>> people = [Student("P1", first_name="William", last_name="Smith-Richards", birth_date=born)]
        >>> sent = [Student("S1", first_name="Bill", last_name="Smith Richards", birth_date=born)]
        >>> [(m.person_id, m.match_pass.name) for m in match_students(sent, people).matches()]
        [('P1', 'LAST_NAME_BIRTH_DATE')]
    """
    matcher = FellegiSunterMatcher() if matcher is None else matcher
    return matcher.match(as_students(submitted), as_students(people), progress=progress)
