"""
Benchmark: read a canonical enrollments CSV into the columnar view, against pandas.

    python benchmarks/bench_read_enrollments.py [--rows N] [--repeat R] [--keep PATH]

Writes an N-row (default 1,000,000) canonical enrollments CSV from ``edoutcomes.synth``
(5,000 colleges) with ``edoutcomes.formats.write_table``, then times, in the same run:

- ours: ``edoutcomes.formats.read_table(path, "enrollments")``, every value parsed and
  checked, into the columnar ``Table``;
- pandas, as an analyst would: ``pandas.read_csv(path, dtype=str, keep_default_na=False)``,
  then ``pandas.to_datetime`` on ``begin_date`` and ``end_date``.

Each reader runs R times (alternating); the best time counts (wall clock, and CPU time,
which a busy machine disturbs less). Peak memory of our reader is
the peak resident set size of a fresh subprocess that imports edoutcomes and reads the file
(so it includes the interpreter and numpy). Target: no slower than 1.5x pandas, under 1 GB.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from edoutcomes.formats import read_table, write_table
from edoutcomes.model import Table

TARGET_RATIO = 1.5
TARGET_MB = 1024


def enrollments(n_rows: int, *, seed: int = 2024) -> Table:
    """*n_rows* synthetic enrollment rows (about 9 per student; 5,000 colleges)."""
    from edoutcomes.synth import synthetic_cohort

    n_students = max(100, n_rows // 8)
    while True:
        table = synthetic_cohort(n_students, seed=seed, n_colleges=5000).columns.enrollments
        if table.n_rows >= n_rows:
            return table.take(np.arange(n_rows))
        n_students = int(n_students * 1.3) + 1


def _time_ours(path: Path) -> tuple[float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    read = read_table(path, "enrollments")
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    assert read.status.rows_accepted == read.status.rows_read
    return elapsed, used


def _time_pandas(path: Path) -> tuple[float, float]:
    import pandas as pd

    start, cpu = time.perf_counter(), time.process_time()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in ("begin_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column])
    return time.perf_counter() - start, time.process_time() - cpu


def _peak_mb_subprocess(path: Path) -> tuple[float, float]:
    """Peak RSS (MB) of a fresh process reading *path*, and its RSS after imports."""
    # VmHWM (Linux) belongs to the new process image; ru_maxrss would carry over the
    # parent's peak across fork and exec.
    code = (
        "import resource, sys\n"
        "def peak():\n"
        "    try:\n"
        "        with open('/proc/self/status') as f:\n"
        "            for line in f:\n"
        "                if line.startswith('VmHWM:'):\n"
        "                    return int(line.split()[1]) / 1024\n"
        "    except OSError:\n"
        "        pass\n"
        "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "from edoutcomes.formats import read_table\n"
        "base = peak()\n"
        "read_table(sys.argv[1], 'enrollments')\n"
        "print(base, peak())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    base, peak = (float(x) for x in out.stdout.split())
    return peak, base


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="write the CSV here and keep it")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "enrollments.csv"
        start = time.perf_counter()
        table = enrollments(args.rows)
        generated = time.perf_counter() - start
        start = time.perf_counter()
        write_table(table, path)
        written = time.perf_counter() - start
        size_mb = path.stat().st_size / 2**20
        print(f"rows: {table.n_rows:,}  file: {size_mb:.0f} MB")
        print(f"generate (edoutcomes.synth): {generated:.2f} s   write_table: {written:.2f} s")
        del table

        ours, theirs = [], []
        for _ in range(args.repeat):
            ours.append(_time_ours(path))
            theirs.append(_time_pandas(path))
        best_ours, best_pandas = min(t for t, _ in ours), min(t for t, _ in theirs)
        cpu_ours, cpu_pandas = min(c for _, c in ours), min(c for _, c in theirs)
        ratio = best_ours / best_pandas
        peak, base = _peak_mb_subprocess(path)

    runs_ours = ", ".join(f"{t:.2f}" for t, _ in ours)
    runs_pandas = ", ".join(f"{t:.2f}" for t, _ in theirs)
    print(f"edoutcomes read_table : {best_ours:.2f} s, CPU {cpu_ours:.2f} s   (runs: {runs_ours})")
    print(
        f"pandas read_csv+dates : {best_pandas:.2f} s, CPU {cpu_pandas:.2f} s   (runs: {runs_pandas})"
    )
    print(
        f"ratio ours/pandas     : {ratio:.2f}x wall, {cpu_ours / cpu_pandas:.2f}x CPU "
        f"(target <= {TARGET_RATIO}x)"
    )
    print(
        f"peak RSS of our reader: {peak:.0f} MB (after imports: {base:.0f} MB; target < {TARGET_MB} MB)"
    )
    print(
        f"this process peak RSS : {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    ok = ratio <= TARGET_RATIO and peak < TARGET_MB
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
