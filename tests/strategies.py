"""
Hypothesis strategies for every edoutcomes type, shared by all test files.

Each area has its own section below, under a ``# --- area ---`` heading.
Add to your own section; do not rewrite another's.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from typing import Any, NamedTuple, TypeVar

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


# --- cohort query ---
#
# Random cohort-query cases built to hit the edges of the rules: records on the search
# date, on its anniversaries and a day either side; Feb 29 search dates; same-day degrees
# at two colleges; FERPA blocks of both kinds (and unknown ones); W/A/D and unknown
# statuses; less-than-2-year and unknown college types; certificates, blank and unknown
# titles; two branches of the submitting institution; orphan records.

#: The submitting institution of every generated case (two of the pool's codes are its branches).
CQ_INSTITUTION = Institution("001817", name="Synthetic University")
CQ_COLLEGES = (
    CollegeCode("001817", "00"),
    CollegeCode("001817", "05"),
    CollegeCode("002178", "00"),
    CollegeCode("010109", "00"),
    CollegeCode("010109", "01"),
    CollegeCode("003754", "00"),
)
search_dates = st.sampled_from([dt.date(2000, 2, 29), dt.date(2004, 2, 29)]) | st.dates(
    dt.date(1995, 1, 1), dt.date(2010, 12, 31)
)
cq_titles = degree_titles | st.sampled_from(["  ", "Ed.D.", "A.S.", "cert in welding"])


def _anniversary(day: dt.date, years: int) -> dt.date:
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(years=years)


# Built once: strategies made inside a composite are re-validated on every draw (slow).
_cq_anniversaries = st.integers(-1, 9)
_cq_offsets = st.sampled_from([-1, 0, 0, 1]) | st.integers(-400, 400)
_cq_lengths = st.sampled_from([0, 100, 400]) | st.integers(0, 500)
_cq_picks = st.integers(0, 80)
_cq_colleges = st.sampled_from(CQ_COLLEGES)
_cq_blocks = st.sampled_from(
    [FerpaBlock.NONE] * 4 + [FerpaBlock.STUDENT, FerpaBlock.SCHOOL, FerpaBlock.UNKNOWN]
)
_cq_types = members(CollegeType)
_cq_optional_types = st.none() | _cq_types
_cq_statuses = members(EnrollmentStatus)
_cq_levels = st.none() | members(ClassLevel, known=True)
_cq_middle = st.none() | st.just("Kay")


def _cq_day(draw: st.DrawFn, search_date: dt.date) -> dt.date:
    # On an anniversary of the search date, a day either side of one, or anywhere near.
    anchor = _anniversary(search_date, draw(_cq_anniversaries))
    return anchor + dt.timedelta(days=draw(_cq_offsets))


class CohortQueryCase(NamedTuple):
    """A cohort with everything a cohort query needs."""

    cohort: Cohort
    search_date: dt.date
    as_of: dt.date
    institution: Institution


@st.composite
def cohort_query_cases(
    draw: st.DrawFn, *, max_students: int = 8, max_enrollments: int = 24, max_degrees: int = 10
) -> CohortQueryCase:
    """Cohort-query cases whose records crowd the search date, its anniversaries and the rules' edges."""
    search_date = draw(search_dates)
    as_of = _anniversary(search_date, draw(st.integers(0, 7))) + dt.timedelta(
        days=draw(st.integers(-2, 2))
    )
    n = draw(st.integers(0, max_students))
    people = [
        Student(f"s{i}", middle_name=draw(_cq_middle), attributes=(("pell", draw(st.booleans())),))
        for i in range(n)
    ]

    def requester() -> str:
        # Mostly submitted students; about one record in ten is an orphan.
        pick = draw(_cq_picks)
        return f"s{pick % n}" if n and pick < 72 else "orphan"

    enrollments = []
    for _ in range(draw(st.integers(0, max_enrollments))):
        end = _cq_day(draw, search_date)
        enrollments.append(
            EnrollmentRecord(
                requester(),
                draw(_cq_colleges),
                draw(_cq_types),
                end - dt.timedelta(days=draw(_cq_lengths)),
                end,
                enrollment_status=draw(_cq_statuses),
                class_level=draw(_cq_levels),
                ferpa_block=draw(_cq_blocks),
            )
        )
    degrees = []
    for _ in range(draw(st.integers(0, max_degrees))):
        degree = DegreeRecord(
            requester(),
            draw(_cq_colleges),
            _cq_day(draw, search_date),
            degree_title=draw(cq_titles),
            college_type=draw(_cq_optional_types),
            ferpa_block=draw(_cq_blocks),
        )
        degrees.append(degree)
        if draw(st.integers(0, 3)) == 0:
            # The same day at another college: the submitting institution must win the tie.
            degrees.append(
                DegreeRecord(
                    degree.requester_id,
                    draw(_cq_colleges),
                    degree.award_date,
                    degree_title=draw(cq_titles),
                    college_type=draw(_cq_optional_types),
                    ferpa_block=draw(_cq_blocks),
                )
            )
    cohort = Cohort(
        students=people, enrollments=enrollments, degrees=degrees, institution=CQ_INSTITUTION
    )
    return CohortQueryCase(cohort, search_date, as_of, CQ_INSTITUTION)


# --- synth ---

#: Seeds for the synthetic generator, and cohort sizes small enough for many examples.
synth_seeds = st.integers(0, 2**32 - 1)
synth_sizes = st.integers(1, 60)


# --- ontrack (K-12) ---
#
# Small K-12 data sets around the 2023-24 school year: every student has what the extract
# requires (legal names, birth date, gender, an enrollment with resident ids and a grade),
# so a reported student's row always passes validation; eligibility varies freely.

from edoutcomes.model import (  # noqa: E402  (each area keeps its imports in its section)
    CalendarType,
    CreditMethod,
    ElStatus,
    Gender,
    K12Student,
    MealEligibility,
    OnTrackRecord,
    OnTrackStatus,
    Program,
    ProgramParticipation,
    SchoolEnrollment,
    ServiceType,
    StudentAddress,
    TranscriptMark,
)

#: Dates around the 2023-24 reporting year.
k12_dates = st.dates(dt.date(2022, 1, 1), dt.date(2025, 6, 30))
_SSIDS = ("5161928722", "516192872", "1234567890", "0000000019", "7777777777", "4242424242")

# Strategies built once: building them inside the composite for every draw is slow.
_optional_k12_dates = st.none() | k12_dates
_offsets = st.none() | st.integers(0, 400)
_ssid_bases = st.none() | st.sampled_from(_SSIDS)
_bools = st.booleans()
_optional_bools = st.none() | st.booleans()
_optional_genders = st.none() | st.sampled_from(list(Gender))
_schools = st.sampled_from(["4512", "4513", "98"])
_grades = st.sampled_from(["09", "9", "10", "KG"])
_service_types = st.sampled_from(list(ServiceType))
_counties = st.none() | st.sampled_from(["3", "24"])
_calendar_types = st.none() | st.sampled_from(list(CalendarType))
_one_in = {k: st.integers(0, k - 1).map(lambda x: x == 0) for k in (6, 8, 10)}
_mostly = st.integers(0, 5).map(lambda x: x > 0)
_credits = st.sampled_from([0.0, 0.25, 0.5, 1.0, 3.0])
_methods = st.sampled_from(list(CreditMethod))
_programs = st.sampled_from(list(Program))
_el_statuses = st.none() | st.sampled_from(list(ElStatus))
_meals = st.none() | st.sampled_from(list(MealEligibility))
_hs_years = st.sampled_from(["2022-23", "2023-24", "2024-25"])
_statuses = st.sampled_from(list(OnTrackStatus))
_households = st.sampled_from(["H1", "H2", "10", "9"])
_locations = st.sampled_from(["L1", "L2", "3"])
_numbers = st.none() | st.just("12")
_zips = st.sampled_from(["97301", "97301-1234", "973011234"])
_last_names = st.sampled_from(["Doe", "Nguyen", "Garcia"])
_first_names = st.sampled_from(["Ann", "Bo"])
_names = st.sampled_from(["Annie", "Bob"])
_phones = st.none() | st.just("(503) 555-0100")


def _end(draw: st.DrawFn, start: dt.date) -> dt.date | None:
    offset = draw(_offsets)
    return None if offset is None else start + dt.timedelta(days=offset)


@st.composite
def k12_data(draw: st.DrawFn, max_students: int = 6) -> dict[str, list[Any]]:
    """Records for ``K12Columns.from_records``: students, enrollments, marks, participations, ..."""
    n = draw(st.integers(1, max_students))
    ids = [f"S{i}" for i in range(n)]
    student_ids = st.sampled_from(ids)
    students = []
    for i, sid in enumerate(ids):
        base = draw(_ssid_bases)
        students.append(
            K12Student(
                sid,
                # The last digit is the student's number, so state ids never repeat.
                ssid=None if base is None else base[:-1] + str(i % 10),
                legal_last_name=draw(_last_names),
                legal_first_name=draw(_first_names),
                first_name=draw(_names),
                birth_date=dt.date(2009, 1, 1),
                legal_gender=draw(_optional_genders),
                gender=draw(_optional_genders),
                grade9_entry_date=draw(_optional_k12_dates),
                race_american_indian=draw(_bools),
                cell_phone=draw(_phones),
            )
        )
    enrollments = []
    for sid in ids:
        for _ in range(draw(st.integers(0, 3))):
            start = draw(k12_dates)
            enrollments.append(
                SchoolEnrollment(
                    sid,
                    "2063",
                    draw(_schools),
                    start,
                    _end(draw, start),
                    grade_level=draw(_grades),
                    service_type=draw(_service_types),
                    resident_district_id="2063",
                    resident_school_id="4512",
                    resident_county=draw(_counties),
                    no_show=draw(_one_in[6]),
                    state_exclude=draw(_one_in[8]),
                    calendar_state_exclude=draw(_one_in[10]),
                    grade_state_exclude=draw(_one_in[10]),
                    calendar_type=draw(_calendar_types),
                    distance_learning=draw(_bools),
                )
            )
    mark_students = st.sampled_from([*ids, "ORPHAN"])
    marks = [
        TranscriptMark(
            draw(mark_students),
            "C1",
            draw(k12_dates),
            draw(_credits),
            hs_credit=draw(_mostly),
            latest=draw(_mostly),
            finalized=draw(_mostly),
            credit_method=draw(_methods),
        )
        for _ in range(draw(st.integers(0, 12)))
    ]
    participations = []
    for _ in range(draw(st.integers(0, 5))):
        start = draw(k12_dates)
        participations.append(
            ProgramParticipation(
                draw(student_ids),
                draw(_programs),
                start,
                _end(draw, start),
                el_status=draw(_el_statuses),
                meal_eligibility=draw(_meals),
                special_ed_eligible=draw(_optional_bools),
                locked=draw(_optional_bools),
            )
        )
    records = []
    for _ in range(draw(st.integers(0, n + 2))):
        start = draw(k12_dates)
        records.append(
            OnTrackRecord(
                draw(student_ids),
                start,
                draw(_hs_years),
                draw(_statuses),
                _end(draw, start),
            )
        )
    addresses = [
        StudentAddress(
            draw(student_ids),
            draw(_households),
            draw(_locations),
            household_primary=draw(_bools),
            location_primary=draw(_bools),
            po_box=draw(_bools),
            address_number=draw(_numbers),
            address_street="Main St",
            address_city="Salem",
            address_zip=draw(_zips),
            start_date=draw(_optional_k12_dates),
        )
        for _ in range(draw(st.integers(0, 2 * n)))
    ]
    return {
        "students": students,
        "enrollments": enrollments,
        "marks": marks,
        "participations": participations,
        "ontrack_records": records,
        "addresses": addresses,
    }


#: Options of the on-track eligibility, as keyword arguments.
ontrack_options = st.fixed_dictionaries(
    {
        "rule": st.sampled_from(["earned-credit", "record-based"]),
        "snapshot_date": st.none() | st.dates(dt.date(2023, 7, 1), dt.date(2024, 6, 30)),
        "credit_window": st.sampled_from(["school-year", "12-months"]),
        "required_credits": st.sampled_from([24.0, 20.0, 28.0, 30.5]),
        "transfer_credit": st.booleans(),
        "credit_recovery": st.booleans(),
        "pre_grade9_credit": st.booleans(),
    }
)


# --- high-school outcomes ---
#
# Random graduates and records crowding the edges of the high-school windows: graduation
# on Aug 31 / Sept 1 (the class boundary), records beginning on Aug 14/15 and Oct 31/Nov 1
# of the class year and on the college-year boundaries, dual enrollment before graduation,
# same-day records at two branches, W/A/D and unknown statuses, every college type,
# certificates and unknown titles, FERPA blocks of both kinds, missing graduation dates
# and high schools.

HS_CODES = ("100100", "200200", "300300")
HS_COLLEGES = (
    CollegeCode("001817", "00"),
    CollegeCode("001817", "05"),
    CollegeCode("002178", "00"),
    CollegeCode("010109", "01"),
)
_hs_grad_days = st.sampled_from([(5, 20), (6, 1), (8, 31), (9, 1), (8, 15), (8, 14)])
_hs_class_years = st.integers(2016, 2019)
_hs_anchor = st.sampled_from([(8, 14), (8, 15), (10, 31), (11, 1), (1, 10), (5, 30), (6, 1)])
_hs_year_offsets = st.integers(-1, 8)
_hs_lengths = st.sampled_from([0, 90, 120]) | st.integers(0, 400)
_hs_blocks = st.sampled_from([FerpaBlock.NONE] * 5 + [FerpaBlock.STUDENT, FerpaBlock.SCHOOL])
_hs_titles = st.sampled_from(
    [None, "BACHELOR OF ARTS", "AA", "ASSOCIATE OF SCIENCE", "CERTIFICATE", "DIPLOMA", "MS"]
)
_hs_states = st.sampled_from([None, "OR", "WA"])
#: Mixed case on both sides: states compare case-insensitively, per student.
HS_MIXED_CASE_STATES = st.sampled_from([None, "OR", "or", "Or", "WA", "wa"])
_hs_first_names = st.sampled_from(["Ann", "Bo"])
_hs_schools = st.none() | st.sampled_from(HS_CODES)
_hs_tenths = st.integers(0, 9)
_hs_genders = st.sampled_from(["F", "M"])
_hs_colleges = st.sampled_from(HS_COLLEGES)
_hs_types = members(CollegeType)
_hs_optional_types = st.none() | _hs_types
_hs_statuses = members(EnrollmentStatus)
_hs_controls = st.none() | members(CollegeControl)
_hs_cips = st.none() | st.just(Cip("24.0101"))


class HighSchoolCase(NamedTuple):
    """Graduates with their records and a report date."""

    cohort: Cohort
    as_of: dt.date


@st.composite
def high_school_cases(
    draw: st.DrawFn,
    *,
    max_students: int = 8,
    max_enrollments: int = 20,
    max_degrees: int = 6,
    states: st.SearchStrategy[str | None] = _hs_states,
) -> HighSchoolCase:
    """High-school cases whose dates crowd every window edge; *states* for both sides' states."""
    n = draw(st.integers(1, max_students))
    people = []
    for i in range(n):
        year = draw(_hs_class_years)
        month, day = draw(_hs_grad_days)
        grad = dt.date(year - (month >= 9), month, day)
        people.append(
            Student(
                f"h{i}",
                first_name=draw(_hs_first_names),
                last_name="Lee",
                birth_date=dt.date(2000, 1, 1 + i),
                high_school_code=draw(_hs_schools),
                high_school_state=draw(states),
                hs_grad_date=None if draw(_hs_tenths) == 0 else grad,
                gender=draw(_hs_genders),
                attributes=(("fafsa_completion", draw(st.booleans())),),
            )
        )

    def day() -> dt.date:
        month, d = draw(_hs_anchor)
        return dt.date(2016 + draw(_hs_year_offsets), month, d)

    enrollments = []
    for _ in range(draw(st.integers(0, max_enrollments))):
        begin = day()
        enrollments.append(
            EnrollmentRecord(
                f"h{draw(st.integers(0, n - 1))}",
                draw(_hs_colleges),
                draw(_hs_types),
                begin,
                begin + dt.timedelta(days=draw(_hs_lengths)),
                enrollment_status=draw(_hs_statuses),
                college_state=draw(states),
                college_control=draw(_hs_controls),
                ferpa_block=draw(_hs_blocks),
            )
        )
    degrees = []
    for _ in range(draw(st.integers(0, max_degrees))):
        degrees.append(
            DegreeRecord(
                f"h{draw(st.integers(0, n - 1))}",
                draw(_hs_colleges),
                day(),
                degree_title=draw(_hs_titles),
                college_type=draw(_hs_optional_types),
                cip_1=draw(_hs_cips),
                ferpa_block=draw(_hs_blocks),
            )
        )
    as_of = dt.date(2016 + draw(_hs_tenths), *draw(_hs_anchor))
    return HighSchoolCase(Cohort(people, enrollments, degrees), as_of)


# --- intake (submitted students files) ---
#
# Submission files as schools make them: alias headers, cells from small pools of good and
# bad values (blank names, impossible and two-digit dates, graduation before birth, repeated
# ids, quotes, commas and line breaks in names), ragged and blank rows, CRLF, a BOM.

INTAKE_HEADER = ("Student ID", "First Name", "Last Name", "DOB", "Graduation Date", "Sex")
_INTAKE_CELLS = (
    ("R1", "R2", "R3", " R1 ", "", "R\u00e9"),
    ("Ann", "", " ", "Zo\u00eb", 'A "B"', "x,y", "line\nbreak"),
    ("Lee", "", "O'Neil", "Smith-Jones", "a\r\nb"),
    ("2001-02-03", "20010203", "2/3/2001", "2/3/01", "1/1/65", "2001-02-30", "soon", ""),
    ("2019-06-07", "6/7/19", "1990-01-01", "", "June"),
    ("F", "Q", "", "female"),
)


def _intake_csv(draw: st.DrawFn, header: Sequence[str], rows: list[list[str] | None]) -> bytes:
    import csv
    import io

    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(header)
    for row in rows:
        if row is None:
            text.write("\n")
        else:
            writer.writerow(row)
    return draw(st.sampled_from([b"", b"\xef\xbb\xbf"])) + text.getvalue().encode()


@st.composite
def intake_cell_files(draw: st.DrawFn) -> tuple[bytes, list[list[str] | None]]:
    """A submission under alias headers with random cells; the rows (None = blank line)."""
    rows: list[list[str] | None] = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["row", "row", "row", "row", "row", "blank", "short", "long"]))
        if kind == "blank":
            rows.append(None)
            continue
        row = [draw(st.sampled_from(pool)) for pool in _INTAKE_CELLS]
        if kind == "short":
            row = row[: draw(st.integers(1, len(row) - 1))]
        elif kind == "long":
            row = [*row, "extra"]
        rows.append(row)
    return _intake_csv(draw, INTAKE_HEADER, rows), rows


_INTAKE_HEADERS = (
    *INTAKE_HEADER,
    "id",
    "fname",
    "first_name",
    "Pell?",
    "",
    "Junk",
    "Middle Initial",
    "CEEB",
    "SSN",
    "FAFSA",
)


@st.composite
def intake_header_files(draw: st.DrawFn) -> bytes:
    """Random headers (aliases, repeats, blanks, junk) over random cells, ragged rows included."""
    header = draw(st.lists(st.sampled_from(_INTAKE_HEADERS), min_size=1, max_size=8))
    cells = st.sampled_from([c for pool in _INTAKE_CELLS for c in pool] + ["Y", "N", "1"])
    rows: list[list[str] | None] = [
        draw(st.lists(cells, min_size=1, max_size=len(header) + 1))
        for _ in range(draw(st.integers(0, 6)))
    ]
    return _intake_csv(draw, header, rows)
