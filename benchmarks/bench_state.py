"""
Benchmark: a state's cohort from files to the cohort query, CSV against Parquet input.

    python benchmarks/bench_state.py [--students N] [--repeat R]

Generates a synthetic cohort of N students (default 1,000,000: about 9.5 million enrollment
terms and 700,000 degrees), writes its three canonical tables once as CSV and once as Parquet
(``write_cohort(..., format=...)``), then, each step in a fresh Python process so its peak
memory is its own, alternating the two inputs R times (best time counts):

- read: ``read_cohort(students, enrollments, degrees)`` into the columnar view, strict, and
  lenient (``lenient=True``: the findings returned instead of raised);
- query: the same read, then ``cohort_query`` on the columnar view.

Prints the file sizes, the wall time and the peak resident set size of each step, and the
ratio Parquet / CSV measured in the same run. The figures are in
``docs/how-to/run-on-a-whole-state.md``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from edoutcomes.formats import write_cohort
from edoutcomes.synth import synthetic_cohort

# A fresh process: read (and query), then print the seconds of the work and the peak RSS (MB).
_STEP = """
import sys, time
import pyarrow.csv, pyarrow.parquet  # imported before the clock starts, as a long job has them
from edoutcomes.cohort import cohort_query
from edoutcomes.formats import read_cohort
from edoutcomes.synth import synthetic_cohort

def peak():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) / 1024
    return float('nan')

folder, suffix, step = sys.argv[1:4]
paths = [f"{folder}/{name}.{suffix}" for name in ("students", "enrollments", "degrees")]
start = time.perf_counter()
read = read_cohort(*paths, lenient=step == "lenient")
if step == "query":
    meta = synthetic_cohort(1, seed=int(sys.argv[4]))
    cohort_query(read.columns, search_date=meta.search_date, institution=meta.institution,
                 as_of=meta.as_of)
print(time.perf_counter() - start, peak())
"""

SEED = 11


def _step(folder: Path, suffix: str, step: str) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", _STEP, str(folder), suffix, step, str(SEED)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, peak = (float(x) for x in out.stdout.split())
    return seconds, peak


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        synthetic = synthetic_cohort(args.students, seed=SEED)
        columns = synthetic.columns
        print(
            f"students: {columns.n_students:,}  enrollments: {columns.enrollments.n_rows:,}  "
            f"degrees: {columns.degrees.n_rows:,}  (generated in {time.perf_counter() - start:.1f} s)"
        )
        folders = {"csv": Path(tmp) / "csv", "parquet": Path(tmp) / "parquet"}
        for suffix, folder in folders.items():
            paths = write_cohort(columns, folder, format=suffix)
            size = sum(p.stat().st_size for p in paths) / 2**20
            print(f"{suffix:<8} files: {size:8.0f} MB")
        del synthetic, columns
        best: dict[tuple[str, str], tuple[float, float]] = {}
        for _ in range(args.repeat):
            for step in ("read", "lenient", "query"):
                for suffix, folder in folders.items():
                    seconds, peak = _step(folder, suffix, step)
                    old = best.get((step, suffix))
                    if old is None or seconds < old[0]:
                        best[step, suffix] = (seconds, peak)
    for step in ("read", "lenient", "query"):
        (csv_s, csv_mb), (pq_s, pq_mb) = best[step, "csv"], best[step, "parquet"]
        print(
            f"{step:<8} CSV {csv_s:6.2f} s {csv_mb:6.0f} MB peak | "
            f"Parquet {pq_s:6.2f} s {pq_mb:6.0f} MB peak | Parquet/CSV {pq_s / csv_s:.2f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
