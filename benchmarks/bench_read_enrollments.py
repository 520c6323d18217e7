"""
Benchmark: read a canonical enrollments CSV into the columnar view, against bare CSV readers.

    python benchmarks/bench_read_enrollments.py [--rows N] [--repeat R] [--keep PATH]

Writes an N-row (default 1,000,000) canonical enrollments CSV from ``edoutcomes.synth``
(5,000 colleges) with ``edoutcomes.formats.write_table``, and the same rows fully quoted
(every field in quotes, as pandas, pyarrow, Excel and most SIS exports write them), then
times on both files, alternating, in the same run:

- ours: ``edoutcomes.formats.read_table(path, "enrollments")``, every value parsed and
  checked, into the columnar ``Table``;
- ``pyarrow.csv.read_csv`` with every column a dictionary-encoded string (the bare read
  that ours is built on: the target is ours <= 1.5x it);
- ``polars.read_csv(path, infer_schema=False)`` (every column a string);
- DuckDB ``read_csv(path, all_varchar=true)`` fetched as Arrow;
- pandas, as an analyst would: ``pandas.read_csv(path, dtype=str, keep_default_na=False)``,
  then ``pandas.to_datetime`` on ``begin_date`` and ``end_date``.

Each reader runs R times, the readers alternating; the best time counts (wall clock, and
CPU time), and the ratio of the medians is printed beside it (the machine may be shared). Peak memory of
our reader is the peak resident set size of a fresh subprocess that imports edoutcomes and
reads the file. Targets: ours <= 1.5x pyarrow on both files, under 1 GB.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from edoutcomes.formats import read_table, write_table
from edoutcomes.model import Table

TARGET_RATIO = 1.5  # ours / pyarrow's bare read
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


def _timed(job: Any) -> tuple[float, float]:
    start, cpu = time.perf_counter(), time.process_time()
    job()
    return time.perf_counter() - start, time.process_time() - cpu


def _pyarrow(path: Path) -> Any:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    header = path.open(encoding="utf-8").readline().strip().split(",")
    kind = pa.dictionary(pa.int32(), pa.string())
    names = [h.strip('"') for h in header]
    return pacsv.read_csv(
        path, convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, kind))
    )


def _polars(path: Path) -> Any:
    import polars as pl

    return pl.read_csv(path, infer_schema=False)


def _duckdb(path: Path) -> Any:
    import duckdb

    con = duckdb.connect()
    return con.sql(f"SELECT * FROM read_csv('{path}', all_varchar=true)").to_arrow_table()


def _quoted_copy(path: Path, out: Path) -> None:
    import pyarrow.csv as pacsv

    table = _pyarrow(path)
    table = table.cast(
        __import__("pyarrow").schema(
            [(f.name, __import__("pyarrow").string()) for f in table.schema]
        )
    )
    pacsv.write_csv(table, out, pacsv.WriteOptions(quoting_style="all_valid"))


def _time_pandas(path: Path) -> Any:
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in ("begin_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


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
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the CSV here and keep it")
    args = parser.parse_args(argv)

    peers: dict[str, Any] = {
        "edoutcomes read_table": lambda p: read_table(p, "enrollments"),
        "pyarrow read_csv (dict strings)": _pyarrow,
        "polars read_csv (strings)": _polars,
        "DuckDB read_csv (varchar)": _duckdb,
        "pandas read_csv + dates": _time_pandas,
    }
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "enrollments.csv"
        start = time.perf_counter()
        table = enrollments(args.rows)
        generated = time.perf_counter() - start
        write_table(table, path)
        del table
        quoted = Path(tmp) / "enrollments_quoted.csv"
        _quoted_copy(path, quoted)
        size_mb = path.stat().st_size / 2**20
        print(
            f"rows: {args.rows:,}  file: {size_mb:.0f} MB plain, "
            f"{quoted.stat().st_size / 2**20:.0f} MB quoted (generated in {generated:.1f} s)"
        )
        for label, file in (("plain", path), ("fully quoted", quoted)):
            runs: dict[str, list[tuple[float, float]]] = {name: [] for name in peers}
            for _ in range(args.repeat):
                for name, job in peers.items():
                    runs[name].append(_timed(lambda job=job, file=file: job(file)))
            best = {name: min(t for t, _ in r) for name, r in runs.items()}
            cpu = {name: min(c for _, c in r) for name, r in runs.items()}
            ours = best["edoutcomes read_table"]
            ratio = ours / best["pyarrow read_csv (dict strings)"]
            ok &= ratio <= TARGET_RATIO
            print(f"{label}:")
            for name in peers:
                print(
                    f"  {name:<32} {best[name]:6.2f} s  CPU {cpu[name]:6.2f} s  "
                    f"ours/this {ours / best[name]:5.2f}x"
                )
            median = statistics.median(t for t, _ in runs["edoutcomes read_table"]) / (
                statistics.median(t for t, _ in runs["pyarrow read_csv (dict strings)"])
            )
            print(
                f"  read_table / pyarrow: {ratio:.2f}x best, {median:.2f}x median "
                f"(target <= {TARGET_RATIO}x)"
            )
        peak, base = _peak_mb_subprocess(path)
    print(
        f"peak RSS of our reader: {peak:.0f} MB (after imports: {base:.0f} MB; target < {TARGET_MB} MB)"
    )
    ok &= peak < TARGET_MB
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
