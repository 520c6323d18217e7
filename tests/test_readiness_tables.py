"""The readiness tables: the extended K-12 model, the reader's intake rules, the synthetic data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from edoutcomes.errors import InvalidArgumentError, InvalidInputError
from edoutcomes.formats.canonical import write_table
from edoutcomes.model import (
    COURSE_LIST,
    TRANSCRIPT_MARKS,
    Consent,
    ConsentPurpose,
    K12Columns,
    LetterGrade,
    k12_records,
)
from edoutcomes.readiness import evaluate, read_readiness
from edoutcomes.synth import synthetic_readiness

HEADER = "student_id,school_id,course_id,school_year,term_kind,mark_date,grade_level,letter_grade,ag_area\n"


def _write(folder: Path, students: str, marks: str) -> None:
    (folder / "k12_students.csv").write_text(students)
    (folder / "transcript_marks.csv").write_text(marks)


class TestModel:
    def test_marks_extend_the_on_track_table(self) -> None:
        """One table for one fact: the readiness columns are optional columns of transcript_marks."""
        assert {"letter_grade", "ag_area", "term_kind", "repeat_of"} <= set(TRANSCRIPT_MARKS.names)
        assert (
            "student_id",
            "course_id",
            "mark_date",
            "credits_earned",
        ) == TRANSCRIPT_MARKS.required

    def test_c_minus_is_a_c(self) -> None:
        assert ("C", "C", None, None) == (
            LetterGrade("C-").letter,
            LetterGrade("C+").letter,
            LetterGrade("CR").letter,
            LetterGrade("P").letter,
        )

    def test_consent_round_trips_through_the_columnar_view(self) -> None:
        consent = Consent("D1", ConsentPurpose.FINANCIAL_AID, "CSAC", dt.date(2024, 9, 1))
        data = K12Columns.from_records([], consents=[consent])

        assert (consent,) == k12_records(data.consents)


class TestReader:
    def test_reads_and_links(self, tmp_path: Path) -> None:
        _write(
            tmp_path,
            "student_id,grade9_entry_date\nS1,2021-08-20\n",
            HEADER + "S1,X,ENG9,2021-22,year,2022-06-10,9,A,b\n",
        )

        read = read_readiness(tmp_path)

        assert (1, [0]) == (read.data.marks.n_rows, read.data.mark_student.tolist())
        assert [2] == read.rows["transcript_marks"].tolist()

    def test_bad_rows_are_rejected_and_accounted_for(self, tmp_path: Path) -> None:
        """A missing required value, a grade level outside 7-12, a bad school year: errors, rows not used."""
        _write(
            tmp_path,
            "student_id\nS1\n",
            HEADER
            + "S1,X,ENG9,2021-22,year,2022-06-10,9,A,b\n"
            + "S1,X,ENG9,2021-22,year,2022-06-10,,A,b\n"
            + "S1,X,ENG9,2021-22,year,2022-06-10,13,A,b\n"
            + "S1,X,ENG9,2021-23,year,2022-06-10,9,A,b\n"
            + "S1,X,ENG9,2021-22,trimester,2022-06-10,9,Q,b\n",
        )

        read = read_readiness(tmp_path, lenient=True)
        status = read.statuses[1]

        assert (5, 2, 3) == (status.rows_read, status.rows_accepted, status.rows_rejected)
        assert [3, 4, 5] == sorted({f.row for f in status.errors})
        assert {"term_kind", "letter_grade"} <= {f.column for f in status.warnings}
        assert all(f.value is None for f in status.findings if f.column == "letter_grade")
        with pytest.raises(InvalidInputError):
            read_readiness(tmp_path)

    def test_the_on_track_required_set_is_unchanged(self, tmp_path: Path) -> None:
        """credits_earned is not required for readiness."""
        _write(tmp_path, "student_id\nS1\n", HEADER + "S1,X,ENG9,2021-22,year,2022-06-10,9,A,b\n")

        assert np.isnan(read_readiness(tmp_path).data.marks.data["credits_earned"][0])

    def test_synthetic_tables_round_trip(self, tmp_path: Path) -> None:
        data = synthetic_readiness(60, seed=4)
        for name, table in data.tables().items():
            write_table(table, tmp_path / f"{name}.csv")

        read = read_readiness(tmp_path)
        before = evaluate(data, dt.date(2025, 7, 15))
        after = evaluate(read.data, dt.date(2025, 7, 15))

        assert before.years.tolist() == after.years.tolist()
        assert before.uc_capped.tolist() == after.uc_capped.tolist()
        assert read.data.course_list.n_rows == data.course_list.n_rows


class TestSynthetic:
    def test_realistic_transcripts(self) -> None:
        """Repeats, summer school, grade-8 courses, college courses, honors, a course list, consents."""
        data = synthetic_readiness(400, seed=2)
        marks = data.marks
        result = evaluate(data, dt.date(2025, 7, 15))

        assert (marks.data["repeat_of"] >= 0).any()
        assert (marks.data["term_kind"] == 3).any()
        assert (marks.data["grade_level"] == 1).any()  # grade 8
        assert (marks.data["is_college_course"] == 1).any()
        assert (marks.data["honors_type"] >= 0).any()
        assert data.course_list.name == COURSE_LIST.name
        assert (data.consents.data["revoked_date"] > 0).any()
        assert 0 < int(result.uc_met.sum()) < 400

    def test_seventh_period(self) -> None:
        """
        periods=7 adds one listed a-g course a year (about 57 marks a senior, not 49), whose
        marks the engine counts; periods other than 6 or 7 are refused.
        """
        six = synthetic_readiness(300, seed=4, seniors_only=True)
        seven = synthetic_readiness(300, seed=4, seniors_only=True, periods=7)
        courses = set(seven.marks.categories["course_id"].tolist())
        listed = set(seven.course_list.categories["course_id"].tolist())
        result = evaluate(seven, dt.date(2025, 7, 15))
        # The seventh period's f (drama) and g (computer science, journalism) courses count.
        more = result.years.sum(axis=0) - evaluate(six, dt.date(2025, 7, 15)).years.sum(axis=0)

        assert 47 < six.marks.n_rows / 300 < 51
        assert 54 < seven.marks.n_rows / 300 < 60
        assert {"COMPSCI", "DRAMA", "JOURN", "SPAN4"} <= courses & listed
        assert "COMPSCI" not in set(six.marks.categories["course_id"].tolist())
        assert (more[5:] > 0).all()
        for periods in (5, 8, True):
            with pytest.raises(InvalidArgumentError, match="periods"):
                synthetic_readiness(10, periods=periods)

    def test_same_seed_same_data(self) -> None:
        one = synthetic_readiness(50, seed=9)
        two = synthetic_readiness(50, seed=9)

        assert one.marks.equals(two.marks)
