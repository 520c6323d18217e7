"""The columnar view: one numpy array per canonical column, built once, used by every engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import numpy as np
from attrs import field, fields, frozen
from numpy.typing import NDArray

from .._kernel._codes import Coded as _Coded
from .._kernel._days import EPOCH, MISSING_DAY, dates_to_days, days_to_dates
from ..errors import InvalidArgumentError
from ._records import DEGREES, ENROLLMENTS, STUDENTS, DegreeRecord, EnrollmentRecord, Student
from ._schema import Column, Kind, TableSchema
from ._values import Cip, CollegeCode

__all__ = [
    "EPOCH",
    "MISSING_DAY",
    "CohortColumns",
    "Table",
    "dates_to_days",
    "days_to_dates",
    "encode_text",
]

_DTYPES: dict[Kind, type[np.generic]] = {
    Kind.TEXT: np.int32,
    Kind.DATE: np.int32,
    Kind.CODE: np.int8,
    Kind.COLLEGE_CODE: np.int32,
    Kind.CIP: np.int32,
    Kind.BOOL: np.int8,
    Kind.NUMBER: np.float64,
}
_MISSING: dict[Kind, float] = {
    Kind.TEXT: -1,
    Kind.DATE: int(MISSING_DAY),
    Kind.CODE: -1,
    Kind.COLLEGE_CODE: -1,
    Kind.CIP: -1,
    Kind.BOOL: -1,
    Kind.NUMBER: np.nan,
}
_RECORD_TYPES: dict[str, type] = {
    "students": Student,
    "enrollments": EnrollmentRecord,
    "degrees": DegreeRecord,
}
_SCHEMAS = {"students": STUDENTS, "enrollments": ENROLLMENTS, "degrees": DEGREES}


def encode_text(values: Iterable[str | None]) -> tuple[NDArray[np.int32], NDArray[np.object_]]:
    """
    Dictionary-encode strings: ``int32`` codes into a table of distinct strings (-1 for None).

    Examples:
        >>> codes, categories = encode_text(["b", None, "a", "b"])
        >>> codes.tolist(), categories.tolist()
        ([0, -1, 1, 0], ['b', 'a'])
    """
    table: dict[str, int] = {}
    codes = np.fromiter(
        (-1 if value is None else table.setdefault(value, len(table)) for value in values),
        dtype=np.int32,
    )
    categories = np.empty(len(table), dtype=object)
    categories[:] = list(table)
    return codes, categories


def _encode(
    column: Column, values: Sequence[Any]
) -> tuple[NDArray[Any], NDArray[np.object_] | None]:
    kind = column.kind
    if kind is Kind.TEXT:
        return encode_text(values)
    if kind is Kind.DATE:
        return dates_to_days(values), None
    if kind is Kind.CODE:
        assert column.codes is not None
        codes = column.codes
        return np.fromiter(
            (-1 if x is None else codes(x).code for x in values), np.int8, len(values)
        ), None
    if kind in (Kind.COLLEGE_CODE, Kind.CIP):
        return np.fromiter(
            (-1 if x is None else x.packed for x in values), np.int32, len(values)
        ), None
    if kind is Kind.NUMBER:
        return np.fromiter(
            (np.nan if x is None else float(x) for x in values), np.float64, len(values)
        ), None
    return np.fromiter(
        (-1 if x is None else int(bool(x)) for x in values), np.int8, len(values)
    ), None


def _decode(
    column: Column, data: NDArray[Any], categories: NDArray[np.object_] | None
) -> list[Any]:
    kind = column.kind
    raw = data.tolist()
    if kind is Kind.TEXT:
        assert categories is not None
        cats = categories.tolist()
        return [None if c < 0 else cats[c] for c in raw]
    if kind is Kind.DATE:
        return days_to_dates(data)
    if kind is Kind.CODE:
        assert column.codes is not None
        members = column.codes.by_code()
        return [None if c < 0 else members[c] for c in raw]
    if kind is Kind.COLLEGE_CODE:
        return [None if c < 0 else CollegeCode.unpack(c) for c in raw]
    if kind is Kind.CIP:
        return [None if c < 0 else Cip.unpack(c) for c in raw]
    if kind is Kind.NUMBER:
        return [None if c != c else c for c in raw]  # NaN is the only value unequal to itself
    return [None if c < 0 else bool(c) for c in raw]


@frozen(eq=False)
class Table:
    """
    One canonical table in columnar form: every column of its schema, plus any extra columns.

    ``data[name]`` holds one array per column (see :class:`Kind` for the encodings);
    ``categories[name]`` holds the distinct strings of each text column. Extra
    (non-canonical) columns are listed in ``extras`` as text or Y/N columns.
    ``submitted`` is the order the source gave its columns in (a file's header, by
    canonical name), empty when the source had none (records, synthetic data).

    Examples:
        >>> t = Table.from_records("students", [Student("1", gender="F"), Student("2")])
        >>> t.n_rows, t.values("gender")
        (2, ['F', None])
    """

    schema: TableSchema
    data: Mapping[str, NDArray[Any]]
    categories: Mapping[str, NDArray[np.object_]] = field(factory=dict)
    extras: tuple[Column, ...] = ()
    submitted: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        lengths = {name: len(array) for name, array in self.data.items()}
        if len(set(lengths.values())) > 1:
            msg = f"{self.schema.name}: columns have different lengths: {lengths}"
            raise InvalidArgumentError(msg)
        for column in self.all_columns:
            if column.name not in self.data:
                msg = f"{self.schema.name}: column {column.name!r} has no array"
                raise InvalidArgumentError(msg)
            if self.data[column.name].dtype != _DTYPES[column.kind]:
                msg = (
                    f"{self.schema.name}: column {column.name!r} is {self.data[column.name].dtype}, "
                    f"expected {np.dtype(_DTYPES[column.kind])}"
                )
                raise InvalidArgumentError(msg)
            if column.kind is Kind.TEXT and column.name not in self.categories:
                msg = f"{self.schema.name}: text column {column.name!r} has no categories"
                raise InvalidArgumentError(msg)

    @property
    def name(self) -> str:
        """The table's canonical name: ``students``, ``enrollments`` or ``degrees``."""
        return self.schema.name

    @property
    def all_columns(self) -> tuple[Column, ...]:
        """The schema's columns, then the extras."""
        return self.schema.columns + self.extras

    @property
    def names(self) -> tuple[str, ...]:
        """Every column name, canonical ones first."""
        return tuple(c.name for c in self.all_columns)

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return len(next(iter(self.data.values()))) if self.data else 0

    def __len__(self) -> int:
        return self.n_rows

    def column(self, name: str) -> Column:
        """
        The :class:`Column` called *name*.

        Examples:
            >>> from edoutcomes.model import Student
            >>> table = Table.from_records("students", [Student("A1", attributes={"pell": True})])
            >>> table.column("pell").kind, table.column("requester_id").required
            (<Kind.BOOL: 'bool'>, True)
        """
        for column in self.all_columns:
            if column.name == name:
                return column
        msg = f"{self.schema.name} has no column {name!r}"
        raise InvalidArgumentError(msg)

    def values(self, name: str) -> list[Any]:
        """
        The column *name* decoded to Python values (str, date, enum, CollegeCode, Cip, bool, None).

        Examples:
            >>> from edoutcomes.model import Student
            >>> table = Table.from_records("students", [Student("A1", attributes={"pell": True}), Student("A2")])
            >>> table.values("requester_id"), table.values("pell")
            (['A1', 'A2'], [True, None])
        """
        column = self.column(name)
        return _decode(column, self.data[name], self.categories.get(name))

    def text(self, name: str) -> NDArray[np.object_]:
        """
        A text column decoded to an object array of str (None for missing).

        Examples:
            >>> from edoutcomes.model import Student
            >>> Table.from_records("students", [Student("A1"), Student("A2")]).text("requester_id").tolist()
            ['A1', 'A2']
        """
        codes = self.data[name]
        cats = np.empty(len(self.categories[name]) + 1, dtype=object)
        cats[:-1] = self.categories[name]
        cats[-1] = None
        return cast(NDArray[np.object_], cats[codes])

    @classmethod
    def empty(
        cls, schema: TableSchema | str, n_rows: int = 0, extras: Sequence[Column] = ()
    ) -> Table:
        """
        A table of *n_rows* rows in which every value is missing.

        Examples:
            >>> empty = Table.empty("students", 3)
            >>> empty, empty.values("gender")
            (<Table students: 3 rows, 13 columns>, [None, None, None])
        """
        schema = _SCHEMAS[schema] if isinstance(schema, str) else schema
        data: dict[str, NDArray[Any]] = {}
        categories: dict[str, NDArray[np.object_]] = {}
        for column in (*schema.columns, *extras):
            data[column.name] = np.full(n_rows, _MISSING[column.kind], dtype=_DTYPES[column.kind])
            if column.kind is Kind.TEXT:
                categories[column.name] = np.empty(0, dtype=object)
        return cls(schema, data, categories, tuple(extras))

    @classmethod
    def from_arrays(
        cls,
        schema: TableSchema | str,
        data: Mapping[str, NDArray[Any]],
        categories: Mapping[str, NDArray[np.object_]] | None = None,
        extras: Sequence[Column] = (),
        submitted: Sequence[str] = (),
    ) -> Table:
        """
        A table from arrays for some columns; absent schema columns are filled as missing.

        Examples:
            >>> import datetime as dt
            >>> from edoutcomes.model import dates_to_days
            >>> terms = Table.from_arrays("enrollments", {"begin_date": dates_to_days([dt.date(2016, 8, 29)])})
            >>> terms.values("begin_date"), terms.values("college_code")
            ([datetime.date(2016, 8, 29)], [None])
        """
        schema = _SCHEMAS[schema] if isinstance(schema, str) else schema
        n_rows = len(next(iter(data.values()))) if data else 0
        full: dict[str, NDArray[Any]] = {}
        cats: dict[str, NDArray[np.object_]] = {}
        # Only absent columns get a missing-filled array: at millions of rows, filling every
        # column first and then replacing it would double the peak memory.
        for column in (*schema.columns, *extras):
            full[column.name] = (
                data[column.name]
                if column.name in data
                else np.full(n_rows, _MISSING[column.kind], dtype=_DTYPES[column.kind])
            )
            if column.kind is Kind.TEXT:
                cats[column.name] = np.empty(0, dtype=object)
        for name, array in data.items():
            full.setdefault(name, array)
        cats.update(categories or {})
        return cls(schema, full, cats, tuple(extras), tuple(submitted))

    @classmethod
    def from_records(cls, schema: TableSchema | str, records: Iterable[Any]) -> Table:
        """
        Encode domain records (``Student``, ``EnrollmentRecord`` or ``DegreeRecord``).

        Examples:
            >>> from edoutcomes.model import Student
            >>> table = Table.from_records("students", [Student("A1", attributes={"pell": True})])
            >>> table, table.names[-1]  # the attribute became a Y/N extra column
            (<Table students: 1 rows, 14 columns>, 'pell')
        """
        schema = _SCHEMAS[schema] if isinstance(schema, str) else schema
        rows = list(records)
        data: dict[str, NDArray[Any]] = {}
        categories: dict[str, NDArray[np.object_]] = {}
        for column in schema.columns:
            array, cats = _encode(column, [getattr(r, column.name) for r in rows])
            data[column.name] = array
            if cats is not None:
                categories[column.name] = cats
        extra_names: list[str] = []
        for record in rows:
            for name, _ in record.attributes:
                if name not in extra_names:
                    extra_names.append(name)
        extras: list[Column] = []
        for name in extra_names:
            values = [record.attribute(name) for record in rows]
            is_bool = any(isinstance(x, bool) for x in values) and all(
                x is None or isinstance(x, bool) for x in values
            )
            column = Column(name, Kind.BOOL if is_bool else Kind.TEXT)
            if not is_bool:
                values = [None if x is None else str(x) for x in values]
            array, cats = _encode(column, values)
            data[name] = array
            if cats is not None:
                categories[name] = cats
            extras.append(column)
        return cls(schema, data, categories, tuple(extras))

    def to_records(self) -> tuple[Any, ...]:
        """
        Decode every row to a domain record.

        Examples:
            >>> from edoutcomes.model import Student
            >>> students = [Student("A1", gender="F", attributes={"pell": True}), Student("A2")]
            >>> Table.from_records("students", students).to_records() == tuple(students)
            True
        """
        record_type = _RECORD_TYPES[self.schema.name]
        names = [c.name for c in self.schema.columns]
        columns = [self.values(name) for name in names]
        extra_names = [c.name for c in self.extras]
        extra_columns = [self.values(name) for name in extra_names]
        defaults = {n for n in names if _has_code_default(record_type, n)}
        out = []
        for i in range(self.n_rows):
            # A missing enrollment status or FERPA block takes the record's default (withheld, none).
            kwargs = {
                n: col[i]
                for n, col in zip(names, columns, strict=True)
                if not (col[i] is None and n in defaults)
            }
            attributes = tuple(
                (n, col[i])
                for n, col in zip(extra_names, extra_columns, strict=True)
                if col[i] is not None
            )
            out.append(record_type(**kwargs, attributes=attributes))
        return tuple(out)

    def take(self, indices: NDArray[np.integer[Any]] | NDArray[np.bool_]) -> Table:
        """
        The rows at *indices* (or where a boolean mask is true), sharing the categories.

        Examples:
            >>> import numpy as np
            >>> from edoutcomes.model import Student
            >>> table = Table.from_records("students", [Student("A1"), Student("A2"), Student("A3")])
            >>> rows = np.array([2, 0])
            >>> table.take(rows).values("requester_id"), table.take(table.text("requester_id") != "A2").n_rows
            (['A3', 'A1'], 2)
        """
        data = {name: array[indices] for name, array in self.data.items()}
        return Table(self.schema, data, dict(self.categories), self.extras, self.submitted)

    def to_arrow(self) -> Any:
        """
        This table as a typed ``pyarrow.Table``: dates ``date32``, Y/N ``bool``, numbers
        ``float64``, text and codes dictionary-encoded strings, missing values null.

        Examples:
            >>> from edoutcomes.model import Student
            >>> Table.from_records("students", [Student("A1")]).to_arrow().num_rows
            1
        """
        from .._kernel._arrow import table_to_arrow

        return table_to_arrow(self)

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The Arrow C stream of :meth:`to_arrow` (``polars.from_arrow``, ``duckdb``, pandas)."""
        return self.to_arrow().__arrow_c_stream__(requested_schema)

    @classmethod
    def from_arrow(
        cls,
        data: Any,
        schema: TableSchema | str,
        *,
        lenient: bool = False,
        as_of: dt.date | None = None,
    ) -> Table:
        """
        A table from Arrow data (a ``pyarrow.Table``, a polars or pandas DataFrame, a DuckDB
        relation: anything with ``__arrow_c_stream__``), checked as a file would be.

        Dates may be ``date32`` or text; codes and Y/N text, dictionary-encoded or not.

        Raises:
            InvalidInputError: In strict mode, when a row or column has an error.

        Examples:
            >>> import pyarrow as pa
            >>> Table.from_arrow(pa.table({"requester_id": ["A1", "A2"]}), "students").n_rows
            2
        """
        from ..formats.canonical import read_table

        return read_table(data, schema, lenient=lenient, as_of=as_of).table  # type: ignore[arg-type]

    def equals(self, other: Table) -> bool:
        """
        Same columns with the same decoded values, row by row (encodings may differ).

        Examples:
            >>> from edoutcomes.model import Student
            >>> table = Table.from_records("students", [Student("A1"), Student("A2")])
            >>> table.equals(Table.from_records("students", table.to_records())), table.equals(table.take(table.text("requester_id") == "A2"))
            (True, False)
        """
        if self.names != other.names or self.n_rows != other.n_rows:
            return False
        return all(self.values(n) == other.values(n) for n in self.names)

    def __repr__(self) -> str:
        return f"<Table {self.schema.name}: {self.n_rows} rows, {len(self.all_columns)} columns>"


def _has_code_default(record_type: type, name: str) -> bool:
    for attribute in fields(record_type):
        if attribute.name == name:
            return isinstance(attribute.default, _Coded)
    return False


@frozen(eq=False)
class CohortColumns:
    """
    The columnar view of a cohort: the three tables and the links from records to students.

    ``enrollment_student[i]`` is the row in ``students`` of enrollment ``i`` (likewise
    ``degree_student``), or -1 when the record's ``requester_id`` is not a submitted
    student (such records are kept, counted in :attr:`orphans`, and never counted).

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.model import CollegeCode, CollegeType, EnrollmentRecord, Student
        >>> code = CollegeCode.parse("001817-00")
        >>> term = EnrollmentRecord("A1", code, CollegeType.FOUR_YEAR, dt.date(2016, 8, 29), dt.date(2016, 12, 15))
        >>> stray = EnrollmentRecord("Z9", code, CollegeType.FOUR_YEAR, dt.date(2016, 8, 29), dt.date(2016, 12, 15))
        >>> columns = CohortColumns.from_records([Student("A1"), Student("A2")], [term, stray])
        >>> columns.n_students, columns.enrollment_student.tolist(), columns.orphans
        (2, [0, -1], 1)
        >>> columns.enrollments
        <Table enrollments: 2 rows, 15 columns>
    """

    students: Table
    enrollments: Table
    degrees: Table
    enrollment_student: NDArray[np.int32]
    degree_student: NDArray[np.int32]

    @classmethod
    def from_tables(
        cls, students: Table, enrollments: Table | None = None, degrees: Table | None = None
    ) -> CohortColumns:
        """
        Link record tables to the student table by ``requester_id`` (vectorised).

        Examples:
            >>> from edoutcomes.model import Student
            >>> students = Table.from_records("students", [Student("A1"), Student("A2")])
            >>> columns = CohortColumns.from_tables(students)
            >>> columns.n_students, columns.enrollments
            (2, <Table enrollments: 0 rows, 15 columns>)
        """
        enrollments = enrollments if enrollments is not None else Table.empty(ENROLLMENTS)
        degrees = degrees if degrees is not None else Table.empty(DEGREES)
        index = _id_index(students)
        return cls(students, enrollments, degrees, _link(enrollments, index), _link(degrees, index))

    @classmethod
    def from_arrow(
        cls,
        students: Any,
        enrollments: Any = None,
        degrees: Any = None,
        *,
        lenient: bool = False,
        as_of: dt.date | None = None,
    ) -> CohortColumns:
        """
        The columnar cohort from Arrow tables (anything with ``__arrow_c_stream__``), each
        checked as :func:`edoutcomes.formats.read_cohort` checks files, then linked.

        Raises:
            InvalidInputError: In strict mode, when any table has an error.

        Examples:
            >>> import pyarrow as pa
            >>> students = pa.table({"requester_id": ["A1"]})
            >>> enrollments = pa.table({"requester_id": ["A1"], "college_code": ["001817-00"],
            ...     "college_type": ["4"], "begin_date": ["2006-08-21"], "end_date": ["2006-12-15"]})
            >>> CohortColumns.from_arrow(students, enrollments).enrollment_student.tolist()
            [0]
        """
        from ..formats.canonical import read_cohort

        return read_cohort(students, enrollments, degrees, lenient=lenient, as_of=as_of).columns

    @classmethod
    def from_records(
        cls,
        students: Iterable[Student],
        enrollments: Iterable[EnrollmentRecord] = (),
        degrees: Iterable[DegreeRecord] = (),
    ) -> CohortColumns:
        """Encode per-record objects."""
        return cls.from_tables(
            Table.from_records(STUDENTS, students),
            Table.from_records(ENROLLMENTS, enrollments),
            Table.from_records(DEGREES, degrees),
        )

    @property
    def n_students(self) -> int:
        """Number of submitted students."""
        return self.students.n_rows

    @property
    def orphans(self) -> int:
        """Records whose ``requester_id`` is not a submitted student."""
        return int((self.enrollment_student < 0).sum() + (self.degree_student < 0).sum())


def _id_index(students: Table) -> dict[str, int]:
    ids = students.text("requester_id").tolist()
    index: dict[str, int] = {}
    for position, rid in enumerate(ids):
        index.setdefault(rid, position)
    return index


def _link(records: Table, index: Mapping[str, int]) -> NDArray[np.int32]:
    # Map each distinct id once, then gather: no per-record Python work.
    cats = records.categories["requester_id"].tolist()
    lookup = np.array([index.get(c, -1) for c in cats] + [-1], dtype=np.int32)
    return cast(NDArray[np.int32], lookup[records.data["requester_id"]])
