"""
Spark's ``groupBy(bucket).applyInArrow`` over a query's partition function.

``applyInArrow`` groups one DataFrame, and a partition of students is several tables, so
:func:`bucketed` unions them into one: each table's columns prefixed with its name
(``enrollments__begin_date``), a row belonging to the table whose ``<name>__row`` is set,
and a ``bucket`` column from a hash of the student key, the same for every table.
:func:`partition_function` splits a bucket back into its tables, runs the query's
``partial_of_arrow`` and returns one Arrow row: the bucket and the pickled partial.
"""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .._kernel._optional import require
from .._kernel._rows import BUCKET, ROW
from ..cohort import CohortQuery, CombinedCohortResult
from ..errors import EdOutcomesError, InvalidArgumentError
from ..highschool import CombinedHighSchoolOutcomes, HighSchoolQuery
from ..model import DEGREE_TITLES, DegreeTitleTable, Institution, SchoolYear
from ..ontrack import CombinedEligibility, EligibilityQuery
from ..readiness import CombinedReadiness, ReadinessQuery

__all__ = [
    "PARTIALS_SCHEMA",
    "READINESS_TABLES",
    "bucketed",
    "cohort_query",
    "combine",
    "high_school_outcomes",
    "ontrack_eligibility",
    "partition_function",
    "readiness",
]

PARTIALS_SCHEMA = "bucket long, partial binary"
"""
The schema of :func:`partition_function`'s output, for ``applyInArrow(..., schema=)``.

Examples:
    >>> import pyarrow as pa
    >>> query = CohortQuery(search_date=dt.date(2001, 9, 15), institution="001817",
    ...                     as_of=dt.date(2002, 6, 1))
    >>> bucket = pa.table({"students__requester_id": ["A"], "students__row": [0], "bucket": [1]})
    >>> PARTIALS_SCHEMA, partition_function(query, ["students"])(bucket).schema.types
    ('bucket long, partial binary', [DataType(int64), DataType(binary)])
"""
_COHORT_TABLES = ("students", "enrollments", "degrees")
_K12_TABLES = ("students", "enrollments", "participations", "marks", "ontrack_records", "addresses")
READINESS_TABLES = (
    "students",
    "marks",
    "student_status",
    "consents",
    "reported_gpas",
    "other_source",
)
"""
The per-student tables readiness reads, keyed by ``student_id``.

The course list, per school, goes whole to every bucket. Each is a
:class:`~edoutcomes.model.K12Columns` table of the same name.

Examples:
    >>> from edoutcomes.synth import synthetic_readiness
    >>> data = synthetic_readiness(40, seed=1)
    >>> {name: getattr(data, name).n_rows for name in READINESS_TABLES}
    {'students': 40, 'marks': 1190, 'student_status': 34, 'consents': 16, 'reported_gpas': 0, 'other_source': 19}
"""
_SEP = "__"


def _require_spark() -> Any:
    """``pyspark.sql.functions``, or :class:`MissingExtraError` naming the ``spark`` extra."""
    return require("pyspark.sql.functions", feature="edoutcomes.spark", extra="spark")


def bucketed(tables: Mapping[str, Any], *, key: str = "requester_id", n_buckets: int = 16) -> Any:
    """
    One Spark DataFrame of several tables, each row with its table's prefix and a bucket.

    Args:
        tables: Spark DataFrames by table name (``students`` first, then the records). A
            table without a ``row`` column (each row's 0-based position in the whole input)
            is numbered in its order with ``DataFrame.zipWithIndex`` (Spark 4.2 or later;
            on 4.0 and 4.1 give the ``row`` column yourself).
        key: The student key every table has (``requester_id``; ``student_id`` for K-12).
        n_buckets: Buckets (groups of ``applyInArrow``): ``pmod(xxhash64(key), n_buckets)``.

    Raises:
        InvalidArgumentError: If *n_buckets* is below 1, there is no ``students`` table or a
            table has no *key* column.

    Examples:
        >>> import pyarrow as pa
        >>> from pyspark.sql import SparkSession
        >>> spark = (SparkSession.builder.master("local[1]")
        ...          .config("spark.ui.showConsoleProgress", "false").getOrCreate())
        >>> students = spark.createDataFrame(pa.table({"requester_id": ["A", "B"], "row": [0, 1]}))
        >>> enrollments = spark.createDataFrame(pa.table({"requester_id": ["B"], "row": [0]}))
        >>> union = bucketed({"students": students, "enrollments": enrollments}, n_buckets=4)
        >>> union.columns
        ['students__requester_id', 'students__row', 'bucket', 'enrollments__requester_id', 'enrollments__row']
        >>> [(r.bucket, r.students__requester_id, r.enrollments__requester_id) for r in union.collect()]
        [(2, 'A', None), (2, 'B', None), (2, None, 'B')]
    """
    functions = _require_spark()
    if n_buckets < 1:
        msg = f"{n_buckets=} must be at least 1"
        raise InvalidArgumentError(msg)
    if "students" not in tables:
        msg = f"tables has no 'students' DataFrame; it has {', '.join(sorted(tables)) or 'none'}"
        raise InvalidArgumentError(msg)
    union = None
    for name, frame in tables.items():
        if frame is None:
            continue
        if key not in frame.columns:
            msg = f"the {name} DataFrame has no {key} column"
            raise InvalidArgumentError(msg)
        numbered = frame if ROW in frame.columns else _numbered(frame, name)
        prefixed = numbered.select(
            *(
                functions.col(f"`{c}`").alias(f"{name}{_SEP}{c}")
                for c in numbered.columns
                if c != BUCKET
            ),
            functions.pmod(functions.xxhash64(functions.col(key)), functions.lit(n_buckets)).alias(
                BUCKET
            ),
        )
        union = prefixed if union is None else union.unionByName(prefixed, allowMissingColumns=True)
    return union


def _numbered(frame: Any, name: str) -> Any:
    """*frame* with consecutive 0-based row numbers in its order (Spark 4.2's zipWithIndex)."""
    if not hasattr(frame, "zipWithIndex"):
        msg = f"the {name} DataFrame has no {ROW!r} column, and DataFrame.zipWithIndex (Spark 4.2) is not there to number it"
        raise InvalidArgumentError(msg)
    return frame.zipWithIndex(ROW)


def partition_function(query: Any, names: Sequence[str], **whole: Any) -> Callable[[Any], Any]:
    """
    The function to give ``groupBy("bucket").applyInArrow(..., schema=PARTIALS_SCHEMA)``.

    It takes a bucket of :func:`bucketed`'s DataFrame as a ``pyarrow.Table`` and returns
    one row: the bucket and ``pickle.dumps(query.partial_of_arrow(...))`` (or the
    library error it raised, which :func:`combine` raises on the driver).

    Args:
        query: A :class:`~edoutcomes.cohort.CohortQuery`,
            :class:`~edoutcomes.highschool.HighSchoolQuery`,
            :class:`~edoutcomes.ontrack.EligibilityQuery` or
            :class:`~edoutcomes.readiness.ReadinessQuery` (anything with ``partial_of_arrow``).
        names: The table names given to :func:`bucketed`.
        whole: Tables every bucket gets whole, by ``partial_of_arrow``'s argument name
            (readiness's ``course_list=``, a ``pyarrow.Table``): shipped with the function.

    Examples:
        One bucket of :func:`bucketed`'s DataFrame, as Spark hands it to the function:

        >>> import pickle
        >>> import pyarrow as pa
        >>> query = CohortQuery(search_date=dt.date(2001, 9, 15), institution="001817",
        ...                     as_of=dt.date(2002, 6, 1))
        >>> bucket = pa.table({"students__requester_id": ["A", "B"], "students__row": [0, 1],
        ...                    "bucket": [3, 3]})
        >>> row = partition_function(query, ["students"])(bucket)
        >>> row.column("bucket").to_pylist(), pickle.loads(row.column("partial")[0].as_py()).control.tolist()
        ([3], [2, 0, 0, 0, 0])
    """
    names = tuple(names)

    def partials(table: Any) -> Any:
        return _partial_table(query, names, table, whole)

    return partials


def _partial_table(
    query: Any, names: tuple[str, ...], table: Any, whole: Mapping[str, Any] | None = None
) -> Any:
    """A bucket's tables split out of the union, its partial pickled into one Arrow row."""
    import pyarrow as pa
    import pyarrow.compute as pc

    tables = {}
    for name in names:
        prefix = f"{name}{_SEP}"
        columns = [c for c in table.column_names if c.startswith(prefix)]
        if f"{prefix}{ROW}" not in columns:
            continue
        own = table.filter(pc.is_valid(table.column(f"{prefix}{ROW}"))).select(columns)
        tables[name] = own.rename_columns([c[len(prefix) :] for c in columns])
    try:
        outcome: object = query.partial_of_arrow(**tables, **(whole or {}))
    except EdOutcomesError as error:
        outcome = error
    bucket = table.column(BUCKET)[0].as_py() if table.num_rows else -1
    return pa.table(
        {
            BUCKET: pa.array([bucket], pa.int64()),
            "partial": pa.array([pickle.dumps(outcome)], pa.binary()),
        }
    )


def combine(query: Any, partials: Any, **whole: Any) -> Any:
    """
    The query's combined result from :func:`partition_function`'s rows, on the driver.

    Args:
        query: The query the partials were made with.
        partials: The ``applyInArrow`` DataFrame (collected with ``toArrow()``) or a
            ``pyarrow.Table`` of it. Its pickles come from your own cluster's executors:
            unpickle only what your own job wrote.
        whole: The tables given to :func:`partition_function` (for an input without a
            single row, whose only partial the driver makes).

    Raises:
        EdOutcomesError: The error a partition raised (the one of the lowest bucket).

    Examples:
        Two buckets' rows, as ``applyInArrow`` collects them:

        >>> import pyarrow as pa
        >>> query = CohortQuery(search_date=dt.date(2001, 9, 15), institution="001817",
        ...                     as_of=dt.date(2002, 6, 1))
        >>> function = partition_function(query, ["students"])
        >>> rows = pa.concat_tables([
        ...     function(pa.table({"students__requester_id": ["B"], "students__row": [1], "bucket": [2]})),
        ...     function(pa.table({"students__requester_id": ["A"], "students__row": [0], "bucket": [0]}))])
        >>> result = combine(query, rows)
        >>> result.control.total, result.detail.column("Your Unique Identifier").to_pylist()
        (2, [None, None])
    """
    table = partials.toArrow() if hasattr(partials, "toArrow") else partials
    table = table.sort_by(BUCKET)
    outcomes = [pickle.loads(blob) for blob in table.column("partial").to_pylist()]  # noqa: S301  # our own executors' output, see Args
    for outcome in outcomes:
        if isinstance(outcome, EdOutcomesError):
            raise outcome
    if not outcomes:
        outcomes = [query.partial_of_arrow(**whole)]
    return query.combine(outcomes)


def _run(query: Any, tables: Mapping[str, Any], key: str, n_buckets: int, **whole: Any) -> Any:
    """bucketed, groupBy(bucket).applyInArrow(partition_function), combine."""
    names = [name for name, frame in tables.items() if frame is not None]
    union = bucketed(tables, key=key, n_buckets=n_buckets)
    partials = union.groupBy(BUCKET).applyInArrow(
        partition_function(query, names, **whole), schema=PARTIALS_SCHEMA
    )
    return combine(query, partials, **whole)


def _check_names(tables: Mapping[str, Any], known: Sequence[str]) -> None:
    unknown = sorted(set(tables) - set(known))
    if unknown:
        msg = f"tables has {unknown} this engine does not read; known: {', '.join(known)}"
        raise InvalidArgumentError(msg)


def cohort_query(
    tables: Mapping[str, Any],
    *,
    search_date: dt.date,
    institution: Institution | str,
    as_of: dt.date,
    degree_titles: DegreeTitleTable = DEGREE_TITLES,
    exact_branch: bool = False,
    detail: bool = True,
    by: str | None = None,
    n_buckets: int = 16,
) -> CombinedCohortResult:
    """
    The cohort query on Spark, equal to :func:`~edoutcomes.cohort.cohort_query` in one process.

    Args:
        tables: Spark DataFrames of the canonical columns: ``students``, ``enrollments``
            and ``degrees`` (see :func:`bucketed` for the ``row`` column).
        search_date, institution, as_of, degree_titles, exact_branch, detail, by: As for
            :class:`~edoutcomes.cohort.CohortQuery` (``by``: each value's result in ``groups``).
        n_buckets: Partitions of students (``applyInArrow`` groups); one bucket's tables
            are held in one executor's memory at a time.

    Returns:
        The :class:`~edoutcomes.cohort.CombinedCohortResult`.

    Raises:
        MissingExtraError: Without pyspark (``pip install 'edoutcomes[spark]'``).

    Examples:
        >>> from edoutcomes import cohort
        >>> from edoutcomes.synth import synthetic_cohort
        >>> import pyarrow as pa
        >>> def plain(table):  # Spark takes no dictionary columns: decode them
        ...     arrow = table.to_arrow()
        ...     return pa.table({name: column.cast(column.type.value_type) if pa.types.is_dictionary(column.type)
        ...                      else column for name, column in zip(arrow.column_names, arrow.columns)})
        >>> from pyspark.sql import SparkSession
        >>> spark = (SparkSession.builder.master("local[1]")
        ...          .config("spark.ui.showConsoleProgress", "false").getOrCreate())
        >>> synthetic = synthetic_cohort(30, seed=1)
        >>> c = synthetic.columns
        >>> frames = {name: spark.createDataFrame(plain(getattr(c, name)))
        ...           for name in ("students", "enrollments", "degrees")}
        >>> dates = dict(search_date=synthetic.search_date, institution=synthetic.institution,
        ...              as_of=synthetic.as_of)
        >>> result = cohort_query(frames, n_buckets=2, **dates)
        >>> result.control == cohort.cohort_query(c, **dates).control, result.detail.num_rows
        (True, 259)
    """
    _require_spark()
    _check_names(tables, _COHORT_TABLES)
    query = CohortQuery(
        search_date=search_date,
        institution=institution,
        as_of=as_of,
        degree_titles=degree_titles,
        exact_branch=exact_branch,
        detail=detail,
        by=by,
    )
    result: CombinedCohortResult = _run(query, tables, "requester_id", n_buckets)
    return result


def ontrack_eligibility(
    tables: Mapping[str, Any],
    year: SchoolYear | str,
    *,
    as_of: dt.date,
    n_buckets: int = 16,
    **options: Any,
) -> CombinedEligibility:
    """
    On-track eligibility on Spark, equal to :func:`~edoutcomes.ontrack.eligibility`.

    Args:
        tables: Spark DataFrames by K-12 table name (``students``, ``enrollments``,
            ``participations``, ``marks``, ``ontrack_records``, ``addresses``), keyed by
            ``student_id``.
        year: The reporting school year.
        as_of: The generation date.
        n_buckets: Partitions of students.
        options: The other arguments of :class:`~edoutcomes.ontrack.EligibilityQuery`.

    Raises:
        MissingExtraError: Without pyspark (``pip install 'edoutcomes[spark]'``).

    Examples:
        >>> from edoutcomes.ontrack import eligibility
        >>> from edoutcomes.synth import synthetic_k12
        >>> import pyarrow as pa
        >>> def plain(table):  # Spark takes no dictionary columns: decode them
        ...     arrow = table.to_arrow()
        ...     return pa.table({name: column.cast(column.type.value_type) if pa.types.is_dictionary(column.type)
        ...                      else column for name, column in zip(arrow.column_names, arrow.columns)})
        >>> from pyspark.sql import SparkSession
        >>> spark = (SparkSession.builder.master("local[1]")
        ...          .config("spark.ui.showConsoleProgress", "false").getOrCreate())
        >>> data = synthetic_k12(40, seed=1)
        >>> frames = {name: spark.createDataFrame(plain(getattr(data, name)))
        ...           for name in ("students", "enrollments", "marks")}
        >>> result = ontrack_eligibility(frames, "2023-24", as_of=dt.date(2024, 6, 30), n_buckets=2)
        >>> result.n_students, result.n_reported
        (40, 6)
        >>> result.counts == eligibility(data, "2023-24", as_of=dt.date(2024, 6, 30)).counts()
        True
    """
    _require_spark()
    _check_names(tables, _K12_TABLES)
    query = EligibilityQuery(year=year, as_of=as_of, **options)
    result: CombinedEligibility = _run(query, tables, "student_id", n_buckets)
    return result


def high_school_outcomes(
    tables: Mapping[str, Any],
    *,
    as_of: dt.date,
    n_buckets: int = 16,
    **options: Any,
) -> CombinedHighSchoolOutcomes:
    """
    High-school outcomes on Spark, equal to :func:`~edoutcomes.highschool.high_school_outcomes`.

    Args:
        tables: Spark DataFrames of the canonical columns: ``students`` (with
            ``high_school_code`` and ``hs_grad_date``), ``enrollments`` and ``degrees``,
            keyed by ``requester_id`` (see :func:`bucketed` for the ``row`` column).
        as_of: The report date.
        n_buckets: Partitions of students (``applyInArrow`` groups).
        options: The other arguments of :class:`~edoutcomes.highschool.HighSchoolQuery`
            (windows, ``suppress_below``, ``class_totals``, ``arr``, ``attributes``, ``top_n`` ...).

    Returns:
        The :class:`~edoutcomes.highschool.CombinedHighSchoolOutcomes`: the reports, the
        findings with their rows, top colleges and the ARR in input order.

    Raises:
        MissingExtraError: Without pyspark (``pip install 'edoutcomes[spark]'``).

    Examples:
        >>> from edoutcomes import highschool
        >>> from edoutcomes.synth import synthetic_high_schools
        >>> import pyarrow as pa
        >>> def plain(table):  # Spark takes no dictionary columns: decode them
        ...     arrow = table.to_arrow()
        ...     return pa.table({name: column.cast(column.type.value_type) if pa.types.is_dictionary(column.type)
        ...                      else column for name, column in zip(arrow.column_names, arrow.columns)})
        >>> from pyspark.sql import SparkSession
        >>> spark = (SparkSession.builder.master("local[1]")
        ...          .config("spark.ui.showConsoleProgress", "false").getOrCreate())
        >>> hs = synthetic_high_schools(20, class_years=(2019, 2020), n_high_schools=2, seed=3)
        >>> frames = {name: spark.createDataFrame(plain(getattr(hs.columns, name)))
        ...           for name in ("students", "enrollments", "degrees")}
        >>> result = high_school_outcomes(frames, as_of=hs.as_of, suppress_below=5, n_buckets=2)
        >>> one = highschool.high_school_outcomes(hs.columns, as_of=hs.as_of).kpis(suppress_below=5)
        >>> list(result.kpis.rows()) == list(one.rows()), len(result.arr)
        (True, 40)
    """
    _require_spark()
    _check_names(tables, _COHORT_TABLES)
    query = HighSchoolQuery(as_of=as_of, **options)
    result: CombinedHighSchoolOutcomes = _run(query, tables, "requester_id", n_buckets)
    return result


def readiness(
    tables: Mapping[str, Any],
    *,
    as_of: dt.date,
    course_list: Any = None,
    n_buckets: int = 16,
    **options: Any,
) -> CombinedReadiness:
    """
    College readiness on Spark, equal to :func:`~edoutcomes.readiness.evaluate` and its
    outputs in one process.

    Args:
        tables: Spark DataFrames by :data:`READINESS_TABLES` name (``students``, ``marks``,
            ``student_status``, ``consents``, ``reported_gpas``, ``other_source``), keyed
            by ``student_id``; each numbered as :func:`bucketed` says (the findings give
            those rows).
        as_of: The evaluation date.
        course_list: The course list, per school: a Spark DataFrame (collected to the
            driver) or anything with ``__arrow_c_stream__``; every bucket gets all of it.
        n_buckets: Partitions of students.
        options: The other arguments of :class:`~edoutcomes.readiness.ReadinessQuery`
            (``options``, ``attributes``, ``suppress_below``, ...).

    Raises:
        MissingExtraError: Without pyspark (``pip install 'edoutcomes[spark]'``).
        InvalidArgumentError: If *tables* holds a course list (give it as *course_list*).

    Examples:
        >>> from edoutcomes.readiness import evaluate, readiness_table
        >>> from edoutcomes.synth import synthetic_readiness
        >>> import pyarrow as pa
        >>> def plain(table):  # Spark takes no dictionary columns: decode them
        ...     arrow = table.to_arrow()
        ...     return pa.table({name: column.cast(column.type.value_type) if pa.types.is_dictionary(column.type)
        ...                      else column for name, column in zip(arrow.column_names, arrow.columns)})
        >>> from pyspark.sql import SparkSession
        >>> spark = (SparkSession.builder.master("local[1]")
        ...          .config("spark.ui.showConsoleProgress", "false").getOrCreate())
        >>> data = synthetic_readiness(40, seed=1)
        >>> frames = {name: spark.createDataFrame(plain(getattr(data, name)))
        ...           for name in ("students", "marks", "student_status", "consents")}
        >>> result = readiness(frames, as_of=dt.date(2025, 7, 15), course_list=plain(data.course_list),
        ...                    n_buckets=2)
        >>> result.n_students, result.table.equals(readiness_table(evaluate(data, result.as_of)).to_arrow())
        (40, True)
    """
    import pyarrow as pa

    _require_spark()
    if "course_list" in tables:
        msg = "the course list is per school, not per student: give it as course_list=..."
        raise InvalidArgumentError(msg)
    _check_names(tables, READINESS_TABLES)
    query = ReadinessQuery(as_of=as_of, **options)
    whole: dict[str, Any] = {}
    if course_list is not None:
        arrow = course_list.toArrow() if hasattr(course_list, "toArrow") else course_list
        whole["course_list"] = pa.table(arrow)
    result: CombinedReadiness = _run(query, tables, "student_id", n_buckets, **whole)
    return result
