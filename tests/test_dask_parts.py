"""
edoutcomes.dask's ``out=``: the student-level outputs written in parallel, as parts whose
concatenation is the one-process file (CSV: the first part, then the others without their
header line; Parquet: the parts' tables one after the other).

Dask's synchronous scheduler here (no cluster): what is tested is the cut into ranges of
students and the parts; ``tests/test_dask.py`` runs the same on a two-worker LocalCluster.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.dask
dask = pytest.importorskip("dask", reason="needs the dask extra")
pytest.importorskip("dask.dataframe", reason="needs the dask extra")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from edoutcomes import dask as eddask  # noqa: E402  # after the skips: needs dask
from edoutcomes.errors import InvalidArgumentError  # noqa: E402
from edoutcomes.formats import write  # noqa: E402

# Each example writes a dataset and runs every part: a few examples, any partition count.
few = settings(max_examples=12, deadline=None)
formats = st.sampled_from(["csv", "parquet"])


def one_file(directory: Path) -> bytes:
    """The CSV parts joined: the first whole, the others without their header line."""
    parts = [p.read_bytes() for p in sorted(directory.iterdir())]
    return parts[0] + b"".join(part.split(b"\n", 1)[1] for part in parts[1:])


def one_table(directory: Path) -> Any:
    """The Parquet parts' tables one after the other (each part checked to have the same schema)."""
    tables = [pq.read_table(p) for p in sorted(directory.iterdir())]
    assert all(t.schema == tables[0].schema for t in tables)
    return pa.concat_tables(tables)


def assert_parts(directory: Path, format: str, report: Any, csv_format: str) -> None:
    """The parts in *directory* are *report*'s one-process file, cell for cell."""
    names = sorted(p.name for p in directory.iterdir())
    assert names == [f"part-{i:05d}.{format}" for i in range(len(names))]
    if format == "csv":
        expected = io.BytesIO()
        write(report, expected, csv_format)
        assert expected.getvalue() == one_file(directory)
    else:
        table = report.to_arrow() if hasattr(report, "to_arrow") else report
        actual = one_table(directory)
        assert table.schema.remove_metadata() == actual.schema.remove_metadata()
        assert table.to_pylist() == actual.to_pylist()


def plain(table: Any) -> Any:
    """Dictionary columns decoded, as a user's table would hold them."""
    return pa.table(
        {
            name: col.cast(col.type.value_type) if pa.types.is_dictionary(col.type) else col
            for name, col in zip(table.column_names, table.columns, strict=True)
        }
    )


@pytest.fixture(autouse=True)
def synchronous() -> Any:
    with dask.config.set(scheduler="synchronous"):
        yield


class TestCohortDetail:
    @few
    @given(st.integers(1, 16), st.integers(0, 2**16), formats)
    def test_parts_are_the_file(self, n_buckets: int, seed: int, format: str) -> None:
        """
        For any number of partitions, the detail report's parts are the one-process
        detail file (nsc-detail, or its Arrow table), and the counts are unchanged.
        """
        from edoutcomes.cohort import cohort_query
        from edoutcomes.synth import synthetic_cohort

        synthetic = synthetic_cohort(40, seed=seed)
        c = synthetic.columns
        args = {"search_date": synthetic.search_date, "institution": synthetic.institution,
                "as_of": synthetic.as_of}  # fmt: skip
        expected = cohort_query(c, **args)
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            tables = [plain(t.to_arrow()) for t in (c.students, c.enrollments, c.degrees)]
            eddask.write_partitioned(root / "data", *tables, n_buckets=n_buckets)

            actual = eddask.cohort_query(root / "data", out=root / "out", format=format, **args)

            assert (expected.control, expected.tables) == (actual.control, actual.tables)
            assert expected.findings == actual.findings
            assert actual.detail is None
            assert_parts(root / "out" / "detail", format, expected.detail, "nsc-detail")

    @pytest.mark.parametrize("n_buckets", [1, 7])
    def test_orphan_records_counted_once(self, n_buckets: int, tmp_path: Path) -> None:
        """
        Records of no submitted student (some in a bucket without students) are counted
        once, as in one process, and the detail parts are still the file.
        """
        from edoutcomes.cohort import cohort_query
        from edoutcomes.model import CohortColumns
        from edoutcomes.synth import synthetic_cohort

        synthetic = synthetic_cohort(12, seed=4)
        c = synthetic.columns
        enrollments = plain(c.enrollments.to_arrow())
        ids = enrollments.column("requester_id").to_pylist()
        orphaned = [f"NOBODY{i}" if i % 3 == 0 else v for i, v in enumerate(ids)]
        at = enrollments.column_names.index("requester_id")
        enrollments = enrollments.set_column(at, "requester_id", pa.array(orphaned))
        students, degrees = plain(c.students.to_arrow()), plain(c.degrees.to_arrow())
        columns = CohortColumns.from_arrow(students, enrollments, degrees)
        args = {"search_date": synthetic.search_date, "institution": synthetic.institution,
                "as_of": synthetic.as_of}  # fmt: skip
        expected = cohort_query(columns, **args)
        eddask.write_partitioned(
            tmp_path / "data", students, enrollments, degrees, n_buckets=n_buckets
        )

        actual = eddask.cohort_query(tmp_path / "data", out=tmp_path / "out", format="csv", **args)

        assert any("no submitted student" in f.message for f in expected.findings)
        assert expected.findings == actual.findings
        assert (expected.control, expected.tables) == (actual.control, actual.tables)
        assert_parts(tmp_path / "out" / "detail", "csv", expected.detail, "nsc-detail")


class TestOntrackExplanations:
    @few
    @given(st.integers(1, 16), st.integers(0, 2**16), formats)
    def test_parts_are_the_file(self, n_buckets: int, seed: int, format: str) -> None:
        """The explanations' parts are the one-process explanations file, for any partitions."""
        from edoutcomes.ontrack import eligibility
        from edoutcomes.synth import synthetic_k12

        data = synthetic_k12(40, seed=seed)
        expected = eligibility(data, "2023-24", as_of=dt.date(2024, 6, 20))
        names = ("enrollments", "participations", "marks", "ontrack_records", "addresses")
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            eddask.write_partitioned(
                root / "data",
                plain(data.students.to_arrow()),
                key="student_id",
                n_buckets=n_buckets,
                **{name: plain(getattr(data, name).to_arrow()) for name in names},
            )

            actual = eddask.ontrack_eligibility(
                root / "data", "2023-24", as_of=expected.as_of, out=root / "out", format=format
            )

            assert (len(expected), expected.counts()) == (actual.n_students, actual.counts)
            assert actual.explanations is None
            assert_parts(
                root / "out" / "explanations",
                format,
                expected.explanations(),
                "oregon-ontrack-explanations",
            )


class TestHighSchoolArr:
    @few
    @given(st.integers(1, 16), st.integers(0, 2**16), formats)
    def test_parts_are_the_file(self, n_buckets: int, seed: int, format: str) -> None:
        """
        The ARR's parts are the one-process arr.csv (or its Arrow table), with its columns:
        a demographic no student has is left out of every part, one some student has is in all.
        """
        from edoutcomes.highschool import high_school_outcomes
        from edoutcomes.synth import synthetic_high_schools

        data = synthetic_high_schools(30, class_years=(2019, 2020), seed=seed)
        c = data.columns
        expected = high_school_outcomes(c, as_of=data.as_of)
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            tables = [plain(t.to_arrow()) for t in (c.students, c.enrollments, c.degrees)]
            eddask.write_partitioned(root / "data", *tables, n_buckets=n_buckets)

            actual = eddask.high_school_outcomes(
                root / "data", as_of=data.as_of, out=root / "out", format=format
            )

            mine = expected.reports()
            assert [list(r.rows()) for r in mine] == [list(r.rows()) for r in actual.reports]
            assert actual.arr is None
            assert_parts(root / "out" / "arr", format, expected.arr(), "csv")


class TestReadinessTables:
    @few
    @given(st.integers(1, 16), st.integers(0, 2**16), formats)
    def test_parts_are_the_files(self, n_buckets: int, seed: int, format: str) -> None:
        """Both per-student tables' parts are the one-process readiness.csv and calgrant_gpa.csv."""
        from edoutcomes.readiness import calgrant_table, evaluate, indicators, readiness_table
        from edoutcomes.synth import synthetic_readiness

        as_of = dt.date(2025, 7, 15)
        data = synthetic_readiness(30, seed=seed, as_of=as_of)
        expected = evaluate(data, as_of)
        tables = {name: plain(getattr(data, name).to_arrow()) for name in eddask.READINESS_TABLES}
        records = {name: t for name, t in tables.items() if name != "students"}
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            eddask.write_partitioned(
                root / "data", tables["students"], key="student_id", n_buckets=n_buckets, **records
            )

            actual = eddask.readiness(
                root / "data",
                as_of=as_of,
                course_list=plain(data.course_list.to_arrow()),
                out=root / "out",
                format=format,
            )

            assert len(expected) == actual.n_students
            assert list(indicators(expected).rows()) == list(actual.indicators.rows())
            assert (actual.table, actual.calgrant) == (None, None)
            assert_parts(root / "out" / "readiness", format, readiness_table(expected), "csv")
            assert_parts(root / "out" / "calgrant_gpa", format, calgrant_table(expected), "csv")


class TestArguments:
    def test_refuses_a_format_and_old_parts(self, tmp_path: Path) -> None:
        """An unknown format, or a directory that already holds parts, is refused before any work."""
        from edoutcomes.synth import synthetic_cohort

        synthetic = synthetic_cohort(5, seed=1)
        c = synthetic.columns
        eddask.write_partitioned(tmp_path / "data", plain(c.students.to_arrow()), n_buckets=2)
        args = {"search_date": synthetic.search_date, "institution": synthetic.institution,
                "as_of": synthetic.as_of}  # fmt: skip
        with pytest.raises(InvalidArgumentError, match="json"):
            eddask.cohort_query(tmp_path / "data", out=tmp_path / "out", format="json", **args)
        (tmp_path / "out" / "detail").mkdir(parents=True)
        (tmp_path / "out" / "detail" / "part-00000.csv").write_bytes(b"")
        with pytest.raises(InvalidArgumentError, match="already holds parts"):
            eddask.cohort_query(tmp_path / "data", out=tmp_path / "out", format="csv", **args)
