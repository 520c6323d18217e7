"""Synthetic matching data: a person store and a submitted file with realistic errors, and the truth."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from .._kernel._days import civil_days, civil_parts
from .._kernel._days import day as day_number
from ..errors import InvalidArgumentError
from ..model import Column, Kind, Table, encode_text
from ._arrays import digit_strings, objects, stack_rows, take_rows, zipf_index
from ._names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES

__all__ = ["ERROR_KINDS", "SyntheticMatching", "synthetic_matching"]

ERROR_KINDS: dict[str, float] = {
    "typo_first": 0.05,
    "typo_last": 0.05,
    "nickname": 0.06,
    "swapped": 0.02,
    "hyphenated": 0.03,
    "married": 0.03,
    "day_month_swap": 0.02,
    "birth_digit": 0.02,
    "middle_missing": 0.25,
    "ssn_typo": 0.01,
    "lower_case": 0.10,
}
"""
What can go wrong between a person's record and how a school submits them, with default rates.

Each rate is the share of submitted students that get that error; override any of them
with ``synthetic_matching(..., error_rates={...})``.

Examples:
    >>> ERROR_KINDS["nickname"], ERROR_KINDS["middle_missing"]
    (0.06, 0.25)
    >>> data = synthetic_matching(100, 40, error_rates={"typo_last": 0.0}, seed=1)
    >>> data.submitted.n_rows
    40
"""

_NICK = {
    "WILLIAM": "BILL", "JAMES": "JIM", "MICHAEL": "MIKE", "ROBERT": "BOB", "JOSEPH": "JOE",
    "DANIEL": "DAN", "MATTHEW": "MATT", "ANTHONY": "TONY", "CHRISTOPHER": "CHRIS",
    "ALEXANDER": "ALEX", "BENJAMIN": "BEN", "SAMUEL": "SAM", "JOSHUA": "JOSH", "ANDREW": "ANDY",
    "ZACHARY": "ZACH", "ELIZABETH": "LIZ", "KATHERINE": "KATE", "SAMANTHA": "SAM",
    "JENNIFER": "JEN", "JESSICA": "JESS", "VICTORIA": "TORI", "ABIGAIL": "ABBY", "JOHN": "JACK",
    "NATHAN": "NATE", "HENRY": "HANK", "DAVID": "DAVE",
}  # fmt: skip
_SYLLABLES = (
    "BAR", "KEN", "LOW", "MAR", "TIN", "SON", "DAL", "VER", "NOR", "HAM", "RID", "WELL", "FORD",
    "STEIN", "BERG", "TON", "LEY", "ROW", "VAN", "KIR", "OS", "AL", "BRO", "CAS", "DEN", "FEL",
    "GAR", "HOL", "JAN", "KOV", "LIND", "MOR", "NAK", "PEL", "QUIN", "RAS", "SAL", "TOR", "VIC",
    "WIN", "YAM", "ZEL", "ASH", "BECK", "CORN", "DRAKE", "ELM", "FROST",
)  # fmt: skip
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ACCENTED = {"JOSE": "José", "MUNOZ": "Muñoz", "RENEE": "Renée", "ZOE": "Zoë"}


@frozen(eq=False)
class SyntheticMatching:
    """
    A person store, a submitted file, and which person each submitted student really is.

    Attributes:
        people: The person store (students schema; ``requester_id`` is the person id).
        submitted: The submitted students, in random order, with a ``previous_last_name`` column.
        truth: Row in ``people`` of each submitted student, -1 when the student is not in the store.
        errors: Per submitted student, the error kinds applied (``""`` for none), ``;``-separated.

    Examples:
        >>> data = synthetic_matching(100, 30, seed=2)
        >>> data.people, data.submitted
        (<Table students: 100 rows, 13 columns>, <Table students: 30 rows, 14 columns>)
        >>> int((data.truth >= 0).sum()), data.true_person_ids()[0], data.errors[0]
        (18, 'P0000095', 'lower_case')
    """

    people: Table
    submitted: Table
    truth: NDArray[np.int32]
    errors: NDArray[np.object_]

    def true_person_ids(self) -> list[str | None]:
        """The true person id of each submitted student (None when not in the store)."""
        ids = self.people.text("requester_id").tolist()
        return [None if t < 0 else ids[t] for t in self.truth.tolist()]

    def write(self, directory: str | os.PathLike[str], *, format: str = "csv") -> tuple[Path, ...]:
        """
        Write the ``people`` and ``submitted`` students tables into *directory*.

        They are the two files ``edoutcomes match --people ... --submitted ...`` reads; *format*
        is ``csv`` or ``parquet``. The truth stays here (:attr:`truth`, :meth:`true_person_ids`).

        Returns:
            The paths written, people first.

        Examples:
            >>> import tempfile
            >>> with tempfile.TemporaryDirectory() as tmp:
            ...     paths = synthetic_matching(30, 20, seed=1).write(tmp)
            ...     [p.name for p in paths]
            ['people.csv', 'submitted.csv']
        """
        from ..formats import write_table

        if format not in ("csv", "parquet"):
            msg = f"format={format!r} is not one of csv, parquet"
            raise InvalidArgumentError(msg)
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        paths = (folder / f"people.{format}", folder / f"submitted.{format}")
        write_table(self.people, paths[0], format=format)
        write_table(self.submitted, paths[1], format=format)
        return paths


def _surnames(rng: np.random.Generator, n: int) -> NDArray[np.object_]:
    # Shares as in a real population: the commonest surname about 2%, most people in a long tail.
    common = objects(LAST_NAMES)[zipf_index(rng, len(LAST_NAMES), n, exponent=0.6)]
    # A long tail of made-up surnames: real stores have hundreds of thousands of distinct ones.
    s = np.array(_SYLLABLES, dtype=object)
    tail = s[rng.integers(len(s), size=n)] + s[rng.integers(len(s), size=n)]
    three = rng.random(n) < 0.5
    tail[three] = tail[three] + s[rng.integers(len(s), size=int(three.sum()))]
    return np.where(rng.random(n) < 0.4, common, tail)


def _first_names(rng: np.random.Generator, female: NDArray[np.bool_]) -> NDArray[np.object_]:
    n = len(female)
    women = objects(FEMALE_FIRST_NAMES)[zipf_index(rng, len(FEMALE_FIRST_NAMES), n, exponent=0.5)]
    men = objects(MALE_FIRST_NAMES)[zipf_index(rng, len(MALE_FIRST_NAMES), n, exponent=0.5)]
    names = np.where(female, women, men)
    # Some rarer names, spelled from syllables, so a first name is not one of 140.
    rare = rng.random(n) < 0.3
    s = np.array(_SYLLABLES, dtype=object)
    k = int(rare.sum())
    names[rare] = (
        s[rng.integers(len(s), size=k)]
        + np.array(list("AEIOU"), dtype=object)[rng.integers(5, size=k)]
        + np.where(female[rare], "LA", "N")
    )
    return names


@frozen(eq=False)
class _People:
    first: NDArray[np.object_]
    middle: NDArray[np.object_]
    last: NDArray[np.object_]
    suffix: NDArray[np.object_]
    birth: NDArray[np.int32]
    gender: NDArray[np.object_]


def _draw_people(rng: np.random.Generator, n: int, born: tuple[int, int]) -> _People:
    female = rng.random(n) < 0.5
    middle = _first_names(rng, female)
    middle[rng.random(n) < 0.3] = None
    suffix = np.full(n, None, dtype=object)
    junior = ~female & (rng.random(n) < 0.03)
    suffix[junior] = np.array(["JR", "II", "III"], dtype=object)[
        rng.integers(3, size=int(junior.sum()))
    ]
    lo, hi = day_number(dt.date(born[0], 1, 1)), day_number(dt.date(born[1], 12, 31))
    last = _surnames(rng, n)
    hyphen = rng.random(n) < 0.04
    last[hyphen] = last[hyphen] + "-" + _surnames(rng, int(hyphen.sum()))
    return _People(
        first=_first_names(rng, female),
        middle=middle,
        last=last,
        suffix=suffix,
        birth=rng.integers(lo, hi + 1, size=n).astype(np.int32),
        gender=np.where(female, "F", "M").astype(object),
    )


def _differ(
    rng: np.random.Generator,
    first: NDArray[np.object_],
    a: NDArray[np.intp],
    b: NDArray[np.intp],
    *,
    other: NDArray[np.object_] | None = None,
) -> None:
    """Give ``first[b]`` a first name unlike ``(other or first)[a]`` (twins have their own names)."""
    source = first if other is None else other
    pool = objects(FEMALE_FIRST_NAMES + MALE_FIRST_NAMES)
    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        # Not the same name, nor one that starts the same way (ANN / ANNA are not twins' names here).
        while first[y] is None or first[y][:3] == source[x][:3]:
            first[y] = pool[rng.integers(len(pool))]


def _typo(rng: np.random.Generator, word: str) -> str:
    if len(word) < 3:
        return word + _LETTERS[rng.integers(26)]
    i = int(rng.integers(1, len(word)))
    kind = int(rng.integers(4))
    if kind == 0:
        return word[:i] + _LETTERS[rng.integers(26)] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + _LETTERS[rng.integers(26)] + word[i:]
    j = min(i + 1, len(word) - 1)
    return word[: i - 1] + word[i] + word[i - 1] + word[j:] if i > 0 else word


@frozen(eq=False)
class _Store:
    """The person store's people and SSNs, and unused SSNs (one per submitted student)."""

    people: _People
    ssn: NDArray[np.object_]
    fresh: NDArray[np.object_]


@frozen(eq=False)
class _Submitted:
    """
    The submitted students before their errors: the first *n_in* are store people, in order
    of *truth* (their store row); the others are not in the store (truth -1).
    """

    people: _People
    ssn: NDArray[np.object_]
    truth: NDArray[np.int32]
    n_in: int


@frozen(eq=False)
class _Errors:
    """The error kinds applied to each submitted student, and the last names they had before."""

    kinds: list[list[str]]
    previous: NDArray[np.object_]


def synthetic_matching(
    n_people: int,
    n_submitted: int,
    *,
    in_store: float = 0.6,
    store_ssn: float = 0.8,
    submitted_ssn: float = 0.5,
    twins: float = 0.02,
    error_rates: dict[str, float] | None = None,
    born: tuple[int, int] = (1985, 2006),
    seed: int = 0,
) -> SyntheticMatching:
    """
    Generate a person store and a submitted file with the errors real files have.

    Args:
        n_people: People in the store.
        n_submitted: Submitted students.
        in_store: Share of submitted students who are in the store.
        store_ssn: Share of store people with an SSN.
        submitted_ssn: Share of submitted students with an SSN.
        twins: Share of store people who have a twin in the store, and of submitted students
            not in the store who are the twin of someone in it (same last name and birth
            date, different first name): matching them is the costly error.
        error_rates: Override the rates of :data:`ERROR_KINDS` (by name).
        born: First and last birth year.
        seed: Random seed: the same arguments give the same data.

    Examples:
        >>> data = synthetic_matching(200, 50, seed=1)
        >>> data.people.n_rows, data.submitted.n_rows, int((data.truth >= 0).sum())
        (200, 50, 30)
    """
    if n_submitted < 0 or n_people < 0 or not 0.0 <= in_store <= 1.0:
        msg = f"{n_people=} and {n_submitted=} must be >= 0 and {in_store=} between 0 and 1"
        raise InvalidArgumentError(msg)
    rates = _rates(error_rates)
    rng = np.random.default_rng(seed)
    store = _store(rng, n_people, n_submitted, born=born, twins=twins, store_ssn=store_ssn)
    n_in = min(round(in_store * n_submitted), n_people)
    sub = _submitted(
        rng, store, n_in, n_submitted - n_in, born=born, twins=twins, submitted_ssn=submitted_ssn
    )
    errors = _apply_errors(rng, sub, rates)
    order = rng.permutation(n_submitted)
    submitted = _table(
        digit_strings(np.arange(n_submitted, dtype=np.int64), 7, "S"),
        take_rows(sub.people, order),
        sub.ssn[order],
        errors.previous[order],
    )
    people = _table(
        digit_strings(np.arange(n_people, dtype=np.int64), 7, "P"), store.people, store.ssn, None
    )
    kinds = objects([";".join(e) for e in errors.kinds])[order]
    return SyntheticMatching(people, submitted, sub.truth[order], kinds)


def _rates(error_rates: dict[str, float] | None) -> dict[str, float]:
    """The rate of each error kind: the defaults, with *error_rates* in place of some."""
    rates = dict(ERROR_KINDS)
    for name, rate in (error_rates or {}).items():
        if name not in ERROR_KINDS:
            msg = f"unknown error kind {name!r}; known: {', '.join(ERROR_KINDS)}"
            raise InvalidArgumentError(msg)
        rates[name] = rate
    return rates


def _store(
    rng: np.random.Generator,
    n_people: int,
    n_submitted: int,
    *,
    born: tuple[int, int],
    twins: float,
    store_ssn: float,
) -> _Store:
    """The person store, twins included, and distinct SSNs for the store and the submitted."""
    people = _draw_people(rng, n_people, born)
    # Twins: a later row copies an earlier one's last name and birth date, keeps its own first name.
    n_twins = int(twins * n_people) // 2
    if n_twins:
        pick = rng.choice(n_people, size=2 * n_twins, replace=False)
        a, b = pick[:n_twins], pick[n_twins:]
        people.last[b] = people.last[a]
        people.birth[b] = people.birth[a]
        _differ(rng, people.first, a, b)
    # An affine map with a multiplier coprime to 900,000,000: every SSN drawn is distinct.
    positions = rng.permutation(n_people + n_submitted).astype(np.int64)
    all_ssn = digit_strings((positions * 7_654_321 + 1) % 900_000_000 + 100_000_000, 9)
    ssn = all_ssn[:n_people].copy()
    ssn[rng.random(n_people) >= store_ssn] = None
    return _Store(people, ssn, all_ssn[n_people:])


def _submitted(
    rng: np.random.Generator,
    store: _Store,
    n_in: int,
    n_out: int,
    *,
    born: tuple[int, int],
    twins: float,
    submitted_ssn: float,
) -> _Submitted:
    """*n_in* store people and *n_out* others, some of them the twin of a store person."""
    people = store.people
    n_people = len(people.birth)
    source = rng.choice(n_people, size=n_in, replace=False)
    outsiders = _draw_people(rng, n_out, born)
    # Some outsiders are the twin of a store person: same last name and birth date.
    n_out_twins = min(int(twins * n_out * 5), n_people)
    if n_out_twins:
        sibling = rng.choice(n_people, size=n_out_twins, replace=False)
        outsiders.last[:n_out_twins] = people.last[sibling]
        outsiders.birth[:n_out_twins] = people.birth[sibling]
        _differ(rng, outsiders.first, sibling, np.arange(n_out_twins), other=people.first)
    # A student the store has no SSN for may still have one: their own, never another's.
    ssn = np.concatenate([store.ssn[source], np.full(n_out, None, dtype=object)])
    ssn = np.where(np.array([v is None for v in ssn.tolist()]), store.fresh, ssn)
    ssn[rng.random(n_in + n_out) >= submitted_ssn] = None
    truth = np.concatenate([source, np.full(n_out, -1)]).astype(np.int32)
    return _Submitted(stack_rows((take_rows(people, source), outsiders)), ssn, truth, n_in)


def _apply_errors(rng: np.random.Generator, sub: _Submitted, rates: dict[str, float]) -> _Errors:
    """Apply each error kind, at its rate, to the submitted students who are in the store."""
    p = sub.people
    first, last, birth = p.first, p.last, p.birth
    errors = _Errors([[] for _ in range(len(birth))], np.full(len(birth), None, dtype=object))

    def hit(kind: str) -> NDArray[np.intp]:
        rows = np.flatnonzero(rng.random(sub.n_in) < rates[kind])
        for r in rows.tolist():
            errors.kinds[r].append(kind)
        return rows

    def each(rows: NDArray[np.intp], array: NDArray[np.object_], fn: Callable[[str], str]) -> None:
        for r in rows.tolist():
            if array[r] is not None:
                array[r] = fn(array[r])

    each(hit("typo_first"), first, lambda w: _typo(rng, w))
    each(hit("typo_last"), last, lambda w: _typo(rng, w))
    each(hit("nickname"), first, lambda w: _NICK.get(w, w))
    rows = hit("swapped")
    first[rows], last[rows] = last[rows], first[rows].copy()
    rows = hit("hyphenated")
    each(
        rows,
        last,
        lambda w: w.replace("-", " ") if "-" in w else w + "-" + str(_surnames(rng, 1)[0]),
    )
    rows = hit("married")
    errors.previous[rows] = last[rows]
    last[rows] = _surnames(rng, len(rows))
    y, m, d = civil_parts(birth[: sub.n_in])
    rows = hit("day_month_swap")
    rows = rows[d[rows] <= 12]
    birth[rows] = civil_days(y[rows], d[rows], m[rows])
    rows = hit("birth_digit")
    # The year one off (a digit typo); kept valid, so 29 February moves to the 28th.
    birth[rows] = civil_days(y[rows] + rng.choice([-1, 1], size=len(rows)), m[rows], d[rows])
    leap = (m[rows] == 2) & (d[rows] == 29)
    birth[rows[leap]] -= 1
    p.middle[hit("middle_missing")] = None
    each(hit("ssn_typo"), sub.ssn, lambda s: s[:8] + str((int(s[8]) + 1) % 10))
    rows = hit("lower_case")
    each(rows, first, lambda w: _ACCENTED.get(w, w.title()))
    each(rows, last, lambda w: _ACCENTED.get(w, w.title()))
    return errors


def _table(
    ids: NDArray[np.object_],
    people: _People,
    ssn: NDArray[np.object_],
    previous: NDArray[np.object_] | None,
) -> Table:
    data = {"birth_date": people.birth.astype(np.int32)}
    categories = {}
    columns = {
        "requester_id": ids, "first_name": people.first, "middle_name": people.middle,
        "last_name": people.last, "name_suffix": people.suffix, "ssn": ssn,
        "gender": people.gender,
    }  # fmt: skip
    extras: tuple[Column, ...] = ()
    if previous is not None:
        columns["previous_last_name"] = previous
        extras = (Column("previous_last_name", Kind.TEXT),)
    for name, values in columns.items():
        codes, cats = encode_text(values.tolist())
        data[name] = codes
        categories[name] = cats
    return Table.from_arrays("students", data, categories, extras)
