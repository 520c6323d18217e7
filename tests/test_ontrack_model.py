"""The K-12 types: validation, the SSN rule, school years, the converter and the columnar view."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from strategies import k12_data

from edoutcomes.errors import InvalidArgumentError, InvalidRecordError
from edoutcomes.model import (
    K12_SCHEMAS,
    CreditMethod,
    Gender,
    K12Columns,
    K12Student,
    OnTrackRecord,
    SchoolEnrollment,
    SchoolYear,
    ServiceType,
    TranscriptMark,
    k12_records,
    k12_table,
    structure,
    unstructure,
)


class TestSchoolYear:
    @pytest.mark.parametrize("text", ["2023-24", "2023-2024", "2324", " 2023 - 24 "])
    def test_parse_forms(self, text: str) -> None:
        """Every written form of a school year reads as the same year."""
        assert SchoolYear(2023) == SchoolYear.parse(text)

    @pytest.mark.parametrize("text", ["2023-25", "2325", "23-24", "soon"])
    def test_parse_refuses(self, text: str) -> None:
        """Years that do not follow each other, or no year at all, are refused."""
        with pytest.raises(InvalidRecordError):
            SchoolYear.parse(text)

    @pytest.mark.parametrize(
        ("day", "start"),
        [(dt.date(2024, 6, 30), 2023), (dt.date(2024, 7, 1), 2024), (dt.date(2023, 7, 1), 2023)],
    )
    def test_of_edges(self, day: dt.date, start: int) -> None:
        """June 30 closes a school year and July 1 opens the next."""
        assert start == SchoolYear.of(day).start

    def test_short_form(self) -> None:
        """2024-25 is written 2425 by the state."""
        assert "2425" == SchoolYear(2024).short


class TestRecords:
    def test_ssn_keeps_last_four(self) -> None:
        """A full SSN given to the student is cut to its last four digits at once."""
        assert "6789" == K12Student("S1", ssn_last4="123-45-6789").ssn_last4

    def test_ssn_never_echoed(self) -> None:
        """A malformed SSN is refused without showing it."""
        with pytest.raises(InvalidRecordError) as info:
            K12Student("S1", ssn_last4="12ab")
        assert "12ab" not in str(info.value)

    def test_ssid_must_be_digits(self) -> None:
        """A state id is 1 to 10 digits."""
        with pytest.raises(InvalidRecordError):
            K12Student("S1", ssid="12345678901")

    def test_end_before_start_refused(self) -> None:
        """An enrollment cannot end before it starts."""
        with pytest.raises(InvalidRecordError):
            SchoolEnrollment("S1", "1", "2", dt.date(2024, 1, 2), dt.date(2024, 1, 1))

    def test_negative_credits_refused(self) -> None:
        """Credits earned are zero or more."""
        with pytest.raises(InvalidRecordError):
            TranscriptMark("S1", "C", dt.date(2024, 1, 2), -0.5)

    def test_codes_parse_spellings(self) -> None:
        """Code sets read the vendors' spellings."""
        assert (Gender.NON_BINARY, ServiceType.PARTIAL, CreditMethod.CREDIT_RECOVERY) == (
            Gender.parse("Non-binary"),
            ServiceType.parse("S"),
            CreditMethod.parse("credit recovery"),
        )

    def test_personal_fields_not_in_repr(self) -> None:
        """Names and birth dates stay out of repr."""
        text = repr(K12Student("S1", legal_last_name="Zephyrine", birth_date=dt.date(2009, 1, 2)))
        assert "Zephyrine" not in text
        assert "2009" not in text


class TestConverter:
    def test_flat_dict(self) -> None:
        """Records unstructure to flat dicts keyed by canonical column names."""
        record = OnTrackRecord("S1", dt.date(2023, 9, 5), "2023-24")
        expected = {
            "student_id": "S1",
            "start_date": "2023-09-05",
            "first_year_entered_hs": "2023-24",
            "program_status": "1",
            "end_date": None,
        }
        assert expected == unstructure(record)

    @given(k12_data())
    def test_round_trip(self, data: dict[str, list[object]]) -> None:
        """structure(unstructure(x)) == x for every K-12 record."""
        for records in data.values():
            for record in records:
                assert record == structure(unstructure(record), type(record))


class TestColumnar:
    @given(k12_data())
    def test_table_round_trip(self, data: dict[str, list[object]]) -> None:
        """Encoding records as a columnar table and decoding them gives them back."""
        for records in data.values():
            if records:
                assert tuple(records) == k12_records(k12_table(records))

    def test_schemas_name_their_tables(self) -> None:
        """Every K-12 table has a canonical snake_case name and a schema of that name."""
        for name, (schema, _) in K12_SCHEMAS.items():
            assert name == schema.name
            assert name == name.lower()

    def test_links_and_orphans(self) -> None:
        """Records link to their student's row; an unknown student id links to -1."""
        data = K12Columns.from_records(
            [K12Student("A"), K12Student("B")],
            marks=[
                TranscriptMark("B", "C", dt.date(2024, 1, 1), 1.0),
                TranscriptMark("Z", "C", dt.date(2024, 1, 1), 1.0),
            ],
        )
        assert [1, -1] == data.mark_student.tolist()

    def test_duplicate_student_refused(self) -> None:
        """Two students with one student_id are refused."""
        with pytest.raises(InvalidArgumentError):
            K12Columns.from_records([K12Student("A"), K12Student("A")])
