"""Every table schema is read off its record class: each field declares its column once."""

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
from edoutcomes.model._schema import COLUMN, NUMBER, TEXT, ColumnSpec, table_schema

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


@pytest.mark.parametrize(("record_type", "schema"), PAIRS, ids=lambda x: getattr(x, "name", ""))
def test_every_field_declares_its_column(record_type: type, schema: TableSchema) -> None:
    """Each field carries its column in its metadata (none, only for the extra columns' field)."""
    specs = {a.name: a.metadata.get(COLUMN, "missing") for a in attrs.fields(record_type)}

    assert "missing" not in specs.values()
    assert {n for n, spec in specs.items() if spec is None} <= NOT_COLUMNS
    for column in schema:
        spec = specs[column.name]
        assert isinstance(spec, ColumnSpec)
        assert (spec.kind, spec.codes) == (column.kind, column.codes)


@pytest.mark.parametrize(("record_type", "schema"), PAIRS, ids=lambda x: getattr(x, "name", ""))
def test_the_table_is_read_off_the_class(record_type: type, schema: TableSchema) -> None:
    """Deriving the table again gives the same columns; required means no default unless stated."""
    assert table_schema(schema.name, record_type, order=schema.names) == schema
    for attribute in attrs.fields(record_type):
        spec = attribute.metadata[COLUMN]
        if spec is not None and spec.required is None:
            assert schema[attribute.name].required is (attribute.default is attrs.NOTHING)


def test_a_field_without_metadata_is_refused() -> None:
    """A record class with a field that does not declare its column has no table."""

    @attrs.frozen
    class Mark:
        student_id: str = attrs.field(metadata=TEXT)
        credits: float | None = attrs.field(default=None)

    with pytest.raises(TypeError, match=r"Mark\.credits has no column metadata"):
        table_schema("marks", Mark)


def test_an_order_must_name_every_column() -> None:
    """A stated column order that leaves a column out (or adds one) is refused."""

    @attrs.frozen
    class Mark:
        student_id: str = attrs.field(metadata=TEXT)
        credits: float | None = attrs.field(default=None, metadata=NUMBER)

    assert table_schema("marks", Mark, order=("credits", "student_id")).names == (
        "credits",
        "student_id",
    )
    with pytest.raises(TypeError, match="column order"):
        table_schema("marks", Mark, order=("student_id",))
