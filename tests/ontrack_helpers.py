"""Builders for the on-track example tests: one student who reports, and ways to change it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from edoutcomes.model import (
    Gender,
    K12Columns,
    K12Student,
    SchoolEnrollment,
    TranscriptMark,
)
from edoutcomes.ontrack import Eligibility, OnTrackExtract, build_extract, eligibility

YEAR = "2023-24"
AS_OF = dt.date(2024, 6, 20)
D = dt.date


def student(**changes: Any) -> K12Student:
    """A ninth grader of 2023-24 with a valid state id and every required field."""
    base = K12Student(
        "S1",
        ssid="5161928722",
        legal_last_name="Doe",
        legal_first_name="Jane",
        last_name="Dough",
        first_name="Janie",
        birth_date=D(2009, 3, 4),
        legal_gender=Gender.FEMALE,
        grade9_entry_date=D(2023, 9, 5),
    )
    return attrs.evolve(base, **changes)


def enrollment(**changes: Any) -> SchoolEnrollment:
    """An open primary enrollment in grade 9 from the first school day of 2023-24."""
    base = SchoolEnrollment(
        "S1",
        "2063",
        "4512",
        D(2023, 9, 5),
        grade_level="09",
        resident_district_id="2063",
        resident_school_id="4512",
        resident_county="24",
    )
    return attrs.evolve(base, **changes)


def mark(credits: float = 6.0, **changes: Any) -> TranscriptMark:
    """A finalized, latest, high-school classroom mark dated at the end of 2023-24."""
    return attrs.evolve(TranscriptMark("S1", "ENG9", D(2024, 6, 10), credits), **changes)


def data(
    students: list[K12Student] | None = None,
    enrollments: list[SchoolEnrollment] | None = None,
    marks: list[TranscriptMark] | None = None,
    **tables: Any,
) -> K12Columns:
    """The default student, enrollment and mark unless given; other tables by keyword."""
    return K12Columns.from_records(
        [student()] if students is None else students,
        enrollments=[enrollment()] if enrollments is None else enrollments,
        marks=[mark()] if marks is None else marks,
        **tables,
    )


def evaluate(k12: K12Columns | None = None, **options: Any) -> Eligibility:
    """Eligibility for 2023-24 as of June 20, 2024."""
    as_of = options.pop("as_of", AS_OF)
    return eligibility(k12 if k12 is not None else data(), YEAR, as_of=as_of, **options)


def row(k12: K12Columns | None = None, **options: Any) -> dict[str, str]:
    """The only row of the extract, by short name."""
    extract = build_extract(evaluate(k12, **options))
    assert 1 == len(extract)
    return dict(zip(extract.columns, next(extract.rows()), strict=True))


def extract_of(k12: K12Columns | None = None, **options: Any) -> OnTrackExtract:
    """The extract."""
    return build_extract(evaluate(k12, **options))
