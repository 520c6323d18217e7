"""
Hypothesis strategies for every edoutcomes type, shared by all test files.

Each area has its own section below, under a ``# --- area ---`` heading.
Add to your own section; do not rewrite another's.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st

from edoutcomes.model import (
    Cip,
    ClassLevel,
    Cohort,
    CohortColumns,
    CollegeCode,
    CollegeControl,
    CollegeType,
    DegreeKind,
    DegreeRecord,
    EnrollmentRecord,
    EnrollmentStatus,
    FerpaBlock,
    Institution,
    Student,
    Table,
)

E = TypeVar("E", bound=enum.Enum)

# --- model ---
#
# Text values are CSV-safe: never blank, no surrounding blanks (a blank cell reads as
# missing), and attribute text is never a Y/N-like word (readers type those as booleans).
# Records drawn with the same ``AttributeSchema`` round-trip exactly through ``Table``.

#: Dates the columnar view and every format can hold.
dates = st.dates(dt.date(1950, 1, 1), dt.date(2099, 12, 31))
optional_dates = st.none() | dates

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _digits(n: int) -> st.SearchStrategy[str]:
    # One integer draw instead of n character draws: regex strategies are slow to generate.
    return st.integers(0, 10**n - 1).map(lambda x: f"{x:0{n}d}")


#: Non-blank text without surrounding blanks (commas and quotes included, for CSV quoting).
texts = st.text(_ALNUM + " ,.'&\"-", min_size=1, max_size=14).map(str.strip).filter(bool)
optional_texts = st.none() | texts

requester_ids = st.builds(
    "{}{}".format, st.sampled_from(_ALNUM), st.text(_ALNUM + "_-", max_size=9)
)
names = st.sampled_from(
    ["Ada", "Grace", "Alan", "Mary Ann", "O'Neil", "Smith-Jones", "Nguyen", "Garcia", "Lee"]
)
ssns = _digits(9)
states = st.sampled_from(["OR", "WA", "CA", "IN", "NY", "TX"])

six_digits = _digits(6)
two_digits = _digits(2)
college_codes = st.builds(CollegeCode, six_digits, two_digits)
cips = st.integers(0, 999_999).map(Cip.unpack)


def members(cls: type[E], *, known: bool = False) -> st.SearchStrategy[E]:
    """Any member of the code set *cls*; only published codes (no ``UNKNOWN``) when *known*."""
    return st.sampled_from([m for m in cls if not (known and m.name == "UNKNOWN")])


college_types = members(CollegeType)
college_controls = members(CollegeControl)
enrollment_statuses = members(EnrollmentStatus)
class_levels = members(ClassLevel)
ferpa_blocks = members(FerpaBlock)
degree_kinds = members(DegreeKind)

#: Titles as real files spell them: every rule of the degree-title table, truncations, noise.
degree_titles = st.none() | st.sampled_from(
    [
        "BACHELOR OF SCIENCE",
        "Bachelor of Arts",
        "BACHELOR",
        "MASTER OF EDUCATION",
        "DOCTOR OF PHILOSOPHY",
        "B.S. Biology",
        "BA",
        "MS",
        "M.A. History",
        "MBA",
        "Ph.D.",
        "J.D.",
        "MD",
        "ASSOCIATE IN ARTS",
        "A.A.",
        "AS Nursing",
        "A.A.S. Welding",
        "CERTIFICATE",
        "CERTIFICAT",
        "DIPLOMA",
        "HONORS",
    ]
)


@st.composite
def attribute_schemas(draw: st.DrawFn, *, max_size: int = 3) -> tuple[tuple[str, bool], ...]:
    """Names of optional attribute columns, each with whether it is a Y/N (bool) column."""
    pool = ["x_pell", "x_first_gen", "x_athlete", "x_program", "x_cohort_term", "x_note"]
    names_ = draw(st.lists(st.sampled_from(pool), unique=True, max_size=max_size))
    return tuple((name, draw(st.booleans())) for name in names_)


AttributeSchema = tuple[tuple[str, bool], ...]
attribute_texts = st.builds(
    "{}{}".format, st.sampled_from(["fall", "spring", "term", "group", "code"]), st.integers(0, 99)
)


@st.composite
def attributes(
    draw: st.DrawFn, schema: AttributeSchema | None = None
) -> tuple[tuple[str, str | bool], ...]:
    """Attribute pairs of a record, in *schema* order, each present or absent (never None)."""
    schema = draw(attribute_schemas()) if schema is None else schema
    pairs: list[tuple[str, str | bool]] = []
    for name, is_bool in schema:
        if draw(st.booleans()):
            pairs.append((name, draw(st.booleans() if is_bool else attribute_texts)))
    return tuple(pairs)


def students(
    *, requester_id: st.SearchStrategy[str] = requester_ids, schema: AttributeSchema = ()
) -> st.SearchStrategy[Student]:
    """Students with every field drawn, personal ones included (all synthetic)."""
    return st.builds(
        Student,
        requester_id=requester_id,
        unique_id=optional_texts,
        first_name=st.none() | names,
        middle_name=st.none() | names,
        last_name=st.none() | names,
        name_suffix=st.none() | st.sampled_from(["JR", "SR", "II", "III"]),
        birth_date=optional_dates,
        ssn=st.none() | ssns,
        high_school_code=st.none() | six_digits,
        high_school_state=st.none() | states,
        hs_grad_date=optional_dates,
        gender=st.none() | st.sampled_from(["F", "M", "X"]),
        race_ethnicity=optional_texts,
        attributes=attributes(schema),
    )


@st.composite
def enrollment_records(
    draw: st.DrawFn,
    *,
    requester_id: st.SearchStrategy[str] = requester_ids,
    schema: AttributeSchema = (),
) -> EnrollmentRecord:
    """Enrollment terms (end never before begin), every optional field drawn."""
    begin = draw(dates)
    end = min(begin + dt.timedelta(days=draw(st.integers(0, 400))), dt.date(2099, 12, 31))
    return EnrollmentRecord(
        draw(requester_id),
        draw(college_codes),
        draw(college_types),
        begin,
        end,
        enrollment_status=draw(enrollment_statuses),
        college_name=draw(optional_texts),
        college_state=draw(st.none() | states),
        college_control=draw(st.none() | college_controls),
        class_level=draw(st.none() | class_levels),
        major_1=draw(optional_texts),
        cip_1=draw(st.none() | cips),
        major_2=draw(optional_texts),
        cip_2=draw(st.none() | cips),
        ferpa_block=draw(ferpa_blocks),
        attributes=draw(attributes(schema)),
    )


def degree_records(
    *, requester_id: st.SearchStrategy[str] = requester_ids, schema: AttributeSchema = ()
) -> st.SearchStrategy[DegreeRecord]:
    """Degrees and certificates, every optional field drawn."""
    return st.builds(
        DegreeRecord,
        requester_id,
        college_codes,
        dates,
        degree_title=degree_titles,
        college_type=st.none() | college_types,
        college_name=optional_texts,
        college_state=st.none() | states,
        college_control=st.none() | college_controls,
        major_1=optional_texts,
        cip_1=st.none() | cips,
        major_2=optional_texts,
        cip_2=st.none() | cips,
        major_3=optional_texts,
        cip_3=st.none() | cips,
        major_4=optional_texts,
        cip_4=st.none() | cips,
        ferpa_block=ferpa_blocks,
        attributes=attributes(schema),
    )


institutions = st.builds(
    Institution,
    st.lists(six_digits, min_size=1, max_size=3, unique=True).map(tuple),
    name=st.just("") | texts,
    branch=st.none() | two_digits,
)

RECORDS: dict[str, Any] = {
    "students": students,
    "enrollments": enrollment_records,
    "degrees": degree_records,
}


def _requester_id(record: Any) -> str:
    return str(record.requester_id)


def _fit(draw: st.DrawFn, records: list[Any], schema: AttributeSchema) -> list[Any]:
    # A Table orders its attribute columns by first appearance; a first record carrying
    # every attribute makes that the schema order, as in a file where every row has them.
    if records and schema:
        full = tuple((n, draw(st.booleans() if b else attribute_texts)) for n, b in schema)
        records[0] = attrs.evolve(records[0], attributes=full)
    return records


@st.composite
def record_lists(
    draw: st.DrawFn,
    table: str,
    *,
    requester_id: st.SearchStrategy[str] = requester_ids,
    min_size: int = 0,
    max_size: int = 8,
) -> list[Any]:
    """
    Records of one canonical table (by name) that fit one Table exactly.

    They share an attribute schema in one order; students have unique ids.
    """
    schema = draw(attribute_schemas())
    if table == "students":
        strategy = students(requester_id=requester_id, schema=schema)
        rows = draw(
            st.lists(strategy, min_size=min_size, max_size=max_size, unique_by=_requester_id)
        )
    else:
        strategy = RECORDS[table](requester_id=requester_id, schema=schema)
        rows = draw(st.lists(strategy, min_size=min_size, max_size=max_size))
    return _fit(draw, rows, schema)


def tables(table: str, *, max_size: int = 8) -> st.SearchStrategy[Table]:
    """Columnar tables built with ``Table.from_records`` (see ``record_lists``)."""
    return record_lists(table, max_size=max_size).map(lambda rows: Table.from_records(table, rows))


def _ids_of(known: Sequence[str]) -> st.SearchStrategy[str]:
    # Mostly submitted students; sometimes an id no student has (an orphan record).
    if not known:
        return requester_ids
    return st.sampled_from(list(known)) | requester_ids


@st.composite
def cohorts(
    draw: st.DrawFn,
    *,
    max_students: int = 6,
    max_records: int = 10,
    institution: st.SearchStrategy[Institution | None] | None = None,
) -> Cohort:
    """Cohorts: unique students, their enrollment and degree records (a few orphans)."""
    people = draw(record_lists("students", max_size=max_students))
    ids = _ids_of([s.requester_id for s in people])
    enrollments = draw(record_lists("enrollments", requester_id=ids, max_size=max_records))
    degrees = draw(record_lists("degrees", requester_id=ids, max_size=max_records))
    owner = draw(st.none() | institutions if institution is None else institution)
    return Cohort(students=people, enrollments=enrollments, degrees=degrees, institution=owner)


def cohort_columns(**kwargs: Any) -> st.SearchStrategy[CohortColumns]:
    """Columnar views of ``cohorts(**kwargs)``."""
    return cohorts(**kwargs).map(lambda cohort: cohort.columns())


# --- synth ---

#: Seeds for the synthetic generator, and cohort sizes small enough for many examples.
synth_seeds = st.integers(0, 2**32 - 1)
synth_sizes = st.integers(1, 60)
