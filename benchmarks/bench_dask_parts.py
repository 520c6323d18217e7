"""
Benchmark: the cohort detail report written in parallel (``edoutcomes.dask.cohort_query(out=...)``).

Generates ``--students`` students (default 300,000; ``synthetic_cohort``), writes them as a
dataset partitioned by student (``--buckets`` buckets, not timed), then times, from that
dataset:

- **one process**: read it with pyarrow, ``cohort_query`` and write the ``nsc-detail`` CSV;
- **cluster, to the client**: a two-worker ``LocalCluster``, ``cohort_query(detail=True)``
  (the detail rows travel to the client as Arrow) and the client writes them as Parquet
  (the client has no nsc-detail writer for Arrow rows), after an untimed counts-only run
  that starts the workers' imports;
- **cluster, parts**: the same cluster, ``cohort_query(out=..., format="csv")``: the students
  moved into ranges, each worker writing its part.

Checks the CSV parts joined equal the one-process file byte for byte. Prints wall times and
the bytes written. Needs the ``dask`` extra. Run under the lock:
``flock /work/bench.lock python benchmarks/bench_dask_parts.py``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from edoutcomes import dask as eddask
from edoutcomes.cohort import cohort_query
from edoutcomes.formats import write
from edoutcomes.model import CohortColumns
from edoutcomes.synth import synthetic_cohort


def _read(root: Path) -> CohortColumns:
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = []
    for name in ("students", "enrollments", "degrees"):
        table = pq.read_table(root / name)
        tables.append(table.sort_by("row").drop_columns(["row", "bucket"]))
    return CohortColumns.from_arrow(*(pa.table(t) for t in tables))


def main() -> None:
    import pyarrow.parquet as pq
    from distributed import Client, LocalCluster

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--students", type=int, default=300_000)
    parser.add_argument("--buckets", type=int, default=8)
    args = parser.parse_args()
    synthetic = synthetic_cohort(args.students, seed=1)
    c = synthetic.columns
    query = {"search_date": synthetic.search_date, "institution": synthetic.institution,
             "as_of": synthetic.as_of}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-parts-") as tmp:
        root = Path(tmp)
        tables = [t.to_arrow() for t in (c.students, c.enrollments, c.degrees)]
        eddask.write_partitioned(root / "data", *tables, n_buckets=args.buckets)
        del synthetic, c, tables
        print(f"{args.students:,} students in {args.buckets} buckets")

        start = time.perf_counter()
        result = cohort_query(_read(root / "data"), **query)
        write(result.detail, root / "one.csv", "nsc-detail")
        one = time.perf_counter() - start
        size = (root / "one.csv").stat().st_size
        print(f"  one process, read + query + nsc-detail CSV : {one:7.1f} s   {size / 1e6:7.1f} MB")

        with (
            LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0") as cluster,
            Client(cluster),
        ):
            eddask.cohort_query(root / "data", detail=False, **query)  # warm the workers up
            start = time.perf_counter()
            combined = eddask.cohort_query(root / "data", **query)
            pq.write_table(combined.detail, root / "client.parquet")
            client = time.perf_counter() - start
            print(f"  cluster, detail to the client (Parquet)     : {client:7.1f} s")

            start = time.perf_counter()
            eddask.cohort_query(root / "data", out=root / "parts", format="csv", **query)
            parts = time.perf_counter() - start
            files = sorted((root / "parts" / "detail").iterdir())
            print(f"  cluster, out= CSV parts ({len(files)} parts)          : {parts:7.1f} s")
        blobs = [p.read_bytes() for p in files]
        joined = blobs[0] + b"".join(b.split(b"\n", 1)[1] for b in blobs[1:])
        same = joined == (root / "one.csv").read_bytes()
        print(f"  parts joined equal the one-process file: {same}")
        print(f"  ratios to one process: to the client {client / one:.2f}, parts {parts / one:.2f}")
        if not same:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
