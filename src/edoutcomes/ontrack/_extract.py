"""The state extract: one row per reported student, every field derived as the spec's table says."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from .._kernel._arrow import ArrowExport
from .._kernel._days import date_of
from .._kernel._findings import Finding, Severity
from .._kernel._ties import remaining_keys
from ..errors import InvalidArgumentError, InvalidInputError
from ..model import (
    MISSING_DAY,
    CalendarType,
    ElStatus,
    Gender,
    MealEligibility,
    Program,
    ProvisionStatus,
    SchoolYear,
    ServiceType,
    Table,
)
from ._arrays import (
    active_on,
    any_per_student,
    best_per_student,
    day,
    id_rank_of_rows,
    overlaps,
)
from ._eligibility import Eligibility, Rule, _start_year
from ._layout import OnTrackLayout, layout_for
from ._ssid import check_digits

__all__ = ["EXTRACT_FILE", "OnTrackExtract", "build_extract"]

#: The extract's file name stem (and its report name).
EXTRACT_FILE = "oregon-ontrack"
_REDACTED = "<redacted>"
_NON_DIGITS = re.compile(r"\D")

Strings = NDArray[np.object_]


@frozen(eq=False, repr=False)
class OnTrackExtract(ArrowExport):
    """
    The on-track extract: the layout's fields for every reported student, ordered by SSID.

    It is a report table (``name``, ``columns`` = the short names, ``rows()``) for every
    generic writer, and carries its fixed-width ``layout``. Written by the
    ``oregon-ontrack-csv`` (the submission format) and ``oregon-ontrack-fixed`` writers.

    Attributes:
        year: The reporting school year.
        as_of: The generation date.
        layout: The layout version used.
        values: One object array of strings per short name.
        student_rows: Each row's student in the eligibility's data.
        findings: Warnings (check digits, truncated values).
        rule: The rule the students were reported under (validation checks the entry
            year against the reporting year under the earned-credit rule only).

    Examples:
        >>> from edoutcomes.ontrack import eligibility
        >>> from edoutcomes.synth import synthetic_k12
        >>> result = eligibility(synthetic_k12(40, seed=1), "2023-24", as_of=dt.date(2024, 6, 30))
        >>> extract = build_extract(result)
        >>> extract
        OnTrackExtract(name=oregon-ontrack, rows=6, columns=51)
        >>> extract.columns[:2], extract.column("OnTrackFg")
        (('ChkDigitStdntID', 'DistStdntID'), ['Y', 'Y', 'Y', 'Y', 'Y', 'Y'])
        >>> len(next(extract.fixed_lines())) == extract.layout.width
        True
    """

    year: SchoolYear
    as_of: dt.date
    layout: OnTrackLayout
    values: Mapping[str, Strings]
    student_rows: NDArray[np.int64]
    findings: tuple[Finding, ...] = ()
    name: str = EXTRACT_FILE
    rule: Rule = Rule.EARNED_CREDIT

    @property
    def columns(self) -> tuple[str, ...]:
        """The short names, in layout order."""
        return self.layout.names

    @property
    def n_rows(self) -> int:
        """Number of reported students."""
        return len(self.student_rows)

    def __len__(self) -> int:
        return self.n_rows

    def column(self, short_name: str) -> list[str]:
        """The values of one field."""
        self.layout.field(short_name)
        return list(self.values[short_name].tolist())

    def rows(self) -> Iterator[tuple[str, ...]]:
        """The rows, in SSID order, each a tuple of strings in layout order."""
        columns = [self.values[name].tolist() for name in self.columns]
        return zip(*columns, strict=True) if columns and self.n_rows else iter(())

    def fixed_lines(self) -> Iterator[str]:
        """Each row as a fixed-width record (without the line end)."""
        for row in self.rows():
            yield self.layout.format_line(row)


def build_extract(
    result: Eligibility, *, layout: OnTrackLayout | None = None, truncate: bool = False
) -> OnTrackExtract:
    """
    Derive the extract's fields for the reported students of *result*.

    Args:
        result: What :func:`eligibility` decided.
        layout: The layout version (default: the one in force for the year).
        truncate: Cut a value longer than its field and list it as a warning, instead
            of refusing the extract.

    Raises:
        InvalidInputError: If a value is longer than its field and *truncate* is false;
            every such value is listed (row, field; personal values redacted).

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.model import K12Columns, K12Student, SchoolEnrollment, TranscriptMark
        >>> from edoutcomes.ontrack import eligibility
        >>> d = dt.date
        >>> data = K12Columns.from_records(
        ...     [K12Student("D1", ssid="516192872", legal_last_name="Doe", first_name="Jo",
        ...                 birth_date=d(2009, 3, 4), grade9_entry_date=d(2023, 9, 5))],
        ...     enrollments=[SchoolEnrollment("D1", "2063", "4512", d(2023, 9, 5), grade_level="9")],
        ...     marks=[TranscriptMark("D1", "ENG9", d(2024, 6, 10), 6.5)])
        >>> x = build_extract(eligibility(data, "2023-24", as_of=d(2024, 6, 20)))
        >>> row = dict(zip(x.columns, next(x.rows())))
        >>> row["ChkDigitStdntID"], row["LglFNm"], row["BirthDtTxt"], row["EnrlGrdCd"], row["HSEntrySchlYr"]
        ('0516192872', 'Jo', '03042009', '09', '2324')
        >>> [f.message for f in x.findings]
        ['the SSID fails its check digit (expected 9)']
    """
    if not isinstance(result, Eligibility):
        msg = f"build_extract needs an Eligibility, not {type(result).__name__}"
        raise InvalidArgumentError(msg)
    layout = layout if layout is not None else layout_for(result.year)
    rows = result.reported_rows()
    values = _derive(result, rows)
    missing = [f.short_name for f in layout.fields if f.short_name not in values]
    if missing:
        msg = f"layout {layout.version} has fields this library cannot derive: {', '.join(missing)}"
        raise InvalidArgumentError(msg)
    columns = {f.short_name: values[f.short_name] for f in layout.fields}
    findings = _fit(layout, columns, truncate=truncate)
    if any(f.is_error for f in findings):
        raise InvalidInputError([f for f in findings if f.is_error])
    findings += _check_digit_warnings(columns["ChkDigitStdntID"])
    findings.sort(key=lambda f: (f.row or 0, layout.names.index(f.column or layout.names[0])))
    return OnTrackExtract(
        result.year,
        result.as_of,
        layout,
        columns,
        rows,
        tuple(findings),
        rule=result.options.rule,
    )


def _entry_year(result: Eligibility, rows: NDArray[np.int64]) -> NDArray[np.int32]:
    """
    The school year (start) each reported student first entered grade 9, -1 if unknown.

    Under the record-based rule the on-track record decides the cohort, so a student
    without a grade-9 entry date takes the record's first school year entered.
    """
    year = result.grade9_year[rows]
    if result.options.rule is not Rule.RECORD_BASED:
        return year
    records = result.data.ontrack_records
    names = records.categories["first_year_entered_hs"].tolist()
    starts = np.array([_start_year(x) for x in names] + [-1], dtype=np.int32)
    chosen = result.ontrack_record[rows]
    from_record = np.where(
        chosen >= 0, starts[records.data["first_year_entered_hs"][np.maximum(chosen, 0)]], -1
    )
    return np.where(year >= 0, year, from_record).astype(np.int32)


def _fit(layout: OnTrackLayout, columns: dict[str, Strings], *, truncate: bool) -> list[Finding]:
    findings: list[Finding] = []
    for f in layout.fields:
        array = columns[f.short_name]
        lengths = np.fromiter(map(len, array), dtype=np.int64, count=len(array))
        too_long = np.flatnonzero(lengths > f.width)
        for i in too_long.tolist():
            value = _REDACTED if f.personal else array[i]
            if truncate:
                message = f"{lengths[i]} characters cut to the field's {f.width}"
                findings.append(
                    Finding.make(Severity.WARNING, None, i + 2, f.short_name, value, message)
                )
            else:
                message = f"{lengths[i]} characters do not fit in the field's {f.width}"
                findings.append(
                    Finding.make(Severity.ERROR, None, i + 2, f.short_name, value, message)
                )
        if truncate and len(too_long):
            array[too_long] = [str(x)[: f.width] for x in array[too_long].tolist()]
    return findings


def _check_digit_warnings(ssids: Strings) -> list[Finding]:
    ok, expected = check_digits(ssids)
    findings = []
    for i in np.flatnonzero(~ok).tolist():
        want = expected[i]
        message = (
            "the SSID's first nine digits are never issued (their check digit would be 10)"
            if want == 10
            else f"the SSID fails its check digit (expected {want})"
            if want >= 0
            else "the SSID is not 10 digits"
        )
        findings.append(
            Finding.make(Severity.WARNING, None, i + 2, "ChkDigitStdntID", ssids[i], message)
        )
    return findings


# --------------------------------------------------------------------------- derivations


def _lookup(values: list[Any]) -> Strings:
    out = np.empty(len(values) + 1, dtype=object)
    out[:-1] = values
    out[-1] = ""
    return out


def _text(
    table: Table, name: str, rows: NDArray[Any], transform: Callable[[str], str] | None = None
) -> Strings:
    """
    A text column at *rows* (-1: none) as strings, blank for missing.

    Only the distinct values the rows use are stripped and transformed, once each.
    """
    # A -1 row (no record) reads the appended missing code.
    codes = np.append(table.data[name], np.int32(-1))[rows]
    used, inverse = np.unique(codes, return_inverse=True)
    cats = table.categories[name]
    texts = [str(cats[c]).strip() if c >= 0 else "" for c in used.tolist()]
    if transform is not None:
        texts = [transform(x) if x else "" for x in texts]
    lookup = np.empty(len(texts), dtype=object)
    lookup[:] = texts
    result: Strings = lookup[inverse.reshape(-1)]
    return result


def _yn(flags: NDArray[np.bool_]) -> Strings:
    out: Strings = np.where(flags, "Y", "N").astype(object)
    return out


def _pick(first: Strings, fallback: Strings) -> Strings:
    out: Strings = np.where(first != "", first, fallback)
    return out


def _digits(text: str) -> str:
    return _NON_DIGITS.sub("", text)


def _zfill(width: int) -> Callable[[str], str]:
    def fill(text: str) -> str:
        return text.zfill(width) if text.isdigit() else text

    return fill


def _phone(text: str) -> str:
    digits = _digits(text)
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def _grade(text: str) -> str:
    if text.isdigit():
        return text.zfill(2)
    upper = text.upper()
    return "KG" if upper in ("K", "KG", "KINDERGARTEN") else upper


def _mmddyyyy(days: NDArray[np.int32]) -> Strings:
    distinct, inverse = np.unique(days, return_inverse=True)
    texts = ["" if d == MISSING_DAY else date_of(d).strftime("%m%d%Y") for d in distinct.tolist()]
    out: Strings = (
        np.array([*texts, ""], dtype=object)[inverse.reshape(-1)]
        if len(days)
        else np.empty(0, object)
    )
    return out


def _derive(result: Eligibility, rows: NDArray[np.int64]) -> dict[str, Strings]:
    enrollment = result.enrollment[rows].astype(np.int64)
    out = _identity_fields(result, rows, enrollment)
    out.update(_place_fields(result, rows, enrollment))
    out.update(_program_fields(result, rows, enrollment))
    blank = np.full(len(rows), "", dtype=object)
    for filler in ("InstFill", "RaceFill", "TchrFill", "Fill", "DemogFill"):
        out[filler] = blank.copy()
    return out


def _identity_fields(
    result: Eligibility, rows: NDArray[np.int64], enrollment: NDArray[np.int64]
) -> dict[str, Strings]:
    """Identifiers, institutions, names, birth date, gender, ethnicity, language and SSN."""
    students = result.data.students
    s = students.data
    e_table = result.data.enrollments
    out: dict[str, Strings] = {}
    out["ChkDigitStdntID"] = _text(students, "ssid", rows, _zfill(10))
    out["DistStdntID"] = _text(students, "student_id", rows)
    out["ResdDistInstID"] = _text(e_table, "resident_district_id", enrollment)
    out["ResdSchlInstID"] = _text(e_table, "resident_school_id", enrollment)
    out["AttndDistInstID"] = _pick(
        _text(e_table, "serving_district_id", enrollment), _text(e_table, "district_id", enrollment)
    )
    out["AttndSchlInstID"] = _pick(
        _text(e_table, "serving_school_id", enrollment), _text(e_table, "school_id", enrollment)
    )
    for part, legal, short in (
        ("last_name", "legal_last_name", "L"),
        ("first_name", "legal_first_name", "F"),
        ("middle_name", "legal_middle_name", "M"),
    ):
        preferred = _text(students, part, rows)
        out[f"Lgl{short}Nm"] = _pick(_text(students, legal, rows), preferred)
        out[f"Prfrd{short}Nm"] = preferred
    out["GnrtnCd"] = _text(students, "name_suffix", rows)
    out["BirthDtTxt"] = _mmddyyyy(s["birth_date"][rows])
    out["GndrCd"] = _gender(s["legal_gender"][rows], s["gender"][rows])
    out["HispEthnicFg"] = _yn(s["hispanic"][rows] == 1)
    for column, short in (
        ("race_american_indian", "AmerIndianAlsknNtvRaceFg"),
        ("race_asian", "AsianRaceFg"),
        ("race_black", "BlackRaceFg"),
        ("race_white", "WhiteRaceFg"),
        ("race_pacific_islander", "PacIslndrRaceFg"),
    ):
        out[short] = _yn(s[column][rows] == 1)
    out["LangOrgnCd"] = _text(students, "home_language", rows, _zfill(4))
    out["SSN"] = _text(students, "ssn_last4", rows)
    return out


def _place_fields(
    result: Eligibility, rows: NDArray[np.int64], enrollment: NDArray[np.int64]
) -> dict[str, Strings]:
    """Grade, address, county, phone and the high-school entry year."""
    students = result.data.students
    e_table = result.data.enrollments
    out: dict[str, Strings] = {}
    out["EnrlGrdCd"] = _text(e_table, "grade_level", enrollment, _grade)
    out.update(_address(result, rows))
    out["ResdCntyCd"] = _text(e_table, "resident_county", _county(result)[rows], _zfill(2))
    cell = _text(students, "cell_phone", rows, _phone)
    out["Phn"] = _pick(cell, _text(students, "other_phone", rows, _phone))
    year = _entry_year(result, rows)
    out["HSEntrySchlYr"] = _lookup([SchoolYear(y).short for y in range(1900, 2200)])[
        np.where((year >= 1900) & (year < 2200), year - 1900, -1)
    ]
    return out


def _program_fields(
    result: Eligibility, rows: NDArray[np.int64], enrollment: NDArray[np.int64]
) -> dict[str, Strings]:
    """Program and status flags, from the student's flags and the enrollment in scope."""
    students = result.data.students
    s = students.data
    e = result.data.enrollments.data
    flags = _program_flags(result)
    k = len(rows)
    out: dict[str, Strings] = {}
    provision = _provision2_schools(result)
    school = np.where(enrollment >= 0, e["school_id"][np.maximum(enrollment, 0)], -1)
    econ = flags["meal"][rows] | np.append(provision, False)[school]
    out["EconDsvntgFg"] = _yn(econ)
    out["Ttl1Fg"] = _yn(flags["title_i"][rows])
    special_ed = flags["special_ed"][rows]
    out["SpEdFg"] = _yn(special_ed)
    out["Sect504Fg"] = _yn(flags["section_504"][rows])
    out["MigrntEdFg"] = _yn(flags["migrant"][rows])
    out["IndianEdFg"] = np.full(k, "N", dtype=object)
    out["ELFg"] = _yn(flags["english_learner"][rows])
    has_enrollment = enrollment >= 0
    safe = np.maximum(enrollment, 0)
    out["DstncLrnFg"] = _yn(has_enrollment & (e["distance_learning"][safe] == 1))
    out["HomeSchlFg"] = _yn(has_enrollment & (e["home_schooled"][safe] == 1))
    out["TrnstnProgFg"] = _yn(special_ed & flags["state_reporting_plan"][rows])
    on_generation_date = active_on(e["start_date"], e["end_date"], day(result.as_of))
    alternative = (
        has_enrollment
        & on_generation_date[safe]
        & (e["calendar_type"][safe] == CalendarType.ALTERNATIVE.code)
    )
    out["AltEdProgFg"] = np.where(alternative, "Y", "").astype(object)
    tribal = (s["race_american_indian"][rows] == 1) | (_text(students, "tribal_codes", rows) != "")
    out["TrbAfflnCd"] = np.where(tribal, "Y", "").astype(object)
    out["TAGFg"] = _yn(flags["gifted"][rows])
    out["AddnLangCd"] = _text(students, "secondary_language", rows)
    out["OnTrackFg"] = np.full(k, "Y", dtype=object)
    return out


def _gender(legal: NDArray[np.int8], gender: NDArray[np.int8]) -> Strings:
    members = Gender.by_code()
    known = np.array([m is not Gender.UNKNOWN for m in members] + [False])
    codes = np.array([m.value for m in members] + [""], dtype=object)
    chosen = np.where(known[legal], legal, np.where(known[gender], gender, -1))
    out: Strings = np.where(chosen >= 0, codes[chosen], "X").astype(object)
    return out


def _program_flags(result: Eligibility) -> dict[str, NDArray[np.bool_]]:
    """Each program flag per student, as of the generation date (the transition plan: during the year)."""
    data = result.data
    p = data.participations.data
    who = data.participation_student
    n = data.n_students
    program = p["program"]
    active = active_on(p["start_date"], p["end_date"], day(result.as_of))

    def of(member: Program) -> NDArray[np.bool_]:
        is_it: NDArray[np.bool_] = program == member.code
        return is_it

    free_or_reduced = (p["meal_eligibility"] == MealEligibility.FREE.code) | (
        p["meal_eligibility"] == MealEligibility.REDUCED.code
    )
    year = result.year
    during_year = overlaps(p["start_date"], p["end_date"], day(year.first_day), day(year.last_day))
    locked_iep = of(Program.IEP) & (p["locked"] == 1)
    data_plan = of(Program.SPECIAL_ED_DATA_PLAN) & active & (p["special_ed_eligible"] == 1)
    return {
        "title_i": any_per_student(who, active & of(Program.TITLE_I), n),
        "section_504": any_per_student(who, active & of(Program.SECTION_504), n),
        "migrant": any_per_student(who, active & of(Program.MIGRANT), n),
        "english_learner": any_per_student(
            who,
            active
            & of(Program.ENGLISH_LEARNER)
            & (p["el_status"] == ElStatus.ENGLISH_LEARNER.code),
            n,
        ),
        "gifted": any_per_student(who, active & of(Program.GIFTED), n),
        "meal": any_per_student(who, active & of(Program.MEAL_ELIGIBILITY) & free_or_reduced, n),
        "special_ed": any_per_student(who, locked_iep | data_plan, n),
        "state_reporting_plan": any_per_student(
            who, during_year & of(Program.STATE_REPORTING_PLAN), n
        ),
    }


def _provision2_schools(result: Eligibility) -> NDArray[np.bool_]:
    """Per distinct enrollment school id: Provision 2 on the generation date."""
    provisions = result.data.provisions
    p = provisions.data
    active = active_on(p["start_date"], p["end_date"], day(result.as_of)) & (
        p["provision"] == ProvisionStatus.PROVISION_2.code
    )
    names = provisions.categories["school_id"]
    schools = {str(x).strip() for x in names[p["school_id"][active]].tolist()}
    enrollment_schools = result.data.enrollments.categories["school_id"].tolist()
    return np.array([str(x).strip() in schools for x in enrollment_schools], dtype=bool)


def _county(result: Eligibility) -> NDArray[np.int32]:
    """
    The enrollment each student's resident county comes from.

    Among the qualifying enrollments active on the generation date: primary first, then
    partial, then special education; the most recently entered among several of one type.
    With none active on that date, the reporting enrollment's county.
    """
    data = result.data
    e = data.enrollments.data
    rank = np.zeros(len(e["service_type"]), dtype=np.int8)
    for value, member in (
        (3, ServiceType.PRIMARY),
        (2, ServiceType.PARTIAL),
        (1, ServiceType.SPECIAL_ED),
    ):
        rank[e["service_type"] == member.code] = value
    candidates = result.qualifying & active_on(e["start_date"], e["end_date"], day(result.as_of))
    chosen = best_per_student(
        data.enrollment_student,
        candidates,
        [rank, e["start_date"]],
        data.n_students,
        remaining_keys(data.enrollments, ("student_id", "start_date")),
    )
    out: NDArray[np.int32] = np.where(chosen >= 0, chosen, result.enrollment).astype(np.int32)
    return out


def _address(result: Eligibility, rows: NDArray[np.int64]) -> dict[str, Strings]:
    """
    The address of each reported student, among those active on the generation date.

    A street address beats a P.O. box; a primary household beats a secondary; a primary
    location beats a secondary; then the earliest start date; ties broken by household id,
    then location id. A P.O. box reports only when the student has no street address.
    """
    data = result.data
    table = data.addresses
    a = table.data
    reported = np.zeros(data.n_students + 1, dtype=bool)
    reported[rows] = True
    # Only the reported students' addresses active on the generation date are candidates.
    active = active_on(a["start_date"], a["end_date"], day(result.as_of), open_start=True)
    active &= reported[data.address_student]
    household = id_rank_of_rows(a["household_id"], table.categories["household_id"], active)
    location = id_rank_of_rows(a["location_id"], table.categories["location_id"], active)
    keys: list[NDArray[Any]] = [
        (a["po_box"] != 1).astype(np.int8),
        (a["household_primary"] != 0).astype(np.int8),
        (a["location_primary"] != 0).astype(np.int8),
        -a["start_date"].astype(np.int64),
        -household,
        -location,
    ]
    rest = remaining_keys(table, ("student_id", "household_id", "location_id", "start_date"))
    chosen = best_per_student(data.address_student, active, keys, data.n_students, rest)[rows]
    parts = [
        _text(table, name, chosen)
        for name in ("address_number", "address_prefix", "address_street", "address_tag")
    ]
    street = parts[0]
    for part in parts[1:]:
        both = (street != "") & (part != "")
        street = np.where(both, street + " " + part, street + part)
    zip5 = _text(table, "address_zip", chosen, lambda z: _digits(z)[:5])
    from_zip = _text(table, "address_zip", chosen, lambda z: _digits(z)[5:9])
    return {
        "Addr": street.astype(object),
        "City": _text(table, "address_city", chosen),
        "ZipCd": zip5,
        "Zip4Cd": _pick(_text(table, "address_zip4", chosen, _digits), from_zip),
    }
