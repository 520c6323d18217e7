"""
Synthetic K-12 data for the on-track collection: seeded, vectorised, state-sized in seconds.

Every table is built straight as columnar arrays (codes into small tables of distinct
strings), never one Python object per record, so 200,000 students with 3,000,000 marks
take a few seconds. The data are made up: names come from short lists, ids are sequential.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from .._kernel._days import day as day_number
from .._kernel._days import school_year_start
from ..errors import InvalidArgumentError
from ..model import (
    ADDRESSES,
    K12_STUDENTS,
    MISSING_DAY,
    ONTRACK_RECORDS,
    PARTICIPATIONS,
    SCHOOL_ENROLLMENTS,
    SCHOOL_PROVISIONS,
    TRANSCRIPT_MARKS,
    CalendarType,
    CreditMethod,
    ElStatus,
    Gender,
    K12Columns,
    MealEligibility,
    OnTrackStatus,
    Program,
    ProvisionStatus,
    SchoolYear,
    ServiceType,
    Table,
)
from ._arrays import Part, digit_strings, objects, table_of

__all__ = ["synthetic_k12"]

_FIRST = (
    "Ava",
    "Liam",
    "Maya",
    "Noah",
    "Sofia",
    "Mateo",
    "Isla",
    "Kai",
    "Zoe",
    "Eli",
    "Luz",
    "Ren",
)
_LAST = (
    "Nguyen",
    "Garcia",
    "Smith",
    "Johnson",
    "Lopez",
    "Kim",
    "Patel",
    "Brown",
    "Martinez",
    "Lee",
)
_MIDDLE = ("A", "Marie", "Jose", "Lynn", "Ray", "J")
_STREETS = ("Oak St", "Maple Ave", "Pine Rd", "Cedar Ln", "Elm St", "Willamette Blvd")
_CITIES = ("Salem", "Eugene", "Bend", "Medford", "Portland", "Corvallis", "Hermiston")
_LANGUAGES = ("0199", "0130", "0240", "0286", "0351")
_COURSES = tuple(f"C{i:04d}" for i in range(400))
_N_SCHOOLS = 300


def _codes(rng: np.random.Generator, weights: list[float], n: int) -> NDArray[np.int8]:
    p = np.asarray(weights, dtype=np.float64)
    return rng.choice(len(p), size=n, p=p / p.sum()).astype(np.int8)


def _text(
    values: NDArray[np.object_], codes: NDArray[Any]
) -> tuple[NDArray[np.int32], NDArray[np.object_]]:
    return codes.astype(np.int32), values


def _bool(rng: np.random.Generator, p: float, n: int) -> NDArray[np.int8]:
    return (rng.random(n) < p).astype(np.int8)


def synthetic_k12(
    n_students: int = 1000,
    *,
    seed: int = 2024,
    year: SchoolYear | str = "2023-24",
    ninth_graders: int | None = None,
    marks: int | None = None,
    participations: int | None = None,
) -> K12Columns:
    """
    A district's K-12 data for the on-track collection of *year*, made up and reproducible.

    About a quarter of the students (or *ninth_graders*) first entered grade 9 in *year*;
    the others entered earlier or are still in middle school. Each ninth grader has marks
    from the year (some failed, some not latest or not finalized, some transfer or credit
    recovery, some from the summer before), an on-track record, one or two enrollments
    (a few no-shows and state-excluded ones), addresses (some P.O. boxes) and program
    participations. About 3% have no state id and 1% of state ids fail the check digit.

    Args:
        n_students: Number of students.
        seed: Random seed: the same seed gives the same data.
        year: The reporting school year the data are shaped around.
        ninth_graders: First-time ninth graders (default: a quarter of the students).
        marks: Transcript marks in all (default: 15 per student).
        participations: Program participations in all (default: 2 per student).

    Raises:
        InvalidArgumentError: If a count is negative or *ninth_graders* exceeds *n_students*.

    Examples:
        >>> data = synthetic_k12(100, seed=1)
        >>> data.n_students, data.marks.n_rows, data.participations.n_rows
        (100, 1500, 200)
    """
    school_year = SchoolYear.parse(year)
    n = int(n_students)
    n9 = n // 4 if ninth_graders is None else int(ninth_graders)
    n_marks = 15 * n if marks is None else int(marks)
    n_parts = 2 * n if participations is None else int(participations)
    if min(n, n9, n_marks, n_parts) < 0 or n9 > n:
        msg = "counts must be zero or more, and ninth_graders at most n_students"
        raise InvalidArgumentError(msg)
    rng = np.random.default_rng(seed)
    first = day_number(school_year.first_day)

    is_ninth = np.zeros(n, dtype=bool)
    is_ninth[rng.permutation(n)[:n9]] = True
    students, grade9 = _students(rng, n, is_ninth, school_year)
    enrollments = _enrollments(rng, n, is_ninth, grade9, first)
    return K12Columns.from_tables(
        students,
        enrollments=enrollments,
        participations=_participations(rng, n, n_parts, first),
        marks=_marks(rng, n, n_marks, is_ninth, first),
        ontrack_records=_ontrack(rng, n, is_ninth, first, school_year),
        addresses=_addresses(rng, n, first),
        provisions=_provisions(rng, first),
    )


@frozen(eq=False)
class _Entry:
    """Grade-9 entry dates (missing for some not yet in grade 9) and birth dates."""

    grade9: NDArray[np.int32]
    birth: NDArray[np.int64]


def _students(
    rng: np.random.Generator, n: int, is_ninth: NDArray[np.bool_], year: SchoolYear
) -> tuple[Table, NDArray[np.int32]]:
    ssids = _ssids(rng, n)
    entry = _entry(rng, is_ninth, day_number(year.first_day))
    genders = _genders(rng, n)
    names = _student_names(rng, n)
    dates = Part({"birth_date": entry.birth.astype(np.int32), "grade9_entry_date": entry.grade9})
    ids = Part(
        {"student_id": np.arange(n, dtype=np.int32)},
        {"student_id": digit_strings(np.arange(1, n + 1, dtype=np.int64), 7, "D")},
    )
    parts = (ids, ssids, names, dates, genders, _demographics(rng, n), _contacts(rng, n))
    return table_of(K12_STUDENTS, parts), entry.grade9


def _ssids(rng: np.random.Generator, n: int) -> Part:
    """State ids with a check digit (1% of them wrong); 3% of students have none."""
    base = rng.integers(100_000_000, 999_999_999, size=n, dtype=np.int64)
    weights = np.array([4, 3, 2, 7, 6, 5, 4, 3, 2], dtype=np.int64)
    powers = 10 ** np.arange(8, -1, -1, dtype=np.int64)
    check = np.full(n, 10, dtype=np.int64)
    # A base whose check digit would be 10 is never issued: step to the next base.
    while (pending := check == 10).any():
        base[pending] += 1
        check[pending] = 11 - ((base[pending, None] // powers) % 10 @ weights) % 11
        check[check == 11] = 0
    wrong = rng.random(n) < 0.01
    check[wrong] = (check[wrong] + 1) % 10
    ssid_codes = np.where(rng.random(n) < 0.97, np.arange(n), -1).astype(np.int32)
    return Part({"ssid": ssid_codes}, {"ssid": digit_strings(base * 10 + check, 10)})


def _entry(rng: np.random.Generator, is_ninth: NDArray[np.bool_], first: int) -> _Entry:
    """Grade-9 entry: ninth graders in the year (mostly its first days), others earlier or not yet."""
    n = len(is_ninth)
    entry = first + 60 + rng.integers(-5, 10, size=n)
    late = rng.random(n) < 0.05
    entry[late] = first + rng.integers(0, 365, size=int(late.sum()))
    offset = rng.choice([1, 2, 3, -1], size=n, p=[0.3, 0.3, 0.3, 0.1])
    grade9 = np.where(is_ninth, entry, entry - 365 * offset).astype(np.int32)
    grade9[(~is_ninth) & (offset == -1)] = MISSING_DAY
    return _Entry(grade9, first - 365 * 14 - rng.integers(0, 365, size=n))


def _genders(rng: np.random.Generator, n: int) -> Part:
    """Gender, and the legal gender where it is known."""
    gender_members = [m for m in Gender if m is not Gender.UNKNOWN]
    gender_codes = np.array([m.code for m in gender_members], dtype=np.int8)
    legal_gender = np.where(rng.random(n) < 0.8, gender_codes[_codes(rng, [49, 49, 2], n)], -1)
    gender = gender_codes[_codes(rng, [49, 49, 2], n)]
    return Part({"legal_gender": legal_gender.astype(np.int8), "gender": gender.astype(np.int8)})


def _student_names(rng: np.random.Generator, n: int) -> Part:
    """Legal and chosen names from the short lists, some parts missing."""

    def some(share: float, size: int) -> NDArray[np.int32]:
        return np.where(rng.random(n) < share, rng.integers(0, size, n), -1).astype(np.int32)

    data: dict[str, NDArray[Any]] = {
        "legal_last_name": some(0.9, len(_LAST)),
        "legal_first_name": some(0.9, len(_FIRST)),
        "legal_middle_name": some(0.5, len(_MIDDLE)),
        "last_name": rng.integers(0, len(_LAST), n).astype(np.int32),
        "first_name": rng.integers(0, len(_FIRST), n).astype(np.int32),
        "middle_name": some(0.6, len(_MIDDLE)),
        "name_suffix": np.where(rng.random(n) < 0.02, 0, -1).astype(np.int32),
    }
    first_names = objects(_FIRST)
    categories = {
        "legal_last_name": objects(_LAST),
        "legal_first_name": first_names,
        "legal_middle_name": objects(_MIDDLE),
        "last_name": objects(_LAST),
        "first_name": first_names,
        "middle_name": objects(_MIDDLE),
        "name_suffix": objects(["JR"]),
    }
    return Part(data, categories)


def _demographics(rng: np.random.Generator, n: int) -> Part:
    """Ethnicity and race flags, tribal affiliation, languages and the SSN's last four digits."""
    data: dict[str, NDArray[Any]] = {
        "hispanic": _bool(rng, 0.25, n),
        "race_american_indian": _bool(rng, 0.03, n),
        "race_asian": _bool(rng, 0.05, n),
        "race_black": _bool(rng, 0.03, n),
        "race_white": _bool(rng, 0.7, n),
        "race_pacific_islander": _bool(rng, 0.01, n),
        "tribal_codes": np.where(rng.random(n) < 0.02, 0, -1).astype(np.int32),
        "home_language": rng.choice(len(_LANGUAGES), n, p=[0.8, 0.1, 0.05, 0.03, 0.02]).astype(
            np.int32
        ),
        "secondary_language": np.where(
            rng.random(n) < 0.1, rng.integers(0, len(_LANGUAGES), n), -1
        ).astype(np.int32),
        "ssn_last4": np.where(rng.random(n) < 0.6, rng.integers(0, 10_000, n), -1).astype(np.int32),
    }
    categories = {
        "tribal_codes": objects(["0311"]),
        "home_language": objects(_LANGUAGES),
        "secondary_language": objects(_LANGUAGES),
        "ssn_last4": digit_strings(np.arange(10_000, dtype=np.int64), 4),
    }
    return Part(data, categories)


def _contacts(rng: np.random.Generator, n: int) -> Part:
    """Cell and other phone numbers, some missing."""
    phones = digit_strings(5035550000 + np.arange(n, dtype=np.int64) % 10_000, 10)
    return Part(
        {
            "cell_phone": np.where(rng.random(n) < 0.7, np.arange(n), -1).astype(np.int32),
            "other_phone": np.where(rng.random(n) < 0.5, np.arange(n), -1).astype(np.int32),
        },
        {"cell_phone": phones, "other_phone": phones},
    )


def _schools() -> tuple[NDArray[np.object_], NDArray[np.object_]]:
    schools = digit_strings(4000 + np.arange(_N_SCHOOLS, dtype=np.int64), 4)
    districts = digit_strings(2000 + np.arange(_N_SCHOOLS // 15, dtype=np.int64), 4)
    return schools, districts


def _enrollments(
    rng: np.random.Generator,
    n: int,
    is_ninth: NDArray[np.bool_],
    grade9: NDArray[np.int32],
    first: int,
) -> Table:
    school_of = rng.integers(0, _N_SCHOOLS, size=n)
    extra = np.flatnonzero(rng.random(n) < 0.1)
    student = np.concatenate([np.arange(n), extra])
    m = len(student)
    school = np.concatenate([school_of, rng.integers(0, _N_SCHOOLS, size=len(extra))])
    start = np.full(m, first + 66, dtype=np.int64) + rng.integers(-3, 4, size=m)
    # A few students only enrolled the year before (not enrolled in the year).
    gone = rng.random(m) < 0.02
    start[gone] -= 365
    end = np.where(gone | (rng.random(m) < 0.3), start + rng.integers(30, 280, size=m), MISSING_DAY)
    second = np.arange(m) >= n
    start[second] += rng.integers(30, 200, size=int(second.sum()))
    end[second] = MISSING_DAY
    service = np.full(m, ServiceType.PRIMARY.code, dtype=np.int8)
    service[second] = _codes(rng, [0.2, 0.6, 0.2], int(second.sum()))
    grade_years = np.where(
        grade9[student] == MISSING_DAY, -1, (first + 180 - grade9[student]) // 365
    )
    grade = np.clip(9 + grade_years, 6, 12)
    grade[~is_ninth[student] & (grade9[student] == MISSING_DAY)] = 8
    grades = objects([f"{g:02d}" for g in range(6, 13)])
    counties = digit_strings(np.arange(1, 37, dtype=np.int64), 2)
    schools, districts = _schools()
    district = school // 15
    data: dict[str, NDArray[Any]] = {
        "student_id": student.astype(np.int32),
        "district_id": district.astype(np.int32),
        "school_id": school.astype(np.int32),
        "start_date": start.astype(np.int32),
        "end_date": end.astype(np.int32),
        "grade_level": (grade - 6).astype(np.int32),
        "service_type": service,
        "resident_district_id": district.astype(np.int32),
        "resident_school_id": school.astype(np.int32),
        "serving_district_id": np.where(rng.random(m) < 0.9, district, -1).astype(np.int32),
        "serving_school_id": np.where(rng.random(m) < 0.9, school, -1).astype(np.int32),
        "resident_county": (district % 36).astype(np.int32),
        "no_show": _bool(rng, 0.01, m),
        "state_exclude": _bool(rng, 0.01, m),
        "distance_learning": _bool(rng, 0.05, m),
        "home_schooled": _bool(rng, 0.01, m),
        "calendar_id": school.astype(np.int32),
        "calendar_type": np.where(
            school % 20 == 7, CalendarType.ALTERNATIVE.code, CalendarType.REGULAR.code
        ).astype(np.int8),
        "calendar_state_exclude": (school % 97 == 13).astype(np.int8),
        "grade_state_exclude": _bool(rng, 0.002, m),
    }
    categories = {
        "student_id": digit_strings(np.arange(1, n + 1, dtype=np.int64), 7, "D"),
        "district_id": districts,
        "school_id": schools,
        "grade_level": grades,
        "resident_district_id": districts,
        "resident_school_id": schools,
        "serving_district_id": districts,
        "serving_school_id": schools,
        "resident_county": counties,
        "calendar_id": schools,
    }
    return Table.from_arrays(SCHOOL_ENROLLMENTS, data, categories)


def _marks(
    rng: np.random.Generator,
    n: int,
    n_marks: int,
    is_ninth: NDArray[np.bool_],
    first: int,
) -> Table:
    if n == 0:
        return Table.empty(TRANSCRIPT_MARKS)
    # Ninth graders hold more marks (about 20 each at 15 a student); the rest spread over everyone.
    weight = np.where(is_ninth, 1.5, 1.0)
    student = rng.choice(n, size=n_marks, p=weight / weight.sum())
    failing = rng.beta(1.2, 3.0, size=n)
    credits = np.where(rng.random(n_marks) < 0.75, 0.5, 1.0)
    credits[rng.random(n_marks) < failing[student]] = 0.0
    # Dates: semester ends of the year, some summer before the year, some earlier years.
    ends = np.array([first + 209, first + 348, first - 20], dtype=np.int64)
    date = ends[rng.choice(3, size=n_marks, p=[0.46, 0.46, 0.08])] + rng.integers(
        -3, 4, size=n_marks
    )
    older = ~is_ninth[student] & (rng.random(n_marks) < 0.6)
    date[older] -= 365 * rng.integers(1, 3, size=int(older.sum()))
    method = _codes(rng, [0.9, 0.05, 0.04, 0.005, 0.005, 0.0], n_marks)
    index = [m.code for m in CreditMethod]
    method = np.array(index, dtype=np.int8)[method]
    years = objects([SchoolYear(s).label for s in range(1990, 2100)])
    start_year = school_year_start(date.astype(np.int32))
    data: dict[str, NDArray[Any]] = {
        "student_id": student.astype(np.int32),
        "course_id": rng.integers(0, len(_COURSES), size=n_marks).astype(np.int32),
        "mark_date": date.astype(np.int32),
        "credits_earned": credits,
        "hs_credit": (rng.random(n_marks) < 0.97).astype(np.int8),
        "latest": (rng.random(n_marks) < 0.95).astype(np.int8),
        "finalized": (rng.random(n_marks) < 0.97).astype(np.int8),
        "credit_method": method,
        "school_year": (start_year - 1990).astype(np.int32),
        "school_id": rng.integers(0, _N_SCHOOLS, size=n_marks).astype(np.int32),
    }
    categories = {
        "student_id": digit_strings(np.arange(1, n + 1, dtype=np.int64), 7, "D"),
        "course_id": objects(_COURSES),
        "school_year": years,
        "school_id": _schools()[0],
    }
    return Table.from_arrays(TRANSCRIPT_MARKS, data, categories)


def _participations(rng: np.random.Generator, n: int, m: int, first: int) -> Table:
    if n == 0:
        return Table.empty(PARTICIPATIONS)
    programs = [p for p in Program if p is not Program.UNKNOWN]
    weights = [0.15, 0.05, 0.02, 0.1, 0.06, 0.35, 0.1, 0.1, 0.07]
    program = np.array([p.code for p in programs], dtype=np.int8)[_codes(rng, weights, m)]
    start = first - rng.integers(0, 3 * 365, size=m)
    end = np.where(rng.random(m) < 0.5, MISSING_DAY, start + rng.integers(30, 3 * 365, size=m))
    el = program == Program.ENGLISH_LEARNER.code
    meal = program == Program.MEAL_ELIGIBILITY.code
    data: dict[str, NDArray[Any]] = {
        "student_id": rng.integers(0, n, size=m).astype(np.int32),
        "program": program,
        "start_date": start.astype(np.int32),
        "end_date": end.astype(np.int32),
        "el_status": np.where(
            el,
            np.where(rng.random(m) < 0.7, ElStatus.ENGLISH_LEARNER.code, ElStatus.EXITED.code),
            -1,
        ).astype(np.int8),
        "meal_eligibility": np.where(
            meal,
            np.array(
                [
                    x.code
                    for x in (MealEligibility.FREE, MealEligibility.REDUCED, MealEligibility.PAID)
                ]
            )[_codes(rng, [5, 2, 3], m)],
            -1,
        ).astype(np.int8),
        "special_ed_eligible": np.where(
            program == Program.SPECIAL_ED_DATA_PLAN.code, _bool(rng, 0.8, m), -1
        ).astype(np.int8),
        "locked": np.where(program == Program.IEP.code, _bool(rng, 0.7, m), -1).astype(np.int8),
    }
    categories = {"student_id": digit_strings(np.arange(1, n + 1, dtype=np.int64), 7, "D")}
    return Table.from_arrays(PARTICIPATIONS, data, categories)


def _ontrack(
    rng: np.random.Generator, n: int, is_ninth: NDArray[np.bool_], first: int, year: SchoolYear
) -> Table:
    student = np.flatnonzero(is_ninth & (rng.random(n) < 0.95))
    m = len(student)
    start = first + 66 + rng.integers(-3, 30, size=m)
    other = rng.random(m) < 0.03
    start[other] -= 365
    status = np.where(
        rng.random(m) < 0.8, OnTrackStatus.ON_TRACK.code, OnTrackStatus.NOT_ON_TRACK.code
    )
    years = objects([year.label, SchoolYear(year.start - 1).label])
    data: dict[str, NDArray[Any]] = {
        "student_id": student.astype(np.int32),
        "start_date": start.astype(np.int32),
        "end_date": np.full(m, MISSING_DAY, dtype=np.int32),
        "first_year_entered_hs": other.astype(np.int32),
        "program_status": status.astype(np.int8),
    }
    categories = {
        "student_id": digit_strings(np.arange(1, n + 1, dtype=np.int64), 7, "D"),
        "first_year_entered_hs": years,
    }
    return Table.from_arrays(ONTRACK_RECORDS, data, categories)


def _addresses(rng: np.random.Generator, n: int, first: int) -> Table:
    extra = np.flatnonzero(rng.random(n) < 0.2)
    student = np.concatenate([np.arange(n), extra])
    m = len(student)
    secondary = np.arange(m) >= n
    po_box = secondary & (rng.random(m) < 0.5)
    household = np.where(secondary & ~po_box, student + n, student)
    numbers = digit_strings(np.arange(100, 10_000, dtype=np.int64), 4)
    zips = digit_strings(97001 + np.arange(900, dtype=np.int64), 5)
    data: dict[str, NDArray[Any]] = {
        "student_id": student.astype(np.int32),
        "household_id": household.astype(np.int32),
        "location_id": np.arange(m, dtype=np.int32),
        "household_primary": (~(secondary & ~po_box)).astype(np.int8),
        "location_primary": np.ones(m, dtype=np.int8),
        "po_box": po_box.astype(np.int8),
        "address_number": np.where(po_box, -1, rng.integers(0, len(numbers), size=m)).astype(
            np.int32
        ),
        "address_prefix": np.where(rng.random(m) < 0.2, 0, -1).astype(np.int32),
        "address_street": np.where(
            po_box, len(_STREETS), rng.integers(0, len(_STREETS), size=m)
        ).astype(np.int32),
        "address_tag": np.full(m, -1, dtype=np.int32),
        "address_city": rng.integers(0, len(_CITIES), size=m).astype(np.int32),
        "address_zip": rng.integers(0, len(zips), size=m).astype(np.int32),
        "address_zip4": np.where(rng.random(m) < 0.3, rng.integers(0, 9999, size=m), -1).astype(
            np.int32
        ),
        "start_date": (first - rng.integers(0, 2000, size=m)).astype(np.int32),
        "end_date": np.full(m, MISSING_DAY, dtype=np.int32),
    }
    categories = {
        "student_id": digit_strings(np.arange(1, n + 1, dtype=np.int64), 7, "D"),
        "household_id": digit_strings(np.arange(2 * max(n, 1), dtype=np.int64), 8, "H"),
        "location_id": digit_strings(np.arange(max(m, 1), dtype=np.int64), 8, "L"),
        "address_number": numbers,
        "address_prefix": objects(["NE"]),
        "address_street": objects([*_STREETS, "PO Box 12"]),
        "address_tag": objects([]),
        "address_city": objects(_CITIES),
        "address_zip": zips,
        "address_zip4": digit_strings(np.arange(9999, dtype=np.int64), 4),
    }
    return Table.from_arrays(ADDRESSES, data, categories)


def _provisions(rng: np.random.Generator, first: int) -> Table:
    schools = _schools()[0]
    provision = np.where(
        rng.random(_N_SCHOOLS) < 0.2,
        ProvisionStatus.PROVISION_2.code,
        ProvisionStatus.NONE.code,
    )
    data: dict[str, NDArray[Any]] = {
        "school_id": np.arange(_N_SCHOOLS, dtype=np.int32),
        "provision": provision.astype(np.int8),
        "start_date": np.full(_N_SCHOOLS, first - 730, dtype=np.int32),
        "end_date": np.full(_N_SCHOOLS, MISSING_DAY, dtype=np.int32),
    }
    return Table.from_arrays(SCHOOL_PROVISIONS, data, {"school_id": schools})
