"""
Benchmark: high-school outcomes on 8 classes of 60,000 graduates (480,000 students, ~5M records).

Two tasks, each against peers computing the same counts from the same in-memory tables:

- ``kpis``: the landing-page KPIs per (high school, class) and for the account, by the
  library (``high_school_outcomes(...).kpis()``), by DuckDB (SQL) and by polars
  (expressions);
- ``reports``: the counts of the three supporting reports (Enrollment, Persistence/Retention,
  Completers: the fall and year-1 colleges' level, control and state splits, completion by
  degree kind, first degree by college year) by high school x class, by the library
  (``high_school_outcomes(...).reports(class_totals=False)``) and by DuckDB.

The peers get the library's tables as Arrow (``Table.to_arrow()``: dates ``date32``, codes and
text dictionary-encoded strings), plus each record's student row (the columnar view's link)
and the degree-title table's kind of each (title, college type) pair; DuckDB loads them into
its own tables before the clock. They are written as a careful analyst would: the spec's
windows (class from Sept 1, college years from Aug 15, the fall window), the tie rule that
picks the fall and the year-1 college (earliest begin, higher status, longer term, lower
college code, then the remaining fields by value, missing first), "not available" where a
class's window has not closed. Every count is checked equal with the library's.

Each side runs in a fresh process (the data generated there, not timed), so its first call
is a first call (page faults and caches included); then ``--repeat`` more calls. Printed:
first call and median of the repeats (wall and CPU; the peers use both cores, the library
one), page faults of the first call, peak RSS (data included), ratios against the peers
of the same run.

    python benchmarks/bench_highschool.py [--per-class 60000] [--seed 1] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from edoutcomes._kernel._degrees import degree_kind_codes
from edoutcomes.highschool import ALL, high_school_outcomes
from edoutcomes.model import DegreeKind
from edoutcomes.synth import HIGH_SCHOOL_SHAPE, synthetic_high_schools

sys.path.insert(0, str(Path(__file__).parent))
from bench_readiness import peak_mib, reset_peak

SHAPE = HIGH_SCHOOL_SHAPE.__class__(
    not_found=0.15,
    submitting_share=0.15,
    dual_enrollment=0.3,
    pre_search_only=0.04,
    summer=0.9,
    concurrent=0.3,
    persistence=0.85,
)
N_YEARS = 6  # completion years
PROGRESS_YEARS = 8
SPLITS = ("4yr", "2yr", "lt2yr", "public", "private", "in_state", "out_of_state")
KPI_MEASURES = (
    "graduates",
    "enrolled_fall",
    "enrolled_year1",
    "enrolled_first_two_years",
    "persisted",
    "retained",
    f"completed_{N_YEARS}yr",
)
REPORT_MEASURES = (
    *KPI_MEASURES,
    *(
        f"{p}_{s}"
        for p in ("enrolled_fall", "enrolled_year1", "persisted", "retained")
        for s in SPLITS
    ),
    f"completed_{N_YEARS}yr_4year",
    f"completed_{N_YEARS}yr_2year",
    *(f"first_degree_in_year_{k}" for k in range(1, PROGRESS_YEARS + 1)),
)

Counts = dict[tuple[str, int, str], int]


# --- measuring -----------------------------------------------------------------------------


def faults() -> int:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_minflt + usage.ru_majflt


# --- the library ---------------------------------------------------------------------------


def library_counts(grid: Any, measures: tuple[str, ...]) -> Counts:
    out: Counts = {}
    for r, (school, year) in enumerate(grid.keys):
        if year == ALL:
            continue
        for m in measures:
            out[(school, int(year), m)] = int(grid.counts[r, grid.column(m)])
    return out


def library_job(columns: Any, as_of: dt.date, task: str) -> Callable[[], Counts]:
    if task == "kpis":

        def kpis() -> Counts:
            report = high_school_outcomes(columns, as_of=as_of).kpis()
            return library_counts(report.grid, KPI_MEASURES)

        return kpis

    def reports() -> Counts:
        grid = high_school_outcomes(columns, as_of=as_of).reports(class_totals=False).grid
        return library_counts(grid, REPORT_MEASURES)

    return reports


# --- the peers' tables ---------------------------------------------------------------------


def peer_tables(columns: Any) -> dict[str, Any]:
    """The library's tables as Arrow, with the student links and the degree kinds' table."""
    import pyarrow as pa

    students = columns.students.to_arrow()
    students = students.append_column("sid", pa.array(np.arange(students.num_rows, dtype=np.int32)))
    enrollments = columns.enrollments.to_arrow().append_column(
        "sid", pa.array(columns.enrollment_student)
    )
    degrees = columns.degrees.to_arrow().append_column("sid", pa.array(columns.degree_student))
    # The degree-title table, as the analyst's lookup table: the kind of each (title, type).
    kinds = np.asarray(tuple(DegreeKind), dtype=object)[degree_kind_codes(columns.degrees)]
    pairs = degrees.select(["degree_title", "college_type"]).append_column(
        "kind", pa.array(kinds.tolist(), type=pa.string())
    )
    titles = pa.Table.from_pylist(
        [dict(p) for p in {tuple(row.items()) for row in pairs.to_pylist()}]
        if pairs.num_rows < 10_000
        else _distinct_pairs(pairs)
    )
    return {"students": students, "enrollments": enrollments, "degrees": degrees, "titles": titles}


def _distinct_pairs(pairs: Any) -> list[dict[str, Any]]:
    title = pairs.column("degree_title").to_pylist()
    ctype = pairs.column("college_type").to_pylist()
    kind = pairs.column("kind").to_pylist()
    seen = dict.fromkeys(zip(title, ctype, kind, strict=True))
    return [{"degree_title": t, "college_type": c, "kind": k} for t, c, k in seen]


def academic_year_sql(day: str) -> str:
    """The year ``A`` with Aug 15 of ``A`` <= *day* < Aug 15 of ``A+1``."""
    return f"(year({day}) - (month({day}) < 8 OR (month({day}) = 8 AND day({day}) < 15))::INT)"


def _a_now(as_of: dt.date) -> int:
    return as_of.year - (1 if (as_of.month, as_of.day) < (8, 15) else 0)


_STATUS_RANK = "CASE e.enrollment_status WHEN 'F' THEN 4 WHEN 'Q' THEN 3 WHEN 'H' THEN 2 WHEN 'L' THEN 1 ELSE 0 END"


def duckdb_common(as_of: dt.date) -> str:
    """Graduates with their class; counting enrollments after high school with their year."""
    return f"""
    st AS (
        SELECT sid,
               coalesce(nullif(trim(high_school_code), ''), 'UNKNOWN') AS hs,
               upper(nullif(trim(high_school_state), '')) AS hs_state,
               hs_grad_date AS grad,
               year(hs_grad_date) + (month(hs_grad_date) >= 9)::INT AS cls
        FROM students WHERE hs_grad_date IS NOT NULL
    ),
    en AS (
        SELECT e.sid, e.begin_date, e.college_code AS code, st.cls,
               {academic_year_sql("e.begin_date")} - st.cls + 1 AS k,
               -- the fall window: Aug 15 to Oct 31 of the class year
               year(e.begin_date) = st.cls AND month(e.begin_date) BETWEEN 8 AND 10
                   AND (month(e.begin_date) > 8 OR day(e.begin_date) >= 15) AS fall,
               {_STATUS_RANK} AS rank,
               coalesce(e.end_date - e.begin_date, 0) AS len,
               e.college_name, e.college_type, e.college_control, e.college_state, e.end_date,
               e.class_level, e.major_1, e.cip_1, e.major_2, e.cip_2, e.ferpa_block
        FROM enrollments e JOIN st ON e.sid = st.sid
        WHERE (e.enrollment_status IS NULL OR e.enrollment_status IN ('F', 'Q', 'H', 'L', ''))
          AND e.college_type IN ('4', '2', 'L')
          AND e.begin_date >= st.grad
    ),
    dg AS (
        SELECT d.sid, t.kind,
               greatest({academic_year_sql("d.award_date")} - st.cls + 1, 0) AS k
        FROM degrees d JOIN st ON d.sid = st.sid
        JOIN titles t ON d.degree_title IS NOT DISTINCT FROM t.degree_title
                     AND d.college_type IS NOT DISTINCT FROM t.college_type
        WHERE t.kind IN ('4-year', '2-year') AND d.award_date >= st.grad
    ),
    deg AS (
        SELECT sid, min(k) AS first_k,
               min(k) FILTER (WHERE kind = '4-year') AS first4_k,
               min(k) FILTER (WHERE kind = '2-year') AS first2_k
        FROM dg GROUP BY sid
    )"""


def _available(as_of: dt.date) -> dict[str, str]:
    """Each measure's availability, by class (the condition under which it is not NULL)."""
    a_now = _a_now(as_of)
    fall_over = f"DATE '{as_of.isoformat()}' > make_date(cls, 10, 31)"
    out = {"graduates": "TRUE"}
    for m in REPORT_MEASURES:
        if m.startswith("enrolled_fall"):
            out[m] = fall_over
        elif m.startswith("enrolled_year1"):
            out[m] = f"{a_now} - cls >= 1"
        elif m == "enrolled_first_two_years" or m.startswith(("persisted", "retained")):
            out[m] = f"{a_now} - cls >= 2"
        elif m.startswith("completed_"):
            out[m] = f"{a_now} - cls >= {N_YEARS}"
        elif m.startswith("first_degree_in_year_"):
            out[m] = f"{a_now} - cls >= {int(m.rsplit('_', 1)[1])}"
    return out


def _grouped(flags: dict[str, str], as_of: dt.date, source: str) -> str:
    """Counts of each flag per (high school, class) and per class (``ALL``), NULL if not available."""
    available = _available(as_of)
    counts = ",\n        ".join(
        f"count(*) FILTER (WHERE {expr}) AS {m}" for m, expr in flags.items()
    )
    shown = ",\n    ".join(f"CASE WHEN {available[m]} THEN {m} END AS {m}" for m in flags)
    return f"""
    counts AS (
        SELECT hs, cls, grouping(hs) AS account,
        {counts}
        FROM {source}
        GROUP BY GROUPING SETS ((hs, cls), (cls))
    )
    SELECT CASE WHEN account = 1 THEN '{ALL}' ELSE hs END AS hs, cls,
    {shown}
    FROM counts"""


def duckdb_kpis_sql(as_of: dt.date) -> str:
    tie = "{'b': begin_date, 'r': -rank, 'l': -len, 'c': code}"
    flags = {
        "graduates": "TRUE",
        "enrolled_fall": "coalesce(fall, FALSE)",
        "enrolled_year1": "coalesce(y1, FALSE)",
        "enrolled_first_two_years": "coalesce(y1 OR y2, FALSE)",
        "persisted": "coalesce(y1 AND y2, FALSE)",
        "retained": "coalesce(y1 AND retained, FALSE)",
        f"completed_{N_YEARS}yr": f"coalesce(first_k <= {N_YEARS}, FALSE)",
    }
    return f"""
    WITH {duckdb_common(as_of)},
    per AS (
        SELECT sid, bool_or(fall) AS fall, bool_or(k = 1) AS y1, bool_or(k = 2) AS y2,
               -- the year-1 college by the tie rule: only its institution is used
               left(arg_min(code, {tie}) FILTER (WHERE k = 1), 6) AS y1_inst
        FROM en GROUP BY sid
    ),
    ret AS (
        SELECT DISTINCT en.sid, TRUE AS retained
        FROM en JOIN per ON en.sid = per.sid
        WHERE en.k = 2 AND left(en.code, 6) = per.y1_inst
    ),
    flags AS (
        SELECT st.hs, st.cls, per.fall, per.y1, per.y2, ret.retained, deg.first_k
        FROM st LEFT JOIN per ON st.sid = per.sid LEFT JOIN ret ON st.sid = ret.sid
        LEFT JOIN deg ON st.sid = deg.sid
    ),
    {_grouped(flags, as_of, "flags")}
    """


def duckdb_reports_sql(as_of: dt.date) -> str:
    rest = ", ".join(
        f"{c} NULLS FIRST"
        for c in (
            "college_name",
            "college_state",
            "college_type",
            "college_control",
            "end_date",
            "class_level",
            "major_1",
            "cip_1",
            "major_2",
            "cip_2",
            "ferpa_block",
        )
    )
    order = f"begin_date, rank DESC, len DESC, code, {rest}"

    def split(prefix: str, flag: str, college: str) -> dict[str, str]:
        state = f"upper(nullif(trim({college}_state), ''))"
        return {
            f"{prefix}_4yr": f"{flag} AND {college}_type = '4'",
            f"{prefix}_2yr": f"{flag} AND {college}_type = '2'",
            f"{prefix}_lt2yr": f"{flag} AND {college}_type = 'L'",
            f"{prefix}_public": f"{flag} AND {college}_control = 'Public'",
            f"{prefix}_private": f"{flag} AND {college}_control = 'Private'",
            f"{prefix}_in_state": f"{flag} AND {state} = hs_state",
            f"{prefix}_out_of_state": f"{flag} AND {state} <> hs_state",
        }

    fall, y1 = "coalesce(fall, FALSE)", "coalesce(y1, FALSE)"
    persisted, retained = f"({y1} AND coalesce(y2, FALSE))", f"({y1} AND coalesce(retained, FALSE))"
    done = f"coalesce(first_k <= {N_YEARS}, FALSE)"
    four = f"coalesce(first4_k <= {N_YEARS}, FALSE)"
    two = f"coalesce(first2_k <= {N_YEARS}, FALSE)"
    flags = {
        "graduates": "TRUE",
        "enrolled_fall": fall,
        "enrolled_year1": y1,
        "enrolled_first_two_years": "coalesce(y1 OR y2, FALSE)",
        "persisted": persisted,
        "retained": retained,
        f"completed_{N_YEARS}yr": done,
        **split("enrolled_fall", fall, "f"),
        **split("enrolled_year1", y1, "y"),
        **split("persisted", persisted, "y"),
        **split("retained", retained, "y"),
        f"completed_{N_YEARS}yr_4year": f"{done} AND {four}",
        f"completed_{N_YEARS}yr_2year": f"{done} AND {two} AND NOT {four}",
        **{f"first_degree_in_year_{k}": f"first_k = {k}" for k in range(1, PROGRESS_YEARS + 1)},
    }
    return f"""
    WITH {duckdb_common(as_of)},
    fall_college AS (
        SELECT sid, college_type AS f_type, college_control AS f_control, college_state AS f_state
        FROM en WHERE fall
        QUALIFY row_number() OVER (PARTITION BY sid ORDER BY {order}) = 1
    ),
    year1_college AS (
        SELECT sid, left(code, 6) AS y1_inst, college_type AS y_type,
               college_control AS y_control, college_state AS y_state
        FROM en WHERE k = 1
        QUALIFY row_number() OVER (PARTITION BY sid ORDER BY {order}) = 1
    ),
    per AS (
        SELECT sid, bool_or(fall) AS fall, bool_or(k = 1) AS y1, bool_or(k = 2) AS y2
        FROM en GROUP BY sid
    ),
    ret AS (
        SELECT DISTINCT en.sid, TRUE AS retained
        FROM en JOIN year1_college y ON en.sid = y.sid
        WHERE en.k = 2 AND left(en.code, 6) = y.y1_inst
    ),
    flags AS (
        SELECT st.hs, st.cls, st.hs_state, per.fall, per.y1, per.y2, ret.retained,
               deg.first_k, deg.first4_k, deg.first2_k,
               f.f_type, f.f_control, f.f_state, y.y_type, y.y_control, y.y_state
        FROM st LEFT JOIN per ON st.sid = per.sid LEFT JOIN ret ON st.sid = ret.sid
        LEFT JOIN deg ON st.sid = deg.sid LEFT JOIN fall_college f ON st.sid = f.sid
        LEFT JOIN year1_college y ON st.sid = y.sid
    ),
    {_grouped(flags, as_of, "flags")}
    """


def duckdb_job(tables: dict[str, Any], as_of: dt.date, task: str) -> Callable[[], Counts]:
    import duckdb

    con = duckdb.connect()
    for name, arrow in tables.items():
        con.register(f"{name}_arrow", arrow)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_arrow")
        con.unregister(f"{name}_arrow")
    sql = duckdb_kpis_sql(as_of) if task == "kpis" else duckdb_reports_sql(as_of)
    measures = KPI_MEASURES if task == "kpis" else REPORT_MEASURES

    def run() -> Counts:
        rows = con.execute(sql).fetchall()
        return _rows_counts(rows, measures)

    return run


def _rows_counts(rows: list[tuple[Any, ...]], measures: tuple[str, ...]) -> Counts:
    out: Counts = {}
    for hs, cls, *values in rows:
        for m, v in zip(measures, values, strict=True):
            out[(str(hs), int(cls), m)] = -1 if v is None else int(v)
    return out


def polars_job(tables: dict[str, Any], as_of: dt.date, task: str) -> Callable[[], Counts]:
    import polars as pl

    frames = {name: pl.from_arrow(arrow) for name, arrow in tables.items()}
    students, enrollments, degrees, titles = (
        frames["students"],
        frames["enrollments"],
        frames["degrees"],
        frames["titles"].with_columns(pl.col("degree_title", "college_type").cast(pl.Categorical)),
    )
    a_now = _a_now(as_of)

    def academic(day: pl.Expr) -> pl.Expr:
        before = (day.dt.month() < 8) | ((day.dt.month() == 8) & (day.dt.day() < 15))
        return day.dt.year().cast(pl.Int32) - before.cast(pl.Int32)

    def run() -> Counts:
        st = students.filter(pl.col("hs_grad_date").is_not_null()).select(
            "sid",
            hs=pl.col("high_school_code")
            .cast(pl.String)
            .str.strip_chars()
            .replace("", None)
            .fill_null("UNKNOWN"),
            grad=pl.col("hs_grad_date"),
            cls=pl.col("hs_grad_date").dt.year().cast(pl.Int32)
            + (pl.col("hs_grad_date").dt.month() >= 9).cast(pl.Int32),
        )
        status = pl.col("enrollment_status").cast(pl.String)
        en = (
            enrollments.filter(
                (status.is_null() | status.is_in(["F", "Q", "H", "L", ""]))
                & pl.col("college_type").cast(pl.String).is_in(["4", "2", "L"])
            )
            .join(st.select("sid", "grad", "cls"), on="sid")
            .filter(pl.col("begin_date") >= pl.col("grad"))
            .select(
                "sid",
                "begin_date",
                code=pl.col("college_code").cast(pl.String),
                k=academic(pl.col("begin_date")) - pl.col("cls") + 1,
                fall=pl.col("begin_date").is_between(
                    pl.date(pl.col("cls"), 8, 15), pl.date(pl.col("cls"), 10, 31)
                ),
                neg_rank=-status.replace_strict(
                    {"F": 4, "Q": 3, "H": 2, "L": 1}, default=0, return_dtype=pl.Int8
                ),
                neg_len=-(pl.col("end_date") - pl.col("begin_date")).dt.total_days().fill_null(0),
            )
        )
        tie = ["begin_date", "neg_rank", "neg_len", "code"]
        per = en.group_by("sid").agg(
            fall=pl.col("fall").any(),
            y1=(pl.col("k") == 1).any(),
            y2=(pl.col("k") == 2).any(),
        )
        # The year-1 college by the tie rule: only its institution is used.
        year1 = (
            en.filter(pl.col("k") == 1)
            .group_by("sid")
            .agg(y1_inst=pl.col("code").sort_by(tie).first().str.slice(0, 6))
        )
        ret = (
            en.filter(pl.col("k") == 2)
            .join(year1, on="sid")
            .filter(pl.col("code").str.slice(0, 6) == pl.col("y1_inst"))
            .select("sid")
            .unique()
            .with_columns(retained=pl.lit(True))
        )
        dg = (
            degrees.join(titles, on=["degree_title", "college_type"], nulls_equal=True)
            .filter(pl.col("kind").is_in(["4-year", "2-year"]))
            .join(st.select("sid", "grad", "cls"), on="sid")
            .filter(pl.col("award_date") >= pl.col("grad"))
            .group_by("sid")
            .agg(first_k=(academic(pl.col("award_date")) - pl.col("cls") + 1).clip(0).min())
        )
        flags = (
            st.join(per, on="sid", how="left")
            .join(ret, on="sid", how="left")
            .join(dg, on="sid", how="left")
            .with_columns(pl.col("fall", "y1", "y2", "retained").fill_null(False))
            .select(
                "hs",
                "cls",
                graduates=pl.lit(True),
                enrolled_fall=pl.col("fall"),
                enrolled_year1=pl.col("y1"),
                enrolled_first_two_years=pl.col("y1") | pl.col("y2"),
                persisted=pl.col("y1") & pl.col("y2"),
                retained=pl.col("y1") & pl.col("retained"),
                **{f"completed_{N_YEARS}yr": (pl.col("first_k") <= N_YEARS).fill_null(False)},
            )
        )
        sums = [pl.col(m).sum() for m in KPI_MEASURES]
        by_school = flags.group_by("hs", "cls").agg(sums)
        account = flags.group_by("cls").agg(sums).with_columns(hs=pl.lit(ALL))
        counts = pl.concat([by_school, account.select(by_school.columns)])
        over = pl.lit(a_now) - pl.col("cls")
        fall_over = pl.lit(as_of) > pl.date(pl.col("cls"), 10, 31)
        need = {
            "graduates": pl.lit(True),
            "enrolled_fall": fall_over,
            "enrolled_year1": over >= 1,
            "enrolled_first_two_years": over >= 2,
            "persisted": over >= 2,
            "retained": over >= 2,
            f"completed_{N_YEARS}yr": over >= N_YEARS,
        }
        shown = counts.select(
            "hs", "cls", *(pl.when(need[m]).then(pl.col(m)).alias(m) for m in KPI_MEASURES)
        )
        return _rows_counts(shown.rows(), KPI_MEASURES)

    return run


# --- one side in this process --------------------------------------------------------------


def run_side(side: str, task: str, per_class: int, seed: int, repeat: int, out: Path) -> None:
    hs = synthetic_high_schools(per_class, seed=seed, shape=SHAPE)
    columns = hs.columns
    if side == "library":
        job = library_job(columns, hs.as_of, task)
    else:
        tables = peer_tables(columns)
        job = (duckdb_job if side == "duckdb" else polars_job)(tables, hs.as_of, task)
        del tables
    info = {
        "students": columns.n_students,
        "enrollments": columns.enrollments.n_rows,
        "degrees": columns.degrees.n_rows,
        "as_of": hs.as_of.isoformat(),
    }
    reset_peak()
    f0, t0, c0 = faults(), time.perf_counter(), time.process_time()
    counts = job()
    first = (time.perf_counter() - t0, time.process_time() - c0, faults() - f0)
    walls, cpus = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        job()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    result = {
        **info,
        "first_wall": first[0],
        "first_cpu": first[1],
        "first_faults": first[2],
        "walls": walls,
        "cpus": cpus,
        "peak_mib": peak_mib(),
        "counts": [[*k, v] for k, v in counts.items()],
    }
    out.write_text(json.dumps(result))


def spawn(side: str, task: str, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    out = folder / f"{side}-{task}.json"
    command = [
        sys.executable,
        __file__,
        "--side",
        side,
        "--task",
        task,
        "--per-class",
        str(args.per_class),
        "--seed",
        str(args.seed),
        "--repeat",
        str(args.repeat),
        "--out",
        str(out),
    ]
    subprocess.run(command, check=True)
    result: dict[str, Any] = json.loads(out.read_text())
    result["counts"] = {(h, int(c), m): int(v) for h, c, m, v in result["counts"]}
    return result


def compare(ours: Counts, theirs: Counts) -> int:
    """Differences between two sets of counts (a group the peer has no row for counts 0)."""
    bad = 0
    for key, mine in ours.items():
        other = theirs.get(key, 0 if mine >= 0 else -1)
        bad += mine != other
    bad += sum(1 for key in theirs if key not in ours)
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--per-class", type=int, default=60_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="calls after the first")
    parser.add_argument("--side", choices=("library", "duckdb", "polars"), help=argparse.SUPPRESS)
    parser.add_argument("--task", choices=("kpis", "reports"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--tasks", default="kpis,reports", help="which tasks to run (comma-separated)"
    )
    args = parser.parse_args()
    if args.side:
        run_side(args.side, args.task, args.per_class, args.seed, args.repeat, args.out)
        return

    import duckdb
    import polars as pl

    versions = {"library": "edoutcomes", "duckdb": f"DuckDB {duckdb.__version__}"}
    versions["polars"] = f"polars {pl.__version__}"
    plan = {"kpis": ("library", "duckdb", "polars"), "reports": ("library", "duckdb")}
    with tempfile.TemporaryDirectory() as tmp:
        for task in args.tasks.split(","):
            results = {side: spawn(side, task, args, Path(tmp)) for side in plan[task]}
            ours = results["library"]
            measures = KPI_MEASURES if task == "kpis" else REPORT_MEASURES
            print(
                f"\n{task}: {ours['students']:,} students, {ours['enrollments']:,} enrollments, "
                f"{ours['degrees']:,} degrees, as of {ours['as_of']}; "
                f"{len(measures)} counts per (high school, class) and per class"
            )
            warm = {side: statistics.median(r["walls"]) for side, r in results.items()}
            for side, r in results.items():
                same = "" if side == "library" else f", same counts: {_same(ours, r)}"
                print(
                    f"  {versions[side]:<16} first call {r['first_wall']:5.2f} s "
                    f"({r['first_cpu']:5.2f} s CPU, {r['first_faults']:>7,} page faults), "
                    f"warm {warm[side]:5.2f} s ({statistics.median(r['cpus']):5.2f} s CPU), "
                    f"peak RSS {r['peak_mib']:6,.0f} MiB{same}"
                )
            cpu = {side: statistics.median(r["cpus"]) for side, r in results.items()}
            for side, r in results.items():
                if side != "library":
                    print(
                        f"  library vs {versions[side]}: {r['first_wall'] / ours['first_wall']:.2f}x "
                        f"faster on the first call, {warm[side] / warm['library']:.2f}x warm "
                        f"(CPU time: {r['first_cpu'] / ours['first_cpu']:.2f}x and "
                        f"{cpu[side] / cpu['library']:.2f}x; target >= 2x against DuckDB)"
                    )


def _same(ours: dict[str, Any], theirs: dict[str, Any]) -> str:
    bad = compare(ours["counts"], theirs["counts"])
    n = len(ours["counts"])
    return f"yes ({n:,})" if bad == 0 else f"NO ({bad:,} of {n:,} differ)"


if __name__ == "__main__":
    main()
