"""Every record class and its table declare the same columns, with the same kinds and code sets."""

from __future__ import annotations

import datetime as dt
import types
import typing

import attrs
import pytest

from edoutcomes._kernel._codes import Coded
from edoutcomes.model import (
    DEGREES,
    ENROLLMENTS,
    K12_SCHEMAS,
    STUDENTS,
    Cip,
    CollegeCode,
    DegreeRecord,
    EnrollmentRecord,
    Kind,
    SchoolYear,
    Student,
    TableSchema,
)

#: Every record class with its table: the canonical three, then every K-12 table.
PAIRS: list[tuple[type, TableSchema]] = [
    (Student, STUDENTS),
    (EnrollmentRecord, ENROLLMENTS),
    (DegreeRecord, DEGREES),
    *((record_type, schema) for schema, record_type in K12_SCHEMAS.values()),
]

#: Fields a record carries beyond its table's columns (extra columns of a file).
NOT_COLUMNS = {"attributes"}


def kind_of(annotation: object) -> tuple[Kind, type | None]:
    """The column kind (and code set) a field's type annotation means."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        (annotation,) = [a for a in args if a is not type(None)]
    if isinstance(annotation, type) and issubclass(annotation, Coded):
        return Kind.CODE, annotation
    simple: dict[object, Kind] = {
        bool: Kind.BOOL,
        dt.date: Kind.DATE,
        float: Kind.NUMBER,
        Cip: Kind.CIP,
        CollegeCode: Kind.COLLEGE_CODE,
        str: Kind.TEXT,
        SchoolYear: Kind.TEXT,
    }
    if typing.get_origin(annotation) is tuple:
        return Kind.TEXT, None  # a list of names, written ``a;b``
    return simple[annotation], None


def test_every_table_has_a_record_class() -> None:
    """The pairs below cover every K-12 table and the three canonical ones."""
    assert 3 + len(K12_SCHEMAS) == len({schema.name for _, schema in PAIRS})


@pytest.mark.parametrize(("record_type", "schema"), PAIRS, ids=lambda x: getattr(x, "name", ""))
def test_record_fields_are_the_table_columns(record_type: type, schema: TableSchema) -> None:
    """The record's fields are exactly the table's columns (order aside: attrs puts defaults last)."""
    fields = {a.name for a in attrs.fields(record_type)} - NOT_COLUMNS

    assert sorted(schema.names) == sorted(fields)


@pytest.mark.parametrize(("record_type", "schema"), PAIRS, ids=lambda x: getattr(x, "name", ""))
def test_field_types_give_the_column_kinds(record_type: type, schema: TableSchema) -> None:
    """Each column's kind and code set are what its field's type says."""
    hints = typing.get_type_hints(record_type)

    expected = {c.name: (c.kind, c.codes) for c in schema.columns}
    actual = {c.name: kind_of(hints[c.name]) for c in schema.columns}

    assert expected == actual
