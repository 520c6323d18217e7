"""The synthetic cohort generator (``edoutcomes.synth``) and the ``demo`` command."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from strategies import synth_seeds, synth_sizes

from edoutcomes.cli import main
from edoutcomes.errors import InvalidArgumentError
from edoutcomes.formats import read_cohort
from edoutcomes.model import (
    DEGREE_TITLES,
    MISSING_DAY,
    ClassLevel,
    CohortColumns,
    CollegeCode,
    CollegeType,
    DegreeKind,
    EnrollmentStatus,
    FerpaBlock,
    Table,
)
from edoutcomes.synth import CohortShape, SyntheticCohort, synthetic_cohort
from edoutcomes.synth._arrays import digit_strings
from edoutcomes.synth._postsecondary import _Chunks

SEARCH = dt.date(2016, 9, 15)


@pytest.fixture(scope="module")
def cohort() -> SyntheticCohort:
    """A cohort big enough for the rare cases (edges, blocks, unknown titles) to show up."""
    return synthetic_cohort(4000, seed=11)


def _day(day: dt.date) -> int:
    return int(np.datetime64(day, "D").astype(np.int64))


def _tables(columns: CohortColumns) -> tuple[Table, Table, Table]:
    return columns.students, columns.enrollments, columns.degrees


def _kinds(degrees: Table) -> list[DegreeKind]:
    titles = degrees.values("degree_title")
    types = degrees.values("college_type")
    return [DEGREE_TITLES.kind(t, c) for t, c in zip(titles, types, strict=True)]


class TestDeterminism:
    def test_same_seed_same_arrays(self) -> None:
        """Two runs with one seed give identical arrays and categories, column by column."""
        first = synthetic_cohort(300, seed=5).columns
        second = synthetic_cohort(300, seed=5).columns

        for a, b in zip(_tables(first), _tables(second), strict=True):
            assert a.names == b.names
            for name in a.names:
                np.testing.assert_array_equal(a.data[name], b.data[name])
            for name, categories in a.categories.items():
                assert categories.tolist() == b.categories[name].tolist()
        np.testing.assert_array_equal(first.enrollment_student, second.enrollment_student)
        np.testing.assert_array_equal(first.degree_student, second.degree_student)

    def test_other_seed_other_cohort(self) -> None:
        """A different seed gives different records."""
        first = synthetic_cohort(300, seed=5).columns.enrollments
        second = synthetic_cohort(300, seed=6).columns.enrollments

        assert not first.equals(second)


class TestShape:
    def test_sizes(self, cohort: SyntheticCohort) -> None:
        """One student row per submitted student; several terms and some degrees per student."""
        columns = cohort.columns

        assert 4000 == columns.n_students
        assert 7.0 < columns.enrollments.n_rows / 4000 < 11.0
        assert 0.4 < columns.degrees.n_rows / 4000 < 1.0

    def test_requester_ids_unique(self, cohort: SyntheticCohort) -> None:
        """Requester ids are distinct, non-blank strings."""
        ids = cohort.columns.students.values("requester_id")

        assert len(ids) == len(set(ids))
        assert all(isinstance(i, str) and i.strip() for i in ids)

    def test_every_record_belongs_to_a_student(self, cohort: SyntheticCohort) -> None:
        """Each record's requester_id is a submitted student's, and the row links agree with it."""
        columns = cohort.columns
        ids = np.array(columns.students.values("requester_id"), dtype=object)

        for table, links in (
            (columns.enrollments, columns.enrollment_student),
            (columns.degrees, columns.degree_student),
        ):
            assert 0 == columns.orphans
            assert (links >= 0).all()
            assert ids[links].tolist() == table.values("requester_id")
        relinked = CohortColumns.from_tables(columns.students, columns.enrollments, columns.degrees)
        np.testing.assert_array_equal(relinked.enrollment_student, columns.enrollment_student)
        np.testing.assert_array_equal(relinked.degree_student, columns.degree_student)

    def test_records_grouped_by_student(self, cohort: SyntheticCohort) -> None:
        """Records come student by student, as a returned file lists them."""
        assert (np.diff(cohort.columns.enrollment_student) >= 0).all()
        assert (np.diff(cohort.columns.degree_student) >= 0).all()

    def test_not_found_share(self, cohort: SyntheticCohort) -> None:
        """About 5-15% of students have no record at all."""
        columns = cohort.columns
        found = np.zeros(columns.n_students, dtype=bool)
        found[columns.enrollment_student] = True
        found[columns.degree_student] = True

        assert 0.05 < 1 - found.mean() < 0.15

    def test_some_only_before_search_date(self, cohort: SyntheticCohort) -> None:
        """Some students are found, but with records only on or before the search date."""
        columns = cohort.columns
        search = _day(cohort.search_date)
        any_record = np.zeros(columns.n_students, dtype=bool)
        any_record[columns.enrollment_student] = True
        after = np.zeros(columns.n_students, dtype=bool)
        after[columns.enrollment_student[columns.enrollments.data["end_date"] > search]] = True
        after[columns.degree_student[columns.degrees.data["award_date"] > search]] = True

        assert (any_record & ~after).sum() > 0

    def test_students_look_real(self, cohort: SyntheticCohort) -> None:
        """Names, ages (mostly 17-20 at the search date), some SSNs, suffixes and Y/N attributes."""
        students = cohort.columns.students
        birth = students.values("birth_date")
        ages = np.array([relativedelta(SEARCH, b).years for b in birth])
        ssns = [s for s in students.values("ssn") if s is not None]

        assert all(students.values("first_name"))
        assert all(students.values("last_name"))
        assert 0.85 < np.isin(ages, [17, 18, 19, 20]).mean() < 1.0
        assert 0.2 < len(ssns) / len(birth) < 0.6
        assert all(len(s) == 9 and s.isdigit() and s[0] == "9" for s in ssns)
        assert any(students.values("name_suffix"))
        assert ("pell", "first_generation") == tuple(c.name for c in students.extras)
        assert {True, False} <= set(students.values("pell"))


class TestCodes:
    def test_end_not_before_begin(self, cohort: SyntheticCohort) -> None:
        """Every term ends on or after the day it begins; no date is missing."""
        enrollments = cohort.columns.enrollments
        begin, end = enrollments.data["begin_date"], enrollments.data["end_date"]

        assert (end >= begin).all()
        assert (begin != MISSING_DAY).all()
        assert (cohort.columns.degrees.data["award_date"] != MISSING_DAY).all()

    def test_nothing_after_as_of(self, cohort: SyntheticCohort) -> None:
        """No term begins, and no degree is awarded, after the as-of date."""
        as_of = _day(cohort.as_of)

        assert (cohort.columns.enrollments.data["begin_date"] <= as_of).all()
        assert (cohort.columns.degrees.data["award_date"] <= as_of).all()

    def test_codes_valid(self, cohort: SyntheticCohort) -> None:
        """College codes, types, statuses, class levels, CIPs and blocks are all known codes."""
        enrollments = cohort.columns.enrollments
        known_types = {CollegeType.FOUR_YEAR, CollegeType.TWO_YEAR, CollegeType.LESS_THAN_TWO_YEAR}

        assert set(enrollments.values("college_type")) == known_types
        assert EnrollmentStatus.UNKNOWN not in set(enrollments.values("enrollment_status"))
        assert ClassLevel.UNKNOWN not in set(enrollments.values("class_level"))
        assert FerpaBlock.UNKNOWN not in set(enrollments.values("ferpa_block"))
        assert all(isinstance(c, CollegeCode) for c in enrollments.values("college_code"))
        assert all(len(str(c)) == 7 for c in enrollments.values("cip_1") if c is not None)

    def test_statuses_present(self, cohort: SyntheticCohort) -> None:
        """Every status shows up, full-time the most common, blank (withheld) included."""
        counts = np.bincount(
            cohort.columns.enrollments.data["enrollment_status"], minlength=len(EnrollmentStatus)
        )
        present = {s for s, c in zip(EnrollmentStatus, counts, strict=True) if c}

        assert set(EnrollmentStatus) - {EnrollmentStatus.UNKNOWN} == present
        assert tuple(EnrollmentStatus).index(EnrollmentStatus.FULL_TIME) == counts.argmax()

    def test_submitting_institution_and_branches(self, cohort: SyntheticCohort) -> None:
        """The submitting institution is among the colleges, with a few branches, and attended."""
        codes = {str(c) for c in cohort.columns.enrollments.values("college_code")}

        assert ("001817",) == cohort.institution.codes
        assert {"001817-00", "001817-01", "001817-02"} <= codes

    def test_college_attributes_follow_the_code(self, cohort: SyntheticCohort) -> None:
        """One college code has one name, state, type and control in every record."""
        enrollments = cohort.columns.enrollments
        rows = list(
            zip(
                enrollments.data["college_code"].tolist(),
                enrollments.data["college_name"].tolist(),
                enrollments.data["college_state"].tolist(),
                enrollments.data["college_type"].tolist(),
                enrollments.data["college_control"].tolist(),
                strict=True,
            )
        )

        assert len({r[0] for r in rows}) == len(set(rows))


class TestDegrees:
    def test_every_kind_present(self, cohort: SyntheticCohort) -> None:
        """4-year, 2-year, certificate and unknown degrees all appear, by the degree-title table."""
        assert set(DegreeKind) == set(_kinds(cohort.columns.degrees))

    def test_real_looking_titles(self, cohort: SyntheticCohort) -> None:
        """Full, abbreviated, truncated and blank titles all appear."""
        titles = set(cohort.columns.degrees.values("degree_title"))

        assert {"BACHELOR OF SCIENCE", "BA", "ASSOCIATE OF ARTS", "AAS", "CERTIFICAT"} <= titles
        assert None in titles
        assert any(t and t.startswith("MASTER") for t in titles)
        assert "DIPLOMA" in titles

    def test_two_year_graduates_go_on(self, cohort: SyntheticCohort) -> None:
        """Some students with a 2-year degree enroll at a 4-year college afterwards."""
        columns = cohort.columns
        kinds = np.array(_kinds(columns.degrees))
        two_year = kinds == DegreeKind.TWO_YEAR
        first_two_year = np.full(columns.n_students, np.iinfo(np.int32).max)
        np.minimum.at(
            first_two_year,
            columns.degree_student[two_year],
            columns.degrees.data["award_date"][two_year],
        )
        four = columns.enrollments.data["college_type"] == tuple(CollegeType).index(
            CollegeType.FOUR_YEAR
        )
        later = columns.enrollments.data["begin_date"] > first_two_year[columns.enrollment_student]

        assert len(np.unique(columns.enrollment_student[four & later])) > 10


class TestFerpa:
    def test_both_blocks_present(self, cohort: SyntheticCohort) -> None:
        """Some records are blocked by the student, some by the school; most are not blocked."""
        blocks = cohort.columns.enrollments.values("ferpa_block")

        assert {FerpaBlock.NONE, FerpaBlock.STUDENT, FerpaBlock.SCHOOL} == set(blocks)
        assert blocks.count(FerpaBlock.NONE) > 0.95 * len(blocks)

    def test_block_covers_a_student_at_a_school(self, cohort: SyntheticCohort) -> None:
        """A block covers all of one student's records (terms and degrees) at one school."""
        columns = cohort.columns
        seen: dict[tuple[int, int], set[int]] = {}
        for links, table in (
            (columns.enrollment_student, columns.enrollments),
            (columns.degree_student, columns.degrees),
        ):
            for pair in zip(
                links.tolist(),
                table.data["college_code"].tolist(),
                table.data["ferpa_block"].tolist(),
                strict=True,
            ):
                seen.setdefault(pair[:2], set()).add(pair[2])

        assert all(len(blocks) == 1 for blocks in seen.values())


class TestEdges:
    def test_terms_end_on_search_date_and_anniversaries(self, cohort: SyntheticCohort) -> None:
        """Some terms end exactly on the search date, some on a later anniversary."""
        end = cohort.columns.enrollments.data["end_date"]
        later = [_day(SEARCH + relativedelta(years=k)) for k in range(1, 6)]

        assert (end == _day(SEARCH)).any()
        assert np.isin(end, later).any()

    def test_feb_29_dates(self, cohort: SyntheticCohort) -> None:
        """Feb 29 appears among term end dates and award dates."""
        leap_days = [_day(dt.date(year, 2, 29)) for year in (2016, 2020, 2024)]

        assert np.isin(cohort.columns.enrollments.data["end_date"], leap_days).any()
        assert np.isin(cohort.columns.degrees.data["award_date"], leap_days).any()

    def test_search_date_on_feb_29(self) -> None:
        """A search date of Feb 29 works; anniversaries fall on Feb 28 in common years."""
        cohort = synthetic_cohort(200, seed=3, search_date=dt.date(2016, 2, 29))

        assert dt.date(2022, 2, 28) == cohort.as_of
        assert (cohort.columns.enrollments.data["begin_date"] <= _day(cohort.as_of)).all()


class TestInvariants:
    @given(synth_seeds, synth_sizes)
    def test_any_seed_and_size(self, seed: int, n: int) -> None:
        """For any seed and size: ids unique, links valid, terms well-formed, grouped by student."""
        columns = synthetic_cohort(n, seed=seed, n_colleges=12).columns
        enrollments = columns.enrollments

        assert n == columns.n_students
        assert n == len(set(columns.students.values("requester_id")))
        assert ((columns.enrollment_student >= 0) & (columns.enrollment_student < n)).all()
        assert ((columns.degree_student >= 0) & (columns.degree_student < n)).all()
        assert (enrollments.data["end_date"] >= enrollments.data["begin_date"]).all()
        assert (np.diff(columns.enrollment_student) >= 0).all()

    @given(synth_seeds)
    def test_to_cohort_matches_columns(self, seed: int) -> None:
        """The per-record cohort encodes back to the same columnar values."""
        synthetic = synthetic_cohort(15, seed=seed, n_colleges=12)
        cohort = synthetic.to_cohort()
        again = cohort.columns()

        for a, b in zip(_tables(synthetic.columns), _tables(again), strict=True):
            # Extras are compared by name: re-encoding orders them by first non-missing value.
            assert sorted(a.names) == sorted(b.names)
            assert all(a.values(name) == b.values(name) for name in a.names)
        assert synthetic.institution == cohort.institution

    @given(synth_seeds, synth_sizes)
    def test_chunks_match_a_plain_grouping(self, seed: int, n: int) -> None:
        """The counting-sort layout equals grouping the rows student by student in arrival order."""
        rng = np.random.default_rng(seed)
        chunks = _Chunks({"student": np.int32, "value": np.int64})
        arrived: list[tuple[int, int]] = []
        for step in range(5):
            students = np.flatnonzero(rng.random(n) < 0.5).astype(np.int32)
            values = step * 1000 + students.astype(np.int64)
            chunks.add(student=students, value=values)
            arrived += zip(students.tolist(), values.tolist(), strict=True)

        out, counts = chunks.finish(n)
        expected = sorted(arrived, key=lambda row: row[0])  # stable: arrival order kept

        assert expected == list(zip(out["student"].tolist(), out["value"].tolist(), strict=True))
        assert [sum(1 for s, _ in arrived if s == i) for i in range(n)] == counts.tolist()

    @given(synth_seeds)
    def test_digit_strings(self, seed: int) -> None:
        """Vectorised zero-padded strings equal Python's own formatting."""
        numbers = np.random.default_rng(seed).integers(0, 10**8, 20, dtype=np.int64)

        assert [f"X{x:08d}" for x in numbers.tolist()] == digit_strings(numbers, 8, "X").tolist()


class TestArguments:
    def test_everyone_not_found(self) -> None:
        """With not_found=1 no student has a record."""
        columns = synthetic_cohort(50, shape=CohortShape(not_found=1.0)).columns

        assert (0, 0) == (columns.enrollments.n_rows, columns.degrees.n_rows)

    def test_as_of_limits_the_years(self) -> None:
        """An earlier as-of date gives fewer terms."""
        short = synthetic_cohort(200, as_of=dt.date(2018, 1, 1)).columns.enrollments.n_rows
        full = synthetic_cohort(200).columns.enrollments.n_rows

        assert short < full

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"n_students": 0},
            {"as_of": dt.date(2015, 1, 1)},
            {"search_date": dt.datetime(2016, 9, 15, 0, 0)},  # noqa: DTZ001 (a naive datetime is the point)
            {"n_colleges": 5},
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, Any]) -> None:
        """Bad counts and dates are refused with InvalidArgumentError."""
        with pytest.raises(InvalidArgumentError):
            synthetic_cohort(**kwargs)

    def test_rates_validated(self) -> None:
        """A share outside 0..1 is refused."""
        with pytest.raises(ValueError, match="not_found"):
            CohortShape(not_found=1.5)

    def test_write_and_read_back(self, tmp_path: Path) -> None:
        """write() puts the three canonical tables in a folder; reading them gives the same values."""
        synthetic = synthetic_cohort(40, seed=2)
        paths = synthetic.write(tmp_path)

        read = read_cohort(*paths)

        assert ["students.csv", "enrollments.csv", "degrees.csv"] == [p.name for p in paths]
        for a, b in zip(_tables(synthetic.columns), _tables(read.columns), strict=True):
            assert sorted(a.names) == sorted(b.names)
            assert all(a.values(name) == b.values(name) for name in a.names)


class TestDemo:
    def test_demo_runs_without_personal_data(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """The demo exits 0 and prints counts, never a student's name or id."""
        code = main(["demo", "--students", "200", "--out", str(tmp_path)])
        out = capsys.readouterr().out
        students = synthetic_cohort(200, seed=2024).columns.students
        personal = {
            *students.values("first_name"),
            *students.values("middle_name"),
            *students.values("last_name"),
            *students.values("requester_id"),
            *students.values("unique_id"),
        }
        # Single letters (middle initials) are also status codes, which the demo does print.
        personal = {p for p in personal if p is not None and len(p) > 1}
        words = set(out.replace(",", " ").replace("(", " ").replace(")", " ").split())

        assert 0 == code
        assert "200" in out
        assert {"Students", "Degrees", "FERPA"} <= words
        assert set() == words & personal

    def test_demo_is_deterministic(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """The same seed prints the same summary (all but the time it took) and the same files."""
        demo = ["demo", "--students", "100", "--seed", "4", "--out", str(tmp_path), "--force"]
        main(demo)
        first = capsys.readouterr().out
        files = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
        main(demo)
        second = capsys.readouterr().out

        def untimed(out: str) -> list[str]:
            return [line for line in out.splitlines() if not line.startswith("done in ")]

        assert untimed(first) == untimed(second)
        assert len(first.splitlines()) == len(untimed(first)) + 1
        assert files == {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}


class TestEveryDataSetWrites:
    def test_every_synthetic_class_has_write(self) -> None:
        """Every Synthetic* data set of edoutcomes.synth writes its tables with .write(dir)."""
        import edoutcomes.synth as synth

        classes = [getattr(synth, name) for name in synth.__all__ if name.startswith("Synthetic")]

        assert 3 <= len(classes)
        assert [] == [c.__name__ for c in classes if not callable(getattr(c, "write", None))]

    def test_high_schools_write_and_read_back(self, tmp_path: Path) -> None:
        """The graduates, their high schools and Y/N elements, and their records read back equal."""
        from edoutcomes.synth import synthetic_high_schools

        synthetic = synthetic_high_schools(30, class_years=(2019, 2020), seed=2)
        paths = synthetic.write(tmp_path)

        read = read_cohort(*paths)

        assert ["students.csv", "enrollments.csv", "degrees.csv"] == [p.name for p in paths]
        assert "hs_grad_date" in synthetic.columns.students.names
        for a, b in zip(_tables(synthetic.columns), _tables(read.columns), strict=True):
            assert sorted(a.names) == sorted(b.names)
            assert all(a.values(name) == b.values(name) for name in a.names)

    @pytest.mark.parametrize("format", ["csv", "parquet"])
    def test_matching_write_and_read_back(self, tmp_path: Path, format: str) -> None:
        """The person store and the submitted file are written as students tables that read back equal."""
        from edoutcomes.formats import read_table
        from edoutcomes.synth import synthetic_matching

        synthetic = synthetic_matching(40, 25, seed=3)
        paths = synthetic.write(tmp_path, format=format)

        people, submitted = (read_table(p, "students").table for p in paths)

        assert [f"people.{format}", f"submitted.{format}"] == [p.name for p in paths]
        for a, b in ((synthetic.people, people), (synthetic.submitted, submitted)):
            assert sorted(a.names) == sorted(b.names)
            assert all(a.values(name) == b.values(name) for name in a.names)

    def test_matching_write_refuses_unknown_format(self, tmp_path: Path) -> None:
        """A format other than csv or parquet is refused before anything is written."""
        from edoutcomes.synth import synthetic_matching

        with pytest.raises(InvalidArgumentError, match="xlsx"):
            synthetic_matching(10, 5, seed=1).write(tmp_path, format="xlsx")

        assert [] == list(tmp_path.iterdir())


class TestK12DataSetsWrite:
    @pytest.mark.parametrize("format", ["csv", "parquet"])
    def test_k12_write_and_read_back(self, tmp_path: Path, format: str) -> None:
        """The K-12 tables (on-track and readiness data) are written one file each and read back equal."""
        from edoutcomes.formats import read_table
        from edoutcomes.synth import synthetic_k12, synthetic_readiness

        for data in (synthetic_k12(30, seed=4), synthetic_readiness(15, seed=5)):
            folder = tmp_path / str(id(data))
            paths = data.write(folder, format=format)
            tables = data.tables()

            assert [f"{name}.{format}" for name in tables] == [p.name for p in paths]
            for path, table in zip(paths, tables.values(), strict=True):
                back = read_table(path, table.schema).table  # type: ignore[arg-type]
                assert table.n_rows == back.n_rows
                for name in table.names:
                    assert table.values(name) == back.values(name), (path.name, name)

    def test_k12_write_refuses_an_unknown_format(self, tmp_path: Path) -> None:
        from edoutcomes.synth import synthetic_k12

        with pytest.raises(InvalidArgumentError, match="format="):
            synthetic_k12(5, seed=1).write(tmp_path, format="xlsx")
