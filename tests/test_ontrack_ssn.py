"""The K-12 ``ssn_last4`` column: only the last four digits, on every route into the K-12 model."""

from __future__ import annotations

import csv
import io
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from ontrack_helpers import AS_OF, YEAR, enrollment, mark, student

from edoutcomes.errors import InvalidInputError, InvalidRecordError
from edoutcomes.formats.canonical import read_table
from edoutcomes.model import (
    K12_STUDENTS,
    K12Columns,
    K12Student,
    Table,
    k12_table,
    unstructure,
)
from edoutcomes.ontrack import build_extract, eligibility

#: Columns of the students file the tests write (enough for a reported student).
_COLUMNS = (
    "student_id",
    "ssid",
    "legal_last_name",
    "legal_first_name",
    "birth_date",
    "legal_gender",
    "grade9_entry_date",
)
ROUTES = ("records", "csv", "parquet", "arrow")


def _students_file(ssn: str, route: str) -> io.BytesIO:
    """The default student's row with *ssn* in ``ssn_last4``, as a CSV or Parquet file."""
    flat: dict[str, Any] = unstructure(student())
    header = [*_COLUMNS, "ssn_last4"]
    values = [str(flat[c]) for c in _COLUMNS] + [ssn]
    out = io.BytesIO()
    if route == "parquet":
        pq.write_table(
            pa.table({name: [value] for name, value in zip(header, values, strict=True)}), out
        )
    else:
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows([header, values])
        out.write(text.getvalue().encode())
    out.seek(0)
    return out


def _arrow_students(ssn: str) -> Table:
    flat: dict[str, Any] = unstructure(student())
    columns = {c: [str(flat[c])] for c in _COLUMNS}
    return K12Columns.from_arrow(pa.table({**columns, "ssn_last4": [ssn]})).students


def _students(ssn: str, route: str) -> Table:
    if route == "records":
        return k12_table([student(ssn_last4=ssn)])
    if route == "arrow":
        return _arrow_students(ssn)
    return _read(ssn, route).table


def _read(ssn: str, route: str) -> Any:
    # read_table takes any TableSchema (its annotation names the clearinghouse tables).
    return read_table(_students_file(ssn, route), K12_STUDENTS, format=route)  # type: ignore[arg-type]


def _written_forms(digits: str) -> list[str]:
    dashed = f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
    return [digits, dashed, f" {dashed} ", f"{digits[:3]} {digits[3:5]} {digits[5:]}"]


nine_digits = st.text("0123456789", min_size=9, max_size=9)


class TestLastFour:
    @given(nine_digits, st.sampled_from(range(4)), st.sampled_from(ROUTES), st.booleans())
    @example("123456789", 0, "csv", True)
    @example("123456789", 1, "csv", True)
    @example("123456789", 0, "parquet", True)
    @example("123456789", 1, "parquet", False)
    def test_full_ssn_keeps_last_four(
        self, digits: str, form: int, route: str, truncate: bool
    ) -> None:
        """A full SSN, dashed or not, reads as its last four digits and the extract carries those."""
        students = _students(_written_forms(digits)[form], route)
        assert [digits[-4:]] == students.values("ssn_last4")
        assert digits not in [str(c) for c in students.categories.get("ssn_last4", [])]
        k12 = K12Columns.from_tables(
            students,
            enrollments=k12_table([enrollment()]),
            marks=k12_table([mark()]),
        )
        extract = build_extract(eligibility(k12, YEAR, as_of=AS_OF), truncate=truncate)
        assert [digits[-4:]] == extract.column("SSN")

    @given(st.text("0123456789", min_size=4, max_size=4), st.sampled_from(ROUTES))
    def test_four_digits_kept(self, digits: str, route: str) -> None:
        """Four digits are already the last four."""
        assert [digits] == _students(digits, route).values("ssn_last4")

    @pytest.mark.parametrize("route", ["csv", "parquet", "arrow"])
    @pytest.mark.parametrize("value", ["12345", "123", "1234567890", "12a456789", "12ab"])
    def test_other_lengths_refused_in_tables(self, value: str, route: str) -> None:
        """Anything but 4 or 9 digits is an error naming the column, never showing the value."""
        with pytest.raises(InvalidInputError) as info:
            _arrow_students(value) if route == "arrow" else _read(value, route)
        findings = info.value.findings
        assert ["ssn_last4"] == [f.column for f in findings]
        assert all(f.is_error for f in findings)
        assert value not in str(info.value)
        assert all(value not in str(f) for f in findings)

    @pytest.mark.parametrize("value", ["12345", "1234567890", "12a456789", "12ab34"])
    def test_other_lengths_refused_in_records(self, value: str) -> None:
        """The record type refuses the same values, without showing them."""
        with pytest.raises(InvalidRecordError) as info:
            K12Student("S1", ssn_last4=value)
        assert value not in str(info.value)
