"""
Delimited text on Apache Arrow: header normalisation and the one CSV reader of the library.

Every reader of a delimited file (canonical tables, K-12 tables, submission intake, the detail
report) reads through :func:`read_delimited`, which hands the bytes to ``pyarrow.csv``'s
streaming reader (C++, every column as dictionary-encoded bytes, a block at a time, each
block's records told as rows read to a progress listener) and keeps what the library adds
on top:

- **Python's** :mod:`csv` **module is the reference.** A quote inside an unquoted field is a
  literal character; a quoted field may hold delimiters and newlines; a record with a
  different number of fields than the header is rejected with a finding naming its row and
  both counts. The header is parsed by the :mod:`csv` module itself, so a stray quote in it
  that swallows the following lines is an error, never a silent empty table.
- **Spreadsheet row numbers** (the header is row 1): every record counts, blank lines
  included (they are skipped, and counted in :attr:`RawTable.blank_lines`). A multithreaded
  read that rejects a row cannot say where the row was, so the file is then read again on one
  thread, where pyarrow numbers every record.
- **No size cliff**: a field longer than the read block makes the block grow and the read
  start again, up to :data:`MAX_BLOCK`; past it the error says which limit was hit.
- **Encodings**: UTF-8 (with or without BOM), else Windows-1252, else Latin-1, decided on the
  distinct values of the whole file.
- Each column comes out factorised (:class:`RawColumn`: ``int32`` codes and the distinct
  strings), so parsing works on the distinct values only.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import mmap
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from attrs import field, frozen
from numpy.typing import NDArray

from .._kernel._findings import Finding, Severity
from .._kernel._progress import rows_done
from .._kernel._values import first_bytes
from ..errors import InvalidArgumentError, InvalidInputError

__all__ = [
    "MAX_BLOCK",
    "RawColumn",
    "RawTable",
    "Source",
    "factorise",
    "normalise_header",
    "read_bytes",
    "read_delimited",
    "source_name",
]

#: What a reader accepts: a path or an open binary stream.
Source = str | os.PathLike[str] | IO[bytes]

#: pyarrow's first read block (bytes); a field longer than the block makes it grow.
_BLOCK = 1 << 24
#: The largest read block: one field may be almost this long (pyarrow's blocks are int32-sized).
MAX_BLOCK = (1 << 31) - 1

_HEADER_NOISE = re.compile(r"[\s_\-/?]+")
_LINE_END = re.compile(rb"\r\n|\r|\n")


def normalise_header(name: str) -> str:
    """
    The form headers are matched in: lower case, without spaces, ``_``, ``-``, ``/``, ``?``.

    Examples:
        >>> [normalise_header(h) for h in ("First Name", "FIRST_NAME", "first-name", "Pell?")]
        ['firstname', 'firstname', 'firstname', 'pell']
    """
    return _HEADER_NOISE.sub("", name.strip().lstrip("\ufeff")).lower()


def source_name(source: Source) -> str | None:
    """The name findings use for *source*: the path as given, or a stream's ``name``."""
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else None


def _open_bytes(source: Source) -> tuple[IO[bytes], bool]:
    if isinstance(source, str | os.PathLike):
        return open(source, "rb"), True  # closed by the caller
    if isinstance(source, io.TextIOBase):
        msg = "source must be a path or a binary stream (open the file with 'rb')"
        raise InvalidArgumentError(msg)
    return source, False


def read_bytes(source: Source) -> bytes:
    """All bytes of *source* (a path, or a binary stream read from where it stands)."""
    stream, owned = _open_bytes(source)
    try:
        data = stream.read()
    finally:
        if owned:
            stream.close()
    if not isinstance(data, bytes):
        data = bytes(data)
    return data


# --------------------------------------------------------------------------------------------
# Raw columns: distinct strings and one int32 code per row
# --------------------------------------------------------------------------------------------


@frozen(eq=False)
class RawColumn:
    """
    One column of raw strings, factorised: ``distinct[codes[i]]`` is the value of row ``i``.

    The order of ``distinct`` is unspecified.

    Examples:
        >>> column = factorise("status", ["F", "H", "F", ""])
        >>> column.codes.tolist(), column.distinct.tolist()
        ([0, 1, 0, 2], ['F', 'H', ''])
        >>> column.value(2)
        'F'
    """

    name: str
    _codes: NDArray[np.int32] | None
    distinct: NDArray[np.object_]
    #: The rows as pyarrow read them, when *codes* was not given: per chunk, its indices
    #: and each index's position in ``distinct``. The codes are then gathered on first use
    #: only; :meth:`take` and :meth:`rows_where` work chunk by chunk without them.
    pieces: tuple[tuple[NDArray[np.int32], NDArray[np.int32]], ...] = ()
    #: *distinct* as a pyarrow string array, when the reader has it (None: built when needed).
    arrow: Any = None

    def strings(self) -> Any:
        """:attr:`distinct` as a pyarrow string array."""
        if self.arrow is not None:
            return self.arrow
        return pa.array(self.distinct, type=pa.string())

    @property
    def codes(self) -> NDArray[np.int32]:
        """Per row: the index of its value in :attr:`distinct`."""
        if self._codes is None:
            # A cache on a frozen instance: the codes follow from the pieces.
            object.__setattr__(self, "_codes", self._gather(None, np.dtype(np.int32)))
        return cast(NDArray[np.int32], self._codes)

    def __len__(self) -> int:
        if self._codes is not None:
            return len(self._codes)
        return sum(len(indices) for indices, _ in self.pieces)

    def value(self, row: int) -> str:
        """The raw string of row *row* (0-based data row)."""
        return cast(str, self.distinct[self.codes[row]])

    def take(self, per_distinct: NDArray[Any]) -> NDArray[Any]:
        """``per_distinct[codes]``: a value per row from a value per distinct string."""
        if self._codes is not None:
            return np.take(per_distinct, self._codes)
        return self._gather(per_distinct, per_distinct.dtype)

    def rows_where(self, flagged: NDArray[np.bool_]) -> NDArray[np.int64]:
        """The rows (0-based) whose distinct value is *flagged*."""
        if not flagged.any():
            return np.empty(0, dtype=np.int64)
        if self._codes is not None:
            return np.flatnonzero(flagged[self._codes])
        found = []
        start = 0
        for indices, positions in self.pieces:
            local = flagged[positions]
            if local.any():
                found.append(np.flatnonzero(local[indices]) + start)
            start += len(indices)
        return np.concatenate(found) if found else np.empty(0, dtype=np.int64)

    def _gather(self, per_distinct: NDArray[Any] | None, dtype: np.dtype[Any]) -> NDArray[Any]:
        out = np.empty(len(self), dtype=dtype)
        start = 0
        for indices, positions in self.pieces:
            lookup = positions if per_distinct is None else np.take(per_distinct, positions)
            stop = start + len(indices)
            # mode="clip" writes straight into *out* (indices are always in range).
            np.take(lookup, indices, out=out[start:stop], mode="clip")
            start = stop
        return out

    def blank_distinct(self) -> NDArray[np.bool_]:
        """For each distinct value: is it blank (empty or only whitespace)?"""
        if len(self.distinct) < 256:
            return np.fromiter(
                (not s.strip() for s in self.distinct.tolist()), bool, len(self.distinct)
            )
        strings = self.strings()
        # A value starting with a printable ASCII character other than space is not blank;
        # only the others are trimmed.
        first = first_bytes(strings)
        maybe = np.flatnonzero((first < 0x21) | (first > 0x7E))
        blank = np.zeros(len(strings), dtype=bool)
        if len(maybe):
            trimmed = pc.utf8_trim_whitespace(strings.take(pa.array(maybe)))
            blank[maybe] = pc.equal(trimmed, "").to_numpy(zero_copy_only=False)
        return blank

    def blank(self) -> NDArray[np.bool_]:
        """For each row: is its value blank?"""
        return self.take(self.blank_distinct())


def factorise(name: str, values: Iterable[str | None]) -> RawColumn:
    """
    Factorise Python strings into a :class:`RawColumn` (None reads as the empty string).

    Examples:
        >>> factorise("x", ["a", None, "a"]).distinct.tolist()
        ['a', '']
    """
    table: defaultdict[str, int] = defaultdict(itertools.count().__next__)
    codes = np.fromiter(map(table.__getitem__, ("" if v is None else v for v in values)), np.int32)
    return RawColumn(name, codes, _object_array(list(table)))


def _object_array(items: Sequence[Any]) -> NDArray[np.object_]:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


@frozen(eq=False)
class RawTable:
    """
    A delimited file read into raw columns.

    Attributes:
        file: The file's name as given (None for an anonymous stream).
        columns: One :class:`RawColumn` per header field, in file order.
        row_numbers: The spreadsheet row of every data row (the header is row 1; blank
            lines are skipped but counted, so the numbers match what a spreadsheet shows).
        broken: Rows whose number of fields differs from the header's; their values are
            blank in every column and each has an error in :attr:`findings`.
        findings: Errors about the file's structure (broken rows, an empty file).
        encoding: ``utf-8`` or ``cp1252`` (or ``latin-1`` when neither decodes).
        blank_lines: Blank lines skipped (each still counts as a spreadsheet row).
    """

    file: str | None
    columns: tuple[RawColumn, ...]
    row_numbers: NDArray[np.int32]
    broken: NDArray[np.bool_]
    findings: tuple[Finding, ...] = ()
    encoding: str = "utf-8"
    blank_lines: int = 0

    @property
    def n_rows(self) -> int:
        """Number of data rows (blank lines not counted)."""
        return len(self.row_numbers)

    @property
    def header(self) -> tuple[str, ...]:
        """The column names as the file spells them."""
        return tuple(c.name for c in self.columns)


# --------------------------------------------------------------------------------------------
# The reader
# --------------------------------------------------------------------------------------------


def read_delimited(
    source: Source | bytes,
    *,
    file: str | None = None,
    delimiter: str = ",",
    block_size: int = _BLOCK,
) -> RawTable:
    """
    Read a delimited text file into raw columns, through ``pyarrow.csv``.

    The first record is the header. Records with a different number of fields are
    reported as errors and kept as blank, broken rows; blank lines are skipped (but
    counted in the spreadsheet row numbers).

    Args:
        source: A path, a binary stream, or the bytes themselves.
        file: The name to use in findings (default: the path, or the stream's name).
        delimiter: The field delimiter, one character.
        block_size: pyarrow's first read block in bytes (it grows for longer fields).

    Raises:
        InvalidInputError: When a field is longer than :data:`MAX_BLOCK` bytes.

    Examples:
        >>> raw = read_delimited(io.BytesIO(b'id,name\\r\\n1,"Smith, J"\\r\\n\\r\\n2,Lee\\r\\n'))
        >>> raw.header, [raw.columns[1].value(i) for i in range(raw.n_rows)], raw.row_numbers.tolist()
        (('id', 'name'), ['Smith, J', 'Lee'], [2, 4])
        >>> raw = read_delimited(b'a,b\\n1,O"BRIEN\\n2\\n3,"x\\ny"\\n')
        >>> raw.row_numbers.tolist(), raw.broken.tolist(), raw.columns[1].value(2)
        ([2, 3, 4], [False, True, False], 'x\\ny')
        >>> str(raw.findings[0])
        'row 3: the row has 1 field where the header has 2; the row is rejected (error)'
    """
    if len(delimiter) != 1 or delimiter in '"\r\n':
        msg = f"delimiter={delimiter!r} must be one character other than a quote or newline"
        raise InvalidArgumentError(msg)
    data = _input(source, file)
    name = data.name
    header = _file_header(data.buffer, delimiter)
    if header is None:
        empty = Finding.make(Severity.ERROR, name, 1, None, None, "the file is empty (no header)")
        return RawTable(name, (), np.empty(0, np.int32), np.empty(0, bool), (empty,))
    fields, _, header_row = header
    findings: list[Finding] = []
    body = _file_body(data, header, delimiter, block_size, findings)
    rows = body.records + header_row
    pieces = body.pieces or [()] * len(fields)
    columns = tuple(
        _raw_column(h.strip(), codes, values, chunks)
        for h, codes, values, chunks in zip(fields, body.codes, body.distinct, pieces, strict=True)
    )
    findings += _broken_rows(name, rows[body.broken].tolist(), body.field_counts, len(fields))
    return RawTable(
        name,
        columns,
        rows.astype(np.int32, copy=False),
        body.broken,
        tuple(findings),
        data.encoding,
        body.blank_lines + header_row - 1,
    )


@frozen(eq=False)
class _Input:
    """A source's bytes as UTF-8 (without a BOM), the name findings use and the encoding read."""

    name: str | None
    buffer: pa.Buffer
    #: Whether the bytes hold a ``"`` (without one no value can hold a newline).
    quotes: bool
    encoding: str


def _input(source: Source | bytes, file: str | None) -> _Input:
    """The bytes of *source*: memory-mapped for a path, read for a stream, as given for bytes."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        name, buffer, quotes = file, pa.py_buffer(data), b'"' in data
    elif isinstance(source, str | os.PathLike):
        name = file if file is not None else source_name(source)
        buffer, quotes = _mapped(source), _has_quote(source)
    else:
        name = file if file is not None else source_name(source)
        data = read_bytes(source)
        buffer, quotes = pa.py_buffer(data), b'"' in data
    if buffer[:3].to_pybytes() == b"\xef\xbb\xbf":
        buffer = buffer[3:]
    buffer, encoding = _as_utf8(buffer)
    return _Input(name, buffer, quotes, encoding)


def _file_header(buffer: pa.Buffer, delimiter: str) -> tuple[list[str], int, int] | None:
    """:func:`_header` of the first megabyte, or of the whole file when the header runs past it."""
    head = buffer[: 1 << 20].to_pybytes()
    header = _header(head, delimiter)
    if len(head) < len(buffer) and (header is None or header[1] == len(head)):
        head = buffer.to_pybytes()  # the header runs past the first megabyte
        header = _header(head, delimiter)
    return header


def _file_body(
    data: _Input,
    header: tuple[list[str], int, int],
    delimiter: str,
    block_size: int,
    findings: list[Finding],
) -> _Body:
    """The records after the header; none (and an error) when the header swallows the file."""
    fields, offset, header_row = header
    if any("\n" in f or "\r" in f for f in fields):
        findings.append(
            Finding.make(
                Severity.ERROR,
                data.name,
                header_row,
                None,
                None,
                "the header has a quote that is never closed, so it runs over the rest of "
                "the file; no data row can be read",
            )
        )
        return _Body.empty(len(fields))
    return _Body.read(
        data.buffer[offset:], len(fields), delimiter, block_size, data.name, quotes=data.quotes
    )


def _broken_rows(name: str | None, rows: list[int], counts: list[int], k: int) -> list[Finding]:
    """An error for each row (spreadsheet number) whose field count is not the header's *k*."""
    return [
        Finding.make(
            Severity.ERROR,
            name,
            int(row),
            None,
            None,
            f"the row has {n_fields} field{'s' if n_fields != 1 else ''} where the header "
            f"has {k}; the row is rejected",
        )
        for row, n_fields in zip(rows, counts, strict=True)
    ]


def _raw_column(
    name: str,
    codes: NDArray[np.int32] | None,
    values: Any,
    pieces: tuple[tuple[NDArray[np.int32], NDArray[np.int32]], ...],
) -> RawColumn:
    """A column from the body: *values* are a pyarrow string array or already Python strings."""
    if isinstance(values, np.ndarray):
        return RawColumn(name, codes, values, pieces)
    return RawColumn(name, codes, values.to_numpy(zero_copy_only=False), pieces, values)


def _lines(data: bytes, end: list[int]) -> Iterator[str]:
    """Physical lines of UTF-8 *data*; ``end[0]`` is where the last one ended."""
    pos = 0
    while pos < len(data):
        match = _LINE_END.search(data, pos)
        stop = match.end() if match else len(data)
        line = data[pos:stop]
        pos = end[0] = stop
        yield line.decode("utf-8")


def _header(data: bytes, delimiter: str) -> tuple[list[str], int, int] | None:
    """The header as the csv module reads it, the byte offset after it and its row number."""
    end = [0]
    for row_number, row in enumerate(csv.reader(_lines(data, end), delimiter=delimiter), 1):
        if row:
            return row, end[0], row_number
    return None


@frozen(eq=False)
class _Body:
    """
    The data records of a file as factorised bytes.

    ``records`` numbers the kept rows from 1 (the first record after the header); ``broken``
    marks the rejected ones (blank in every column), ``field_counts`` their number of fields.
    """

    codes: list[NDArray[np.int32] | None]
    #: Per column, its distinct strings (a pyarrow string array, or Python strings).
    distinct: list[Any]
    records: NDArray[np.signedinteger[Any]]
    broken: NDArray[np.bool_]
    field_counts: list[int]
    blank_lines: int
    #: Per column, pyarrow's chunks (see :attr:`RawColumn.pieces`) when *codes* is None.
    pieces: list[tuple[tuple[NDArray[np.int32], NDArray[np.int32]], ...]] = field(factory=list)

    @classmethod
    def empty(cls, k: int) -> _Body:
        nothing = np.empty(0, np.int32)
        return cls(
            [nothing] * k,
            [_object_array([]) for _ in range(k)],
            np.empty(0, np.int64),
            np.empty(0, bool),
            [],
            0,
        )

    @classmethod
    def read(
        cls,
        buffer: pa.Buffer,
        k: int,
        delimiter: str,
        block_size: int,
        name: str | None,
        *,
        quotes: bool = True,
    ) -> _Body:
        if not len(buffer):
            return cls.empty(k)
        read = functools.partial(_arrow_read, buffer, k, delimiter, block_size, name, quotes=quotes)
        # Only the first read is counted as rows read: the others read the same rows again.
        table, rejected = read(threads=True, count=True)
        if any(number is None for number, _ in rejected):
            # Threads cannot number a rejected record: one thread numbers every record.
            table, rejected = read(threads=False)
        columns = [_chunked_codes(table.column(j)) for j in range(k)]
        empty_at = [pc.index(values, "").as_py() for _, values in columns]
        blank = _blank_lines(columns, empty_at, table.num_rows, read)
        if blank is None:
            return _csv_body(buffer.to_pybytes(), k, delimiter)
        kept = _Kept.of([r for r, _ in rejected], blank)
        codes: list[NDArray[np.int32] | None] = []
        pieces: list[tuple[tuple[NDArray[np.int32], NDArray[np.int32]], ...]] = []
        distinct: list[NDArray[np.object_]] = []
        for (column, values), empty_code in zip(columns, empty_at, strict=True):
            if empty_code < 0:
                empty_code = len(values)
                values = pa.concat_arrays([values, pa.array([""], pa.string())])
            if kept.moved:
                out = np.full(len(kept.records), empty_code, dtype=np.int32)
                out[~kept.broken] = column.codes[~blank]
                codes.append(out)
                pieces.append(())
            else:
                codes.append(column._codes)
                pieces.append(column.pieces)
            distinct.append(values)
        counts = [c for _, c in sorted(rejected, key=lambda r: cast(int, r[0]))]
        return cls(codes, distinct, kept.records, kept.broken, counts, int(blank.sum()), pieces)


def _blank_lines(
    columns: list[tuple[RawColumn, Any]],
    empty_at: list[int],
    n: int,
    read: Callable[..., tuple[Any, list[tuple[int | None, int]]]],
) -> NDArray[np.bool_] | None:
    """
    Which of pyarrow's *n* records are blank lines (None: pyarrow cannot say; read with csv).

    A blank line and a record of empty fields (``,,``) look alike to pyarrow; reading again
    without blank lines says how many of those were blank lines.
    """
    blank = np.zeros(n, dtype=bool)
    if min(empty_at, default=-1) < 0:
        return blank  # some column has no empty value: no row is empty throughout
    empty_rows = np.ones(n, dtype=bool)
    for (raw_codes, _), position in zip(columns, empty_at, strict=True):
        empty_rows &= raw_codes.codes == position
    if not empty_rows.any():
        return blank
    again, _ = read(threads=True, skip_blank=True)
    n_blank = n - again.num_rows
    if n_blank == int(empty_rows.sum()):
        return empty_rows
    return None if n_blank else blank


@frozen(eq=False)
class _Kept:
    """
    The records a body keeps: numbered from 1 among all records, rejected ones marked broken.

    ``moved`` says whether rows moved (a rejected record or a blank line among them), so each
    column's codes must be laid out again; else every record is kept, in order.
    """

    records: NDArray[np.signedinteger[Any]]
    broken: NDArray[np.bool_]
    moved: bool

    @classmethod
    def of(cls, rejected: list[int | None], blank: NDArray[np.bool_]) -> _Kept:
        """From the rejected records' numbers and the blank lines among pyarrow's records."""
        n = len(blank)
        if not rejected and not blank.any():
            return cls(np.arange(1, n + 1, dtype=np.int32), np.zeros(n, dtype=bool), False)
        total = n + len(rejected)
        is_rejected = np.zeros(total, dtype=bool)
        is_rejected[np.array(rejected, dtype=np.int64) - 1] = True
        kept_record = np.flatnonzero(~is_rejected)[~blank]
        keep = np.zeros(total, dtype=bool)
        keep[kept_record] = True
        keep |= is_rejected
        broken = is_rejected[keep]
        return cls(np.flatnonzero(keep) + 1, broken, bool(blank.any() or broken.any()))


def _arrow_read(
    buffer: pa.Buffer,
    k: int,
    delimiter: str,
    block_size: int,
    name: str | None,
    *,
    threads: bool,
    skip_blank: bool = False,
    quotes: bool = True,
    count: bool = False,
) -> tuple[Any, list[tuple[int | None, int]]]:
    """
    One pyarrow read; the rejected records as (record number or None, field count).

    Without a quote character in the file (*quotes* False) no value can hold a newline, so
    pyarrow splits its blocks at any newline instead of lexing every block for quotes.
    pyarrow's streaming reader gives the records a block at a time; with *count*, each
    block's records (kept and rejected) are reported as rows read (:mod:`._kernel._progress`),
    once each even when a longer field makes the read start again with larger blocks.
    """
    names = [f"c{j}" for j in range(k)]
    kind = pa.dictionary(pa.int32(), pa.string())
    reported = 0
    while True:
        block_size = _safe_block(buffer, block_size)
        rejected: list[tuple[int | None, int]] = []

        def handler(row: Any, rejected: list[tuple[int | None, int]] = rejected) -> str:
            number = row.number
            rejected.append((None if number is None or number < 0 else number, row.actual_columns))
            return "skip"

        try:
            reader = pacsv.open_csv(
                pa.BufferReader(buffer),
                read_options=pacsv.ReadOptions(
                    use_threads=threads, block_size=block_size, column_names=names
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=delimiter,
                    quote_char='"',
                    double_quote=True,
                    escape_char=False,
                    newlines_in_values=quotes,
                    ignore_empty_lines=skip_blank,
                    invalid_row_handler=handler,
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(names, kind),
                    null_values=[],
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                    check_utf8=False,  # validated (or transcoded) before the read
                ),
            )
            batches, records = [], 0
            for batch in reader:
                batches.append(batch)
                records += batch.num_rows
                if count and records + len(rejected) > reported:
                    rows_done(records + len(rejected) - reported)
                    reported = records + len(rejected)
            table = pa.Table.from_batches(batches, schema=reader.schema)
        except pa.ArrowInvalid as exc:
            if "straddl" not in str(exc) or block_size >= MAX_BLOCK:
                message = (
                    f"a field is longer than {MAX_BLOCK:,} bytes, the longest this reader takes"
                    if "straddl" in str(exc)
                    else f"the file cannot be read as CSV ({exc})"
                )
                finding = Finding.make(Severity.ERROR, name, None, None, None, message)
                raise InvalidInputError((finding,), rows_read=0) from None
            block_size = min(MAX_BLOCK, block_size * 4)
            continue
        return table, rejected


def _safe_block(buffer: pa.Buffer, block_size: int) -> int:
    """
    The smallest block size from *block_size* up whose block ends never split a CRLF.

    pyarrow (26) drops the LF of a quoted CRLF that a block boundary splits; moving the
    boundaries by a byte or two keeps every value exact.
    """
    data = np.frombuffer(buffer, dtype=np.uint8)
    while block_size < MAX_BLOCK:
        ends = np.arange(block_size, len(data), block_size)
        if not ((data[ends - 1] == 13) & (data[ends] == 10)).any():
            break
        block_size += 1
    return block_size


def _chunked_codes(column: Any) -> tuple[RawColumn, Any]:
    """
    A dictionary-encoded chunked column as codes (a nameless :class:`RawColumn` without
    distinct strings) and its distinct values, without concatenating the chunks.

    The chunks' dictionaries are unified (first appearance, as ``unify_dictionaries``
    orders them); each chunk keeps its own indices with where each lands.
    """
    nothing = _object_array([])
    if column.num_chunks == 0:
        return RawColumn("", np.empty(0, np.int32), nothing), pa.array([], pa.string())
    chunks = column.chunks
    if len(chunks) == 1:
        indices = chunks[0].indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
        return RawColumn("", indices, nothing), chunks[0].dictionary
    unified = pc.dictionary_encode(pa.concat_arrays([c.dictionary for c in chunks]))
    positions = unified.indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
    pieces = []
    start = 0
    for chunk in chunks:
        size = len(chunk.dictionary)
        indices = chunk.indices.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
        pieces.append((indices, positions[start : start + size]))
        start += size
    return RawColumn("", None, nothing, tuple(pieces)), unified.dictionary


def _csv_body(data: bytes, k: int, delimiter: str) -> _Body:
    """The csv module's reading (the reference), for the rare file pyarrow cannot number."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=delimiter))
    numbers = [i + 1 for i, row in enumerate(rows) if row]
    kept = [rows[n - 1] for n in numbers]
    broken = np.array([len(row) != k for row in kept], dtype=bool)
    blank_row = ("",) * k
    cells = [blank_row if bad else row for row, bad in zip(kept, broken.tolist(), strict=True)]
    columns = list(zip(*cells, strict=True)) if cells else [() for _ in range(k)]
    factorised = [factorise("", cast(Sequence[str], values)) for values in columns]
    counts = [len(row) for row, bad in zip(kept, broken.tolist(), strict=True) if bad]
    return _Body(
        [c.codes for c in factorised],
        [c.distinct for c in factorised],
        np.array(numbers, dtype=np.int64),
        broken,
        counts,
        len(rows) - len(numbers),
    )


def _mapped(path: str | os.PathLike[str]) -> pa.Buffer:
    """The file's bytes, memory-mapped (no copy into Python)."""
    if os.path.getsize(path) == 0:
        return pa.py_buffer(b"")
    with pa.memory_map(os.fspath(path)) as mapped:
        return mapped.read_buffer()


def _has_quote(path: str | os.PathLike[str]) -> bool:
    """Whether the file holds a ``"`` byte (a memchr over the mapped file, stopping at the first)."""
    with open(path, "rb") as stream:
        if os.fstat(stream.fileno()).st_size == 0:
            return False
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return mapped.find(b'"') >= 0


def _is_utf8(buffer: pa.Buffer) -> bool:
    """Whether *buffer* is valid UTF-8 (checked in C++, without decoding to a str)."""
    if not len(buffer) or int(np.frombuffer(buffer, dtype=np.uint8).max()) < 0x80:
        return True
    offsets = pa.py_buffer(np.array([0, len(buffer)], dtype=np.int64).tobytes())
    array = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, buffer])
    try:
        array.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def _as_utf8(buffer: pa.Buffer) -> tuple[pa.Buffer, str]:
    """*buffer* as UTF-8 and what it was: UTF-8, else Windows-1252, else Latin-1 (never fails)."""
    if _is_utf8(buffer):
        return buffer, "utf-8"
    data = buffer.to_pybytes()
    for encoding in ("cp1252", "latin-1"):
        try:
            return pa.py_buffer(data.decode(encoding).encode("utf-8")), encoding
        except UnicodeDecodeError:
            continue
    msg = "latin-1 decodes every byte"
    raise AssertionError(msg)  # pragma: no cover


def _decode(groups: list[list[str]]) -> tuple[list[str], list[list[str]], str]:
    """Decode latin-1 stand-ins as UTF-8, else Windows-1252, else Latin-1 (never fails)."""
    if all(s.isascii() for group in groups for s in group):
        return groups[0], groups[1:], "utf-8"
    for encoding in ("utf-8", "cp1252"):
        try:
            decoded = [
                [s if s.isascii() else s.encode("latin-1").decode(encoding) for s in group]
                for group in groups
            ]
        except UnicodeDecodeError:
            continue
        return decoded[0], decoded[1:], encoding
    return groups[0], groups[1:], "latin-1"
