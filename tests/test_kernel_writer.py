"""The one CSV writer and value formatter, and spreadsheet safety (CSV formula injection)."""

from __future__ import annotations

import csv
import io

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from edoutcomes._kernel._csv import CsvColumn, write_columns, write_rows
from edoutcomes._kernel._values import formula_mask, looks_like_formula
from edoutcomes.formats import RowTable, read_submission, read_table, write, write_table
from edoutcomes.model import Student

_TEXT = st.text(st.sampled_from(list('ab,"\n\r =+-@\té1')), max_size=6)


@st.composite
def columns(draw: st.DrawFn) -> tuple[list[list[str]], list[CsvColumn]]:
    width = draw(st.integers(1, 4))
    n = draw(st.integers(0, 30))
    out, cells = [], []
    for _ in range(width):
        strings = draw(st.lists(_TEXT, min_size=1, max_size=5, unique=True))
        codes = np.array(
            draw(st.lists(st.integers(-1, len(strings) - 1), min_size=n, max_size=n)), np.int32
        )
        out.append(CsvColumn(strings, codes))
        cells.append(["" if c < 0 else strings[c] for c in codes.tolist()])
    return [list(row) for row in zip(*cells, strict=True)] if n else [], out


class TestWriter:
    @given(columns(), st.integers(1, 7))
    def test_batches_write_what_the_csv_module_reads_back(
        self, data: tuple[list[list[str]], list[CsvColumn]], batch: int
    ) -> None:
        """
        Any batch size gives the same bytes, and the csv module reads back every value.
        """
        rows, cols = data
        header = [f"h{j}" for j in range(len(cols))]
        small, whole = io.BytesIO(), io.BytesIO()

        write_columns(small, header, cols, batch_rows=batch)
        write_columns(whole, header, cols)

        assert small.getvalue() == whole.getvalue()
        read = list(csv.reader(io.StringIO(whole.getvalue().decode(), newline="")))
        assert [header, *rows] == read

    def test_rows_with_a_row_map(self) -> None:
        """
        A row map sends output rows to source rows; -1 is blank.
        """
        out = io.BytesIO()
        column = CsvColumn(["x", "y"], np.array([1, 0], np.int32), np.array([0, -1, 1], np.int32))

        write_columns(out, ["v"], [column])

        assert b'v\ny\n""\nx\n' == out.getvalue()

    def test_ragged_rows(self) -> None:
        """
        Rows of any length, blank rows as blank lines, the same quoting.
        """
        out = io.BytesIO()

        write_rows(out, [["a"], [], ["b,c", "d"]], batch_rows=1)

        assert b'a\n\n"b,c",d\n' == out.getvalue()


class TestSpreadsheetSafety:
    def test_reports_for_people_are_guarded(self) -> None:
        """
        The generic CSV prefixes formula-looking values with ' and leaves plain numbers alone.
        """
        table = RowTable("t", ("a", "b", "c", "d"), [("=HYPERLINK(1)", "-5", "+1.5", "@SUM")])
        out = io.BytesIO()

        write(table, out, "csv")

        assert b"a,b,c,d\n'=HYPERLINK(1),-5,+1.5,'@SUM\n" == out.getvalue()

    def test_the_guard_can_be_turned_off(self) -> None:
        """
        ``csv-plain`` writes the values exactly.
        """
        out = io.BytesIO()

        write(RowTable("t", ("a",), [("=1+1",), ("\tx",)]), out, "csv-plain")

        assert b"a\n=1+1\n\tx\n" == out.getvalue()

    def test_machine_layouts_stay_exact(self) -> None:
        """
        Canonical tables keep a formula-looking value byte for byte.
        """
        out = io.BytesIO()

        write_table([Student("A1", race_ethnicity="=cmd")], out)

        assert out.getvalue().endswith(b",=cmd\n")

    def test_readers_warn_naming_the_column_not_the_value(self) -> None:
        """
        A formula-looking text value is a warning naming the column and first row, never the value.
        """
        data = b"requester_id,gender,race_ethnicity\nA1,F,-5\nA2,M,=cmd|calc\nA3,F,@x\n"

        read = read_table(io.BytesIO(data), "students")

        [finding] = read.status.findings
        assert ("warning", 3, "race_ethnicity", None) == (
            finding.severity.value,
            finding.row,
            finding.column,
            finding.value,
        )
        assert "2 values" in finding.message
        assert "cmd" not in str(finding)
        assert 3 == read.table.n_rows

    def test_intake_warns(self) -> None:
        """
        Submission intake warns about a formula-looking name.
        """
        data = b"first_name,last_name,birth_date\n=Ann,Lee,2001-02-03\n"

        read = read_submission(io.BytesIO(data), lenient=True)

        assert any(
            "formulas" in f.message and f.column == "first_name" for f in read.status.findings
        )

    @given(_TEXT)
    @example("-1\n")  # Python's $ matches before a final newline; a number then a newline is text
    def test_formula_rule(self, text: str) -> None:
        """
        Flagged exactly when it starts with a formula character and is not a plain number.
        """
        try:
            float(text)
            number = text.strip() == text and text not in ("", "+", "-") and "n" not in text.lower()
        except ValueError:
            number = False
        assert looks_like_formula(text) == (
            text[:1] in ("=", "+", "-", "@", "\t", "\r") and not number
        )


@given(st.lists(st.text(st.sampled_from(list("=+-@\t\r.e0123456789 x٣")), max_size=5), max_size=20))
def test_formula_mask_agrees_with_the_rule(values: list[str]) -> None:
    """
    The Arrow mask flags exactly what the one-value rule flags.
    """
    array = np.array(values, dtype=object)

    assert [looks_like_formula(v) for v in values] == formula_mask(array).tolist()
