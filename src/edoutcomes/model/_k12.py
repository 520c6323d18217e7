"""
The K-12 side of the model: a student's state-reporting identity and their dated records.

These are the inputs of Oregon's ninth-grade on-track collection (and of any other state
report that reads the same student information system): the student, their school
enrollments, program participations, transcript marks, on-track program records,
addresses, and the schools' meal-provision status. Every record is a frozen attrs class
whose field names are the canonical column names of its table, and whose field metadata
gives each column's kind: every table's :class:`TableSchema` is read off its class, so the
columnar view (:class:`Table`) and the engines apply.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Self, cast

import numpy as np
from attrs import field, fields, frozen
from numpy.typing import NDArray

from .._kernel import _validators as v
from .._kernel._codes import Coded as _Coded
from .._kernel._days import SCHOOL_YEAR_START, window_year
from .._kernel._ssn import LAST4_PROBLEM, last_four
from ..errors import InvalidArgumentError, InvalidRecordError
from ._ca_codes import (
    AgArea,
    AgDiscipline,
    AwardKind,
    CollegeSystem,
    ConsentPurpose,
    ConsentScope,
    CourseKind,
    GpaKind,
    HonorsType,
    LetterGrade,
    StatusKind,
    TermKind,
    UnitType,
)
from ._columns import Table, _decode, _encode
from ._converter import converter
from ._schema import (
    BOOL,
    DATE,
    NUMBER,
    TEXT,
    Kind,
    TableSchema,
    coded,
    table_schema,
)

__all__ = [
    "ADDRESSES",
    "CONSENTS",
    "COURSE_LIST",
    "K12_SCHEMAS",
    "K12_STUDENTS",
    "ONTRACK_RECORDS",
    "OTHER_SOURCE",
    "PARTICIPATIONS",
    "REPORTED_GPAS",
    "SCHOOL_ENROLLMENTS",
    "SCHOOL_PROVISIONS",
    "STUDENT_STATUS",
    "TRANSCRIPT_MARKS",
    "CalendarType",
    "Consent",
    "CourseListEntry",
    "CreditMethod",
    "ElStatus",
    "Gender",
    "K12Columns",
    "K12Student",
    "MealEligibility",
    "OnTrackRecord",
    "OnTrackStatus",
    "OtherSourceRecord",
    "Program",
    "ProgramParticipation",
    "ProvisionStatus",
    "ReportedGpa",
    "SchoolEnrollment",
    "SchoolProvision",
    "SchoolYear",
    "ServiceType",
    "StatusEvent",
    "StudentAddress",
    "TranscriptMark",
    "k12_records",
    "k12_table",
]


# --------------------------------------------------------------------------- school years


_SCHOOL_YEAR = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*$")
_SHORT_YEAR = re.compile(r"^\s*(\d{2})(\d{2})\s*$")


@frozen(order=True)
class SchoolYear:
    """
    A school year, July 1 to June 30, written ``2023-24``.

    Examples:
        >>> y = SchoolYear.parse("2023-24")
        >>> y.first_day, y.last_day, y.short
        (datetime.date(2023, 7, 1), datetime.date(2024, 6, 30), '2324')
        >>> SchoolYear.of(dt.date(2024, 6, 30)) == y, SchoolYear.of(dt.date(2024, 7, 1)) == y
        (True, False)
        >>> str(SchoolYear.parse("2324")), str(SchoolYear.parse("2024-2025"))
        ('2023-24', '2024-25')
    """

    #: The calendar year of the school year's July 1.
    start: int = field()

    @start.validator
    def _plausible(self, attribute: Any, value: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or not 1900 <= value <= 2199:
            msg = f"school year start={value!r} must be a year between 1900 and 2199"
            raise InvalidRecordError(msg)

    @classmethod
    def parse(cls, text: str | SchoolYear) -> SchoolYear:
        """
        Read ``2023-24``, ``2023-2024`` or ``2324``.

        Raises:
            InvalidRecordError: If *text* is none of these, or the two years do not follow.

        Examples:
            >>> SchoolYear.parse("2023-24"), SchoolYear.parse("2324") == SchoolYear.parse("2023-2024")
            (SchoolYear(start=2023), True)
        """
        if isinstance(text, SchoolYear):
            return text
        if not isinstance(text, str):
            msg = f"school year={text!r} must be a string such as '2023-24'"
            raise InvalidRecordError(msg)
        match = _SCHOOL_YEAR.match(text)
        if match:
            start, end = int(match[1]), match[2]
            if (len(end) == 2 and int(end) == (start + 1) % 100) or (
                len(end) == 4 and int(end) == start + 1
            ):
                return cls(start)
        short = _SHORT_YEAR.match(text)
        if short and int(short[2]) == (int(short[1]) + 1) % 100:
            return cls(2000 + int(short[1]))
        msg = f"school year={text!r} is not a school year such as '2023-24'"
        raise InvalidRecordError(msg)

    @classmethod
    def of(cls, day: dt.date) -> SchoolYear:
        """
        The school year *day* falls in.

        Examples:
            >>> import datetime as dt
            >>> str(SchoolYear.of(dt.date(2024, 6, 30))), str(SchoolYear.of(dt.date(2024, 7, 1)))
            ('2023-24', '2024-25')
        """
        return cls(window_year(day, SCHOOL_YEAR_START))

    @property
    def first_day(self) -> dt.date:
        """July 1."""
        return dt.date(self.start, *SCHOOL_YEAR_START)

    @property
    def last_day(self) -> dt.date:
        """June 30 of the next calendar year."""
        return dt.date(self.start + 1, 6, 30)

    @property
    def label(self) -> str:
        """``2023-24``."""
        return f"{self.start}-{(self.start + 1) % 100:02d}"

    @property
    def short(self) -> str:
        """``2324``: the state's four-digit form."""
        return f"{self.start % 100:02d}{(self.start + 1) % 100:02d}"

    def contains(self, day: dt.date) -> bool:
        """
        Whether *day* falls in this school year.

        Examples:
            >>> import datetime as dt
            >>> year = SchoolYear.parse("2023-24")
            >>> year.contains(dt.date(2024, 6, 30)), year.contains(dt.date(2024, 7, 1))
            (True, False)
        """
        return self.first_day <= day <= self.last_day

    def __str__(self) -> str:
        return self.label


# --------------------------------------------------------------------------- code sets


class Gender(_Coded):
    """
    Gender as the state reports it: F, M or X (non-binary).

    Examples:
        >>> Gender.parse("Female"), Gender.parse("non-binary")
        (<Gender.FEMALE: 'F'>, <Gender.NON_BINARY: 'X'>)
    """

    FEMALE = "F", 0
    MALE = "M", 1
    NON_BINARY = "X", 2
    UNKNOWN = "unknown", 3

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {
            "FEMALE": "F",
            "MALE": "M",
            "NON-BINARY": "X",
            "NONBINARY": "X",
            "NON BINARY": "X",
        }


class ServiceType(_Coded):
    """
    An enrollment's service type: primary, partial (secondary) or special-education services.

    Examples:
        >>> ServiceType.parse("P"), ServiceType.parse("Special Education")
        (<ServiceType.PRIMARY: 'primary'>, <ServiceType.SPECIAL_ED: 'special_ed'>)
    """

    PRIMARY = "primary", 0
    PARTIAL = "partial", 1
    SPECIAL_ED = "special_ed", 2
    UNKNOWN = "unknown", 3

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {
            "P": "primary",
            "S": "partial",
            "SECONDARY": "partial",
            "N": "special_ed",
            "SPECIAL ED": "special_ed",
            "SPECIAL EDUCATION": "special_ed",
        }


class CalendarType(_Coded):
    """
    The type of an enrollment's calendar; ``alternative`` sets the alternative-education flag.

    Examples:
        >>> CalendarType.parse("Alternative")
        <CalendarType.ALTERNATIVE: 'alternative'>
    """

    REGULAR = "regular", 0
    ALTERNATIVE = "alternative", 1
    SUMMER = "summer", 2
    UNKNOWN = "unknown", 3


class CreditMethod(_Coded):
    """
    How a mark's credit was earned.

    Examples:
        >>> CreditMethod.parse("Credit Recovery")
        <CreditMethod.CREDIT_RECOVERY: 'credit_recovery'>
    """

    CLASSROOM = "classroom", 0
    TRANSFER = "transfer", 1
    CREDIT_RECOVERY = "credit_recovery", 2
    PROFICIENCY = "proficiency", 3
    ONLINE = "online", 4
    UNKNOWN = "unknown", 5

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {"CREDIT RECOVERY": "credit_recovery", "RECOVERY": "credit_recovery"}


class Program(_Coded):
    """
    A dated program a student takes part in.

    For ``migrant`` the start and end dates are the services dates; for
    ``english_learner`` they are the identified date and the program exit date.
    ``iep`` is an individualized education program (``locked`` when finalised);
    ``special_ed_data_plan`` carries the special-education eligibility;
    ``state_reporting_plan`` is the plan the transition-program flag reads.

    Examples:
        >>> Program.parse("IEP"), Program.parse("title_i").code
        (<Program.IEP: 'iep'>, 0)
    """

    TITLE_I = "title_i", 0
    SECTION_504 = "section_504", 1
    MIGRANT = "migrant", 2
    ENGLISH_LEARNER = "english_learner", 3
    GIFTED = "gifted", 4
    MEAL_ELIGIBILITY = "meal_eligibility", 5
    IEP = "iep", 6
    SPECIAL_ED_DATA_PLAN = "special_ed_data_plan", 7
    STATE_REPORTING_PLAN = "state_reporting_plan", 8
    UNKNOWN = "unknown", 9


class ElStatus(_Coded):
    """
    An English-learner record's program status; only ``EL`` sets the EL flag.

    Examples:
        >>> ElStatus.parse("el"), ElStatus.parse("exited")
        (<ElStatus.ENGLISH_LEARNER: 'EL'>, <ElStatus.EXITED: 'exited'>)
    """

    ENGLISH_LEARNER = "EL", 0
    EXITED = "exited", 1
    NOT_EL = "not_el", 2
    UNKNOWN = "unknown", 3


class MealEligibility(_Coded):
    """
    Free/reduced meal eligibility; free or reduced makes a student economically disadvantaged.

    Examples:
        >>> MealEligibility.parse("Reduced")
        <MealEligibility.REDUCED: 'reduced'>
    """

    FREE = "free", 0
    REDUCED = "reduced", 1
    PAID = "paid", 2
    UNKNOWN = "unknown", 3

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {"F": "free", "R": "reduced", "P": "paid", "S": "paid"}


class OnTrackStatus(_Coded):
    """
    The program status of an on-track record: ``1`` is on-track to graduate.

    Examples:
        >>> OnTrackStatus.parse("1"), OnTrackStatus.parse("2")
        (<OnTrackStatus.ON_TRACK: '1'>, <OnTrackStatus.NOT_ON_TRACK: '2'>)
    """

    ON_TRACK = "1", 0
    NOT_ON_TRACK = "2", 1
    UNKNOWN = "unknown", 2


class ProvisionStatus(_Coded):
    """
    A school's meal-program provision status; Provision 2 makes its students disadvantaged.

    Examples:
        >>> ProvisionStatus.parse("cep"), ProvisionStatus.parse("2")
        (<ProvisionStatus.COMMUNITY_ELIGIBILITY: 'CEP'>, <ProvisionStatus.PROVISION_2: '2'>)
    """

    NONE = "none", 0
    PROVISION_1 = "1", 1
    PROVISION_2 = "2", 2
    PROVISION_3 = "3", 3
    COMMUNITY_ELIGIBILITY = "CEP", 4
    UNKNOWN = "unknown", 5


# --------------------------------------------------------------------------- validators

_SSID = re.compile(r"^\d{1,10}$")


def _ssid(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and not (isinstance(value, str) and _SSID.match(value)):
        msg = f"{attribute.name}={value!r} must be 1 to 10 digits"
        raise InvalidRecordError(msg)


def _last4(value: object) -> object:
    """Keep only the last four digits of an SSN: the full number is never stored."""
    if isinstance(value, str):
        kept = last_four(value)
        # A refused value goes on to the validator, which rejects it without showing it.
        return value if kept is None else kept
    return value


def _ssn_last4(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and not (isinstance(value, str) and len(value) == 4 and value.isdigit()):
        msg = f"{attribute.name} {LAST4_PROBLEM} (value not shown)"
        raise InvalidRecordError(msg)


def _codes_tuple(value: object) -> object:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip())
    if isinstance(value, list):
        return tuple(value)
    return value


def _text_tuple(instance: Any, attribute: Any, value: Any) -> None:
    if not (isinstance(value, tuple) and all(isinstance(x, str) and x for x in value)):
        msg = f"{attribute.name} must be a tuple of non-blank strings"
        raise InvalidRecordError(msg)


_flag = v.boolean()
_optional_flag = v.boolean(optional=True)


def _end_after_start(instance: Any, attribute: Any, value: dt.date | None) -> None:
    start = instance.start_date
    if value is not None and start is not None and value < start:
        msg = f"{attribute.name}={value.isoformat()} is before start_date={start.isoformat()}"
        raise InvalidRecordError(msg)


def _school_year(value: object) -> object:
    if isinstance(value, str):
        return SchoolYear.parse(value)
    return value


def _credits(instance: Any, attribute: Any, value: Any) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not np.isfinite(value)
        or value < 0
    ):
        msg = f"{attribute.name}={value!r} must be a number of credits, zero or more"
        raise InvalidRecordError(msg)


def _coded(cls: type[_Coded], value: object) -> object:
    """A code's exact value (``"year"``, ``"C-"``) as its member; anything else is left for the validator."""
    if isinstance(value, str) and not isinstance(value, cls):
        try:
            return cls(value)
        except ValueError:
            return value
    return value


def _to_ag_area(value: object) -> object:
    return _coded(AgArea, value)


def _to_ag_discipline(value: object) -> object:
    return _coded(AgDiscipline, value)


def _to_award_kind(value: object) -> object:
    return _coded(AwardKind, value)


def _to_college_system(value: object) -> object:
    return _coded(CollegeSystem, value)


def _to_consent_purpose(value: object) -> object:
    return _coded(ConsentPurpose, value)


def _to_consent_scope(value: object) -> object:
    return _coded(ConsentScope, value)


def _to_course_kind(value: object) -> object:
    return _coded(CourseKind, value)


def _to_gpa_kind(value: object) -> object:
    return _coded(GpaKind, value)


def _to_honors_type(value: object) -> object:
    return _coded(HonorsType, value)


def _to_letter_grade(value: object) -> object:
    return _coded(LetterGrade, value)


def _to_status_kind(value: object) -> object:
    return _coded(StatusKind, value)


def _to_term_kind(value: object) -> object:
    return _coded(TermKind, value)


def _to_unit_type(value: object) -> object:
    return _coded(UnitType, value)


def _optional_credits(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None:
        _credits(instance, attribute, value)


_end_date = [v.optional_date, _end_after_start]


# --------------------------------------------------------------------------- records


@frozen
class K12Student:
    """
    A student's state-reporting identity, as the district's information system holds it.

    ``student_id`` is the district's own number (the key every other K-12 table links
    by); ``ssid`` is the state-issued id, missing for a student the state has not yet
    identified. Only the last four digits of an SSN are ever kept: a nine-digit SSN given
    to ``ssn_last4`` is cut down on the way in. Personal fields stay out of ``repr``.

    Examples:
        >>> s = K12Student("D1", ssid="5161928722", ssn_last4="123-45-6789", legal_gender=Gender.FEMALE)
        >>> s.ssn_last4, s
        ('6789', K12Student(student_id='D1', ssid='5161928722', legal_gender=<Gender.FEMALE: 'F'>, gender=None, hispanic=None, race_american_indian=False, race_asian=False, race_black=False, race_white=False, race_pacific_islander=False, tribal_codes=(), home_language=None, secondary_language=None, grade9_entry_date=None, ferpa_block=None))
    """

    student_id: str = field(validator=v.text, metadata=TEXT)
    ssid: str | None = field(default=None, validator=_ssid, metadata=TEXT)
    legal_last_name: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    legal_first_name: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    legal_middle_name: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    last_name: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    first_name: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    middle_name: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    name_suffix: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    birth_date: dt.date | None = field(
        default=None, validator=v.optional_date, repr=False, metadata=DATE
    )
    legal_gender: Gender | None = field(
        default=None, validator=v.instance(Gender, optional=True), metadata=coded(Gender)
    )
    gender: Gender | None = field(
        default=None, validator=v.instance(Gender, optional=True), metadata=coded(Gender)
    )
    hispanic: bool | None = field(default=None, validator=_optional_flag, metadata=BOOL)
    race_american_indian: bool = field(default=False, validator=_flag, metadata=BOOL)
    race_asian: bool = field(default=False, validator=_flag, metadata=BOOL)
    race_black: bool = field(default=False, validator=_flag, metadata=BOOL)
    race_white: bool = field(default=False, validator=_flag, metadata=BOOL)
    race_pacific_islander: bool = field(default=False, validator=_flag, metadata=BOOL)
    tribal_codes: tuple[str, ...] = field(
        default=(), converter=_codes_tuple, validator=_text_tuple, metadata=TEXT
    )
    home_language: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    secondary_language: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    ssn_last4: str | None = field(
        default=None, converter=_last4, validator=_ssn_last4, repr=False, metadata=TEXT
    )
    grade9_entry_date: dt.date | None = field(
        default=None, validator=v.optional_date, metadata=DATE
    )
    cell_phone: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    other_phone: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    #: Sensitive (college readiness): released only under an eligibility-scope consent.
    foster_youth: bool | None = field(
        default=None, validator=_optional_flag, repr=False, metadata=BOOL
    )
    social_services: bool | None = field(
        default=None, validator=_optional_flag, repr=False, metadata=BOOL
    )
    #: A FERPA block: the student is never released to a recipient.
    ferpa_block: bool | None = field(default=None, validator=_optional_flag, metadata=BOOL)


@frozen
class SchoolEnrollment:
    """
    One enrollment of a student in a school, with its calendar and grade level.

    ``serving_district_id`` / ``serving_school_id`` are where the student attends (the
    enrollment's own ``district_id`` / ``school_id`` when blank); ``resident_*`` where they
    live. ``calendar_state_exclude`` and ``grade_state_exclude`` carry the calendar's and
    the grade level's state-exclude marks, so one row says everything state reporting needs.

    Examples:
        >>> import datetime as dt
        >>> e = SchoolEnrollment("D1", "2063", "4512", dt.date(2023, 9, 5), grade_level="09")
        >>> e.service_type, e.end_date
        (<ServiceType.PRIMARY: 'primary'>, None)
    """

    student_id: str = field(validator=v.text, metadata=TEXT)
    district_id: str = field(validator=v.text, metadata=TEXT)
    school_id: str = field(validator=v.text, metadata=TEXT)
    start_date: dt.date = field(validator=v.date, metadata=DATE)
    end_date: dt.date | None = field(default=None, validator=_end_date, metadata=DATE)
    grade_level: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    service_type: ServiceType = field(
        default=ServiceType.PRIMARY, validator=v.instance(ServiceType), metadata=coded(ServiceType)
    )
    resident_district_id: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    resident_school_id: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    serving_district_id: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    serving_school_id: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    resident_county: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    no_show: bool = field(default=False, validator=_flag, metadata=BOOL)
    state_exclude: bool = field(default=False, validator=_flag, metadata=BOOL)
    distance_learning: bool = field(default=False, validator=_flag, metadata=BOOL)
    home_schooled: bool = field(default=False, validator=_flag, metadata=BOOL)
    calendar_id: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    calendar_type: CalendarType | None = field(
        default=None,
        validator=v.instance(CalendarType, optional=True),
        metadata=coded(CalendarType),
    )
    calendar_state_exclude: bool = field(default=False, validator=_flag, metadata=BOOL)
    grade_state_exclude: bool = field(default=False, validator=_flag, metadata=BOOL)


@frozen
class ProgramParticipation:
    """
    A dated participation in a program (see :class:`Program` for what the dates mean).

    A participation is active on a day when ``start_date <= day <= end_date``; a blank
    end date is open. Only the columns of its program are read: ``el_status`` (English
    learner), ``meal_eligibility``, ``special_ed_eligible`` (data plan), ``locked`` (IEP).

    Examples:
        >>> import datetime as dt
        >>> ProgramParticipation("D1", Program.TITLE_I, dt.date(2023, 9, 1)).end_date is None
        True
    """

    student_id: str = field(validator=v.text, metadata=TEXT)
    program: Program = field(validator=v.instance(Program), metadata=coded(Program))
    start_date: dt.date = field(validator=v.date, metadata=DATE)
    end_date: dt.date | None = field(default=None, validator=_end_date, metadata=DATE)
    el_status: ElStatus | None = field(
        default=None, validator=v.instance(ElStatus, optional=True), metadata=coded(ElStatus)
    )
    meal_eligibility: MealEligibility | None = field(
        default=None,
        validator=v.instance(MealEligibility, optional=True),
        metadata=coded(MealEligibility),
    )
    special_ed_eligible: bool | None = field(default=None, validator=_optional_flag, metadata=BOOL)
    locked: bool | None = field(default=None, validator=_optional_flag, metadata=BOOL)


@frozen
class SchoolProvision:
    """
    A school's meal-provision status over a dated period (blank end: still in force).

    Examples:
        >>> import datetime as dt
        >>> SchoolProvision("4512", ProvisionStatus.PROVISION_2, dt.date(2023, 7, 1)).end_date is None
        True
    """

    school_id: str = field(validator=v.text, metadata=TEXT)
    provision: ProvisionStatus = field(
        validator=v.instance(ProvisionStatus), metadata=coded(ProvisionStatus)
    )
    start_date: dt.date = field(validator=v.date, metadata=DATE)
    end_date: dt.date | None = field(default=None, validator=_end_date, metadata=DATE)


@frozen
class TranscriptMark:
    """
    One mark on a student's transcript and the credits it earned.

    ``latest`` is false for the earlier marks of a repeated course; ``finalized`` is false
    for a mark still in progress. Only high-school credit that is latest and finalized counts.

    Examples:
        >>> import datetime as dt
        >>> m = TranscriptMark("D1", "ALG1", dt.date(2024, 1, 26), 0.5, school_year="2023-24")
        >>> m.school_year, m.credit_method
        (SchoolYear(start=2023), <CreditMethod.CLASSROOM: 'classroom'>)
    """

    student_id: str = field(validator=v.text, metadata=TEXT)
    course_id: str = field(validator=v.text, metadata=TEXT)
    mark_date: dt.date = field(validator=v.date, metadata=DATE)
    credits_earned: float = field(validator=_credits, metadata=NUMBER)
    hs_credit: bool = field(default=True, validator=_flag, metadata=BOOL)
    latest: bool = field(default=True, validator=_flag, metadata=BOOL)
    finalized: bool = field(default=True, validator=_flag, metadata=BOOL)
    credit_method: CreditMethod = field(
        default=CreditMethod.CLASSROOM,
        validator=v.instance(CreditMethod),
        metadata=coded(CreditMethod),
    )
    school_year: SchoolYear | None = field(
        default=None,
        converter=_school_year,
        validator=v.instance(SchoolYear, optional=True),
        metadata=TEXT,
    )
    grade_level: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    school_id: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    # College readiness (college-readiness.md): optional here; its reader requires its own.
    course_title: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    state_course_code: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    term_kind: TermKind | None = field(
        default=None,
        converter=_to_term_kind,
        validator=v.instance(TermKind, optional=True),
        metadata=coded(TermKind),
    )
    term_start: dt.date | None = field(default=None, validator=v.optional_date, metadata=DATE)
    letter_grade: LetterGrade | None = field(
        default=None,
        converter=_to_letter_grade,
        validator=v.instance(LetterGrade, optional=True),
        metadata=coded(LetterGrade),
    )
    credits_attempted: float | None = field(
        default=None, validator=_optional_credits, metadata=NUMBER
    )
    ag_area: AgArea | None = field(
        default=None,
        converter=_to_ag_area,
        validator=v.instance(AgArea, optional=True),
        metadata=coded(AgArea),
    )
    ag_discipline: AgDiscipline | None = field(
        default=None,
        converter=_to_ag_discipline,
        validator=v.instance(AgDiscipline, optional=True),
        metadata=coded(AgDiscipline),
    )
    language: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    sequence_level: float | None = field(default=None, validator=_optional_credits, metadata=NUMBER)
    honors_type: HonorsType | None = field(
        default=None,
        converter=_to_honors_type,
        validator=v.instance(HonorsType, optional=True),
        metadata=coded(HonorsType),
    )
    is_college_course: bool | None = field(default=None, validator=_optional_flag, metadata=BOOL)
    college_units: float | None = field(default=None, validator=_optional_credits, metadata=NUMBER)
    college_unit_type: UnitType | None = field(
        default=None,
        converter=_to_unit_type,
        validator=v.instance(UnitType, optional=True),
        metadata=coded(UnitType),
    )
    dual_enrollment: bool | None = field(default=None, validator=_optional_flag, metadata=BOOL)
    transfer: bool | None = field(default=None, validator=_optional_flag, metadata=BOOL)
    hs_accepted: bool | None = field(default=None, validator=_optional_flag, metadata=BOOL)
    course_segment: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    repeat_of: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    repeat: bool | None = field(default=None, validator=_optional_flag, metadata=BOOL)
    course_kind: CourseKind | None = field(
        default=None,
        converter=_to_course_kind,
        validator=v.instance(CourseKind, optional=True),
        metadata=coded(CourseKind),
    )
    ferpa_block: bool | None = field(default=None, validator=_optional_flag, metadata=BOOL)


@frozen
class CourseListEntry:
    """
    One course of a school's UC-approved course list, approved from one school year to another.

    Examples:
        >>> e = CourseListEntry("4512", "ENG9", ag_area=AgArea.B, approved_from="2020-21")
        >>> str(e.approved_from), e.approved_to
        ('2020-21', None)
    """

    school_id: str = field(validator=v.text, metadata=TEXT)
    course_id: str = field(validator=v.text, metadata=TEXT)
    course_title: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    ag_area: AgArea | None = field(
        default=None,
        converter=_to_ag_area,
        validator=v.instance(AgArea, optional=True),
        metadata=coded(AgArea),
    )
    honors_type: HonorsType | None = field(
        default=None,
        converter=_to_honors_type,
        validator=v.instance(HonorsType, optional=True),
        metadata=coded(HonorsType),
    )
    approved_from: SchoolYear | None = field(
        default=None,
        converter=_school_year,
        validator=v.instance(SchoolYear, optional=True),
        metadata=TEXT,
    )
    approved_to: SchoolYear | None = field(
        default=None,
        converter=_school_year,
        validator=v.instance(SchoolYear, optional=True),
        metadata=TEXT,
    )


@frozen
class StatusEvent:
    """
    A college-going event: an aid application, a college application (by system) or an award.

    Examples:
        >>> import datetime as dt
        >>> event = StatusEvent("S1", "college_application", dt.date(2024, 11, 30), system="UC")
        >>> event.kind, event.system
        (<StatusKind.COLLEGE_APPLICATION: 'college_application'>, <CollegeSystem.UC: 'UC'>)
    """

    student_id: str = field(validator=v.text, metadata=TEXT)
    kind: StatusKind = field(
        converter=_to_status_kind, validator=v.instance(StatusKind), metadata=coded(StatusKind)
    )
    submitted_date: dt.date | None = field(default=None, validator=v.optional_date, metadata=DATE)
    system: CollegeSystem | None = field(
        default=None,
        converter=_to_college_system,
        validator=v.instance(CollegeSystem, optional=True),
        metadata=coded(CollegeSystem),
    )
    award_kind: AwardKind | None = field(
        default=None,
        converter=_to_award_kind,
        validator=v.instance(AwardKind, optional=True),
        metadata=coded(AwardKind),
    )
    award_date: dt.date | None = field(default=None, validator=v.optional_date, metadata=DATE)


@frozen
class Consent:
    """
    A student's consent to share their record with one recipient for one purpose.

    A revocation before the grant is kept (the clean-up findings report it; it counts as revoked).

    Examples:
        >>> import datetime as dt
        >>> c = Consent("D1", ConsentPurpose.FINANCIAL_AID, "CSAC", dt.date(2024, 9, 1))
        >>> c.scope, c.revoked_date
        (<ConsentScope.ACADEMIC: 'academic'>, None)
    """

    student_id: str = field(validator=v.text, metadata=TEXT)
    purpose: ConsentPurpose = field(
        converter=_to_consent_purpose,
        validator=v.instance(ConsentPurpose),
        metadata=coded(ConsentPurpose),
    )
    recipient_id: str = field(validator=v.text, metadata=TEXT)
    granted_date: dt.date | None = field(default=None, validator=v.optional_date, metadata=DATE)
    revoked_date: dt.date | None = field(default=None, validator=v.optional_date, metadata=DATE)
    scope: ConsentScope = field(
        default=ConsentScope.ACADEMIC,
        converter=_to_consent_scope,
        validator=v.instance(ConsentScope),
        metadata=coded(ConsentScope),
    )


@frozen
class ReportedGpa:
    """
    A GPA as the student information system reports it (checked against the recomputed one).

    Examples:
        >>> ReportedGpa("S1", "uc_capped", 3.8)
        ReportedGpa(student_id='S1', gpa_kind=<GpaKind.UC_CAPPED: 'uc_capped'>, value=3.8)
    """

    student_id: str = field(validator=v.text, metadata=TEXT)
    gpa_kind: GpaKind = field(
        converter=_to_gpa_kind, validator=v.instance(GpaKind), metadata=coded(GpaKind)
    )
    value: float = field(validator=_credits, metadata=NUMBER)


@frozen
class OtherSourceRecord:
    """
    A student as another source (e.g. the state's CALPADS) has them, to compare with.

    Examples:
        >>> import datetime as dt
        >>> record = OtherSourceRecord("S1", birth_date=dt.date(2008, 3, 1), last_name="Ng")
        >>> record  # personal values stay out of the repr
        OtherSourceRecord(student_id='S1')
        >>> record.birth_date.year
        2008
    """

    student_id: str = field(validator=v.text, metadata=TEXT)
    birth_date: dt.date | None = field(
        default=None, validator=v.optional_date, repr=False, metadata=DATE
    )
    last_name: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    first_name: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )


@frozen
class OnTrackRecord:
    """
    A state on-track program record: the cohort the district put the student in, and its status.

    Examples:
        >>> import datetime as dt
        >>> r = OnTrackRecord("D1", dt.date(2023, 9, 5), first_year_entered_hs="2023-24")
        >>> r.program_status, str(r.first_year_entered_hs)
        (<OnTrackStatus.ON_TRACK: '1'>, '2023-24')
    """

    student_id: str = field(validator=v.text, metadata=TEXT)
    start_date: dt.date = field(validator=v.date, metadata=DATE)
    first_year_entered_hs: SchoolYear = field(
        converter=_school_year, validator=v.instance(SchoolYear), metadata=TEXT
    )
    program_status: OnTrackStatus = field(
        default=OnTrackStatus.ON_TRACK,
        validator=v.instance(OnTrackStatus),
        metadata=coded(OnTrackStatus, required=True),
    )
    end_date: dt.date | None = field(default=None, validator=_end_date, metadata=DATE)


@frozen
class StudentAddress:
    """
    One address of a student's household, with the household's and the location's flags.

    Dates may be blank (open). ``address_zip`` may be five digits or ZIP+4.

    Examples:
        >>> a = StudentAddress("D1", "H1", "L1", address_street="Main St", address_zip="97201")
        >>> a.po_box, a.household_primary
        (False, True)
    """

    student_id: str = field(validator=v.text, metadata=TEXT)
    household_id: str = field(validator=v.text, metadata=TEXT)
    location_id: str = field(validator=v.text, metadata=TEXT)
    household_primary: bool = field(default=True, validator=_flag, metadata=BOOL)
    location_primary: bool = field(default=True, validator=_flag, metadata=BOOL)
    po_box: bool = field(default=False, validator=_flag, metadata=BOOL)
    address_number: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    address_prefix: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    address_street: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    address_tag: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    address_city: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    address_zip: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    address_zip4: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    start_date: dt.date | None = field(default=None, validator=v.optional_date, metadata=DATE)
    end_date: dt.date | None = field(default=None, validator=_end_date, metadata=DATE)


# --------------------------------------------------------------------------- schemas


K12_STUDENTS = table_schema("k12_students", K12Student)
"""
The ``k12_students`` table: one row per student, the key every other K-12 table links by.

Examples:
    >>> K12_STUDENTS.name, K12_STUDENTS.required, K12_STUDENTS.names[:3]
    ('k12_students', ('student_id',), ('student_id', 'ssid', 'legal_last_name'))
"""
SCHOOL_ENROLLMENTS = table_schema("school_enrollments", SchoolEnrollment)
"""
The ``school_enrollments`` table: a student's enrollment at a school over a dated period.

Examples:
    >>> SCHOOL_ENROLLMENTS.name, SCHOOL_ENROLLMENTS.required
    ('school_enrollments', ('student_id', 'district_id', 'school_id', 'start_date'))
"""
PARTICIPATIONS = table_schema("program_participations", ProgramParticipation)
"""
The ``program_participations`` table: a student's dated participation in a :class:`Program`.

Examples:
    >>> PARTICIPATIONS.name, PARTICIPATIONS.required
    ('program_participations', ('student_id', 'program', 'start_date'))
"""
SCHOOL_PROVISIONS = table_schema("school_provisions", SchoolProvision)
"""
The ``school_provisions`` table: a school's meal-provision status over a dated period.

Examples:
    >>> SCHOOL_PROVISIONS.name, SCHOOL_PROVISIONS.required
    ('school_provisions', ('school_id', 'provision', 'start_date'))
"""
TRANSCRIPT_MARKS = table_schema("transcript_marks", TranscriptMark)
"""
The ``transcript_marks`` table: one mark of a student in one course.

Examples:
    >>> TRANSCRIPT_MARKS.name, TRANSCRIPT_MARKS.required
    ('transcript_marks', ('student_id', 'course_id', 'mark_date', 'credits_earned'))
"""
COURSE_LIST = table_schema("course_list", CourseListEntry)
"""
The ``course_list`` table: a school's courses with their a-g area and honors designation.

Examples:
    >>> COURSE_LIST.name, COURSE_LIST.required
    ('course_list', ('school_id', 'course_id'))
"""
STUDENT_STATUS = table_schema("student_status", StatusEvent)
"""
The ``student_status`` table: college-going events (aid and college applications, awards).

Examples:
    >>> STUDENT_STATUS.name, STUDENT_STATUS.required
    ('student_status', ('student_id', 'kind'))
"""
CONSENTS = table_schema("consents", Consent)
"""
The ``consents`` table: what a student consented to share, with whom, for what.

Examples:
    >>> CONSENTS.name, CONSENTS.required
    ('consents', ('student_id', 'purpose', 'recipient_id'))
"""
REPORTED_GPAS = table_schema("reported_gpas", ReportedGpa)
"""
The ``reported_gpas`` table: GPAs as the student information system reports them.

Examples:
    >>> REPORTED_GPAS.name, REPORTED_GPAS.required
    ('reported_gpas', ('student_id', 'gpa_kind', 'value'))
"""
OTHER_SOURCE = table_schema("other_source", OtherSourceRecord)
"""
The ``other_source`` table: students as another source (e.g. CALPADS) has them, to compare with.

Examples:
    >>> OTHER_SOURCE.name, OTHER_SOURCE.required
    ('other_source', ('student_id',))
"""
ONTRACK_RECORDS = table_schema(
    "ontrack_records",
    OnTrackRecord,
    order=("student_id", "start_date", "end_date", "first_year_entered_hs", "program_status"),
)
"""
The ``ontrack_records`` table: the district's on-track program records (the record-based rule).

Examples:
    >>> ONTRACK_RECORDS.name, ONTRACK_RECORDS.required
    ('ontrack_records', ('student_id', 'start_date', 'first_year_entered_hs', 'program_status'))
"""
ADDRESSES = table_schema("student_addresses", StudentAddress)
"""
The ``student_addresses`` table: a student's household and location over dated periods.

Examples:
    >>> ADDRESSES.name, ADDRESSES.required
    ('student_addresses', ('student_id', 'household_id', 'location_id'))
"""

K12_SCHEMAS: Mapping[str, tuple[TableSchema, type]] = {
    K12_STUDENTS.name: (K12_STUDENTS, K12Student),
    SCHOOL_ENROLLMENTS.name: (SCHOOL_ENROLLMENTS, SchoolEnrollment),
    PARTICIPATIONS.name: (PARTICIPATIONS, ProgramParticipation),
    SCHOOL_PROVISIONS.name: (SCHOOL_PROVISIONS, SchoolProvision),
    TRANSCRIPT_MARKS.name: (TRANSCRIPT_MARKS, TranscriptMark),
    ONTRACK_RECORDS.name: (ONTRACK_RECORDS, OnTrackRecord),
    ADDRESSES.name: (ADDRESSES, StudentAddress),
    COURSE_LIST.name: (COURSE_LIST, CourseListEntry),
    STUDENT_STATUS.name: (STUDENT_STATUS, StatusEvent),
    CONSENTS.name: (CONSENTS, Consent),
    REPORTED_GPAS.name: (REPORTED_GPAS, ReportedGpa),
    OTHER_SOURCE.name: (OTHER_SOURCE, OtherSourceRecord),
}
"""
Every K-12 table: its schema and its record type, by canonical table name.

Examples:
    >>> schema, record_type = K12_SCHEMAS["consents"]
    >>> schema.required, record_type.__name__
    (('student_id', 'purpose', 'recipient_id'), 'Consent')
"""

_RECORD_SCHEMA: dict[type, TableSchema] = {cls: schema for schema, cls in K12_SCHEMAS.values()}


# --------------------------------------------------------------------------- flat dicts


def _flat(value: object) -> object:
    """A field value as a canonical column holds it: codes, ISO dates, ``2023-24``, ``a;b``."""
    if isinstance(value, _Coded):
        return value.value
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, SchoolYear):
        return value.label
    if isinstance(value, tuple):
        return ";".join(value) if value else None
    return converter.unstructure(value)


def _register_k12_hooks() -> None:
    converter.register_unstructure_hook(SchoolYear, lambda y: y.label)
    converter.register_structure_hook(SchoolYear, lambda value, _: SchoolYear.parse(value))
    for record_type in _RECORD_SCHEMA:
        _register_record(record_type)


def _register_record(record_type: type[Any]) -> None:
    """Flat dicts keyed by column name; None (blank) is a missing value and takes the default."""
    names = [a.name for a in fields(record_type)]
    kinds = {c.name: c for c in _RECORD_SCHEMA[record_type].columns}

    def unstructure(record: Any) -> dict[str, Any]:
        return {name: _flat(getattr(record, name)) for name in names}

    def structure(data: Mapping[str, Any], _: object) -> Any:
        kwargs: dict[str, Any] = {}
        for name in names:
            value = data.get(name)
            if value is None:
                continue
            column = kinds[name]
            if column.kind is Kind.DATE:
                value = converter.structure(value, dt.date)
            elif column.kind is Kind.CODE and isinstance(value, str):
                assert column.codes is not None
                value = column.codes(value)
            kwargs[name] = value
        try:
            return record_type(**kwargs)
        except (TypeError, ValueError) as exc:
            msg = f"{record_type.__name__}: {exc}"
            raise InvalidRecordError(msg) from None

    converter.register_unstructure_hook(record_type, unstructure)
    converter.register_structure_hook(record_type, structure)


_register_k12_hooks()


# --------------------------------------------------------------------------- columnar


def k12_table(records: Iterable[Any], schema: TableSchema | None = None) -> Table:
    """
    Encode K-12 records (all of one type) as a columnar :class:`Table`.

    Args:
        records: Records of one K-12 type (``K12Student``, ``SchoolEnrollment``, ...).
        schema: The table's schema; inferred from the records' type (needed when empty).

    Raises:
        InvalidArgumentError: If the records are of mixed or non-K-12 types, or there are
            none and no schema is given.

    Examples:
        >>> t = k12_table([K12Student("D1", tribal_codes=("0311", "0420")), K12Student("D2")])
        >>> t.name, t.values("tribal_codes")
        ('k12_students', ['0311;0420', None])
    """
    rows = list(records)
    if schema is None:
        if not rows:
            msg = "no records and no schema: cannot tell which K-12 table to build"
            raise InvalidArgumentError(msg)
        schema = _schema_of(type(rows[0]))
    for position, row in enumerate(rows):
        if _RECORD_SCHEMA.get(type(row)) is not schema:
            msg = f"records[{position}] is a {type(row).__name__}, not a {schema.name} record"
            raise InvalidArgumentError(msg)
    data: dict[str, NDArray[Any]] = {}
    categories: dict[str, NDArray[np.object_]] = {}
    for column in schema.columns:
        values = [getattr(row, column.name) for row in rows]
        if column.kind is Kind.TEXT:
            values = [_flat(x) for x in values]
        array, cats = _encode(column, values)
        data[column.name] = array
        if cats is not None:
            categories[column.name] = cats
    return Table(schema, data, categories)


def k12_records(table: Table) -> tuple[Any, ...]:
    """
    Decode a K-12 :class:`Table` back to its records (the inverse of :func:`k12_table`).

    Raises:
        InvalidRecordError: If a row breaks a rule of its record type.

    Examples:
        >>> table = k12_table([ReportedGpa("S1", "csu", 3.5), ReportedGpa("S2", "csu", 2.9)])
        >>> table
        <Table reported_gpas: 2 rows, 3 columns>
        >>> [gpa.value for gpa in k12_records(table)]
        [3.5, 2.9]
    """
    schema, record_type = K12_SCHEMAS[table.name]
    names = schema.names
    columns = [_decode(table.column(n), table.data[n], table.categories.get(n)) for n in names]
    out = []
    for row in zip(*columns, strict=True):
        kwargs = {n: x for n, x in zip(names, row, strict=True) if x is not None}
        out.append(record_type(**kwargs))
    return tuple(out)


def _schema_of(record_type: type) -> TableSchema:
    try:
        return _RECORD_SCHEMA[record_type]
    except KeyError:
        msg = f"{record_type.__name__} is not a K-12 record type"
        raise InvalidArgumentError(msg) from None


def _link(records: Table, ids: Mapping[str, int], key: str = "student_id") -> NDArray[np.int32]:
    # Map each distinct id once, then gather: no per-record Python work.
    cats = records.categories[key].tolist()
    lookup = np.array([ids.get(c, -1) for c in cats] + [-1], dtype=np.int32)
    return cast(NDArray[np.int32], lookup[records.data[key]])


_TABLE_ARGS = (
    ("enrollments", SCHOOL_ENROLLMENTS),
    ("participations", PARTICIPATIONS),
    ("marks", TRANSCRIPT_MARKS),
    ("ontrack_records", ONTRACK_RECORDS),
    ("addresses", ADDRESSES),
    ("provisions", SCHOOL_PROVISIONS),
    ("course_list", COURSE_LIST),
    ("student_status", STUDENT_STATUS),
    ("consents", CONSENTS),
    ("reported_gpas", REPORTED_GPAS),
    ("other_source", OTHER_SOURCE),
)


@frozen(eq=False)
class K12Columns:
    """
    The columnar view of a district's K-12 data: every table, and each record's student row.

    ``enrollment_student[i]`` is the row in ``students`` of enrollment ``i`` (likewise for
    participations, marks, on-track records and addresses), or -1 when its ``student_id``
    is not in ``students`` (such records are kept and never used).

    Examples:
        >>> import datetime as dt
        >>> k = K12Columns.from_records(
        ...     [K12Student("D1"), K12Student("D2")],
        ...     enrollments=[SchoolEnrollment("D2", "2063", "4512", dt.date(2023, 9, 5)),
        ...                  SchoolEnrollment("D9", "2063", "4512", dt.date(2023, 9, 5))])
        >>> k.n_students, k.enrollment_student.tolist()
        (2, [1, -1])
    """

    students: Table
    enrollments: Table
    participations: Table
    marks: Table
    ontrack_records: Table
    addresses: Table
    provisions: Table
    enrollment_student: NDArray[np.int32]
    participation_student: NDArray[np.int32]
    mark_student: NDArray[np.int32]
    ontrack_student: NDArray[np.int32]
    address_student: NDArray[np.int32]
    #: College readiness (college-readiness.md); empty unless given.
    course_list: Table = field(factory=lambda: Table.empty(COURSE_LIST))
    student_status: Table = field(factory=lambda: Table.empty(STUDENT_STATUS))
    consents: Table = field(factory=lambda: Table.empty(CONSENTS))
    reported_gpas: Table = field(factory=lambda: Table.empty(REPORTED_GPAS))
    other_source: Table = field(factory=lambda: Table.empty(OTHER_SOURCE))
    status_student: NDArray[np.int32] = field(factory=lambda: np.empty(0, np.int32))
    consent_student: NDArray[np.int32] = field(factory=lambda: np.empty(0, np.int32))
    gpa_student: NDArray[np.int32] = field(factory=lambda: np.empty(0, np.int32))
    other_student: NDArray[np.int32] = field(factory=lambda: np.empty(0, np.int32))

    @classmethod
    def from_arrow(
        cls, students: Any, *, lenient: bool = False, as_of: dt.date | None = None, **tables: Any
    ) -> Self:
        """
        The K-12 view from Arrow tables (anything with ``__arrow_c_stream__``): *students*
        and any record tables by :meth:`from_tables`'s names, each checked against its K-12
        schema as a file would be, then linked.

        Raises:
            InvalidInputError: In strict mode, when a table has an error.
            InvalidArgumentError: For a table name :meth:`from_tables` does not take.

        Examples:
            >>> import pyarrow as pa
            >>> K12Columns.from_arrow(pa.table({"student_id": ["S1"]})).students.n_rows
            1
        """
        schemas = dict(_TABLE_ARGS)
        unknown = sorted(set(tables) - set(schemas))
        if unknown:
            msg = f"tables {unknown} are not K-12 tables; known: {', '.join(schemas)}"
            raise InvalidArgumentError(msg)
        read = {
            name: Table.from_arrow(data, schemas[name], lenient=lenient, as_of=as_of)
            for name, data in tables.items()
            if data is not None
        }
        return cls.from_tables(
            Table.from_arrow(students, K12_STUDENTS, lenient=lenient, as_of=as_of), **read
        )

    @classmethod
    def from_tables(
        cls,
        students: Table,
        *,
        enrollments: Table | None = None,
        participations: Table | None = None,
        marks: Table | None = None,
        ontrack_records: Table | None = None,
        addresses: Table | None = None,
        provisions: Table | None = None,
        course_list: Table | None = None,
        student_status: Table | None = None,
        consents: Table | None = None,
        reported_gpas: Table | None = None,
        other_source: Table | None = None,
    ) -> Self:
        """
        Link the record tables to ``students`` by ``student_id`` (vectorised); absent tables are empty.

        Raises:
            InvalidArgumentError: If a table is not of its K-12 schema, or a student id repeats.

        Examples:
            >>> import datetime as dt
            >>> students = k12_table([K12Student("D1"), K12Student("D2")])
            >>> enrollments = k12_table([SchoolEnrollment("D2", "2063", "4512", dt.date(2023, 9, 5))])
            >>> K12Columns.from_tables(students, enrollments=enrollments).enrollment_student.tolist()
            [1]
        """
        given = {
            "enrollments": enrollments,
            "participations": participations,
            "marks": marks,
            "ontrack_records": ontrack_records,
            "addresses": addresses,
            "provisions": provisions,
            "course_list": course_list,
            "student_status": student_status,
            "consents": consents,
            "reported_gpas": reported_gpas,
            "other_source": other_source,
        }
        _check_schema("students", students, K12_STUDENTS)
        tables: dict[str, Table] = {}
        for name, schema in _TABLE_ARGS:
            table = given[name]
            tables[name] = Table.empty(schema) if table is None else table
            _check_schema(name, tables[name], schema)
        ids = students.categories["student_id"].tolist()
        codes = students.data["student_id"]
        if len(np.unique(codes)) != len(codes) or (codes < 0).any():
            msg = "students: student_id must be present and unique"
            raise InvalidArgumentError(msg)
        index = np.full(len(ids), -1, dtype=np.int32)
        index[codes] = np.arange(len(codes), dtype=np.int32)
        lookup = dict(zip(ids, index.tolist(), strict=True))
        return cls(
            students,
            tables["enrollments"],
            tables["participations"],
            tables["marks"],
            tables["ontrack_records"],
            tables["addresses"],
            tables["provisions"],
            _link(tables["enrollments"], lookup),
            _link(tables["participations"], lookup),
            _link(tables["marks"], lookup),
            _link(tables["ontrack_records"], lookup),
            _link(tables["addresses"], lookup),
            tables["course_list"],
            tables["student_status"],
            tables["consents"],
            tables["reported_gpas"],
            tables["other_source"],
            _link(tables["student_status"], lookup),
            _link(tables["consents"], lookup),
            _link(tables["reported_gpas"], lookup),
            _link(tables["other_source"], lookup),
        )

    @classmethod
    def from_records(
        cls,
        students: Iterable[K12Student],
        *,
        enrollments: Iterable[SchoolEnrollment] = (),
        participations: Iterable[ProgramParticipation] = (),
        marks: Iterable[TranscriptMark] = (),
        ontrack_records: Iterable[OnTrackRecord] = (),
        addresses: Iterable[StudentAddress] = (),
        provisions: Iterable[SchoolProvision] = (),
        course_list: Iterable[CourseListEntry] = (),
        student_status: Iterable[StatusEvent] = (),
        consents: Iterable[Consent] = (),
        reported_gpas: Iterable[ReportedGpa] = (),
        other_source: Iterable[OtherSourceRecord] = (),
    ) -> Self:
        """Encode per-record objects (for an SIS integration, a notebook or a test)."""
        return cls.from_tables(
            k12_table(students, K12_STUDENTS),
            enrollments=k12_table(enrollments, SCHOOL_ENROLLMENTS),
            participations=k12_table(participations, PARTICIPATIONS),
            marks=k12_table(marks, TRANSCRIPT_MARKS),
            ontrack_records=k12_table(ontrack_records, ONTRACK_RECORDS),
            addresses=k12_table(addresses, ADDRESSES),
            provisions=k12_table(provisions, SCHOOL_PROVISIONS),
            course_list=k12_table(course_list, COURSE_LIST),
            student_status=k12_table(student_status, STUDENT_STATUS),
            consents=k12_table(consents, CONSENTS),
            reported_gpas=k12_table(reported_gpas, REPORTED_GPAS),
            other_source=k12_table(other_source, OTHER_SOURCE),
        )

    @property
    def n_students(self) -> int:
        """Number of students."""
        return self.students.n_rows

    def tables(self) -> dict[str, Table]:
        """
        Every table by its canonical name (``k12_students``, ``school_enrollments``, ...).

        Examples:
            >>> columns = K12Columns.from_records([K12Student("D1")])
            >>> sorted(columns.tables())[:3], columns.tables()["k12_students"]
            (['consents', 'course_list', 'k12_students'], <Table k12_students: 1 rows, 28 columns>)
        """
        out = {self.students.name: self.students}
        for name, _ in _TABLE_ARGS:
            table: Table = getattr(self, name)
            out[table.name] = table
        return out

    def write(self, directory: str | os.PathLike[str], *, format: str = "csv") -> tuple[Path, ...]:
        """
        Write every table into *directory* as ``<name>.csv`` (or ``.parquet``), made if missing.

        The files are what ``edoutcomes ontrack --data`` and ``edoutcomes readiness --data``
        read: :func:`edoutcomes.formats.write_table` on each of :meth:`tables`.

        Returns:
            The paths written, in the order of :meth:`tables`.

        Examples:
            >>> import tempfile
            >>> from edoutcomes.synth import synthetic_k12
            >>> with tempfile.TemporaryDirectory() as tmp:
            ...     paths = synthetic_k12(20, seed=1).write(tmp)
            ...     paths[0].name
            'k12_students.csv'
        """
        from ..formats.canonical import write_table

        if format not in ("csv", "parquet"):
            msg = f"format={format!r}: expected 'csv' or 'parquet'"
            raise InvalidArgumentError(msg)
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, table in self.tables().items():
            path = folder / f"{name}.{format}"
            write_table(table, path, format=format)
            paths.append(path)
        return tuple(paths)


def _check_schema(name: str, table: Table, schema: TableSchema) -> None:
    if table.schema.name != schema.name:
        msg = f"{name}: expected a {schema.name} table, got {table.schema.name}"
        raise InvalidArgumentError(msg)
