"""
Tables and columns, and the field metadata a record class declares its table with.

A table schema is never written out by hand: every field of a record class carries its
column in its metadata (``field(..., metadata=TEXT)``, ``metadata=coded(Gender)``), and
:func:`table_schema` reads the columns off the class. The column's name is the field's
name; it is required when the field has no default (unless its metadata says otherwise).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs
from attrs import field, frozen

from .._kernel._codes import Coded as _Coded
from ..errors import InvalidArgumentError

__all__ = [
    "BOOL",
    "CIP",
    "COLLEGE_CODE",
    "COLUMN",
    "DATE",
    "EXTRAS",
    "NUMBER",
    "TEXT",
    "Column",
    "ColumnSpec",
    "Kind",
    "TableSchema",
    "coded",
    "column",
    "table_schema",
]


class Kind(enum.Enum):
    """
    How a column is typed, and how the columnar view stores it.

    Examples:
        >>> from edoutcomes.model import ENROLLMENTS
        >>> ENROLLMENTS["begin_date"].kind, ENROLLMENTS["college_type"].kind
        (<Kind.DATE: 'date'>, <Kind.CODE: 'code'>)
    """

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
    """
    One column of a canonical table.

    Examples:
        >>> Column("credits", Kind.NUMBER)
        Column(name='credits', kind=<Kind.NUMBER: 'number'>, codes=None, required=False, blank=None)
        >>> from edoutcomes.model import ENROLLMENTS
        >>> ENROLLMENTS["enrollment_status"].blank  # a blank status reads as withheld
        <EnrollmentStatus.WITHHELD: ''>
    """

    name: str
    kind: Kind
    codes: type[_Coded] | None = None
    #: Present and non-blank in every row of a file (or the row is rejected).
    required: bool = False
    #: Blank reads as this code (enrollment status: withheld; FERPA block: none).
    blank: _Coded | None = None


@frozen
class TableSchema:
    """
    The columns of one canonical table, in the spec's order.

    Examples:
        >>> marks = TableSchema("marks", (Column("student_id", Kind.TEXT, required=True), Column("credits", Kind.NUMBER)))
        >>> marks.names, marks.required, "credits" in marks
        (('student_id', 'credits'), ('student_id',), True)
        >>> marks["grade"]
        Traceback (most recent call last):
        ...
        edoutcomes.errors.InvalidArgumentError: marks has no column 'grade'; columns: student_id, credits
    """

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
        """
        Column names in order.

        Examples:
            >>> from edoutcomes.model import DEGREES
            >>> DEGREES.names[:3]
            ('requester_id', 'college_code', 'college_name')
        """
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        """
        Names of the columns a file must have.

        Examples:
            >>> from edoutcomes.model import DEGREES
            >>> DEGREES.required
            ('requester_id', 'college_code', 'award_date')
        """
        return tuple(c.name for c in self.columns if c.required)


#: The key of a record field's metadata under which its :class:`ColumnSpec` is kept.
COLUMN = "edoutcomes.column"


@frozen
class ColumnSpec:
    """What a record field's metadata says about its column (its name is the field's name)."""

    kind: Kind
    codes: type[_Coded] | None = None
    #: None: required exactly when the field has no default.
    required: bool | None = None
    #: A blank reads as the field's default (enrollment status: withheld; FERPA block: none).
    blank_is_default: bool = False


FieldMetadata = Mapping[str, ColumnSpec | None]


def column(kind: Kind, *, required: bool | None = None) -> FieldMetadata:
    """The metadata of a field stored as a column of *kind*."""
    return {COLUMN: ColumnSpec(kind, required=required)}


def coded(
    codes: type[_Coded], *, required: bool | None = None, blank_is_default: bool = False
) -> FieldMetadata:
    """The metadata of a field stored as a member of the code set *codes*."""
    return {COLUMN: ColumnSpec(Kind.CODE, codes, required, blank_is_default)}


TEXT = column(Kind.TEXT)
DATE = column(Kind.DATE)
BOOL = column(Kind.BOOL)
NUMBER = column(Kind.NUMBER)
CIP = column(Kind.CIP)
COLLEGE_CODE = column(Kind.COLLEGE_CODE)
#: The metadata of the field that holds a record's extra (non-canonical) columns.
EXTRAS: FieldMetadata = {COLUMN: None}


def table_schema(name: str, record_type: type[Any], order: Sequence[str] = ()) -> TableSchema:
    """
    The schema of table *name*, read off the fields of *record_type*.

    Columns follow the fields' order, or *order* when given (the spec's column order, for
    a class whose fields without a default must come first).

    Raises:
        TypeError: If a field has no column metadata, or *order* does not name every column.

    Examples:
        >>> @frozen
        ... class Mark:
        ...     student_id: str = field(metadata=TEXT)
        ...     credits: float | None = field(default=None, metadata=NUMBER)
        >>> [(c.name, c.kind.value, c.required) for c in table_schema("marks", Mark)]
        [('student_id', 'text', True), ('credits', 'number', False)]
    """
    columns: dict[str, Column] = {}
    for attribute in attrs.fields(record_type):
        if COLUMN not in attribute.metadata:
            msg = f"{record_type.__name__}.{attribute.name} has no column metadata"
            raise TypeError(msg)
        spec: ColumnSpec | None = attribute.metadata[COLUMN]
        if spec is not None:
            columns[attribute.name] = _column(attribute, spec)
    if order:
        if sorted(order) != sorted(columns):
            msg = (
                f"{record_type.__name__}: column order {order} is not its columns {tuple(columns)}"
            )
            raise TypeError(msg)
        columns = {n: columns[n] for n in order}
    return TableSchema(name, tuple(columns.values()))


def _column(attribute: attrs.Attribute[Any], spec: ColumnSpec) -> Column:
    has_default = attribute.default is not attrs.NOTHING
    required = not has_default if spec.required is None else spec.required
    blank = attribute.default if spec.blank_is_default else None
    return Column(attribute.name, spec.kind, spec.codes, required=required, blank=blank)
