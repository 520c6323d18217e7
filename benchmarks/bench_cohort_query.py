"""
Benchmark: the cohort query at state size, against the same query in DuckDB SQL.

For each size (default 1,000,000 students: about 9,000,000 enrollment terms and 700,000
degrees from ``edoutcomes.synth.synthetic_cohort``) it times, on the same in-memory data:

- ``edoutcomes.cohort.cohort_query`` on the columnar view: the control report and
  Tables 1, 2, 2A and 2B (the detail report is built lazily and not part of this);
- one straightforward DuckDB SQL statement implementing the same rules (academic years,
  the degree-title table, the outcome hierarchy, the 4-year-degree terminal rule, the
  first 2-year degree with the submitting institution winning a same-day tie, the first
  record after the search date with school > student > no block), over tables already
  loaded into DuckDB (codes as ENUM-like dictionary columns, dates as DATE). The title
  normalisation is MATERIALIZED (otherwise DuckDB re-evaluates the regular expression
  for every use of the kind, which made it twice as slow), and "first record" is an
  ``arg_min``: the peer is written the way a careful analyst would.

Loading is timed on neither side. Both give the same counts (checked). Prints the best of
``--repeat`` runs of each, the ratio, and the engine's extra peak memory (tracemalloc,
which sees every numpy allocation). DuckDB uses every core (2 here); the engine one.

Needs the ``bench`` extra (duckdb, pyarrow): ``pip install 'edoutcomes[bench]'``.
Run: ``python benchmarks/bench_cohort_query.py [--students 100000 1000000 3000000]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import resource
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

from edoutcomes.cohort import DISPLAY_ORDER, CohortQueryResult, cohort_query
from edoutcomes.model import CohortColumns, CollegeType, EnrollmentStatus, FerpaBlock, Institution
from edoutcomes.synth import synthetic_cohort

_SQL = r"""
WITH years AS (
    SELECT k,
           CAST(DATE '{S}' + to_years(CAST(k AS INTEGER)) AS DATE) AS lo,
           CAST(DATE '{S}' + to_years(CAST(k + 1 AS INTEGER)) AS DATE) AS hi
    FROM range({n_years}) t(k)
),
enrolled AS (
    SELECT e.sid, y.k,
           CASE WHEN e.code // 100 IN ({codes}) THEN 5
                WHEN e.college_type = '4' THEN 6
                ELSE 7 END AS p
    FROM enrollments e JOIN years y ON e.end_date > y.lo AND e.end_date <= y.hi
    WHERE e.sid >= 0
      AND e.college_type IN ('4', '2')
      AND coalesce(e.status, '') IN ('F', 'Q', 'H', 'L', '')
),
titled AS MATERIALIZED (
    SELECT sid, code, college_type, award_date,
           trim(regexp_replace(upper(replace(coalesce(title, ''), '.', '')), '\s+', ' ', 'g')) AS t
    FROM degrees
    WHERE sid >= 0
),
kinds AS MATERIALIZED (
    SELECT sid, award_date, code // 100 IN ({codes}) AS yours,
           CASE
               WHEN t = '' THEN CASE college_type WHEN '4' THEN '4' WHEN '2' THEN '2'
                                                  WHEN 'L' THEN 'c' ELSE 'u' END
               WHEN t LIKE 'BACHELOR%' OR t LIKE 'MASTER%' OR t LIKE 'DOCTOR%' THEN '4'
               WHEN t LIKE 'ASSOCIATE%' THEN '2'
               WHEN t LIKE 'CERT%' THEN 'c'
               WHEN split_part(t, ' ', 1) IN ('BS', 'BA', 'MS', 'MA', 'MBA', 'PHD', 'JD', 'MD') THEN '4'
               WHEN split_part(t, ' ', 1) IN ('AA', 'AS', 'AAS') THEN '2'
               ELSE 'u'
           END AS kind
    FROM titled
),
graduated AS (
    SELECT d.sid, y.k, d.award_date, d.yours, d.kind,
           CASE WHEN d.kind = '4' THEN (CASE WHEN d.yours THEN 1 ELSE 2 END)
                ELSE (CASE WHEN d.yours THEN 3 ELSE 4 END) END AS p
    FROM kinds d JOIN years y ON d.award_date > y.lo AND d.award_date <= y.hi
    WHERE d.kind IN ('4', '2')
),
first_four AS (
    SELECT sid, min(k) AS k4 FROM graduated WHERE kind = '4' GROUP BY sid
),
first_two AS (
    SELECT sid, min(k) AS k2, arg_min(yours, {{'day': award_date, 'other': NOT yours}}) AS yours2
    FROM graduated WHERE kind = '2' GROUP BY sid
),
cells AS (
    SELECT sid, k, min(p) AS p
    FROM (SELECT sid, k, p FROM enrolled UNION ALL SELECT sid, k, p FROM graduated)
    GROUP BY sid, k
),
counted AS (
    SELECT c.k, c.p, f2.k2, f2.yours2
    FROM cells c
    LEFT JOIN first_four f4 USING (sid)
    LEFT JOIN first_two f2 USING (sid)
    WHERE f4.k4 IS NULL OR c.k <= f4.k4
),
after AS (
    SELECT sid, coalesce(begin_date, end_date) AS day,
           CASE ferpa WHEN 'school' THEN 2 WHEN 'unknown' THEN 2 WHEN 'student' THEN 1 ELSE 0 END AS r
    FROM enrollments WHERE sid >= 0 AND end_date > DATE '{S}'
    UNION ALL
    SELECT sid, award_date,
           CASE ferpa WHEN 'school' THEN 2 WHEN 'unknown' THEN 2 WHEN 'student' THEN 1 ELSE 0 END
    FROM degrees WHERE sid >= 0 AND award_date > DATE '{S}'
),
firsts AS (
    SELECT sid, arg_min(r, {{'day': day, 'rank': -r}}) AS r FROM after GROUP BY sid
),
shown AS (
    SELECT DISTINCT sid FROM after WHERE r = 0
)
SELECT 'table1' AS tbl, k, p, count(*) AS n FROM counted GROUP BY k, p
UNION ALL SELECT 'table2', k, p, count(*) FROM counted WHERE k2 < k GROUP BY k, p
UNION ALL SELECT 'table2a', k, p, count(*) FROM counted WHERE k2 < k AND yours2 GROUP BY k, p
UNION ALL SELECT 'table2b', k, p, count(*) FROM counted WHERE k2 < k AND NOT yours2 GROUP BY k, p
UNION ALL SELECT 'control', 0, 0, count(*) FROM students
UNION ALL SELECT 'control', 0, 1, count(*) FROM firsts
UNION ALL SELECT 'control', 0, 2, count(*) FILTER (WHERE r = 2) FROM firsts
UNION ALL SELECT 'control', 0, 3, count(*) FILTER (WHERE r = 1) FROM firsts
UNION ALL SELECT 'control', 0, 4, count(*) FROM shown
"""


def _dictionary(pa: Any, codes: np.ndarray, values: list[str]) -> Any:
    """A dictionary-encoded Arrow column (DuckDB reads it as an ENUM): -1 is null."""
    indices = pa.array(codes.astype(np.int8), mask=codes < 0)
    return pa.DictionaryArray.from_arrays(indices, pa.array(values))


def load_duckdb(columns: CohortColumns) -> Any:
    """A DuckDB connection holding the cohort as tables ``students``, ``enrollments``, ``degrees``."""
    import duckdb
    import pyarrow as pa

    enr, deg = columns.enrollments, columns.degrees
    types = [m.value for m in CollegeType]
    statuses = [m.value for m in EnrollmentStatus]
    blocks = [m.value for m in FerpaBlock]
    con = duckdb.connect()
    students = pa.table({"sid": pa.array(np.arange(columns.n_students, dtype=np.int32))})
    enrollments = pa.table(
        {
            "sid": pa.array(columns.enrollment_student),
            "code": pa.array(enr.data["college_code"]),
            "college_type": _dictionary(pa, enr.data["college_type"], types),
            "begin_date": pa.array(enr.data["begin_date"], type=pa.date32()),
            "end_date": pa.array(enr.data["end_date"], type=pa.date32()),
            "status": _dictionary(pa, enr.data["enrollment_status"], statuses),
            "ferpa": _dictionary(pa, enr.data["ferpa_block"], blocks),
        }
    )
    titles = deg.data["degree_title"]
    degrees = pa.table(
        {
            "sid": pa.array(columns.degree_student),
            "code": pa.array(deg.data["college_code"]),
            "college_type": _dictionary(pa, deg.data["college_type"], types),
            "award_date": pa.array(deg.data["award_date"], type=pa.date32()),
            "title": pa.DictionaryArray.from_arrays(
                pa.array(titles, mask=titles < 0),
                pa.array(deg.categories["degree_title"].tolist(), type=pa.string()),
            ),
            "ferpa": _dictionary(pa, deg.data["ferpa_block"], blocks),
        }
    )
    for name, table in (("students", students), ("enrollments", enrollments), ("degrees", degrees)):
        con.register(f"{name}_arrow", table)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_arrow")
        con.unregister(f"{name}_arrow")
    return con


def duckdb_query(
    con: Any, search_date: dt.date, n_years: int, institution: Institution
) -> list[Any]:
    """Run the statement; its rows are (table, year, priority or control line, count)."""
    codes = ", ".join(str(int(c)) for c in institution.codes)
    sql = _SQL.format(S=search_date.isoformat(), n_years=n_years, codes=codes)
    return list(con.execute(sql).fetchall())


def same_counts(result: CohortQueryResult, rows: list[Any]) -> bool:
    """Whether DuckDB's rows give exactly the engine's four tables and control counts."""
    n_years = len(result.years)
    tables = {
        name: np.zeros((7, n_years), dtype=np.int64)
        for name in ("table1", "table2", "table2a", "table2b")
    }
    control = [0] * 5
    display = {o.value: i for i, o in enumerate(DISPLAY_ORDER)}
    for table, k, p, n in rows:
        if table == "control":
            control[p] = n
        else:
            tables[table][display[p], k] = n
    c = result.control
    ours = [c.total, c.found, c.blocked_by_school, c.blocked_by_student, c.detail_level]
    return ours == control and all((tables[t.name] == t.counts).all() for t in result.tables)


def best_of(repeat: int, job: Callable[[], Any]) -> tuple[Any, float]:
    """The result of *job* and its best time over *repeat* runs."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = job()
        best = min(best, time.perf_counter() - start)
    return result, best


def peak_memory(job: Callable[[], Any]) -> float:
    """The peak of memory allocated by *job* beyond what was allocated before, in MB."""
    gc.collect()
    tracemalloc.start()
    job()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def run_size(n_students: int, *, seed: int, repeat: int, with_duckdb: bool) -> None:
    start = time.perf_counter()
    cohort = synthetic_cohort(n_students, seed=seed)
    columns = cohort.columns
    print(
        f"\n{n_students:,} students: {columns.enrollments.n_rows:,} enrollment terms, "
        f"{columns.degrees.n_rows:,} degrees (generated in {time.perf_counter() - start:.1f} s)"
    )

    def ours() -> CohortQueryResult:
        return cohort_query(
            columns,
            search_date=cohort.search_date,
            institution=cohort.institution,
            as_of=cohort.as_of,
        )

    result, seconds = best_of(repeat, ours)
    peak = peak_memory(ours)
    print(f"  edoutcomes cohort_query : {seconds:8.3f} s   extra peak memory {peak:7.1f} MB")
    if not with_duckdb:
        return
    start = time.perf_counter()
    con = load_duckdb(columns)
    print(f"  DuckDB load (not timed) : {time.perf_counter() - start:8.3f} s")
    rows, sql_seconds = best_of(
        repeat, lambda: duckdb_query(con, cohort.search_date, len(result.years), cohort.institution)
    )
    agree = same_counts(result, rows)
    print(f"  DuckDB one SQL statement: {sql_seconds:8.3f} s")
    print(f"  ratio (DuckDB / edoutcomes): {sql_seconds / seconds:.1f}x   same counts: {agree}")
    con.close()
    if not agree:
        msg = "the engine and DuckDB disagree"
        raise SystemExit(msg)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--students", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side; the best counts")
    parser.add_argument("--no-duckdb", action="store_true", help="time the engine only")
    args = parser.parse_args()
    for n in args.students:
        run_size(n, seed=args.seed, repeat=args.repeat, with_duckdb=not args.no_duckdb)
        gc.collect()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak RSS (data, both engines): {rss:,.0f} MB")


if __name__ == "__main__":
    main()
