"""Matching feeds the cohort: records re-keyed to submitted students; the ``match`` command."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from match_extra import MATCH_EXTRA_MISSING

pytest.importorskip("rapidfuzz", reason=MATCH_EXTRA_MISSING)
pytest.importorskip("jellyfish", reason=MATCH_EXTRA_MISSING)

from edoutcomes.cli import main
from edoutcomes.cohort import cohort_query
from edoutcomes.formats.canonical import write_table
from edoutcomes.highschool import high_school_outcomes
from edoutcomes.match import MatcherFinder, matched_cohort, matched_columns
from edoutcomes.model import (
    Cohort,
    CollegeCode,
    CollegeType,
    DegreeRecord,
    EnrollmentRecord,
    Institution,
    Student,
    Table,
)
from edoutcomes.synth import synthetic_matching

pytestmark = pytest.mark.match

BORN = dt.date(2002, 9, 9)
CODE = CollegeCode.parse("001817-00")


def _term(pid: str, year: int) -> EnrollmentRecord:
    return EnrollmentRecord(
        pid, CODE, CollegeType.FOUR_YEAR, dt.date(year, 8, 26), dt.date(year, 12, 13)
    )


def test_records_follow_the_match() -> None:
    """Matched students get their person's records under their own id; unmatched get none."""
    data = synthetic_matching(300, 100, seed=4)
    people = data.people.to_records()
    terms = [_term(p.requester_id, 2020) for p in people]
    awards = [DegreeRecord(p.requester_id, CODE, dt.date(2024, 5, 10)) for p in people[:50]]

    cohort, result = matched_cohort(data.submitted.to_records(), people, terms, awards)

    matched = dict(zip(result.requester_ids.tolist(), result.matched_person_ids(), strict=True))
    with_terms = {e.requester_id for e in cohort.enrollments}
    assert {rid for rid, pid in matched.items() if pid is not None} == with_terms
    first_fifty = {p.requester_id for p in people[:50]}
    assert {rid for rid, pid in matched.items() if pid in first_fifty} == {
        d.requester_id for d in cohort.degrees
    }


def test_columns_agree_with_objects() -> None:
    """The columnar path links the same records to the same students as the object path."""
    data = synthetic_matching(300, 100, seed=6)
    people = data.people.to_records()
    terms = [_term(p.requester_id, 2019 + i % 3) for i, p in enumerate(people)]

    columns, result = matched_columns(
        data.submitted, data.people, Table.from_records("enrollments", terms)
    )
    cohort, _ = matched_cohort(data.submitted.to_records(), people, terms)

    assert columns.orphans == 0
    linked = sorted(
        zip(
            columns.enrollments.text("requester_id").tolist(),
            columns.enrollments.values("begin_date"),
            strict=True,
        )
    )
    assert sorted((e.requester_id, e.begin_date) for e in cohort.enrollments) == linked
    assert int(result.matched.sum()) == len({e.requester_id for e in cohort.enrollments})


def test_person_matched_twice_gives_each_a_copy() -> None:
    """Two submitted rows of the same person both get the person's records."""
    people = [Student("P1", first_name="Ada", last_name="Quartermaine", birth_date=BORN)]
    sent = [
        Student("S1", first_name="Ada", last_name="Quartermaine", birth_date=BORN),
        Student("S2", first_name="ADA", last_name="QUARTERMAINE", birth_date=BORN),
    ]

    cohort, _ = matched_cohort(sent, people, [_term("P1", 2021)])

    assert ["S1", "S2"] == sorted(e.requester_id for e in cohort.enrollments)


def test_match_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``edoutcomes match`` writes one row per submitted student and prints the file statuses."""
    data = synthetic_matching(200, 80, seed=2)
    submitted, people, out = tmp_path / "s.csv", tmp_path / "p.csv", tmp_path / "m.csv"
    write_table(data.submitted, submitted)
    write_table(data.people, people)

    code = main(
        ["match", "--submitted", str(submitted), "--people", str(people), "--out", str(out)]
    )

    assert 0 == code
    with out.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert data.submitted.text("requester_id").tolist() == [r["requester_id"] for r in rows]
    printed = capsys.readouterr().out
    assert "80 rows read" in printed
    assert "matched" in printed
    truth = dict(
        zip(data.submitted.text("requester_id").tolist(), data.true_person_ids(), strict=True)
    )
    wrong = [r for r in rows if r["person_id"] and r["person_id"] != truth[r["requester_id"]]]
    assert [] == wrong
    assert np.all([r["reason"] == "" for r in rows if r["person_id"]])


def test_match_command_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing input file is a one-line user error (exit 2)."""
    code = main(
        [
            "match",
            "--submitted",
            str(tmp_path / "nope.csv"),
            "--people",
            str(tmp_path / "p.csv"),
            "--out",
            str(tmp_path / "m.csv"),
        ]
    )

    assert 2 == code
    assert 1 == len(capsys.readouterr().err.strip().splitlines())


def test_no_response_is_unmatched_plus_matched_without_records_after_s() -> None:
    """The control report's "no response" count is the unmatched students plus the matched
    ones whose person has no record dated after the search date."""
    data = synthetic_matching(400, 150, seed=8)
    people = data.people.to_records()
    search = dt.date(2021, 1, 1)
    # A term before S for everyone, a term after S for a third, a degree after S for a seventh.
    terms = [_term(p.requester_id, 2019) for p in people]
    terms += [_term(p.requester_id, 2022) for p in people[::3]]
    awards = [DegreeRecord(p.requester_id, CODE, dt.date(2023, 5, 10)) for p in people[1::7]]
    after = {p.requester_id for p in people[::3]} | {p.requester_id for p in people[1::7]}

    cohort, result = matched_cohort(
        data.submitted.to_records(), people, terms, awards, institution=Institution("001817")
    )
    report = cohort_query(cohort, search_date=search, as_of=dt.date(2024, 9, 1)).control

    matched = result.matched_person_ids()
    unmatched = sum(1 for pid in matched if pid is None)
    matched_without = sum(1 for pid in matched if pid is not None and pid not in after)
    assert 0 < unmatched
    assert 0 < matched_without
    assert unmatched + matched_without == report.no_response


GRADUATED = dt.date(2021, 6, 4)


def _graduate(rid: str, first: str, last: str, born: dt.date) -> Student:
    return Student(rid, first_name=first, last_name=last, birth_date=born, hs_grad_date=GRADUATED)


class TestMatcherFinder:
    BORN = dt.date(2003, 4, 11)

    def outcomes(self) -> object:
        # Twins (same last name and birth date), and a crowd of classmates around them.
        data = synthetic_matching(300, 0, seed=9)
        crowd = [
            Student(p.requester_id, first_name=p.first_name, last_name=p.last_name,
                    birth_date=p.birth_date, hs_grad_date=GRADUATED)
            for p in data.people.to_records()
        ]  # fmt: skip
        twins = [
            _graduate("T1", "Annika", "Lindqvist", self.BORN),
            _graduate("T2", "Birgitta", "Lindqvist", self.BORN),
        ]
        terms = [_term("T1", 2021), _term("T2", 2022)]
        cohort = Cohort([*twins, *crowd], terms)
        return high_school_outcomes(cohort, as_of=dt.date(2024, 1, 1))

    def test_misspelled_name_and_swapped_birth_date(self) -> None:
        """A misspelled first name with day and month swapped finds the student (not the twin)."""
        outcomes = self.outcomes()

        found = outcomes.search(  # type: ignore[attr-defined]
            first_name="Anika",
            last_name="Lindquist",
            birth_date=dt.date(2003, 11, 4),
            finder=MatcherFinder(),
        )

        assert found is not None
        assert "T1" == found.requester_id

    def test_twins_not_confused(self) -> None:
        """Each twin's name finds that twin; a third name under the twins' last name and birth
        date (a sibling not in the file) finds no one, with or without swapped day and month."""
        outcomes = self.outcomes()

        def find(first: str, born: dt.date) -> str | None:
            found = outcomes.search(  # type: ignore[attr-defined]
                first_name=first, last_name="Lindqvist", birth_date=born, finder=MatcherFinder()
            )
            return None if found is None else str(found.requester_id)

        swapped = dt.date(2003, 11, 4)
        assert ["T1", "T2", None, None] == [
            find("Annika", self.BORN),
            find("Birgitta", self.BORN),
            find("Cecilia", self.BORN),
            find("Cecilia", swapped),
        ]
