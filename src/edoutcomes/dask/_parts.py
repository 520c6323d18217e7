"""
Student-level outputs written in parallel, as parts whose concatenation is the one-process file.

A partition of the cluster is a bucket of a hash of the student id, so its students are
scattered over the input. For the per-student outputs (the detail report, the ARR, the
on-track explanations, the readiness tables) the students are moved once more, into
contiguous ranges of their input position (the ``row`` column): part ``k`` of ``P`` holds
the students ``k * N // P`` .. ``(k + 1) * N // P - 1`` with every record of theirs. Each
part's engine runs where the part is and writes its rows with the library's own writer, in
input order; only the counts come back to the client. Part ``k``'s rows all come before
part ``k + 1``'s, so the parts in name order are the file of one process. The cost is one
more shuffle: every input row crosses the cluster once more.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from attrs import frozen

from .._kernel._rows import ROW
from ..errors import InvalidArgumentError
from ._partitions import partition_paths, require_dask

__all__ = ["FORMATS", "PartWriter", "ranged_tasks", "student_count", "write_parts"]

#: The formats of the parts: each part's file name ends with it.
FORMATS = ("parquet", "csv")


@frozen
class PartWriter:
    """
    Where and how the parts of each student-level output are written (picklable, for the workers).

    Attributes:
        root: The output directory: output ``name`` goes to ``root/name/part-00000.<format>`` ...
        format: ``parquet`` (the output's Arrow table) or ``csv`` (the output's own CSV writer).

    Examples:
        >>> import tempfile
        >>> parts = PartWriter.open(tempfile.mkdtemp(), "csv", ["detail"])
        >>> parts.path("detail", 3).name
        'part-00003.csv'

    """

    root: Path
    format: str

    @classmethod
    def open(cls, root: str | os.PathLike[str], format: str, names: Sequence[str]) -> PartWriter:
        """
        The writer of *names* under *root* (created), on the client.

        Raises:
            InvalidArgumentError: If *format* is not a format of the parts, or an output's
                directory already holds parts (they would mix with this run's).
        """
        if format not in FORMATS:
            msg = f"format={format!r} is not one of {', '.join(FORMATS)}"
            raise InvalidArgumentError(msg)
        writer = cls(Path(root), format)
        for name in names:
            directory = writer.root / name
            directory.mkdir(parents=True, exist_ok=True)
            if any(directory.glob("part-*")):
                msg = f"{directory} already holds parts: give an empty or new directory"
                raise InvalidArgumentError(msg)
        return writer

    def path(self, name: str, index: int) -> Path:
        """The file of part *index* of output *name*."""
        return self.root / name / f"part-{index:05d}.{self.format}"

    def write_csv(self, name: str, index: int, report: Any, csv_format: str) -> None:
        """Write one part of output *name* with the library's writer *csv_format* (on a worker)."""
        from ..formats import RowTable, write

        if not hasattr(report, "rows"):  # an Arrow table: its rows as the report's
            table = report
            columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
            report = RowTable(name, table.column_names, zip(*columns, strict=True))
        write(report, self.path(name, index), csv_format)

    def write_parquet(self, name: str, index: int, table: Any, schema: Any) -> None:
        """Write one part of output *name* as Parquet, in the schema of every part (on a worker)."""
        import pyarrow.parquet as pq

        pq.write_table(table.cast(schema), self.path(name, index))


def _arrow(report: Any) -> Any:
    """A result object's Arrow table (an Arrow table as it is)."""
    import pyarrow as pa

    return report.to_arrow() if hasattr(report, "to_arrow") else pa.table(report)


def _write_csv(
    made: tuple[Any, Mapping[str, Any]], index: int, parts: PartWriter, formats: Mapping[str, str]
) -> Any:
    """Write one part's outputs as CSV; its partial (on a worker)."""
    partial, reports = made
    for name, report in reports.items():
        parts.write_csv(name, index, report, formats[name])
    return partial


def _tables(made: tuple[Any, Mapping[str, Any]]) -> tuple[Any, dict[str, Any]]:
    """One part's partial and its outputs as Arrow tables (on a worker)."""
    partial, reports = made
    return partial, {name: _arrow(report) for name, report in reports.items()}


def _schemas(made: tuple[Any, Mapping[str, Any]]) -> dict[str, Any]:
    return {name: table.schema for name, table in made[1].items()}


def _write_parquet(
    made: tuple[Any, Mapping[str, Any]], index: int, parts: PartWriter, schemas: Mapping[str, Any]
) -> Any:
    """Write one part's outputs as Parquet in the common schemas; its partial (on a worker)."""
    partial, tables = made
    for name, table in tables.items():
        parts.write_parquet(name, index, table, schemas[name])
    return partial


def write_parts(made: Sequence[Any], parts: PartWriter, formats: Mapping[str, str]) -> list[Any]:
    """
    Write every part's outputs (*made*: delayed ``(partial, {name: report})``, one per part)
    and give the partials, on the client.

    CSV parts are written as they are made, each by its output's writer in *formats*.
    Parquet parts are first held where they are made, their schemas unified (a column
    that is blank throughout one part has no type there, and takes the others'), then
    written: every part has the schema of the one-process table.
    """
    import pyarrow as pa

    dask = require_dask()
    if parts.format == "csv":
        tasks = [dask.delayed(_write_csv)(m, j, parts, formats) for j, m in enumerate(made)]
        return list(dask.compute(*tasks))
    held = dask.persist(*(dask.delayed(_tables)(m) for m in made))
    each = dask.compute(*(dask.delayed(_schemas)(m) for m in held))
    schemas = {
        name: pa.unify_schemas([s[name] for s in each], promote_options="permissive")
        for name in formats
    }
    tasks = [dask.delayed(_write_parquet)(m, j, parts, schemas) for j, m in enumerate(held)]
    return list(dask.compute(*tasks))


def student_count(source: str | os.PathLike[str] | Mapping[str, Any], names: Sequence[str]) -> int:
    """The students of *source*: from the Parquet footers, or one pass over the dataframe."""
    if isinstance(source, str | os.PathLike):
        import pyarrow.dataset as ds

        return sum(
            ds.dataset(p["students"], format="parquet").count_rows()
            for p in partition_paths(source, names)
            if p["students"] is not None
        )
    return int(source["students"].map_partitions(len).compute().sum())


def _split(tables: Sequence[Any], key: str, n_students: int, n_parts: int) -> tuple[list[Any], ...]:
    """
    One partition's tables cut into the *n_parts* ranges of student position, on a worker:
    a student by their ``row``, a record by its student's (orphans go to the first part).
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    out: tuple[list[Any], ...] = tuple([None] * len(tables) for _ in range(n_parts))
    students = tables[0]
    of_student = np.zeros(0, np.int64)
    if students is not None:
        rows = students.column(ROW).to_numpy().astype(np.int64)
        of_student = np.minimum(rows * n_parts // max(n_students, 1), n_parts - 1)
    for i, table in enumerate(tables):
        if table is None:
            continue
        part = of_student
        if i > 0:
            part = np.zeros(table.num_rows, np.int64)
            if len(of_student):
                ids = students.column(key).cast(table.column(key).type)
                at = pc.index_in(table.column(key), value_set=ids).fill_null(-1).to_numpy()
                part = np.where(at >= 0, of_student[np.maximum(at, 0)], 0)
        order = np.argsort(part, kind="stable")
        ranged = table.take(pa.array(order))
        starts = np.searchsorted(part[order], np.arange(n_parts + 1)).tolist()
        for j in range(n_parts):
            out[j][i] = ranged.slice(starts[j], starts[j + 1] - starts[j])
    return out


def _run_part(
    make_part: Callable[..., Any], query: Any, pieces: Sequence[Sequence[Any]], *args: Any
) -> Any:
    """One range part's tables gathered from every partition's piece, then *make_part*."""
    import pyarrow as pa

    tables = []
    for i in range(len(pieces[0])):
        given = [piece[i] for piece in pieces if piece[i] is not None]
        # An empty piece of a pandas partition can infer null columns: promote them.
        tables.append(pa.concat_tables(given, promote_options="default") if given else None)
    return make_part(query, tables, *args)


def ranged_tasks(
    source: str | os.PathLike[str] | Mapping[str, Any],
    query: Any,
    make_part: Callable[..., Any],
    readers: Sequence[Any],
    tables: tuple[Sequence[str], str],
    *args: Any,
) -> list[Any]:
    """
    One delayed ``make_part(query, tables, *args)`` per range of students (each
    gives its partial and its outputs by name, ``(partial, {name: report})``): the
    partitions *readers* give (delayed lists of Arrow tables, in *tables*' order) are cut
    into as many ranges, and each range gathered where its part is written.
    """
    dask = require_dask()
    names, key = tables
    n_students = student_count(source, names)
    # No more parts than students: every part then holds some (one part for none).
    n_parts = max(1, min(len(readers), n_students))
    pieces = [
        dask.delayed(_split, nout=n_parts)(reader, key, n_students, n_parts) for reader in readers
    ]
    return [
        dask.delayed(_run_part)(make_part, query, [p[j] for p in pieces], *args)
        for j in range(n_parts)
    ]
