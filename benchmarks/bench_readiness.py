"""
Benchmark: California college readiness at state size.

500,000 students with full transcripts of a seven-period day (about 57 marks each, some 28.5
million marks; the generator's ``periods=7``): a-g
completion for UC and CSU (repeats, validation, roll-over, sub-rules, 11-before-12) and all
five GPAs, against polars computing, from the same in-memory tables (``transcript_marks`` and
the course list, handed to polars as Arrow with their text columns dictionary-encoded), the UC
unweighted and capped GPAs and the a-g years by area per student (no repeats, no validation:
the library does those on top). Both timers start after the data are in memory; the student
counts of the part both compute are compared.

Peak memory is the process's peak resident set (VmHWM), reset after generating the data, so it
is the data plus what the engine needs at its highest; the generator's own peak is printed too.

Run: python benchmarks/bench_readiness.py [--students N] [--repeat R] (needs the bench extra)
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime as dt
import gc
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from edoutcomes.readiness import evaluate
from edoutcomes.synth import synthetic_readiness

AS_OF = dt.date(2025, 7, 15)
AREAS = "abcdefg"
_STATUS = Path("/proc/self/status")


def reset_peak() -> None:
    """
    Start a new peak-RSS measurement (Linux: ``/proc/self/clear_refs``); a no-op elsewhere.

    The heap the generator freed is first handed back to the system (glibc ``malloc_trim``),
    so the peak counts the data and what the measured code holds, not the generator's leftovers.
    """
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_mib() -> float:
    """The resident-set peak since :func:`reset_peak` (VmHWM), in MiB."""
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mib() -> float:
    for line in _STATUS.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


_POINTS = {f"{letter}{sign}": 4 - k for k, letter in enumerate("ABCD") for sign in ("+", "", "-")}
_POINTS["F"] = 0


def polars_peer(marks: Any, course_list: Any, as_of: dt.date) -> tuple[Any, Any]:
    """
    UC unweighted and capped GPAs and a-g years by area per student, in polars, from the tables.

    What the library's rules need and a careful analyst would write: marks up to *as_of*
    in the four mapped terms with a letter A-F and a grade level 7-12, their area and honors
    from the course list in the mark's school year, the GPA window and the a-g units. Codes are
    mapped by joining small lookup tables on the categoricals (three times faster than a
    per-row ``replace_strict``), and the years by area are one row per student with a column
    per area (a group-by on student alone: grouping on (student, area) takes four times as
    long); a student's pairs are the areas with a counted mark.
    """
    import polars as pl

    def start_year(column: str) -> Any:
        return pl.col(column).cast(pl.String).str.head(4).cast(pl.Int32, strict=False)

    def lookup(column: str, values: dict[str, int], name: str) -> Any:
        return pl.LazyFrame(
            {column: list(values), name: list(values.values())},
            schema={column: pl.Categorical, name: pl.Int32},
        )

    listed = (
        course_list.lazy()
        .select(
            "school_id",
            "course_id",
            pl.col("ag_area").alias("list_area"),
            pl.col("honors_type").is_not_null().alias("list_honors"),
            start_year("approved_from").alias("from_year"),
            start_year("approved_to").alias("to_year"),
        )
        .filter(pl.col("list_area").is_not_null())
    )
    term = pl.col("term_kind")
    grades_map = {str(g): g for g in range(7, 13)} | {f"0{g}": g for g in range(7, 10)}
    years_map = {f"{y}-{(y + 1) % 100:02d}": y for y in range(1990, 2060)}
    base = (
        marks.lazy()
        .filter(pl.col("mark_date") <= as_of, term.is_in(["fall", "spring", "year", "summer"]))
        .join(lookup("letter_grade", _POINTS, "points"), on="letter_grade", how="inner")
        .join(lookup("grade_level", grades_map, "grade"), on="grade_level", how="inner")
        .join(lookup("school_year", years_map, "year"), on="school_year", how="left")
        .join(listed, on=["school_id", "course_id"], how="inner")
        .filter(
            (pl.col("from_year").is_null() | (pl.col("year") >= pl.col("from_year")))
            & (pl.col("to_year").is_null() | (pl.col("year") <= pl.col("to_year")))
        )
    )
    college = pl.col("is_college_course").fill_null(False)
    window = (
        pl.when(term == "summer")
        .then(pl.col("grade").is_between(9, 11))
        .otherwise(pl.col("grade").is_between(10, 11))
    )
    grades = pl.when(college).then(1).when(term == "year").then(2).otherwise(1)
    honors = (pl.col("points") >= 2) & (pl.col("list_honors") | college)
    gpa = (
        base.filter(window)
        .with_columns(g=grades, p=pl.col("points") * grades, h=honors, t=pl.col("grade") <= 10)
        .group_by("student_id")
        .agg(
            pl.col("g").sum().alias("grades"),
            pl.col("p").sum().alias("points"),
            (pl.col("g") * (pl.col("h") & pl.col("t"))).sum().alias("h10"),
            (pl.col("g") * (pl.col("h") & ~pl.col("t"))).sum().alias("h11"),
        )
        .with_columns(
            uc_unweighted=(pl.col("points") * 100) // pl.col("grades"),
            uc_capped=(
                (
                    pl.col("points")
                    + pl.min_horizontal(pl.min_horizontal(pl.col("h10"), 4) + pl.col("h11"), 8)
                )
                * 100
            )
            // pl.col("grades"),
        )
    )
    full_college = (
        pl.when(pl.col("college_unit_type") == "quarter")
        .then(pl.col("college_units") >= 4)
        .otherwise(pl.col("college_units") >= 3)
    )
    units = (
        pl.when(college)
        .then(pl.when(full_college).then(2).otherwise(0))
        .when(term == "year")
        .then(2)
        .otherwise(1)
    )
    capable = (pl.col("grade") >= 9) | (
        pl.col("grade").is_between(7, 8)
        & pl.col("list_area").is_in(["c", "e"])
        & pl.col("hs_accepted").fill_null(False)
    )
    area = pl.col("list_area")
    years = (
        base.filter((pl.col("points") >= 2) & capable)
        .with_columns(u=units)
        .group_by("student_id")
        .agg(
            *[(pl.col("u") * (area == a)).sum().alias(a) for a in AREAS],
            pl.sum_horizontal(*[(area == a).any() for a in AREAS]).alias("areas"),
        )
    )
    gpa_frame, years_frame = pl.collect_all([gpa, years])
    return gpa_frame, years_frame


def timed(label: str, runs: list[float], cpu: list[float]) -> str:
    listed = ", ".join(f"{t:.2f}" for t in runs)
    return (
        f"{label}: median {statistics.median(runs):.2f} s, best {min(runs):.2f} s ({listed});"
        f" CPU median {statistics.median(cpu):.2f} s (all threads)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each side")
    args = parser.parse_args()

    start = time.perf_counter()
    data = synthetic_readiness(args.students, seed=11, as_of=AS_OF, seniors_only=True, periods=7)
    print(f"synthetic data (not timed): {time.perf_counter() - start:.1f} s")
    n_marks = data.marks.n_rows
    print(
        f"  {data.n_students:,} students, {n_marks:,} marks ({n_marks / data.n_students:.1f} each)"
    )
    print(f"  generator's peak RSS {peak_mib():,.0f} MiB; the data resident: {rss_mib():,.0f} MiB")

    reset_peak()
    ours: list[float] = []
    ours_cpu: list[float] = []
    for _ in range(args.repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = evaluate(data, AS_OF)
        ours.append(time.perf_counter() - start)
        ours_cpu.append(time.process_time() - cpu)
    print(
        timed(
            "ours: a-g UC + CSU (repeats, validation, roll-over, sub-rules) + 5 GPAs + pace",
            ours,
            ours_cpu,
        )
    )
    print(f"  UC met {int(result.uc_met.sum()):,}, CSU met {int(result.csu_met.sum()):,}")
    print(f"  peak RSS during ours (data included): {peak_mib():,.0f} MiB")
    has_gpa = int((result.uc_unweighted >= 0).sum())

    try:
        import polars as pl
    except ImportError:
        print("polars not installed (pip install 'edoutcomes[bench]'): no peer measured")
        return
    marks = pl.from_arrow(data.marks.to_arrow())
    course_list = pl.from_arrow(data.course_list.to_arrow())
    reset_peak()
    peer: list[float] = []
    peer_cpu: list[float] = []
    for _ in range(args.repeat):
        start, cpu = time.perf_counter(), time.process_time()
        gpa, years = polars_peer(marks, course_list, AS_OF)
        peer.append(time.perf_counter() - start)
        peer_cpu.append(time.process_time() - cpu)
    print(
        timed(
            f"polars {pl.__version__}: UC unweighted + capped GPAs + a-g years by area"
            " (no repeats, no validation)",
            peer,
            peer_cpu,
        )
    )
    print(f"  peak RSS during polars (its copy of the tables included): {peak_mib():,.0f} MiB")
    ratio = statistics.median(peer) / statistics.median(ours)
    print(f"  ratio polars / ours (medians) = {ratio:.2f}x (ours does the whole rule set)")
    cpu_ratio = statistics.median(peer_cpu) / statistics.median(ours_cpu)
    print(f"  ratio of CPU time polars / ours (medians) = {cpu_ratio:.2f}x")

    # The common part: which students have window grades; the GPA where no repeat changes it.
    print(
        f"  students with UC window grades: ours {has_gpa:,}, polars {gpa.height:,}"
        f" ({'equal' if has_gpa == gpa.height else 'DIFFERENT'})"
    )
    ids = data.students.text("student_id")
    row = {student_id: i for i, student_id in enumerate(ids.tolist())}
    sample = gpa.head(200_000)
    at = np.array([row[s] for s in sample["student_id"].cast(pl.String).to_list()])
    same = np.mean(sample["uc_unweighted"].to_numpy() == result.uc_unweighted[at])
    print(
        f"  UC unweighted equal to polars' repeat-free value for {same:.1%} of a sample of"
        " those students (the rest: repeats and duplicates)"
    )
    pairs = int(years["areas"].sum())
    print(f"  (student, area) pairs with years: polars {pairs:,}")


if __name__ == "__main__":
    main()
