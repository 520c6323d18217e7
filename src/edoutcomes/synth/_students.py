"""Synthetic students: the students table, built straight from arrays (no per-student objects)."""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np
from attrs import frozen
from dateutil.relativedelta import relativedelta
from numpy.typing import NDArray

from .._kernel._days import MISSING_DAY, civil_parts
from .._kernel._days import day as day_number
from ..model import Column, Kind, Table
from ._arrays import Part, digit_strings, objects, table_of, zipf_index
from ._names import (
    FEMALE_FIRST_NAMES,
    HOME_REGION,
    LAST_NAMES,
    MALE_FIRST_NAMES,
    RACE_ETHNICITY,
    STATES,
    SUFFIXES,
)

__all__ = ["EXTRA_COLUMNS", "StudentDraw", "make_students"]

#: The optional Y/N attribute columns of a synthetic students table.
EXTRA_COLUMNS = (Column("pell", Kind.BOOL), Column("first_generation", Kind.BOOL))
_N_HIGH_SCHOOLS = 400


@frozen(eq=False)
class StudentDraw:
    """The students table and the per-student traits the enrollment simulation uses."""

    table: Table
    #: Relative risk of stopping out or dropping out (Pell, first generation, older).
    risk: NDArray[np.float32]
    #: Mostly full-time (else mostly part-time).
    full_time: NDArray[np.bool_]


@frozen(eq=False)
class _Traits:
    """The Y/N attribute columns and the traits the enrollment simulation uses."""

    part: Part
    risk: NDArray[np.float32]
    full_time: NDArray[np.bool_]


def make_students(rng: np.random.Generator, n: int, *, search_date: dt.date) -> StudentDraw:
    """Draw *n* students: ids, names, birth dates, high school, demographics, Y/N attributes."""
    ids = _ids(rng, n)
    names = _names(rng, n)
    ages = _ages(rng, n)
    dates = _dates(rng, ages, search_date)
    schools = _high_schools(rng, n)
    demographics = _race_and_ssn(rng, n)
    traits = _traits(rng, ages)
    parts = (ids, names, dates, schools, demographics, traits.part)
    table = table_of("students", parts, EXTRA_COLUMNS)
    return StudentDraw(table, traits.risk, traits.full_time)


def _ids(rng: np.random.Generator, n: int) -> Part:
    """Requester ids (unique, unsorted) and unique ids."""
    width = max(7, len(str(n)) + 1)
    modulus = 10**width
    # An affine map with a multiplier coprime to 10 is a permutation: unique, unsorted ids.
    multiplier = int(rng.integers(1, modulus // 10)) * 10 + int(rng.choice([1, 3, 7, 9]))
    offset = int(rng.integers(modulus))
    positions = np.arange(n, dtype=np.int64)
    return Part(
        {
            "requester_id": np.arange(n, dtype=np.int32),
            "unique_id": np.arange(n, dtype=np.int32),
        },
        {
            "requester_id": digit_strings((positions * multiplier + offset) % modulus, width, "C"),
            "unique_id": digit_strings((positions * 7919 + 100_000_000 + offset) % 10**9, 9),
        },
    )


def _names(rng: np.random.Generator, n: int) -> Part:
    """Gender, and first, middle and last names and suffixes drawn from the name lists."""
    female = rng.random(n) < 0.55
    gender_codes = np.where(female, 0, 1).astype(np.int32)
    gender_codes[rng.random(n) < 0.01] = -1
    n_female = len(FEMALE_FIRST_NAMES)
    first_pool = FEMALE_FIRST_NAMES + MALE_FIRST_NAMES
    first = np.where(
        female,
        zipf_index(rng, n_female, n),
        n_female + zipf_index(rng, len(MALE_FIRST_NAMES), n),
    ).astype(np.int32)
    # Middle names: a first name of either list, or just an initial, or none.
    middle_pool = first_pool + tuple("ABCDEFGHJKLMNPRSTW")
    middle = rng.integers(0, len(middle_pool), n).astype(np.int32)
    middle[rng.random(n) < 0.35] = -1
    last = zipf_index(rng, len(LAST_NAMES), n, exponent=0.6).astype(np.int32)
    suffix = np.full(n, -1, dtype=np.int32)
    has_suffix = (~female) & (rng.random(n) < 0.05)
    suffix[has_suffix] = rng.integers(0, len(SUFFIXES), int(has_suffix.sum()))
    return Part(
        {
            "first_name": first,
            "middle_name": middle,
            "last_name": last,
            "name_suffix": suffix,
            "gender": gender_codes,
        },
        {
            "first_name": objects(first_pool),
            "middle_name": objects(middle_pool),
            "last_name": objects(LAST_NAMES),
            "name_suffix": objects(SUFFIXES),
            "gender": objects(("F", "M")),
        },
    )


def _ages(rng: np.random.Generator, n: int) -> NDArray[np.int64]:
    """Age at the search date: mostly 17-20, a tail of adult learners."""
    ages: NDArray[np.int64] = rng.choice(
        np.array([17, 18, 19, 20, 21, 22, 24, 27, 32, 40]),
        size=n,
        p=[0.08, 0.61, 0.17, 0.05, 0.02, 0.015, 0.02, 0.015, 0.01, 0.01],
    )
    return ages


def _dates(rng: np.random.Generator, ages: NDArray[np.int64], search_date: dt.date) -> Part:
    """Birth dates (a few on 29 February) and high-school graduation dates (a few missing)."""
    n = len(ages)
    birth = np.empty(n, dtype=np.int32)
    for age in np.unique(ages):
        rows = ages == age
        latest = day_number(search_date - relativedelta(years=int(age)))
        birth[rows] = latest - rng.integers(0, 365, int(rows.sum()))
    _some_on_leap_day(rng, birth, rate=0.002)

    grad_year = search_date.year - (search_date.month < 6) - np.maximum(ages - 18, 0)
    grad_year = grad_year - (rng.random(n) < 0.08)
    hs_grad = np.empty(n, dtype=np.int32)
    for year in np.unique(grad_year):
        rows = grad_year == year
        hs_grad[rows] = day_number(dt.date(int(year), 5, 20)) + rng.integers(0, 24, int(rows.sum()))
    hs_grad[rng.random(n) < 0.05] = MISSING_DAY
    return Part({"birth_date": birth, "hs_grad_date": hs_grad})


def _high_schools(rng: np.random.Generator, n: int) -> Part:
    """A pool of high schools (most in the home region) and each student's, a few unknown."""
    school_codes = digit_strings(
        150_000 + rng.choice(60_000, _N_HIGH_SCHOOLS, replace=False).astype(np.int64), 6
    )
    school_state = np.where(
        rng.random(_N_HIGH_SCHOOLS) < 0.85,
        rng.integers(0, len(HOME_REGION), _N_HIGH_SCHOOLS),
        rng.integers(0, len(STATES), _N_HIGH_SCHOOLS) + len(HOME_REGION),
    )
    school = zipf_index(rng, _N_HIGH_SCHOOLS, n, exponent=0.5).astype(np.int32)
    school[rng.random(n) < 0.04] = -1
    return Part(
        {
            "high_school_code": school,
            "high_school_state": np.where(school >= 0, school_state[school], -1).astype(np.int32),
        },
        {"high_school_code": school_codes, "high_school_state": objects(HOME_REGION + STATES)},
    )


def _race_and_ssn(rng: np.random.Generator, n: int) -> Part:
    """Race/ethnicity by its published shares, and never-issued SSNs for some students."""
    race_p = np.array([p for _, p in RACE_ETHNICITY])
    race = rng.choice(len(RACE_ETHNICITY), size=n, p=race_p / race_p.sum()).astype(np.int32)
    has_ssn = rng.random(n) < 0.4
    # Area numbers 900-999 with group numbers 01-49 are never issued as SSNs or ITINs.
    ssn_numbers = (
        rng.integers(900, 1000, n, dtype=np.int64) * 1_000_000
        + rng.integers(1, 50, n, dtype=np.int64) * 10_000
        + rng.integers(1, 10_000, n, dtype=np.int64)
    )
    ssn_codes = np.full(n, -1, dtype=np.int32)
    ssn_codes[has_ssn] = np.arange(int(has_ssn.sum()), dtype=np.int32)
    return Part(
        {"ssn": ssn_codes, "race_ethnicity": race},
        {
            "ssn": digit_strings(ssn_numbers[has_ssn], 9),
            "race_ethnicity": objects([name for name, _ in RACE_ETHNICITY]),
        },
    )


def _traits(rng: np.random.Generator, ages: NDArray[np.int64]) -> _Traits:
    """Pell and first-generation flags, and from them and age the risk and full-time share."""
    n = len(ages)
    pell = _flags(rng, n, 0.38)
    first_generation = _flags(rng, n, np.where(pell == 1, 0.45, 0.22))
    older = ages >= 21
    risk = (1.0 + 0.35 * (pell == 1) + 0.25 * (first_generation == 1) + 0.5 * older).astype(
        np.float32
    )
    full_time = rng.random(n) < np.where(older, 0.35, 0.78)
    return _Traits(Part({"pell": pell, "first_generation": first_generation}), risk, full_time)


def _flags(
    rng: np.random.Generator, n: int, p: float | NDArray[np.float64], missing: float = 0.02
) -> NDArray[np.int8]:
    flags = (rng.random(n) < p).astype(np.int8)
    flags[rng.random(n) < missing] = -1
    return flags


def _some_on_leap_day(rng: np.random.Generator, days: NDArray[np.int32], *, rate: float) -> None:
    """Move a share *rate* of the dates to Feb 29 of their year, where that year has one."""
    chosen = np.flatnonzero(rng.random(len(days)) < rate)
    years = civil_parts(days[chosen])[0]
    for year in np.unique(years):
        if calendar.isleap(int(year)):
            days[chosen[years == year]] = day_number(dt.date(int(year), 2, 29))
