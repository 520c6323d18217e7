"""
edoutcomes.dask on a two-worker LocalCluster: the same results as one process.

Run serially (``.ci/run`` step ``dask_tests``: ``pytest -m dask -p no:xdist`` in a venv with
the ``dask`` extra): a cluster per xdist worker would fight for the two cores.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from edoutcomes.cohort import cohort_query, cohort_query_by
from edoutcomes.synth import synthetic_cohort

pytestmark = [
    pytest.mark.dask,
    pytest.mark.skipif(
        "PYTEST_XDIST_WORKER" in os.environ,
        reason="a cluster test runs serially: pytest -m dask -p no:xdist (.ci/run dask_tests)",
    ),
]
distributed = pytest.importorskip("distributed", reason="needs the dask extra")
dd = pytest.importorskip("dask.dataframe", reason="needs the dask extra")
pa = pytest.importorskip("pyarrow")

from edoutcomes import dask as eddask  # noqa: E402  # after the skips: needs dask


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                 dashboard_address=":0") as cluster,
        distributed.Client(cluster) as client,
    ):  # fmt: skip
        yield client


def _plain(table: Any) -> Any:
    """Dictionary columns decoded, as a user's dataframe would hold them."""
    return pa.table(
        {
            name: col.cast(col.type.value_type) if pa.types.is_dictionary(col.type) else col
            for name, col in zip(table.column_names, table.columns, strict=True)
        }
    )


@pytest.fixture(scope="module")
def cohort() -> Any:
    return synthetic_cohort(1500, seed=11)


def _expected(cohort: Any) -> Any:
    return cohort_query(
        cohort.columns,
        search_date=cohort.search_date,
        institution=cohort.institution,
        as_of=cohort.as_of,
    )


def _arguments(cohort: Any) -> dict[str, Any]:
    return {
        "search_date": cohort.search_date,
        "institution": cohort.institution,
        "as_of": cohort.as_of,
    }


def _tables(cohort: Any) -> list[Any]:
    c = cohort.columns
    return [_plain(t.to_arrow()) for t in (c.students, c.enrollments, c.degrees)]


def _assert_same(expected: Any, actual: Any) -> None:
    assert expected.control == actual.control
    assert expected.tables == actual.tables
    assert expected.findings == actual.findings
    assert expected.detail.to_arrow().to_pylist() == actual.detail.to_pylist()


class TestCohortQuery:
    def test_partitioned_parquet(self, client: Any, cohort: Any, tmp_path: Path) -> None:
        """From a dataset partitioned by student, read on the workers: equal to one process."""
        eddask.write_partitioned(tmp_path, *_tables(cohort), n_buckets=6)

        actual = eddask.cohort_query(tmp_path, by="pell", **_arguments(cohort))

        _assert_same(_expected(cohort), actual)
        expected_by = cohort_query_by(cohort.columns, "pell", **_arguments(cohort))
        assert list(expected_by) == list(actual.groups)
        for value, one in expected_by.items():
            _assert_same(one, actual.groups[value])
            assert one.success(5) == actual.groups[value].success(5)

    def test_unpartitioned_dataframes(self, client: Any, cohort: Any) -> None:
        """From dask dataframes in file order (shuffled by student): equal to one process."""
        names = ("students", "enrollments", "degrees")
        frames = {
            name: dd.from_pandas(table.to_pandas(), npartitions=3)
            for name, table in zip(names, _tables(cohort), strict=True)
        }

        actual = eddask.cohort_query(frames, n_buckets=5, **_arguments(cohort))

        _assert_same(_expected(cohort), actual)


class TestOntrack:
    TABLES = ("enrollments", "participations", "marks", "ontrack_records", "addresses")

    def test_partitioned_parquet_and_dataframes(self, client: Any, tmp_path: Path) -> None:
        """On-track eligibility from a dataset and from dask dataframes: equal to one process."""
        from edoutcomes.ontrack import eligibility
        from edoutcomes.synth import synthetic_k12

        data = synthetic_k12(400, seed=5)
        expected = eligibility(data, "2023-24", as_of=dt.date(2024, 6, 20))
        tables = {name: _plain(getattr(data, name).to_arrow()) for name in self.TABLES}
        students = _plain(data.students.to_arrow())
        eddask.write_partitioned(tmp_path, students, key="student_id", n_buckets=4, **tables)
        frames = {
            name: dd.from_pandas(table.to_pandas(), npartitions=2)
            for name, table in {"students": students, **tables}.items()
        }

        for source in (tmp_path, frames):
            actual = eddask.ontrack_eligibility(
                source, "2023-24", as_of=expected.as_of, n_buckets=3
            )

            assert (len(expected), expected.n_reported) == (actual.n_students, actual.n_reported)
            assert expected.counts() == actual.counts
            assert expected.explanations().to_arrow().to_pylist() == actual.explanations.to_pylist()


class TestHighSchool:
    def test_partitioned_parquet_and_dataframes(self, client: Any, tmp_path: Path) -> None:
        """
        High-school outcomes from a dataset and from dask dataframes: every report cell,
        the left-out report, top colleges, the findings and the ARR equal one process's.
        """
        import pandas as pd

        from edoutcomes.highschool import high_school_outcomes
        from edoutcomes.synth import synthetic_high_schools

        data = synthetic_high_schools(60, class_years=(2019, 2020, 2021), seed=4)
        expected = high_school_outcomes(data.columns, as_of=data.as_of)
        reports, arr = expected.reports(suppress_below=5), expected.arr()
        top = expected.top_colleges_report(suppress_below=5)
        tables = _tables(data)
        eddask.write_partitioned(tmp_path, *tables, n_buckets=4)
        names = ("students", "enrollments", "degrees")
        # Arrow dtypes: dask would turn an object column of True/False/None into text.
        frames = {
            name: dd.from_pandas(table.to_pandas(types_mapper=pd.ArrowDtype), npartitions=2)
            for name, table in zip(names, tables, strict=True)
        }

        for source in (tmp_path, frames):
            actual = eddask.high_school_outcomes(
                source, as_of=data.as_of, suppress_below=5, n_buckets=3
            )

            for mine, theirs in zip(reports, actual.reports, strict=True):
                assert list(mine.rows()) == list(theirs.rows())
            assert list(reports.left_out_report.rows()) == list(
                actual.reports.left_out_report.rows()
            )
            assert expected.findings == actual.findings
            assert list(top.rows()) == list(actual.top_colleges.rows())
            assert arr.to_arrow().equals(actual.arr.to_arrow())


class TestReadiness:
    def test_partitioned_parquet_and_dataframes(self, client: Any, tmp_path: Path) -> None:
        """
        Readiness from a dataset and from dask dataframes, the course list in every
        partition: tables, indicators (suppressed after the sum) and findings equal one process's.
        """
        import pandas as pd

        from edoutcomes.readiness import (
            calgrant_table,
            cleanup_findings,
            evaluate,
            indicators,
            readiness_table,
        )
        from edoutcomes.synth import synthetic_readiness

        as_of = dt.date(2025, 7, 15)
        data = synthetic_readiness(150, seed=2, as_of=as_of)
        expected = evaluate(data, as_of)
        want = list(indicators(expected, attributes=["gender"]).rows())
        tables = {name: _plain(getattr(data, name).to_arrow()) for name in eddask.READINESS_TABLES}
        records = {name: t for name, t in tables.items() if name != "students"}
        eddask.write_partitioned(
            tmp_path, tables["students"], key="student_id", n_buckets=4, **records
        )
        frames = {
            name: dd.from_pandas(table.to_pandas(types_mapper=pd.ArrowDtype), npartitions=2)
            for name, table in tables.items()
        }
        courses = _plain(data.course_list.to_arrow())

        for source in (tmp_path, frames):
            actual = eddask.readiness(
                source, as_of=as_of, course_list=courses, attributes=["gender"], n_buckets=3
            )

            assert readiness_table(expected).to_arrow().to_pylist() == actual.table.to_pylist()
            assert calgrant_table(expected).to_arrow().to_pylist() == actual.calgrant.to_pylist()
            assert want == list(actual.indicators.rows())
            assert cleanup_findings(expected).findings == actual.findings.findings


class TestParts:
    """``out=``: the student-level outputs written in parallel by the workers."""

    def test_cohort_detail_from_dataset_and_dataframes(
        self, client: Any, cohort: Any, tmp_path: Path
    ) -> None:
        """
        The detail report's CSV parts, from a dataset and from dask dataframes, are the
        one-process nsc-detail file (first part whole, the others after their header).
        """
        import io

        from edoutcomes.formats import write

        expected = _expected(cohort)
        single = io.BytesIO()
        write(expected.detail, single, "nsc-detail")
        eddask.write_partitioned(tmp_path / "data", *_tables(cohort), n_buckets=6)
        names = ("students", "enrollments", "degrees")
        frames = {
            name: dd.from_pandas(table.to_pandas(), npartitions=3)
            for name, table in zip(names, _tables(cohort), strict=True)
        }

        for i, source in enumerate((tmp_path / "data", frames)):
            out = tmp_path / f"out{i}"
            actual = eddask.cohort_query(
                source, out=out, format="csv", n_buckets=5, **_arguments(cohort)
            )

            assert expected.control == actual.control
            assert expected.findings == actual.findings
            parts = [p.read_bytes() for p in sorted((out / "detail").iterdir())]
            assert len(parts) == (6 if i == 0 else 5)
            joined = parts[0] + b"".join(p.split(b"\n", 1)[1] for p in parts[1:])
            assert single.getvalue() == joined

    def test_other_engines_parquet(self, client: Any, tmp_path: Path) -> None:
        """The ARR, the on-track explanations and both readiness tables as Parquet parts."""
        import pyarrow.parquet as pq

        from edoutcomes.highschool import high_school_outcomes
        from edoutcomes.ontrack import eligibility
        from edoutcomes.readiness import calgrant_table, evaluate, readiness_table
        from edoutcomes.synth import synthetic_high_schools, synthetic_k12, synthetic_readiness

        def parts(directory: Path) -> Any:
            return pa.concat_tables([pq.read_table(p) for p in sorted(directory.iterdir())])

        hs = synthetic_high_schools(60, class_years=(2019, 2020, 2021), seed=4)
        eddask.write_partitioned(tmp_path / "hs", *_tables(hs), n_buckets=4)
        eddask.high_school_outcomes(tmp_path / "hs", as_of=hs.as_of, out=tmp_path / "o")
        arr = high_school_outcomes(hs.columns, as_of=hs.as_of).arr().to_arrow()
        assert arr.to_pylist() == parts(tmp_path / "o" / "arr").to_pylist()

        k12 = synthetic_k12(300, seed=5)
        records = {n: _plain(getattr(k12, n).to_arrow()) for n in TestOntrack.TABLES}
        students = _plain(k12.students.to_arrow())
        eddask.write_partitioned(tmp_path / "k12", students, key="student_id", **records)
        as_of = dt.date(2024, 6, 20)
        eddask.ontrack_eligibility(tmp_path / "k12", "2023-24", as_of=as_of, out=tmp_path / "o")
        explained = eligibility(k12, "2023-24", as_of=as_of).explanations().to_arrow()
        assert explained.to_pylist() == parts(tmp_path / "o" / "explanations").to_pylist()

        as_of = dt.date(2025, 7, 15)
        data = synthetic_readiness(150, seed=2, as_of=as_of)
        tables = {name: _plain(getattr(data, name).to_arrow()) for name in eddask.READINESS_TABLES}
        others = {name: t for name, t in tables.items() if name != "students"}
        eddask.write_partitioned(tmp_path / "r", tables["students"], key="student_id", **others)
        courses = _plain(data.course_list.to_arrow())
        eddask.readiness(tmp_path / "r", as_of=as_of, course_list=courses, out=tmp_path / "o")
        result = evaluate(data, as_of)
        for name, table in (("readiness", readiness_table), ("calgrant_gpa", calgrant_table)):
            assert table(result).to_arrow().to_pylist() == parts(tmp_path / "o" / name).to_pylist()
