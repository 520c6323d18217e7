"""
The one CSV writer: columns formatted once per distinct value, joined in Arrow, in batches.

A :class:`CsvColumn` is the distinct strings of a column and, per output row, an index into
them (-1 for blank), optionally through a row map (output row -> source row). The writer
quotes each distinct string once (minimal quoting: a delimiter, quote, CR or LF), then for
each batch of rows takes the strings in Arrow, joins the fields with ``,`` and the lines with
``\\n`` in C++ and writes the bytes: memory stays that of one batch, and no Python work is
done per value. Each batch's rows are told as written (:mod:`._progress`).

:func:`write_rows` writes small, ragged tables (a report's preamble and its tables) row by
row, with the same quoting.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from typing import IO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from attrs import frozen
from numpy.typing import NDArray

from ._progress import rows_done

__all__ = ["BATCH_ROWS", "CsvColumn", "quote", "write_columns", "write_rows"]

#: Rows written at a time.
BATCH_ROWS = 1 << 16
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def quote(value: str) -> str:
    """
    A field as the csv module writes it (quoted only when it holds ``,`` ``"`` CR or LF).

    Examples:
        >>> [quote(v) for v in ("a", "a,b", 'O"BRIEN', "")]
        ['a', '"a,b"', '"O""BRIEN"', '']
    """
    if _NEEDS_QUOTES.search(value) is None:
        return value
    return '"' + value.replace('"', '""') + '"'


@frozen(eq=False)
class CsvColumn:
    """
    A column to write: distinct strings and an index per row (-1 blank).

    Attributes:
        strings: The distinct written forms (unquoted).
        codes: Index into *strings* per source row; -1 is blank.
        rows: Source row of each output row (-1 blank); None when output row = source row.
    """

    strings: Sequence[str]
    codes: NDArray[np.int32]
    rows: NDArray[np.int32] | None = None

    @classmethod
    def constant(cls, value: str, n: int) -> CsvColumn:
        """The same value on every one of *n* rows."""
        return cls([value], np.zeros(1, dtype=np.int32), np.zeros(n, dtype=np.int32))

    def __len__(self) -> int:
        return len(self.codes) if self.rows is None else len(self.rows)

    def batch(self, start: int, stop: int) -> NDArray[np.int32]:
        """Indices for output rows ``start:stop`` (blank = ``len(strings)``)."""
        if self.rows is None:
            codes = self.codes[start:stop]
        else:
            rows = self.rows[start:stop]
            codes = (
                self.codes[np.maximum(rows, 0)]
                if len(self.codes)
                else np.full(len(rows), -1, np.int32)
            )
            codes = np.where(rows >= 0, codes, -1)
        return np.where(codes >= 0, codes, len(self.strings)).astype(np.int32, copy=False)


def write_columns(
    out: IO[bytes],
    header: Sequence[str],
    columns: Sequence[CsvColumn],
    *,
    batch_rows: int = BATCH_ROWS,
) -> None:
    """
    Write a header line and the rows of *columns* as UTF-8 CSV with ``\\n`` line ends.

    A row whose only field is empty is written ``""`` (as the csv module does), so the line
    is not read back as a blank line.

    Examples:
        >>> import io
        >>> out = io.BytesIO()
        >>> write_columns(out, ["id", "name"], [CsvColumn(["1", "2"], np.array([0, 1], np.int32)),
        ...     CsvColumn(["Lee, A"], np.array([0, -1], np.int32))])
        >>> out.getvalue()
        b'id,name\\n1,"Lee, A"\\n2,\\n'
    """
    out.write(_line([quote(h) for h in header]).encode("utf-8"))
    n = len(columns[0]) if columns else 0
    single = len(columns) == 1
    # A lone empty field is written "" so that the line does not read back as a blank line.
    empty = '""' if single else ""
    # The last column's strings carry the line end, so one join makes whole lines.
    ends = [""] * (len(columns) - 1) + ["\n"]
    lookups = [
        pa.array([(quote(s) or empty) + end for s in c.strings] + [empty + end], pa.string())
        for c, end in zip(columns, ends, strict=True)
    ]
    for start in range(0, n, batch_rows):
        stop = min(n, start + batch_rows)
        fields = [
            lookup.take(pa.array(column.batch(start, stop)))
            for lookup, column in zip(lookups, columns, strict=True)
        ]
        _write_values(out, pc.binary_join_element_wise(*fields, ",") if not single else fields[0])
        rows_done(stop - start)


def _write_values(out: IO[bytes], lines: pa.Array) -> None:
    """Write the concatenated values of a string array (no nulls), without a copy."""
    lines = lines.combine_chunks() if isinstance(lines, pa.ChunkedArray) else lines
    _, offsets, data = lines.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int32)[lines.offset : lines.offset + len(lines) + 1]
    if len(bounds) and data is not None:
        out.write(memoryview(data)[int(bounds[0]) : int(bounds[-1])])


def _line(fields: Sequence[str]) -> str:
    if len(fields) == 1 and fields[0] == "":
        return '""\n'
    return ",".join(fields) + "\n"


def write_rows(
    out: IO[bytes],
    rows: Iterable[Sequence[str]],
    *,
    header: Sequence[str] | None = None,
    batch_rows: int = BATCH_ROWS,
) -> None:
    """
    Write rows of strings (any length; an empty row is a blank line) as UTF-8 CSV, in batches.

    A *header* line, when given, is written first; it is not counted among the rows written
    (:mod:`._progress`), which are told a batch at a time.

    Examples:
        >>> import io
        >>> out = io.BytesIO()
        >>> write_rows(out, [["Date: 01/02/2024"], [], ["a", "b,c"], [""]])
        >>> out.getvalue()
        b'Date: 01/02/2024\\n\\na,"b,c"\\n""\\n'
    """
    if header is not None:
        out.write(_line([quote(h) for h in header]).encode("utf-8"))
    iterator = iter(rows)
    while True:
        block = list(itertools.islice(iterator, batch_rows))
        if block:
            text = "".join(_line([quote(v) for v in row]) if row else "\n" for row in block)
            out.write(text.encode("utf-8"))
            rows_done(len(block))
        if len(block) < batch_rows:
            return
