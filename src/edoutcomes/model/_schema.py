"""The canonical tables: their columns, kinds and code sets, in the spec's order."""

from __future__ import annotations

import enum
from collections.abc import Iterator

from attrs import field, frozen

from .._kernel._codes import Coded as _Coded
from ..errors import InvalidArgumentError
from ._codes import ClassLevel, CollegeControl, CollegeType, EnrollmentStatus, FerpaBlock

__all__ = ["DEGREES", "ENROLLMENTS", "STUDENTS", "Column", "Kind", "TableSchema"]


class Kind(enum.Enum):
    """How a column is typed, and how the columnar view stores it."""

    #: Free text; stored dictionary-encoded (``int32`` codes into a table of strings, -1 missing).
    TEXT = "text"
    #: ``datetime.date``; stored as ``int32`` days since 1970-01-01, ``MISSING_DAY`` missing.
    DATE = "date"
    #: A member of a code set; stored as the member's explicit ``int8`` code (``member.code``), -1 missing.
    CODE = "code"
    #: ``CollegeCode``; stored as ``int32`` ``NNNNNNBB``, -1 missing.
    COLLEGE_CODE = "college_code"
    #: ``Cip``; stored as ``int32`` six digits, -1 missing.
    CIP = "cip"
    #: Y/N flag; stored as ``int8`` 1/0, -1 missing.
    BOOL = "bool"
    #: A decimal number (credits); stored as ``float64``, NaN missing.
    NUMBER = "number"


@frozen
class Column:
    """One column of a canonical table."""

    name: str
    kind: Kind
    codes: type[_Coded] | None = None
    #: Present and non-blank in every row of a file (or the row is rejected).
    required: bool = False
    #: Blank reads as this code (enrollment status: withheld; FERPA block: none).
    blank: _Coded | None = None


@frozen
class TableSchema:
    """The columns of one canonical table, in the spec's order."""

    name: str
    columns: tuple[Column, ...]
    _by_name: dict[str, Column] = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {c.name: c for c in self.columns})

    def __iter__(self) -> Iterator[Column]:
        return iter(self.columns)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __getitem__(self, name: str) -> Column:
        try:
            return self._by_name[name]
        except KeyError:
            msg = f"{self.name} has no column {name!r}; columns: {', '.join(self.names)}"
            raise InvalidArgumentError(msg) from None

    @property
    def names(self) -> tuple[str, ...]:
        """Column names in order."""
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the columns a file must have."""
        return tuple(c.name for c in self.columns if c.required)


def _text(name: str, *, required: bool = False) -> Column:
    return Column(name, Kind.TEXT, required=required)


def _date(name: str, *, required: bool = False) -> Column:
    return Column(name, Kind.DATE, required=required)


def _code(
    name: str, codes: type[_Coded], *, required: bool = False, blank: _Coded | None = None
) -> Column:
    return Column(name, Kind.CODE, codes, required=required, blank=blank)


STUDENTS = TableSchema(
    "students",
    (
        _text("requester_id", required=True),
        _text("unique_id"),
        _text("first_name"),
        _text("middle_name"),
        _text("last_name"),
        _text("name_suffix"),
        _date("birth_date"),
        _text("ssn"),
        _text("high_school_code"),
        _text("high_school_state"),
        _date("hs_grad_date"),
        _text("gender"),
        _text("race_ethnicity"),
    ),
)

_COLLEGE = (
    _text("college_name"),
    _text("college_state"),
)

ENROLLMENTS = TableSchema(
    "enrollments",
    (
        _text("requester_id", required=True),
        Column("college_code", Kind.COLLEGE_CODE, required=True),
        *_COLLEGE,
        _code("college_type", CollegeType, required=True),
        _code("college_control", CollegeControl),
        _date("begin_date", required=True),
        _date("end_date", required=True),
        _code("enrollment_status", EnrollmentStatus, blank=EnrollmentStatus.WITHHELD),
        _code("class_level", ClassLevel),
        _text("major_1"),
        Column("cip_1", Kind.CIP),
        _text("major_2"),
        Column("cip_2", Kind.CIP),
        _code("ferpa_block", FerpaBlock, blank=FerpaBlock.NONE),
    ),
)

DEGREES = TableSchema(
    "degrees",
    (
        _text("requester_id", required=True),
        Column("college_code", Kind.COLLEGE_CODE, required=True),
        *_COLLEGE,
        _code("college_type", CollegeType),
        _code("college_control", CollegeControl),
        _date("award_date", required=True),
        _text("degree_title"),
        _text("major_1"),
        _text("major_2"),
        _text("major_3"),
        _text("major_4"),
        Column("cip_1", Kind.CIP),
        Column("cip_2", Kind.CIP),
        Column("cip_3", Kind.CIP),
        Column("cip_4", Kind.CIP),
        _code("ferpa_block", FerpaBlock, blank=FerpaBlock.NONE),
    ),
)
