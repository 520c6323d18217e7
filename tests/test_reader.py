"""The one CSV reader (pyarrow underneath) against Python's csv module, the reference."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edoutcomes.errors import InvalidInputError
from edoutcomes.formats import read_table
from edoutcomes.formats._reader import read_delimited

_PIECES = ["a", "b", "Lee", ",", ",", '"', '""', "\n", "\n", "\r\n", "\r", " ", "é", "\t"]


def _reference(data: bytes) -> tuple[list[str] | None, list[tuple[int, list[str] | None]]]:
    """The header and (row number, fields or None when rejected) as the csv module reads them."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    numbered = [(n, row) for n, row in enumerate(rows, start=1) if row]
    if not numbered:
        return None, []
    (_, header), body = numbered[0], numbered[1:]
    return header, [(n, row if len(row) == len(header) else None) for n, row in body]


def _ours(
    data: bytes, **options: int
) -> tuple[tuple[str, ...], list[tuple[int, list[str] | None]]]:
    raw = read_delimited(io.BytesIO(data), **options)
    rows = [
        (int(raw.row_numbers[i]), None if raw.broken[i] else [c.value(i) for c in raw.columns])
        for i in range(raw.n_rows)
    ]
    return raw.header, rows


@st.composite
def damaged_files(draw: st.DrawFn) -> bytes:
    """A header and a body of random pieces: stray quotes, ragged rows, blank lines, bare CRs."""
    width = draw(st.integers(1, 4))
    header = ",".join(f"h{j}" for j in range(width))
    if draw(st.booleans()):
        header = "".join(draw(st.lists(st.sampled_from([*_PIECES, "h"]), max_size=8))) or "h"
    body = "".join(draw(st.lists(st.sampled_from(_PIECES), max_size=80)))
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return (bom + header + "\n" + body).encode()


class TestAgainstTheCsvModule:
    @settings(max_examples=400, deadline=None)
    @given(damaged_files(), st.sampled_from([1 << 10, 1 << 20]))
    def test_damaged_files(self, data: bytes, block_size: int) -> None:
        """
        Random damaged files: accepted rows are the csv module's well-formed records, with the
        same row numbers; rejected rows are its other records; nothing else appears or vanishes.
        """
        header, expected = _reference(data)

        raw = read_delimited(io.BytesIO(data), block_size=block_size)
        _, actual = _ours(data, block_size=block_size)

        if header is None:
            assert ((), []) == (raw.header, actual)
            return
        if any("\n" in h or "\r" in h for h in header):
            # A stray quote ran the header over the file: an error, never a silent empty table.
            assert [] == actual
            assert raw.findings
            assert raw.findings[0].row is not None
            return
        assert tuple(h.strip() for h in header) == raw.header
        assert expected == actual
        rejected = [n for n, row in expected if row is None]
        assert rejected == [f.row for f in raw.findings]

    def test_quote_inside_an_unquoted_field_is_literal(self) -> None:
        """
        ``O"BRIEN`` then a valid multi-line quoted field: neither splits nor shifts a row.
        """
        data = b'id,name\n1,O"BRIEN\n2,"two\nlines"\n3,LEE\n'

        _header, rows = _ours(data)

        assert [(2, ["1", 'O"BRIEN']), (3, ["2", "two\nlines"]), (4, ["3", "LEE"])] == rows

    def test_wrong_field_count_names_row_and_counts(self) -> None:
        """
        A ragged row is rejected with a finding giving its field count and the header's.
        """
        raw = read_delimited(b"a,b,c\n1,2,3\n1,2\n\n4,5,6,7\n7,8,9\n")

        assert [2, 3, 5, 6] == raw.row_numbers.tolist()
        assert [(3, "2 fields where the header has 3"), (5, "4 fields where the header has 3")] == [
            (f.row, f.message.split("has ", 1)[1].split(";")[0]) for f in raw.findings
        ]
        assert 1 == raw.blank_lines

    def test_stray_quote_in_header_is_an_error(self) -> None:
        """
        A header quote that is never closed is an error in strict mode, not zero silent rows.
        """
        data = b'requester_id,"gender\nA1,F\nA2,M\n'

        with pytest.raises(InvalidInputError, match="header"):
            read_table(io.BytesIO(data), "students")

    def test_blank_lines_and_empty_records_are_told_apart(self) -> None:
        """
        A blank line is skipped and counted; a record of empty fields (``,``) is a row.
        """
        raw = read_delimited(b"a,b\n,\n\n1,2\n\n")

        assert [2, 4] == raw.row_numbers.tolist()
        assert 2 == raw.blank_lines

    def test_blank_lines_are_counted_in_the_file_status(self) -> None:
        """
        The file status says how many blank lines were skipped; row numbers keep counting them.
        """
        data = b"requester_id,gender\n\nA1,F\n\n\nA2,M\n"

        read = read_table(io.BytesIO(data), "students")

        assert (2, 3) == (read.status.rows_read, read.status.blank_lines)
        assert [3, 6] == read.row_numbers.tolist()
        assert "3 blank lines skipped" in str(read.status)

    def test_rejected_rows_numbered_past_parallel_blocks(self) -> None:
        """
        A rejected row deep in a file read on several threads still gets its exact row.
        """
        good = b"".join(b"%d,x\n" % i for i in range(20000))
        data = b"a,b\n" + good + b'1,"multi\nline"\nbad\n' + good

        raw = read_delimited(data, block_size=1 << 12)

        assert [20003] == [f.row for f in raw.findings]
        assert 40002 == raw.n_rows
        assert 40003 == int(raw.row_numbers[-1])


class TestLongFields:
    def test_field_longer_than_the_block_grows_it(self) -> None:
        """
        A quoted field longer than the read block is read whole (the block grows and retries).
        """
        value = "x" * (1 << 20) + "\n" + "y" * 100
        data = b'a,b\n1,"' + value.encode() + b'"\n2,z\n'

        raw = read_delimited(data, block_size=1 << 12)

        assert [value, "z"] == [raw.columns[1].value(i) for i in range(2)]
        assert [2, 3] == raw.row_numbers.tolist()


class TestEncodings:
    def test_windows_1252(self) -> None:
        """
        Bytes that are not UTF-8 read as Windows-1252, rejected rows included.
        """
        raw = read_delimited("a,b\nJos\xe9,1\nbroken\u2026\n".encode("cp1252"))

        assert ("cp1252", "José", [3]) == (
            raw.encoding,
            raw.columns[0].value(0),
            [f.row for f in raw.findings],
        )


class TestBlockBoundaries:
    @pytest.mark.parametrize("pad", range(40))
    def test_quoted_crlf_on_a_block_boundary(self, pad: int) -> None:
        """
        A quoted CRLF that a read block would split keeps its LF (pyarrow alone drops it).
        """
        data = b"a,b\n" + b"x," + b"y" * pad + b"\n" + b'1,"p\r\nq"\n2,z\n'

        raw = read_delimited(data, block_size=32)

        assert ["y" * pad, "p\r\nq", "z"] == [raw.columns[1].value(i) for i in range(3)]
