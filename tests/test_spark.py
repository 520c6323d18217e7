"""
edoutcomes.spark on a local[2] Spark session: the same results as one process, cell for cell.

Run serially (``.ci/run`` step ``spark_tests``: ``pytest -m spark -p no:xdist`` in a venv with
the ``spark`` extra and a Java runtime). Without pyspark or Java the tests skip, except when
``CI`` is set and ``-m spark`` selects them: then they fail, so that step never passes
without running them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from edoutcomes import spark as edspark
from edoutcomes.cohort import CohortQuery, cohort_query, cohort_query_by
from edoutcomes.errors import InvalidArgumentError, InvalidInputError, MissingExtraError
from edoutcomes.synth import synthetic_cohort

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(
        "PYTEST_XDIST_WORKER" in os.environ,
        reason="a Spark test runs serially: pytest -m spark -p no:xdist (.ci/run spark_tests)",
    ),
]
pa = pytest.importorskip("pyarrow")
DOCS = Path(__file__).resolve().parent.parent / "docs"


def _missing() -> str | None:
    """Why Spark cannot run here, or None."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "needs the spark extra (pip install -e '.[test,spark]')"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "needs a Java runtime (Debian: apt-get install openjdk-17-jre-headless)"
    return None


@pytest.fixture(scope="module")
def spark(request: pytest.FixtureRequest) -> Iterator[Any]:
    reason = _missing()
    if reason is not None:
        # The spark_tests step of CI selects these tests: there a skip would hide them.
        if os.environ.get("CI") and "spark" in (request.config.getoption("markexpr") or ""):
            pytest.fail(f"CI is set, but {reason}", pytrace=False)
        pytest.skip(reason)
    from pyspark.sql import SparkSession

    with pytest.MonkeyPatch.context() as patch:
        # The executors' Python is this one (with edoutcomes installed), not the system's.
        patch.setenv("PYSPARK_PYTHON", sys.executable)
        session = (
            SparkSession.builder.master("local[2]")
            .appName("edoutcomes-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.driver.memory", "1g")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        yield session
        session.stop()


def _plain(table: Any) -> Any:
    """Dictionary columns decoded, as Spark holds them."""
    return pa.table(
        {
            name: col.cast(col.type.value_type) if pa.types.is_dictionary(col.type) else col
            for name, col in zip(table.column_names, table.columns, strict=True)
        }
    )


@pytest.fixture(scope="module")
def cohort() -> Any:
    return synthetic_cohort(400, seed=11)


def _arrow(cohort: Any) -> dict[str, Any]:
    c = cohort.columns
    return {
        "students": _plain(c.students.to_arrow()),
        "enrollments": _plain(c.enrollments.to_arrow()),
        "degrees": _plain(c.degrees.to_arrow()),
    }


def _expected(cohort: Any) -> Any:
    return cohort_query(
        cohort.columns,
        search_date=cohort.search_date,
        institution=cohort.institution,
        as_of=cohort.as_of,
    )


def _assert_same(expected: Any, actual: Any) -> None:
    assert expected.control == actual.control
    assert expected.tables == actual.tables
    assert expected.findings == actual.findings
    assert expected.detail.to_arrow().to_pylist() == actual.detail.to_pylist()


class TestCohortQuery:
    def test_equals_single_process(self, spark: Any, cohort: Any) -> None:
        """
        Spark DataFrames in file order (numbered by zipWithIndex, bucketed by a hash of
        requester_id): control report, four tables, findings and detail equal to one process.
        """
        frames = {name: spark.createDataFrame(t) for name, t in _arrow(cohort).items()}

        actual = edspark.cohort_query(
            frames,
            search_date=cohort.search_date,
            institution=cohort.institution,
            as_of=cohort.as_of,
            by="pell",
            n_buckets=5,
        )

        _assert_same(_expected(cohort), actual)
        expected_by = cohort_query_by(
            cohort.columns,
            "pell",
            search_date=cohort.search_date,
            institution=cohort.institution,
            as_of=cohort.as_of,
        )
        assert list(expected_by) == list(actual.groups)
        for value, one in expected_by.items():
            assert (one.control, one.tables) == (
                actual.groups[value].control,
                actual.groups[value].tables,
            )
            assert one.detail.to_arrow().to_pylist() == actual.groups[value].detail.to_pylist()
            assert one.success(5) == actual.groups[value].success(5)
        assert _expected(cohort).success(5, any_degree=True) == actual.success(5, any_degree=True)

    def test_recipe_with_row_columns_in_any_order(self, spark: Any, cohort: Any) -> None:
        """
        The documented recipe (bucketed, groupBy("bucket").applyInArrow, combine) on tables
        shuffled out of order that carry their own row column: still equal to one process.
        """
        rng = np.random.default_rng(3)
        frames = {}
        for name, table in _arrow(cohort).items():
            numbered = table.append_column("row", pa.array(np.arange(table.num_rows)))
            frames[name] = spark.createDataFrame(numbered.take(rng.permutation(table.num_rows)))
        query = CohortQuery(
            search_date=cohort.search_date, institution=cohort.institution, as_of=cohort.as_of
        )

        union = edspark.bucketed(frames, key="requester_id", n_buckets=3)
        partials = union.groupBy("bucket").applyInArrow(
            edspark.partition_function(query, list(frames)), schema=edspark.PARTIALS_SCHEMA
        )
        actual = edspark.combine(query, partials)

        _assert_same(_expected(cohort), actual)

    def test_library_error_reaches_the_driver(self, spark: Any) -> None:
        """A bad date raises InvalidInputError on the driver (not Spark's own exception)."""
        students = spark.createDataFrame(pa.table({"requester_id": ["A"]}))
        enrollments = spark.createDataFrame(
            pa.table(
                {
                    "requester_id": ["A"],
                    "college_code": ["001817-00"],
                    "college_type": ["4"],
                    "begin_date": ["soon"],
                    "end_date": ["2017-01-10"],
                }
            )
        )

        with pytest.raises(InvalidInputError, match="begin_date is not a date"):
            edspark.cohort_query(
                {"students": students, "enrollments": enrollments},
                search_date=dt.date(2016, 9, 15),
                institution="001817",
                as_of=dt.date(2018, 9, 15),
                n_buckets=2,
            )

    def test_refuses_unknown_table_and_missing_key(self, spark: Any) -> None:
        """Unknown table names and a table without the student key: InvalidArgumentError."""
        students = spark.createDataFrame(pa.table({"requester_id": ["A"]}))
        arguments = {"search_date": dt.date(2016, 9, 15), "institution": "001817",
                     "as_of": dt.date(2018, 9, 15)}  # fmt: skip

        with pytest.raises(InvalidArgumentError, match="marks"):
            edspark.cohort_query({"students": students, "marks": students}, **arguments)
        with pytest.raises(InvalidArgumentError, match="no requester_id column"):
            edspark.bucketed({"students": spark.createDataFrame(pa.table({"x": [1]}))})


def _spark_block() -> str:
    """The Python block of the how-to's Spark section."""
    text = (DOCS / "how-to" / "run-on-a-cluster.md").read_text(encoding="utf-8")
    section = text.split("## On Spark", 1)[1].split("\n## ", 1)[0]
    # Fenced ```python no-run: the page tests of tests/test_docs.py run without Spark.
    return re.findall(r"```python(?: no-run)?\n(.*?)```", section, flags=re.S)[0]


def test_how_to_recipe_equals_single_process(spark: Any, tmp_path: Path) -> None:
    """
    The how-to's Spark recipe, run as written on CSV files read by Spark (numbered by
    zipWithIndex in file order): equal to the single-process query of the same files.
    """
    from edoutcomes.formats import read_cohort

    paths = synthetic_cohort(300, seed=4).write(tmp_path)
    block = _spark_block()
    assert 'folder = "/data/cohort"' in block
    # The reader's folder is ours (Spark resolves a relative path against the JVM's start directory).
    block = block.replace('folder = "/data/cohort"', f"folder = {str(tmp_path)!r}")
    namespace: dict[str, Any] = {"__name__": "how_to"}

    exec(compile(block, "run-on-a-cluster.md", "exec"), namespace)

    cohort = read_cohort(*paths).columns
    expected = cohort_query(cohort, search_date=dt.date(2016, 9, 15), institution="001817",
                            as_of=dt.date(2022, 9, 15))  # fmt: skip
    _assert_same(expected, namespace["result"])


class TestOntrack:
    def test_equals_single_process(self, spark: Any) -> None:
        """On-track eligibility from Spark DataFrames: counts and explanations as one process."""
        from edoutcomes.ontrack import eligibility
        from edoutcomes.synth import synthetic_k12

        data = synthetic_k12(300, seed=5)
        expected = eligibility(data, "2023-24", as_of=dt.date(2024, 6, 20))
        names = (
            "students",
            "enrollments",
            "participations",
            "marks",
            "ontrack_records",
            "addresses",
        )
        frames = {n: spark.createDataFrame(_plain(getattr(data, n).to_arrow())) for n in names}

        actual = edspark.ontrack_eligibility(frames, "2023-24", as_of=expected.as_of, n_buckets=3)

        assert (len(expected), expected.n_reported) == (actual.n_students, actual.n_reported)
        assert expected.counts() == actual.counts
        assert expected.explanations().to_arrow().to_pylist() == actual.explanations.to_pylist()


def test_without_pyspark_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pyspark, a call raises MissingExtraError naming the spark extra."""
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql.functions", None)

    with pytest.raises(MissingExtraError, match=r"edoutcomes\[spark\]"):
        edspark.bucketed({"students": None})


class TestHighSchool:
    def test_equals_single_process(self, spark: Any) -> None:
        """
        High-school outcomes from Spark DataFrames in file order (numbered by zipWithIndex):
        every report cell for cell (suppressed after the sum), top colleges, findings with
        their rows, the ARR in input order, the trends page and a search, as one process.
        """
        from edoutcomes.highschool import high_school_outcomes
        from edoutcomes.model import CohortColumns
        from edoutcomes.synth import synthetic_high_schools

        data = synthetic_high_schools(120, class_years=(2018, 2019), seed=2)
        c = data.columns
        # A few more students without a graduation date: findings numbered as in the whole input.
        students = _plain(c.students.to_arrow())
        grad = students.column("hs_grad_date").to_pylist()
        grad[3] = grad[40] = None
        students = students.set_column(
            students.column_names.index("hs_grad_date"), "hs_grad_date", pa.array(grad, pa.date32())
        )
        arrow = {
            "students": students,
            "enrollments": _plain(c.enrollments.to_arrow()),
            "degrees": _plain(c.degrees.to_arrow()),
        }
        expected = high_school_outcomes(CohortColumns.from_arrow(*arrow.values()), as_of=data.as_of)
        frames = {name: spark.createDataFrame(t) for name, t in arrow.items()}

        student = arrow["students"].column("requester_id")[7].as_py()
        actual = edspark.high_school_outcomes(
            frames, as_of=data.as_of, suppress_below=5, by=None, search=student, n_buckets=3
        )

        reports = expected.reports(suppress_below=5)
        for mine, theirs in zip(reports, actual.reports, strict=True):
            assert list(mine.rows()) == list(theirs.rows())
        assert list(reports.left_out_report.rows()) == list(actual.reports.left_out_report.rows())
        assert {5, 42} <= {f.row for f in expected.findings}
        assert expected.findings == actual.findings
        top = expected.top_colleges_report(suppress_below=5)
        assert list(top.rows()) == list(actual.top_colleges.rows())
        assert expected.arr().to_arrow().equals(actual.arr.to_arrow())
        assert expected.trends().html == actual.trends().html
        found = actual.search()
        assert found is not None
        assert str(expected.search(requester_id=student)) == str(found)


class TestReadiness:
    def test_equals_single_process(self, spark: Any) -> None:
        """
        College readiness from Spark DataFrames, the course list given whole: readiness and
        Cal Grant tables row for row, indicators cell for cell, clean-up findings with the
        rows of the whole input and a release to CSAC, as one process.
        """
        from edoutcomes.readiness import (
            calgrant_table,
            cleanup_findings,
            evaluate,
            indicators,
            readiness_table,
            release,
        )
        from edoutcomes.synth import synthetic_readiness

        as_of = dt.date(2025, 7, 15)
        data = synthetic_readiness(150, seed=4, as_of=as_of)
        result = evaluate(data, as_of)
        frames = {
            name: spark.createDataFrame(_plain(getattr(data, name).to_arrow()))
            for name in edspark.READINESS_TABLES
        }
        courses = spark.createDataFrame(_plain(data.course_list.to_arrow()))

        actual = edspark.readiness(
            frames,
            as_of=as_of,
            course_list=courses,
            attributes=["gender"],
            recipient="CSAC",
            purpose="financial_aid",
            n_buckets=3,
        )

        assert readiness_table(result).to_arrow().to_pylist() == actual.table.to_pylist()
        assert calgrant_table(result).to_arrow().to_pylist() == actual.calgrant.to_pylist()
        want = indicators(result, attributes=["gender"])
        assert list(want.rows()) == list(actual.indicators.rows())
        assert cleanup_findings(result).findings == actual.findings.findings
        assert len(cleanup_findings(result).findings) > 0
        shared = release(result, "CSAC", "financial_aid", attributes=("gender",))
        assert actual.release is not None
        assert shared.released.tolist() == actual.release.released.tolist()
        assert list(shared.students.rows()) == list(actual.release.students.rows())

    def test_refuses_course_list_as_a_table(self, spark: Any) -> None:
        """The course list among the per-student tables is refused, naming course_list=."""
        students = spark.createDataFrame(pa.table({"student_id": ["S1"]}))

        with pytest.raises(InvalidArgumentError, match="course_list="):
            edspark.readiness(
                {"students": students, "course_list": students}, as_of=dt.date(2025, 7, 15)
            )
