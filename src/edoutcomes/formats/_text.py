"""
Text tables: header normalisation, a factorising CSV reader, vectorised parsing of raw strings.

Every reader of a delimited file builds on this module. The reader never makes one Python
object per value: it splits the bytes with numpy, factorises each column (distinct strings
-> ``int32`` codes) and keeps only the distinct strings. Parsing then works on the distinct
values (a few thousand dates, not millions) and gathers the result back to the rows.

The pieces:

- :func:`normalise_header` matches ``First Name``, ``FIRST_NAME`` and ``first-name``.
- :func:`read_delimited` reads CSV (UTF-8 with or without BOM, Windows-1252, CRLF, quoted
  fields with embedded delimiters and newlines) into a :class:`RawTable` of
  :class:`RawColumn` (codes + distinct strings) with the spreadsheet row of every data row.
- :func:`factorise` does the same for values that are already Python strings.
- :func:`parse_dates`, :func:`parse_flags`, :func:`parse_codes`, :func:`parse_college_codes`,
  :func:`parse_cips`, :func:`parse_numbers` and :func:`parse_text` turn distinct strings into
  the encodings of :mod:`edoutcomes.model._columns`; :func:`parse_column` applies the right
  one for a schema :class:`~edoutcomes.model.Column` and gathers the result to the rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import itertools
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any, cast

import numpy as np
from attrs import field, frozen
from dateutil.relativedelta import relativedelta
from numpy.typing import NDArray

from .._findings import Finding, Severity
from ..errors import InvalidArgumentError, InvalidRecordError
from ..model import MISSING_DAY, Cip, CollegeCode, Column, Kind
from ..model._codes import _Coded

__all__ = [
    "DATE_FORMATS",
    "ISO_DATE",
    "MDY_DATE",
    "SHORT_MDY_DATE",
    "YYYYMMDD_DATE",
    "Parsed",
    "Problem",
    "RawColumn",
    "RawTable",
    "Source",
    "factorise",
    "flag_value",
    "looks_like_flags",
    "normalise_header",
    "parse_cips",
    "parse_codes",
    "parse_college_codes",
    "parse_column",
    "parse_dates",
    "parse_flags",
    "parse_numbers",
    "parse_text",
    "read_delimited",
    "source_name",
]

#: What a reader accepts: a path or an open binary stream.
Source = str | os.PathLike[str] | IO[bytes]

_HEADER_NOISE = re.compile(r"[\s_\-/?]+")


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


# --------------------------------------------------------------------------------------------
# Raw columns: distinct strings and one int32 code per row
# --------------------------------------------------------------------------------------------


@frozen(eq=False)
class RawColumn:
    """
    One column of raw strings, factorised: ``distinct[codes[i]]`` is the value of row ``i``.

    The order of ``distinct`` is unspecified (the CSV reader's is not first appearance).

    Examples:
        >>> column = factorise("status", ["F", "H", "F", ""])
        >>> column.codes.tolist(), column.distinct.tolist()
        ([0, 1, 0, 2], ['F', 'H', ''])
        >>> column.value(2)
        'F'
    """

    name: str
    codes: NDArray[np.int32]
    distinct: NDArray[np.object_]

    def __len__(self) -> int:
        return len(self.codes)

    def value(self, row: int) -> str:
        """The raw string of row *row* (0-based data row)."""
        return cast(str, self.distinct[self.codes[row]])

    def blank_distinct(self) -> NDArray[np.bool_]:
        """For each distinct value: is it blank (empty or only whitespace)?"""
        return np.fromiter(
            (not s.strip() for s in self.distinct.tolist()), bool, len(self.distinct)
        )

    def blank(self) -> NDArray[np.bool_]:
        """For each row: is its value blank?"""
        return self.blank_distinct()[self.codes]


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
    """

    file: str | None
    columns: tuple[RawColumn, ...]
    row_numbers: NDArray[np.int32]
    broken: NDArray[np.bool_]
    findings: tuple[Finding, ...] = ()
    encoding: str = "utf-8"

    @property
    def n_rows(self) -> int:
        """Number of data rows (blank lines not counted)."""
        return len(self.row_numbers)

    @property
    def header(self) -> tuple[str, ...]:
        """The column names as the file spells them."""
        return tuple(c.name for c in self.columns)


# --------------------------------------------------------------------------------------------
# The CSV reader
# --------------------------------------------------------------------------------------------

_NEWLINE = 10
_QUOTE = 34
_CHUNK = 1 << 23
_MAX_PENDING = 1 << 26
_MASKS = np.array([(1 << (8 * i)) - 1 for i in range(8)] + [(1 << 64) - 1], dtype=np.uint64)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_SHIFT = np.uint64(29)
_PAD = 64


class _Words:
    """Unaligned little-endian ``uint64`` loads from a byte buffer (``view[p]`` = bytes p..p+7)."""

    __slots__ = ("view",)

    def __init__(self, data: bytes) -> None:
        padded = data + bytes(_PAD)
        self.view = np.ndarray(shape=(len(data) + 8,), dtype=np.uint64, buffer=padded, strides=(1,))

    def gather(
        self, starts: NDArray[np.int64], lens: NDArray[np.int64], n_words: int
    ) -> NDArray[np.uint64]:
        """The fields as ``(n_words, n)`` words, zero past each field's end."""
        out = np.empty((n_words, len(starts)), dtype=np.uint64)
        last = len(self.view) - 1
        shortest = int(lens.min()) if len(lens) else 0
        for w in range(n_words):
            at = starts + 8 * w
            if w and len(at) and int(at.max()) > last:
                np.minimum(at, last, out=at)  # past the end of a short field: masked below
            # Fancy indexing, not np.take(out=...): take is slow on an unaligned view.
            out[w] = self.view[at]
            if shortest < 8 * (w + 1):
                out[w] &= _MASKS[np.clip(lens - 8 * w, 0, 8)]
        return out


def _n_words(lens: NDArray[np.int64]) -> int:
    return max(1, (int(lens.max()) + 7) // 8) if len(lens) else 1


def _hash(lens: NDArray[np.int64], words: NDArray[np.uint64]) -> NDArray[np.uint64]:
    key = lens.astype(np.uint64)
    for word in words:
        key ^= word
        key *= _MIX
        key ^= key >> _SHIFT
    return key


def _dense(keys: NDArray[np.uint64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Dense ids of *keys* (in sorted order) and one representative position per id."""
    if len(keys) > 1 << 12 and int(keys.max()) < 1 << 16:
        # Short keys (fields of one or two bytes): a direct table, no sort.
        present = np.zeros(1 << 16, dtype=bool)
        present[keys] = True
        distinct = np.flatnonzero(present)
        table = np.empty(1 << 16, dtype=np.int64)
        table[distinct] = np.arange(len(distinct))
        ids = table[keys]
        rep = np.empty(len(distinct), dtype=np.int64)
        rep[ids] = np.arange(len(keys))
        return ids, rep
    order = np.argsort(keys)
    ordered = keys[order]
    change = np.empty(len(ordered), dtype=bool)
    change[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=change[1:])
    ids = np.empty(len(keys), dtype=np.int64)
    ids[order] = np.cumsum(change) - 1
    return ids, order[change]


def _factorise_words(
    lens: NDArray[np.int64], words: NDArray[np.uint64], *, verify: bool
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """
    Factorise fields given as lengths and words: ids per field, a representative per id.

    One word is its own key (when the caller knows there are no NUL bytes); longer fields
    are hashed, and the hash is verified against every field (a collision falls back to an
    exact sort).
    """
    if len(words) == 1 and not verify:
        return _dense(words[0])
    ids, rep = _dense(_hash(lens, words))
    same = lens[rep[ids]] == lens
    for word in words:
        same &= word[rep[ids]] == word
    if not same.all():
        return _factorise_exact([lens.astype(np.uint64), *words])
    return ids, rep


def _factorise_exact(
    keys: list[NDArray[np.uint64]],
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    order = np.lexsort(keys[::-1])
    change = np.zeros(len(order), dtype=bool)
    change[:1] = True
    for key in keys:
        sorted_key = key[order]
        change[1:] |= sorted_key[1:] != sorted_key[:-1]
    ids = np.empty(len(order), dtype=np.int64)
    ids[order] = np.cumsum(change) - 1
    return ids, order[change]


class _Factoriser:
    """
    One column across blocks: per block, ids into that block's distinct values.

    Each block factorises its own fields in numpy and keeps only its distinct values (as
    lengths and words); :meth:`finish` merges the blocks' distinct values, again in numpy, and
    makes one Python string per distinct value of the whole file.
    """

    __slots__ = ("ids", "lens", "words")

    def __init__(self) -> None:
        self.ids: list[NDArray[np.int64]] = []
        self.lens: list[NDArray[np.int64]] = []
        self.words: list[NDArray[np.uint64]] = []

    def add_fields(self, words: _Words, starts: NDArray[np.int64], lens: NDArray[np.int64]) -> None:
        """The fields at *starts* (blocks without NUL bytes only: one word is an exact key)."""
        packed = words.gather(starts, lens, _n_words(lens))
        ids, rep = _factorise_words(lens, packed, verify=False)
        self.ids.append(ids)
        self.lens.append(lens[rep])
        self.words.append(packed[:, rep])

    def add_strings(self, values: Sequence[str]) -> None:
        """Fields the csv module parsed (latin-1 stand-ins for the raw bytes)."""
        table: defaultdict[str, int] = defaultdict(itertools.count().__next__)
        ids = np.fromiter(map(table.__getitem__, values), np.int64, len(values))
        raw = [s.encode("latin-1") for s in table]
        lens = np.fromiter(map(len, raw), np.int64, len(raw))
        starts = np.cumsum(lens) - lens
        self.ids.append(ids)
        self.lens.append(lens)
        self.words.append(_Words(b"".join(raw)).gather(starts, lens, _n_words(lens)))

    def finish(self) -> tuple[list[NDArray[np.int32]], list[str]]:
        """Codes per block into the file's distinct values, and those values."""
        if not self.ids:
            return [], []
        n_words = max(w.shape[0] for w in self.words)
        lens = np.concatenate(self.lens)
        words = np.zeros((n_words, len(lens)), dtype=np.uint64)
        offset = 0
        offsets = []
        for block in self.words:
            offsets.append(offset)
            words[: block.shape[0], offset : offset + block.shape[1]] = block
            offset += block.shape[1]
        ids, rep = _factorise_words(lens, words, verify=True)
        codes = [
            ids[start + local].astype(np.int32)
            for start, local in zip(offsets, self.ids, strict=True)
        ]
        width = 8 * n_words
        blob = np.ascontiguousarray(words[:, rep].T).tobytes()
        sizes = lens[rep].tolist()
        distinct = [
            blob[i * width : i * width + size].decode("latin-1") for i, size in enumerate(sizes)
        ]
        return codes, distinct


@contextmanager
def _no_gc() -> Iterator[None]:
    # The reader allocates many long-lived containers; generational GC passes over them
    # would cost more than the parse itself and can free nothing (there are no cycles).
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _open_bytes(source: Source) -> tuple[IO[bytes], bool]:
    if isinstance(source, str | os.PathLike):
        return open(source, "rb"), True  # closed by the caller
    if isinstance(source, io.TextIOBase):
        msg = "source must be a path or a binary stream (open the file with 'rb')"
        raise InvalidArgumentError(msg)
    return source, False


def _blocks(stream: IO[bytes], size: int) -> Iterator[bytes]:
    """The stream in blocks, each ending at a record boundary (quote parity aware)."""
    rest = b""
    first = True
    while True:
        block = stream.read(size)
        if first:
            first = False
            if block.startswith(b"\xef\xbb\xbf"):
                block = block[3:]
        if not block:
            if rest:
                yield rest if rest.endswith(b"\n") else rest + b"\n"
            return
        data = rest + block
        cut = _last_boundary(data)
        if cut < 0 and len(data) > max(4 * size, _MAX_PENDING):
            # A stray quote (``Robert "Bob"`` unquoted) upsets the parity; rather than hold
            # the rest of the file, cut at a line end and let the csv module judge the rows.
            cut = data.rfind(b"\n")
        if cut < 0:
            rest = data
            continue
        rest = data[cut + 1 :]
        yield data[: cut + 1]


def _last_boundary(data: bytes) -> int:
    """The position of the last newline outside quotes, or -1."""
    last = data.rfind(b"\n")
    if last < 0 or b'"' not in data:
        return last
    buf = np.frombuffer(data, np.uint8)
    quotes = np.flatnonzero(buf == _QUOTE)
    newlines = np.flatnonzero(buf == _NEWLINE)
    even = (np.searchsorted(quotes, newlines) & 1) == 0
    candidates = newlines[even]
    return int(candidates[-1]) if len(candidates) else -1


@frozen(eq=False)
class _Chunk:
    """
    The data rows of one block.

    Every column's factoriser got ``n_parts`` parts for this block (the numpy-split rows,
    then the csv-module rows); ``order`` puts their concatenation back in file order.
    """

    rows: NDArray[np.int32]
    broken: NDArray[np.bool_]
    n_lines: int  # csv rows consumed, blank lines included
    n_parts: int = 1
    order: NDArray[np.int64] | None = None


class _Reader:
    def __init__(self, delimiter: str) -> None:
        if len(delimiter) != 1 or delimiter in '"\r\n':
            msg = f"delimiter={delimiter!r} must be one character other than a quote or newline"
            raise InvalidArgumentError(msg)
        self.delimiter = delimiter
        self.sep = ord(delimiter.encode("latin-1"))
        self.pattern = np.ones(0, dtype=np.uint8)
        self.header: list[str] | None = None
        self.columns: list[_Factoriser] = []

    @property
    def width(self) -> int:
        return len(self.columns)

    def csv_rows(self, text: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter))

    def take_header(self, data: bytes) -> bytes:
        """Parse the header from the first record of *data*; return the rest."""
        end = _first_boundary(data)
        rows = self.csv_rows(data[: end + 1].decode("latin-1"))
        self.header = rows[0] if rows else []
        self.columns = [_Factoriser() for _ in self.header]
        self.pattern = np.array([self.sep] * (len(self.header) - 1) + [_NEWLINE], dtype=np.uint8)
        return data[end + 1 :]

    def chunk(self, data: bytes, first_row: int) -> _Chunk:
        """Rows of *data* (whole records); *first_row* is the spreadsheet row before them."""
        if b"\x00" in data:
            return self._slow(data, first_row)
        if b'"' not in data and (b"\r" not in data or _only_crlf(data)):
            grid = self._grid(data)
            if grid is not None:
                return self._fast(data, *grid, first_row)
        return self._mixed(data, first_row)

    def _grid(self, data: bytes) -> tuple[NDArray[np.int64], NDArray[np.int64]] | None:
        """Field starts and lengths when every record has exactly the header's fields."""
        k = self.width
        buf = np.frombuffer(data, np.uint8)
        seps = np.flatnonzero((buf == self.sep) | (buf == _NEWLINE))
        if k == 0 or len(seps) % k:
            return None
        grid = seps.reshape(-1, k)
        # Every record: k - 1 delimiters, then a line end.
        if not (buf[seps].reshape(-1, k) == self.pattern).all():
            return None
        starts = np.empty_like(grid)
        starts[:, 1:] = grid[:, :-1] + 1
        starts[:1, 0] = 0
        starts[1:, 0] = grid[:-1, -1] + 1
        lens = grid - starts
        if b"\r" in data:
            lens[:, -1] -= buf[np.maximum(grid[:, -1] - 1, 0)] == 13
        if k == 1 and (lens[:, 0] == 0).any():
            return None  # blank lines: let the csv module say what they are
        return starts, lens

    def _fast(
        self, data: bytes, starts: NDArray[np.int64], lens: NDArray[np.int64], first_row: int
    ) -> _Chunk:
        words = _Words(data)
        for j, column in enumerate(self.columns):
            column.add_fields(words, starts[:, j], lens[:, j])
        n = len(starts)
        rows = np.arange(first_row + 1, first_row + 1 + n, dtype=np.int32)
        return _Chunk(rows, np.zeros(n, dtype=bool), n)

    def _slow(self, data: bytes, first_row: int) -> _Chunk:
        return self._from_rows(self.csv_rows(data.decode("latin-1")), first_row)

    def _from_rows(self, parsed: list[list[str]], first_row: int) -> _Chunk:
        k = self.width
        numbers = []
        kept: list[list[str] | tuple[str, ...]] = []
        broken = []
        blank_row = ("",) * k
        for offset, row in enumerate(parsed):
            if not row:
                continue
            numbers.append(first_row + 1 + offset)
            if len(row) == k:
                kept.append(row)
                broken.append(False)
            else:
                kept.append(blank_row)
                broken.append(True)
        columns = list(zip(*kept, strict=True)) if kept else [() for _ in range(k)]
        for column, values in zip(self.columns, columns, strict=True):
            column.add_strings(cast(Sequence[str], values))
        return _Chunk(np.array(numbers, dtype=np.int32), np.array(broken, dtype=bool), len(parsed))

    def _mixed(self, data: bytes, first_row: int) -> _Chunk:
        """Regular records through numpy; quoted or irregular ones through the csv module."""
        k = self.width
        buf = np.frombuffer(data, np.uint8)
        ends = np.flatnonzero(buf == _NEWLINE)
        quotes = np.flatnonzero(buf == _QUOTE)
        if len(quotes):
            ends = ends[(np.searchsorted(quotes, ends) & 1) == 0]
        if not len(ends) or ends[-1] != len(buf) - 1:
            return self._slow(data, first_row)  # the block was cut inside quotes
        begins = np.empty_like(ends)
        begins[:1] = 0
        begins[1:] = ends[:-1] + 1
        n_records = len(ends)
        seps = np.flatnonzero(buf == self.sep)
        n_seps = np.diff(np.searchsorted(seps, ends), prepend=0)
        lengths = ends - begins
        has_cr = (lengths > 0) & (buf[np.maximum(ends - 1, 0)] == 13)
        regular = (n_seps == k - 1) & (lengths - has_cr > 0)
        if len(quotes):
            regular[np.searchsorted(ends, quotes)] = False
        if b"\r" in data and not _only_crlf(data):
            regular[:] = False  # old Mac line ends: only the csv module knows them
        if k == 0 or regular.sum() * 2 < n_records:
            return self._slow(data, first_row)
        # Regular records, compacted into one buffer (the few others cut out), form a clean grid.
        irregular = np.flatnonzero(~regular)
        cuts = zip(
            [0, *(ends[irregular] + 1).tolist()],
            [*begins[irregular].tolist(), len(data)],
            strict=True,
        )
        compact = b"".join(data[a:b] for a, b in cuts)
        grid = self._grid(compact)
        assert grid is not None
        fast = self._fast(compact, *grid, 0)
        # Irregular records, each through the csv module, in file order.
        pieces = [
            self.csv_rows(data[begins[i] : ends[i] + 1].decode("latin-1"))
            for i in irregular.tolist()
        ]
        lines_per_record = np.ones(n_records, dtype=np.int64)
        lines_per_record[irregular] = [len(p) for p in pieces]
        first_line = first_row + np.cumsum(lines_per_record) - lines_per_record
        slow_rows: list[list[str]] = []
        slow_numbers: list[int] = []
        for record, piece in zip(irregular.tolist(), pieces, strict=True):
            for offset, row in enumerate(piece):
                if row:
                    slow_rows.append(row)
                    slow_numbers.append(int(first_line[record]) + 1 + offset)
        slow = self._from_rows(slow_rows, 0)
        # Both parts are in file order; merge them by spreadsheet row.
        numbers = np.concatenate(
            [(first_line[regular] + 1).astype(np.int32), np.array(slow_numbers, dtype=np.int32)]
        )
        order = np.argsort(numbers, kind="stable")
        broken = np.concatenate([fast.broken, slow.broken])[order]
        return _Chunk(numbers[order], broken, int(lines_per_record.sum()), 2, order)


def _only_crlf(data: bytes) -> bool:
    """True when every carriage return starts a CRLF line end."""
    buf = np.frombuffer(data, np.uint8)
    returns = np.flatnonzero(buf[:-1] == 13)
    return bool((buf[returns + 1] == _NEWLINE).all()) and buf[-1] != 13


def _first_boundary(data: bytes) -> int:
    end = data.find(b"\n")
    if end < 0 or b'"' not in data[: end + 1]:
        return end
    buf = np.frombuffer(data, np.uint8)
    quotes = np.flatnonzero(buf == _QUOTE)
    newlines = np.flatnonzero(buf == _NEWLINE)
    even = newlines[(np.searchsorted(quotes, newlines) & 1) == 0]
    return int(even[0]) if len(even) else len(data) - 1


def read_delimited(
    source: Source, *, file: str | None = None, delimiter: str = ",", chunk_size: int = _CHUNK
) -> RawTable:
    """
    Read a delimited text file into raw columns, without a Python object per value.

    The first record is the header. Records with a different number of fields are
    reported as errors and kept as blank, broken rows; blank lines are skipped (but
    counted in the spreadsheet row numbers).

    Args:
        source: A path or a binary stream.
        file: The name to use in findings (default: the path, or the stream's name).
        delimiter: The field delimiter, one character.
        chunk_size: Bytes read at a time (memory stays proportional to this, plus the
            ``int32`` codes of the whole file).

    Examples:
        >>> raw = read_delimited(io.BytesIO(b'id,name\\r\\n1,"Smith, J"\\r\\n\\r\\n2,Lee\\r\\n'))
        >>> raw.header, [raw.columns[1].value(i) for i in range(raw.n_rows)], raw.row_numbers.tolist()
        (('id', 'name'), ['Smith, J', 'Lee'], [2, 4])
    """
    name = file if file is not None else source_name(source)
    stream, owned = _open_bytes(source)
    reader = _Reader(delimiter)
    chunks: list[_Chunk] = []
    try:
        with _no_gc():
            line = 1
            for block in _blocks(stream, chunk_size):
                data = block
                if reader.header is None:
                    data = reader.take_header(block)
                    if not data:
                        continue
                piece = reader.chunk(data, line)
                line += piece.n_lines
                chunks.append(piece)
    finally:
        if owned:
            stream.close()
    if reader.header is None:
        empty = Finding.make(Severity.ERROR, name, 1, None, None, "the file is empty (no header)")
        return RawTable(name, (), np.empty(0, np.int32), np.empty(0, bool), (empty,))
    return _assemble(name, reader, chunks)


def _assemble(name: str | None, reader: _Reader, chunks: list[_Chunk]) -> RawTable:
    assert reader.header is not None
    k = reader.width
    rows = np.concatenate([c.rows for c in chunks]) if chunks else np.empty(0, np.int32)
    broken = np.concatenate([c.broken for c in chunks]) if chunks else np.empty(0, bool)
    merged = [column.finish() for column in reader.columns]
    header, distinct, encoding = _decode([list(reader.header), *(d for _, d in merged)])
    columns = []
    for j in range(k):
        parts = iter(merged[j][0])
        pieces = []
        for chunk in chunks:
            codes = [next(parts) for _ in range(chunk.n_parts)]
            joined = np.concatenate(codes) if len(codes) > 1 else codes[0]
            pieces.append(joined if chunk.order is None else joined[chunk.order])
        codes_j = np.concatenate(pieces) if pieces else np.empty(0, np.int32)
        columns.append(RawColumn(header[j].strip(), codes_j, _object_array(distinct[j])))
    findings = tuple(
        Finding.make(
            Severity.ERROR,
            name,
            int(row),
            None,
            None,
            f"the row does not have the header's {k} fields; the row is rejected",
        )
        for row in rows[broken].tolist()
    )
    return RawTable(name, tuple(columns), rows, broken, findings, encoding)


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


# --------------------------------------------------------------------------------------------
# Parsing distinct values
# --------------------------------------------------------------------------------------------


@frozen
class Problem:
    """What is wrong with one distinct raw value."""

    message: str
    #: An unknown code: kept as the code set's UNKNOWN member (a warning, never an error).
    unknown: bool = False


#: ``YYYY-MM-DD``, the canonical form.
ISO_DATE = "YYYY-MM-DD"
#: ``YYYYMMDD``, as the clearinghouse files write dates.
YYYYMMDD_DATE = "YYYYMMDD"
#: ``MM/DD/YYYY`` (``M/D/YYYY`` too), as spreadsheets write dates.
MDY_DATE = "MM/DD/YYYY"
#: ``M/D/YY``: two-digit years, read relative to an as-of date.
SHORT_MDY_DATE = "M/D/YY"
#: Every date format the readers know.
DATE_FORMATS: tuple[str, ...] = (ISO_DATE, YYYYMMDD_DATE, MDY_DATE, SHORT_MDY_DATE)

_DATE_PATTERNS: dict[str, re.Pattern[str]] = {
    ISO_DATE: re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    YYYYMMDD_DATE: re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
    MDY_DATE: re.compile(r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})$"),
    SHORT_MDY_DATE: re.compile(r"^(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{2})$"),
}
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def _two_digit_year(yy: int, month: int, day: int, as_of: dt.date) -> dt.date:
    # 20yy when that is no later than ten years after the as-of date, else 19yy.
    modern = dt.date(2000 + yy, month, day)
    return modern if modern <= as_of + relativedelta(years=10) else dt.date(1900 + yy, month, day)


def _parse_date(text: str, formats: Sequence[str], as_of: dt.date | None) -> dt.date | Problem:
    expected = " or ".join(formats)
    for fmt in formats:
        match = _DATE_PATTERNS[fmt].match(text)
        if match is None:
            continue
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        try:
            if fmt == SHORT_MDY_DATE:
                if as_of is None:
                    return Problem("a two-digit year needs an as-of date to be read")
                return _two_digit_year(year, month, day, as_of)
            return dt.date(year, month, day)
        except ValueError:
            return Problem(f"is not a real date ({expected})")
    return Problem(f"is not a date ({expected})")


def parse_dates(
    distinct: Sequence[str],
    *,
    formats: Sequence[str] = DATE_FORMATS,
    as_of: dt.date | None = None,
) -> tuple[NDArray[np.int32], dict[int, Problem]]:
    """
    Day numbers for distinct date strings (``MISSING_DAY`` for blank or bad ones).

    Args:
        distinct: Raw strings.
        formats: The formats to try, in order (see :data:`DATE_FORMATS`).
        as_of: The date two-digit years are read against: ``20yy`` when that is no
            later than ten years after it, else ``19yy``. Without it, ``M/D/YY`` is a problem.

    Returns:
        The ``int32`` day numbers, and the problems by position in *distinct*.

    Examples:
        >>> days, problems = parse_dates(["1970-01-02", "", "1/1/65", "8/27/12", "2001-02-30"],
        ...                              as_of=dt.date(2013, 2, 20))
        >>> [str(dt.date(1970, 1, 1) + dt.timedelta(int(d))) for d in days[[0, 2, 3]]]
        ['1970-01-02', '1965-01-01', '2012-08-27']
        >>> sorted(problems), problems[4].message
        ([4], 'is not a real date (YYYY-MM-DD or YYYYMMDD or MM/DD/YYYY or M/D/YY)')
    """
    unknown = [f for f in formats if f not in _DATE_PATTERNS]
    if unknown:
        msg = f"formats={unknown!r} are not known; known formats: {', '.join(DATE_FORMATS)}"
        raise InvalidArgumentError(msg)
    out = np.full(len(distinct), MISSING_DAY, dtype=np.int32)
    problems: dict[int, Problem] = {}
    for i, raw in enumerate(distinct):
        text = raw.strip()
        if not text:
            continue
        parsed = _parse_date(text, formats, as_of)
        if isinstance(parsed, Problem):
            problems[i] = parsed
        else:
            out[i] = parsed.toordinal() - _EPOCH_ORDINAL
    return out, problems


_TRUE = frozenset({"y", "yes", "1", "true", "t"})
_FALSE = frozenset({"n", "no", "0", "false", "f"})


def flag_value(text: str) -> bool | None:
    """
    Read one Y/N flag: ``Y N Yes No 1 0 True False`` (any case); None for blank.

    Raises:
        InvalidRecordError: For anything else.

    Examples:
        >>> flag_value("Yes"), flag_value("0"), flag_value(" ")
        (True, False, None)
    """
    folded = text.strip().lower()
    if not folded:
        return None
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    msg = "value is not a Y/N flag"
    raise InvalidRecordError(msg)


def looks_like_flags(distinct: Sequence[str]) -> bool:
    """
    True when every non-blank value is a Y/N flag and there is at least one.

    Examples:
        >>> looks_like_flags(["Y", "", "no"]), looks_like_flags(["", " "]), looks_like_flags(["Y", "x"])
        (True, False, False)
    """
    seen = False
    for raw in distinct:
        folded = raw.strip().lower()
        if not folded:
            continue
        if folded not in _TRUE and folded not in _FALSE:
            return False
        seen = True
    return seen


def parse_flags(distinct: Sequence[str]) -> tuple[NDArray[np.int8], dict[int, Problem]]:
    """
    Y/N flags as ``int8`` 1/0 (-1 for blank or bad).

    Examples:
        >>> flags, problems = parse_flags(["Y", "false", "", "maybe"])
        >>> flags.tolist(), sorted(problems)
        ([1, 0, -1, -1], [3])
    """
    out = np.full(len(distinct), -1, dtype=np.int8)
    problems: dict[int, Problem] = {}
    for i, raw in enumerate(distinct):
        try:
            value = flag_value(raw)
        except InvalidRecordError:
            problems[i] = Problem("is not a Y/N flag (Y, N, Yes, No, 1, 0, True, False)")
            continue
        if value is not None:
            out[i] = int(value)
    return out, problems


def parse_codes(
    distinct: Sequence[str], codes: type[_Coded], *, blank: _Coded | None = None
) -> tuple[NDArray[np.int8], dict[int, Problem]]:
    """
    Codes as ``int8`` indexes into ``tuple(codes)``; blank is *blank* (or -1), unknown is UNKNOWN.

    Examples:
        >>> from edoutcomes.model import EnrollmentStatus
        >>> index, problems = parse_codes(["F", "", "Z"], EnrollmentStatus, blank=EnrollmentStatus.WITHHELD)
        >>> [tuple(EnrollmentStatus)[i].name for i in index], problems[2].unknown
        (['FULL_TIME', 'WITHHELD', 'UNKNOWN'], True)
    """
    members = tuple(codes)
    position = {member: i for i, member in enumerate(members)}
    out = np.full(len(distinct), -1, dtype=np.int8)
    problems: dict[int, Problem] = {}
    for i, raw in enumerate(distinct):
        text = raw.strip()
        if not text:
            if blank is not None:
                out[i] = position[blank]
            continue
        member = codes.parse(text)
        out[i] = position[member]
        if member.value == "unknown" and text.lower() != "unknown":
            problems[i] = Problem(f"is not a known {codes.__name__} code", unknown=True)
    return out, problems


def parse_college_codes(distinct: Sequence[str]) -> tuple[NDArray[np.int32], dict[int, Problem]]:
    """
    College codes ``NNNNNN-BB`` packed as ``int32`` ``NNNNNNBB`` (-1 for blank or bad).

    Examples:
        >>> packed, problems = parse_college_codes(["001817-00", "00181700", "1817"])
        >>> packed.tolist(), sorted(problems)
        ([181700, 181700, -1], [2])
    """
    return _parse_packed(
        distinct, lambda t: CollegeCode.parse(t).packed, "is not a college code (NNNNNN-BB)"
    )


def parse_cips(distinct: Sequence[str]) -> tuple[NDArray[np.int32], dict[int, Problem]]:
    """
    CIP codes packed as ``int32`` six digits (-1 for blank or bad).

    Examples:
        >>> parse_cips(["09.0401", "90401", "", "x"])[0].tolist()
        [90401, 90401, -1, -1]
    """
    return _parse_packed(distinct, lambda t: Cip.parse(t).packed, "is not a CIP code (NN.NNNN)")


def _parse_packed(
    distinct: Sequence[str], pack: Callable[[str], int], message: str
) -> tuple[NDArray[np.int32], dict[int, Problem]]:
    out = np.full(len(distinct), -1, dtype=np.int32)
    problems: dict[int, Problem] = {}
    for i, raw in enumerate(distinct):
        if not raw.strip():
            continue
        try:
            out[i] = pack(raw)
        except InvalidRecordError:
            problems[i] = Problem(message)
    return out, problems


def parse_numbers(distinct: Sequence[str]) -> tuple[NDArray[np.float64], dict[int, Problem]]:
    """
    Decimal numbers as ``float64`` (NaN for blank or bad).

    Examples:
        >>> parse_numbers(["1.5", "", "x"])[0].tolist()[:1], sorted(parse_numbers(["x"])[1])
        ([1.5], [0])
    """
    out = np.full(len(distinct), np.nan, dtype=np.float64)
    problems: dict[int, Problem] = {}
    for i, raw in enumerate(distinct):
        text = raw.strip()
        if not text:
            continue
        try:
            value = float(text)
        except ValueError:
            problems[i] = Problem("is not a number")
            continue
        if not np.isfinite(value):
            problems[i] = Problem("is not a finite number")
            continue
        out[i] = value
    return out, problems


def parse_text(distinct: Sequence[str]) -> tuple[NDArray[np.int32], NDArray[np.object_]]:
    """
    Text codes into categories: blank values become missing (-1); others are kept as given.

    Examples:
        >>> remap, categories = parse_text(["a", " ", "b"])
        >>> remap.tolist(), categories.tolist()
        ([0, -1, 1], ['a', 'b'])
    """
    blank = np.fromiter((not s.strip() for s in distinct), bool, len(distinct))
    remap = np.full(len(distinct), -1, dtype=np.int32)
    remap[~blank] = np.arange(int((~blank).sum()), dtype=np.int32)
    return remap, _object_array([s for s, b in zip(distinct, blank.tolist(), strict=True) if not b])


@frozen(eq=False)
class Parsed:
    """
    One raw column parsed into its columnar encoding, with what went wrong where.

    Attributes:
        raw: The raw column.
        data: One value per row, in the encoding of the column's :class:`Kind`.
        categories: The distinct strings of a text column.
        blank: Per row: the raw value was blank.
        problems: Problems by distinct value (index into ``raw.distinct``).
    """

    raw: RawColumn
    data: NDArray[Any]
    categories: NDArray[np.object_] | None
    blank: NDArray[np.bool_]
    problems: dict[int, Problem] = field(factory=dict)

    def problem_rows(self, *, unknown: bool | None = None) -> NDArray[np.int64]:
        """Rows (0-based) whose value has a problem (only unknown codes, or only others)."""
        chosen = [i for i, p in self.problems.items() if unknown is None or p.unknown == unknown]
        if not chosen:
            return np.empty(0, dtype=np.int64)
        flagged = np.zeros(len(self.raw.distinct), dtype=bool)
        flagged[chosen] = True
        return np.flatnonzero(flagged[self.raw.codes])

    def problem(self, row: int) -> Problem | None:
        """The problem of row *row*, if any."""
        return self.problems.get(int(self.raw.codes[row]))


_Parser = Callable[[Sequence[str]], tuple[NDArray[Any], dict[int, Problem]]]


def parse_column(
    raw: RawColumn,
    column: Column,
    *,
    date_formats: Sequence[str] = DATE_FORMATS,
    as_of: dt.date | None = None,
) -> Parsed:
    """
    Parse a raw column as the schema *column* says, on its distinct values, then gather.

    Examples:
        >>> from edoutcomes.model import ENROLLMENTS
        >>> raw = factorise("begin_date", ["2006-08-21", "2006-08-21", "soon"])
        >>> parsed = parse_column(raw, ENROLLMENTS["begin_date"])
        >>> parsed.data.tolist()[:2], parsed.problem_rows().tolist()
        ([13381, 13381], [2])
    """
    distinct = cast(list[str], raw.distinct.tolist())
    blank_distinct = raw.blank_distinct()
    blank = blank_distinct[raw.codes]
    kind = column.kind
    if kind is Kind.TEXT:
        remap, categories = parse_text(distinct)
        return Parsed(raw, remap[raw.codes], categories, blank)
    parser: _Parser
    if kind is Kind.DATE:

        def parser(d: Sequence[str]) -> tuple[NDArray[Any], dict[int, Problem]]:
            return parse_dates(d, formats=date_formats, as_of=as_of)

    elif kind is Kind.CODE:
        assert column.codes is not None
        codes, blank_code = column.codes, column.blank

        def parser(d: Sequence[str]) -> tuple[NDArray[Any], dict[int, Problem]]:
            return parse_codes(d, codes, blank=blank_code)

    elif kind is Kind.COLLEGE_CODE:
        parser = parse_college_codes
    elif kind is Kind.CIP:
        parser = parse_cips
    elif kind is Kind.BOOL:
        parser = parse_flags
    elif kind is Kind.NUMBER:
        parser = parse_numbers
    else:  # pragma: no cover - every Kind is handled above
        msg = f"column {column.name!r} has a kind the text reader does not know: {kind}"
        raise InvalidArgumentError(msg)
    per_distinct, problems = parser(distinct)
    return Parsed(raw, per_distinct[raw.codes], None, blank, problems)
