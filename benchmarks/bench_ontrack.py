"""
Benchmark: Oregon on-track at state size.

200,000 students (50,000 first-time ninth graders), 3,000,000 transcript marks and
400,000 program participations: eligibility with every reason, the explanations file
and the extract (built, validated and written as the submission CSV). Prints the time
and peak memory of each step, and the ratio against a pandas groupby of the same
earned-credit core measured in the same run (when pandas is installed).

Run: python benchmarks/bench_ontrack.py [--students N] [--marks M]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import resource
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from edoutcomes.formats import write
from edoutcomes.ontrack import build_extract, eligibility, validate_extract
from edoutcomes.synth import synthetic_k12

AS_OF = dt.date(2024, 6, 20)


def timed(label: str, job: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = job()
    seconds = time.perf_counter() - start
    print(f"{label:<48} {seconds:8.2f} s")
    return result, seconds


def pipeline(data: Any) -> tuple[float, float, float, Any, Any]:
    """Eligibility, the explanations file and the extract (built and written): the target."""
    start = time.perf_counter()
    result = eligibility(data, "2023-24", as_of=AS_OF)
    t_eligibility = time.perf_counter() - start
    explanations = io.BytesIO()
    write(result.explanations(), explanations, "oregon-ontrack-explanations")
    t_explanations = time.perf_counter() - start - t_eligibility
    extract = build_extract(result)
    submission = io.BytesIO()
    write(extract, submission, "oregon-ontrack-csv")
    t_extract = time.perf_counter() - start - t_eligibility - t_explanations
    return t_eligibility, t_explanations, t_extract, result, extract


def pandas_core(data: Any) -> Any:
    """The earned-credit core (credit sums and the enrollment check) as a pandas groupby."""
    import numpy as np
    import pandas as pd

    marks = data.marks.data
    frame = pd.DataFrame(
        {
            "student": data.mark_student,
            "credits": marks["credits_earned"],
            "ok": (marks["hs_credit"] != 0) & (marks["latest"] != 0) & (marks["finalized"] != 0),
            "date": marks["mark_date"],
        }
    )
    first = (dt.date(2023, 7, 1) - dt.date(1970, 1, 1)).days
    last = (dt.date(2024, 6, 30) - dt.date(1970, 1, 1)).days
    frame = frame[frame.ok & frame.date.between(first, last) & (frame.student >= 0)]
    credits = (
        frame.groupby("student")["credits"].sum().reindex(range(data.n_students), fill_value=0)
    )
    e = data.enrollments.data
    enrolled = (
        pd.Series((e["no_show"] != 1) & (e["state_exclude"] != 1), index=data.enrollment_student)
        .groupby(level=0)
        .any()
    )
    return np.asarray(credits) >= 6.0, enrolled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=200_000)
    parser.add_argument("--ninth-graders", type=int, default=50_000)
    parser.add_argument("--marks", type=int, default=3_000_000)
    parser.add_argument("--participations", type=int, default=400_000)
    args = parser.parse_args()

    data, _ = timed(
        "synthetic data (not part of the target)",
        lambda: synthetic_k12(
            args.students,
            seed=7,
            ninth_graders=args.ninth_graders,
            marks=args.marks,
            participations=args.participations,
        ),
    )
    print(
        f"  {data.n_students:,} students, {data.marks.n_rows:,} marks, "
        f"{data.participations.n_rows:,} participations, {data.enrollments.n_rows:,} enrollments"
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # Time without tracing (tracemalloc slows every Python allocation), then trace for memory.
    t_eligibility, t_explanations, t_extract, result, extract = pipeline(data)
    total = t_eligibility + t_explanations + t_extract
    print(f"{'eligibility (every student, every reason)':<48} {t_eligibility:8.2f} s")
    print(f"{'explanations file (CSV, every student)':<48} {t_explanations:8.2f} s")
    print(f"{'extract (derive + submission CSV)':<48} {t_extract:8.2f} s")
    print(f"{'TOTAL (target < 10 s)':<48} {total:8.2f} s")
    print(f"  reported {result.n_reported:,} of {len(result):,}; extract {len(extract):,} rows")
    tracemalloc.start()
    pipeline(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{'peak memory of the pipeline (target < 1 GB)':<48} {peak / 2**20:8.1f} MiB (tracemalloc)"
    )
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  process peak RSS {rss_after:.0f} MiB (data generation included; {rss_before:.0f} MiB before)"
    )
    timed("validate the extract against the rules", lambda: validate_extract(extract, result))

    try:
        import pandas  # noqa: F401
    except ImportError:
        print("pandas not installed: no peer measured")
    else:
        _, peer = timed("peer: pandas groupby of the credit core only", lambda: pandas_core(data))
        _, ours = timed(
            "ours: eligibility (whole rule, every reason)",
            lambda: eligibility(data, "2023-24", as_of=AS_OF),
        )
        print(f"  ratio ours/peer = {ours / peer:.2f} (ours does the whole rule and every reason)")


if __name__ == "__main__":
    main()
