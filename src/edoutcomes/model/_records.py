"""The domain records: students, enrollment terms, degrees, and the cohort that holds them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from .._kernel import _validators as v
from ..errors import InvalidRecordError
from ._codes import ClassLevel, CollegeControl, CollegeType, EnrollmentStatus, FerpaBlock
from ._schema import (
    CIP,
    COLLEGE_CODE,
    DATE,
    EXTRAS,
    TEXT,
    TableSchema,
    coded,
    table_schema,
)
from ._values import Cip, CollegeCode

if TYPE_CHECKING:
    from ._columns import CohortColumns

__all__ = [
    "DEGREES",
    "ENROLLMENTS",
    "STUDENTS",
    "AttributeValue",
    "Cohort",
    "DegreeRecord",
    "EnrollmentRecord",
    "Institution",
    "Student",
]

AttributeValue = str | bool | None
"""
The value of an optional student attribute: a Y/N element is a bool, any other text, blank None.

Examples:
    >>> Student("A1", attributes={"pell": True, "major": "Nursing"}).attribute("major")
    'Nursing'
    >>> isinstance(True, AttributeValue), isinstance(3, AttributeValue)
    (True, False)
"""
Attributes = tuple[tuple[str, AttributeValue], ...]


def _attributes(value: object) -> Attributes:
    if isinstance(value, dict):
        return tuple(value.items())
    if isinstance(value, list):
        return tuple(tuple(pair) for pair in value)
    return value  # type: ignore[return-value]


class _HasAttributes:
    """Access to the optional (non-canonical) columns a record was read with."""

    __slots__ = ()
    attributes: Attributes

    def attribute(self, name: str, default: AttributeValue = None) -> AttributeValue:
        """The optional attribute *name*, or *default* when the record has none."""
        for key, value in self.attributes:
            if key == name:
                return value
        return default


@frozen
class Student(_HasAttributes):
    """
    A submitted student, as the submitting system identifies them.

    ``requester_id`` is the caller's own id (the clearinghouse's "requester return
    field"). Personal fields (names, birth date, SSN) stay out of ``repr``.
    Optional attributes (Pell status, first-generation, the Y/N data elements ...)
    ride along in ``attributes`` in submission order.

    Examples:
        >>> s = Student("A1", first_name="Ada", last_name="Byron", attributes=(("pell", True),))
        >>> s
        Student(requester_id='A1', unique_id=None, high_school_code=None, high_school_state=None, hs_grad_date=None, gender=None, race_ethnicity=None, attributes=(('pell', True),))
        >>> s.attribute("pell")
        True
    """

    requester_id: str = field(validator=v.text, metadata=TEXT)
    unique_id: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    first_name: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    middle_name: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    last_name: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    name_suffix: str | None = field(
        default=None, validator=v.optional_text, repr=False, metadata=TEXT
    )
    birth_date: dt.date | None = field(
        default=None, validator=v.optional_date, repr=False, metadata=DATE
    )
    ssn: str | None = field(default=None, validator=v.ssn, repr=False, metadata=TEXT)
    high_school_code: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    high_school_state: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    hs_grad_date: dt.date | None = field(default=None, validator=v.optional_date, metadata=DATE)
    gender: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    race_ethnicity: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    attributes: Attributes = field(
        default=(), converter=_attributes, validator=v.attributes, metadata=EXTRAS
    )


def _end_not_before_begin(instance: EnrollmentRecord, attribute: Any, value: Any) -> None:
    if value < instance.begin_date:
        msg = f"end_date={value.isoformat()} is before begin_date={instance.begin_date.isoformat()}"
        raise InvalidRecordError(msg)


@frozen
class EnrollmentRecord(_HasAttributes):
    """
    One enrollment term of a student at one college.

    Examples:
        >>> import datetime as dt
        >>> r = EnrollmentRecord("A1", CollegeCode.parse("001817-00"), CollegeType.FOUR_YEAR,
        ...                      dt.date(2007, 8, 27), dt.date(2007, 12, 15),
        ...                      enrollment_status=EnrollmentStatus.HALF_TIME)
        >>> str(r.college_code), r.enrollment_status.is_enrolled
        ('001817-00', True)
    """

    requester_id: str = field(validator=v.text, metadata=TEXT)
    college_code: CollegeCode = field(validator=v.instance(CollegeCode), metadata=COLLEGE_CODE)
    college_type: CollegeType = field(
        validator=v.instance(CollegeType), metadata=coded(CollegeType)
    )
    begin_date: dt.date = field(validator=v.date, metadata=DATE)
    end_date: dt.date = field(validator=[v.date, _end_not_before_begin], metadata=DATE)
    enrollment_status: EnrollmentStatus = field(
        default=EnrollmentStatus.WITHHELD,
        validator=v.instance(EnrollmentStatus),
        metadata=coded(EnrollmentStatus, blank_is_default=True),
    )
    college_name: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    college_state: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    college_control: CollegeControl | None = field(
        default=None,
        validator=v.instance(CollegeControl, optional=True),
        metadata=coded(CollegeControl),
    )
    class_level: ClassLevel | None = field(
        default=None, validator=v.instance(ClassLevel, optional=True), metadata=coded(ClassLevel)
    )
    major_1: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    cip_1: Cip | None = field(default=None, validator=v.instance(Cip, optional=True), metadata=CIP)
    major_2: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    cip_2: Cip | None = field(default=None, validator=v.instance(Cip, optional=True), metadata=CIP)
    ferpa_block: FerpaBlock = field(
        default=FerpaBlock.NONE,
        validator=v.instance(FerpaBlock),
        metadata=coded(FerpaBlock, blank_is_default=True),
    )
    attributes: Attributes = field(
        default=(), converter=_attributes, validator=v.attributes, metadata=EXTRAS
    )


@frozen
class DegreeRecord(_HasAttributes):
    """
    One degree (or certificate) awarded to a student by one college.

    ``college_type`` may be missing: it only matters when the degree title is blank.

    Examples:
        >>> import datetime as dt
        >>> d = DegreeRecord("A1", CollegeCode.parse("002178-00"), dt.date(2013, 6, 7),
        ...                  degree_title="BACHELOR OF SCIENCE")
        >>> d.award_date.year
        2013
    """

    requester_id: str = field(validator=v.text, metadata=TEXT)
    college_code: CollegeCode = field(validator=v.instance(CollegeCode), metadata=COLLEGE_CODE)
    award_date: dt.date = field(validator=v.date, metadata=DATE)
    degree_title: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    college_type: CollegeType | None = field(
        default=None, validator=v.instance(CollegeType, optional=True), metadata=coded(CollegeType)
    )
    college_name: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    college_state: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    college_control: CollegeControl | None = field(
        default=None,
        validator=v.instance(CollegeControl, optional=True),
        metadata=coded(CollegeControl),
    )
    major_1: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    cip_1: Cip | None = field(default=None, validator=v.instance(Cip, optional=True), metadata=CIP)
    major_2: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    cip_2: Cip | None = field(default=None, validator=v.instance(Cip, optional=True), metadata=CIP)
    major_3: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    cip_3: Cip | None = field(default=None, validator=v.instance(Cip, optional=True), metadata=CIP)
    major_4: str | None = field(default=None, validator=v.optional_text, metadata=TEXT)
    cip_4: Cip | None = field(default=None, validator=v.instance(Cip, optional=True), metadata=CIP)
    ferpa_block: FerpaBlock = field(
        default=FerpaBlock.NONE,
        validator=v.instance(FerpaBlock),
        metadata=coded(FerpaBlock, blank_is_default=True),
    )
    attributes: Attributes = field(
        default=(), converter=_attributes, validator=v.attributes, metadata=EXTRAS
    )


#: The canonical tables, read off the record classes (in the spec's column order).
_COLLEGE_FIRST = (
    "requester_id",
    "college_code",
    "college_name",
    "college_state",
    "college_type",
    "college_control",
)
STUDENTS: TableSchema = table_schema("students", Student)
"""
The ``students`` table: the submitted students, one row each (:class:`Student`'s fields).

Examples:
    >>> STUDENTS.name, STUDENTS.required, STUDENTS.names[:3]
    ('students', ('requester_id',), ('requester_id', 'unique_id', 'first_name'))
"""
ENROLLMENTS: TableSchema = table_schema(
    "enrollments",
    EnrollmentRecord,
    order=(
        *_COLLEGE_FIRST,
        "begin_date",
        "end_date",
        "enrollment_status",
        "class_level",
        "major_1",
        "cip_1",
        "major_2",
        "cip_2",
        "ferpa_block",
    ),
)
"""
The ``enrollments`` table: one enrollment term per row (:class:`EnrollmentRecord`'s fields).

Examples:
    >>> ENROLLMENTS.required
    ('requester_id', 'college_code', 'college_type', 'begin_date', 'end_date')
    >>> ENROLLMENTS["college_type"].codes.__name__, len(ENROLLMENTS.names)
    ('CollegeType', 15)
"""
DEGREES: TableSchema = table_schema(
    "degrees",
    DegreeRecord,
    order=(
        *_COLLEGE_FIRST,
        "award_date",
        "degree_title",
        "major_1",
        "major_2",
        "major_3",
        "major_4",
        "cip_1",
        "cip_2",
        "cip_3",
        "cip_4",
        "ferpa_block",
    ),
)
"""
The ``degrees`` table: one degree per row (:class:`DegreeRecord`'s fields).

Examples:
    >>> DEGREES.name, DEGREES.required
    ('degrees', ('requester_id', 'college_code', 'award_date'))
"""


def _institution_codes(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)  # type: ignore[arg-type]


def _six_digit_codes(instance: Institution, attribute: Any, value: tuple[str, ...]) -> None:
    if not value:
        msg = "institution codes must not be empty"
        raise InvalidRecordError(msg)
    for code in value:
        if not (isinstance(code, str) and len(code) == 6 and code.isdigit()):
            msg = f"institution code={code!r} is not 6 digits"
            raise InvalidRecordError(msg)


@frozen
class Institution:
    """
    The submitting institution: its 6-digit code(s), its name, optionally one branch.

    A record is the institution's ("yours") when its 6-digit code is one of ``codes``;
    with ``branch`` set, only that exact code and branch.

    Examples:
        >>> Institution("001817", name="Indiana University Southeast").owns(CollegeCode.parse("001817-05"))
        True
        >>> Institution("001817", branch="00").owns(CollegeCode.parse("001817-05"))
        False
    """

    codes: tuple[str, ...] = field(converter=_institution_codes, validator=_six_digit_codes)
    name: str = field(default="", validator=v.instance(str))
    branch: str | None = field(default=None, validator=v.optional_text)

    @branch.validator
    def _two_digits(self, attribute: Any, value: str | None) -> None:
        if value is not None and not (len(value) == 2 and value.isdigit()):
            msg = f"branch={value!r} is not 2 digits"
            raise InvalidRecordError(msg)

    def owns(self, code: CollegeCode) -> bool:
        """
        Whether a record at *code* is this institution's.

        Examples:
            >>> Institution("001817").owns(CollegeCode.parse("001817-05")), Institution("001817").owns(CollegeCode.parse("002178-00"))
            (True, False)
        """
        if code.institution not in self.codes:
            return False
        return self.branch is None or code.branch == self.branch

    @property
    def college_code(self) -> str:
        """
        The code as the clearinghouse prints it: ``NNNNNN-BB`` (branch ``00`` unless given).

        Examples:
            >>> Institution("001817", branch="05").college_code, Institution("001817").college_code
            ('001817-05', '001817-00')
        """
        return f"{self.codes[0]}-{self.branch or '00'}"


@frozen
class Cohort:
    """
    The submitted students, their matched records, and the submitting institution.

    This is the convenient, per-record form. The engines run on :meth:`columns`, the
    columnar view built once from it (a reader can build that view directly from a
    file, without any per-record objects: see :func:`edoutcomes.formats.read_cohort`).

    Examples:
        >>> import datetime as dt
        >>> c = Cohort(students=(Student("1"), Student("2")))
        >>> len(c), c.columns().students.n_rows
        (2, 2)
    """

    students: tuple[Student, ...] = field(converter=tuple)
    enrollments: tuple[EnrollmentRecord, ...] = field(default=(), converter=tuple)
    degrees: tuple[DegreeRecord, ...] = field(default=(), converter=tuple)
    institution: Institution | None = field(
        default=None, validator=v.instance(Institution, optional=True)
    )
    _columns: list[CohortColumns] = field(factory=list, init=False, eq=False, repr=False)

    @students.validator
    def _unique_ids(self, attribute: Any, value: tuple[Student, ...]) -> None:
        seen: set[str] = set()
        for position, student in enumerate(value):
            if not isinstance(student, Student):
                msg = f"students[{position}] is a {type(student).__name__}, not a Student"
                raise InvalidRecordError(msg)
            if student.requester_id in seen:
                msg = f"students[{position}]: requester_id={student.requester_id!r} appears twice"
                raise InvalidRecordError(msg)
            seen.add(student.requester_id)

    @enrollments.validator
    def _enrollment_types(self, attribute: Any, value: tuple[EnrollmentRecord, ...]) -> None:
        _check_types(attribute.name, value, EnrollmentRecord)

    @degrees.validator
    def _degree_types(self, attribute: Any, value: tuple[DegreeRecord, ...]) -> None:
        _check_types(attribute.name, value, DegreeRecord)

    def __len__(self) -> int:
        return len(self.students)

    def columns(self) -> CohortColumns:
        """
        The columnar view of this cohort, built on first use and kept.

        Examples:
            >>> cohort = Cohort(students=(Student("1"), Student("2")))
            >>> cohort.columns().n_students, cohort.columns() is cohort.columns()
            (2, True)
        """
        if not self._columns:
            from ._columns import CohortColumns

            self._columns.append(
                CohortColumns.from_records(self.students, self.enrollments, self.degrees)
            )
        return self._columns[0]


def _check_types(name: str, records: Iterable[object], cls: type) -> None:
    for position, record in enumerate(records):
        if not isinstance(record, cls):
            msg = f"{name}[{position}] is a {type(record).__name__}, not a {cls.__name__}"
            raise InvalidRecordError(msg)
