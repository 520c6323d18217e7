"""
Benchmark: an engine from a dataset partitioned by student, one process vs a two-worker cluster.

``--engine cohort`` (default) generates ``--students`` students (default 3,000,000;
``edoutcomes.synth.synthetic_cohort``); ``--engine highschool`` as many graduates in eight
classes (``synthetic_high_schools``). It writes them with ``edoutcomes.dask.write_partitioned``
(``--buckets`` buckets, not timed), then:

- **one process** (a fresh subprocess, for its peak RSS): read the whole dataset with
  pyarrow, build the columnar view, the query's one partial and combine (cohort: control
  report and tables; high school: the four reports, ``arr=False``);
- **cluster**: a ``distributed.LocalCluster`` of two single-threaded worker processes, one
  task per bucket (read, build, partial on the worker), the partials gathered and combined
  on the client.

Prints wall time, the split (read / build / compute per task summed; transfer = gathering the
finished partials; combine), each worker's peak RSS, and an estimate for 100,000,000 students
on 32 workers from the per-student figures. The detail report and the ARR are left out
(``detail=False``, ``arr=False``): only counts travel. Both sides' results are checked equal.

Needs the ``dask`` extra. Run under the lock: ``flock /work/bench.lock python benchmarks/bench_dask.py``.
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from edoutcomes.cohort import CohortQuery
from edoutcomes.dask import partition_paths, write_partitioned
from edoutcomes.dask._cohort import partial_of_arrow
from edoutcomes.dask._highschool import _partial_of_arrow as hs_partial_of_arrow
from edoutcomes.dask._partitions import TABLES
from edoutcomes.highschool import HighSchoolQuery

#: Each engine's partition function (by its query's type).
PARTIAL_OF_ARROW: dict[type, Any] = {
    CohortQuery: partial_of_arrow,
    HighSchoolQuery: hs_partial_of_arrow,
}


def _summary(result: Any) -> Any:
    """What both sides must agree on: the cohort tables and control, or the high-school reports."""
    if hasattr(result, "table1"):
        control = result.control
        return [
            result.table1.to_numpy().tolist(),
            [control.total, control.found, control.detail_level],
        ]
    return [[[str(v) for v in row] for row in report.rows()] for report in result.reports]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _now_mb() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss) / 2**20


def _task(query: Any, paths: list[Any]) -> tuple[Any, dict[str, float]]:
    """One bucket on a worker: read, then build the view and count it, each timed; RSS sampled."""
    import threading

    import pyarrow.parquet as pq

    peak = [_now_mb()]
    done = threading.Event()

    def sample() -> None:
        # ru_maxrss is useless here: a worker forked from a big process inherits its peak.
        while not done.wait(0.02):
            peak[0] = max(peak[0], _now_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    tables = [None if p is None else pq.read_table(p) for p in paths]
    t1 = time.perf_counter()
    partial = PARTIAL_OF_ARROW[type(query)](query, tables)
    t2 = time.perf_counter()
    done.set()
    sampler.join()
    students = 0 if tables[0] is None else tables[0].num_rows
    times = {"read": t1 - t0, "compute": t2 - t1, "peak_mb": max(peak[0], _now_mb())}
    return partial, {**times, "students": students}


def one_process(root: str, query: Any) -> dict[str, Any]:
    """The whole dataset in this process (run in a fresh subprocess)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    t0 = time.perf_counter()
    tables = [pa.concat_tables([pq.read_table(p[name]) for p in partition_paths(root)
                                if p[name] is not None]) for name in TABLES]  # fmt: skip
    t1 = time.perf_counter()
    partial = PARTIAL_OF_ARROW[type(query)](query, tables)
    t2 = time.perf_counter()
    result = query.combine([partial])
    t3 = time.perf_counter()
    return {
        "wall": t3 - t0,
        "read": t1 - t0,
        "compute": t2 - t1,
        "combine": t3 - t2,
        "peak_mb": _rss_mb(),
        "summary": _summary(result),
    }


def cluster(root: str, query: Any, workers: int) -> dict[str, Any]:
    from distributed import Client, LocalCluster, wait

    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                     dashboard_address=":0", memory_limit=0) as lc,
        Client(lc) as client,
    ):  # fmt: skip
        # Warm up: the imports a task needs, so the baseline is a worker ready to work.
        client.run(lambda: __import__("edoutcomes.dask") and __import__("pyarrow.parquet"))
        start = client.run(_now_mb)
        t0 = time.perf_counter()
        futures = [
            client.submit(_task, query, [p[name] for name in TABLES], pure=False)
            for p in partition_paths(root)
        ]
        wait(futures)
        t1 = time.perf_counter()
        done = client.gather(futures)
        t2 = time.perf_counter()
        result = query.combine([partial for partial, _ in done])
        t3 = time.perf_counter()
        who = [f.key for f in futures]
        where = client.who_has(futures)
        students = [t["students"] for _, t in done]
    return {
        "wall": t3 - t0,
        "tasks": t1 - t0,
        "read": sum(t["read"] for _, t in done),
        "compute": sum(t["compute"] for _, t in done),
        "transfer": t2 - t1,
        "combine": t3 - t2,
        "worker_start_mb": sorted(start.values()),
        "worker_peak_mb": _per_worker(who, where, [t["peak_mb"] for _, t in done]),
        "bucket_students": max(students),
        "summary": _summary(result),
    }


def _per_worker(keys: list[Any], where: Any, peaks: list[float]) -> list[float]:
    """The highest sampled RSS of the tasks each worker ran."""
    out: dict[str, float] = {}
    for key, peak in zip(keys, peaks, strict=True):
        for worker in where.get(key, ()):
            out[worker] = max(out.get(worker, 0.0), peak)
    return sorted(out.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", choices=("cohort", "highschool"), default="cohort")
    parser.add_argument("--students", type=int, default=3_000_000)
    parser.add_argument("--buckets", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--one-process", metavar="ROOT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_process:
        query = pickle.loads(Path(args.one_process, "query.pickle").read_bytes())
        print(json.dumps(one_process(args.one_process, query)))
        return
    with tempfile.TemporaryDirectory() as root:
        t = time.perf_counter()
        query, sizes = _write(args, root)
        Path(root, "query.pickle").write_bytes(pickle.dumps(query))
        print(f"{args.engine}: {sizes}, {args.buckets} buckets; generated and written in "
              f"{time.perf_counter() - t:.1f} s")  # fmt: skip
        out = subprocess.run([sys.executable, __file__, "--one-process", root],
                             check=True, capture_output=True, text=True).stdout  # fmt: skip
        single = json.loads(out.strip().splitlines()[-1])
        many = cluster(root, query, args.workers)
    assert single["summary"] == many["summary"]
    report(args, single, many)


def _write(args: Any, root: str) -> tuple[Any, str]:
    """Generate the engine's data, write it partitioned by student; its query and sizes."""
    if args.engine == "highschool":
        from edoutcomes.synth import synthetic_high_schools

        years = tuple(range(2016, 2024))
        data = synthetic_high_schools(
            max(1, args.students // len(years)), class_years=years, seed=0
        )
        c = data.columns
        query: Any = HighSchoolQuery(as_of=data.as_of, suppress_below=11, arr=False)
    else:
        from edoutcomes.synth import synthetic_cohort

        cohort = synthetic_cohort(args.students, seed=0)
        c = cohort.columns
        query = CohortQuery(search_date=cohort.search_date, institution=cohort.institution,
                            as_of=cohort.as_of, detail=False)  # fmt: skip
    write_partitioned(root, c.students.to_arrow(), c.enrollments.to_arrow(),
                      c.degrees.to_arrow(), n_buckets=args.buckets)  # fmt: skip
    sizes = (f"{c.n_students:,} students, {c.enrollments.n_rows:,} enrollments, "
             f"{c.degrees.n_rows:,} degrees")  # fmt: skip
    return query, sizes


def report(args: Any, single: dict[str, Any], many: dict[str, Any]) -> None:
    print(f"one process: wall {single['wall']:.1f} s (read {single['read']:.1f}, "
          f"build+compute {single['compute']:.1f}, combine {single['combine']:.3f}), "
          f"peak RSS {single['peak_mb']:.0f} MB")  # fmt: skip
    print(f"cluster of {args.workers}: wall {many['wall']:.1f} s (tasks {many['tasks']:.1f}: "
          f"read {many['read']:.1f} + build+compute {many['compute']:.1f} summed over tasks; "
          f"transfer {many['transfer']:.3f}, combine {many['combine']:.3f}); worker peak RSS "
          f"{', '.join(f'{m:.0f}' for m in many['worker_peak_mb'])} MB "
          f"(at start {', '.join(f'{m:.0f}' for m in many['worker_start_mb'])})")  # fmt: skip
    print(f"ratio cluster/one process wall: {many['wall'] / single['wall']:.2f}; target "
          f"worker peak <= {single['peak_mb'] / args.workers + 200:.0f} MB")  # fmt: skip
    big, workers = 100_000_000, 32
    buckets = workers * 4
    per_student = (many["read"] + many["compute"]) / args.students
    base = max(many["worker_start_mb"])
    per_bucket_student_mb = (max(many["worker_peak_mb"]) - base) / many["bucket_students"]
    combine = many["combine"] / args.buckets * buckets
    print(f"estimate 100,000,000 students on {workers} workers, {buckets} buckets of "
          f"{big // buckets:,} students: about {per_student * big / workers:.0f} s of tasks per "
          f"worker + {combine:.2f} s combine; per-worker peak about "
          f"{base + per_bucket_student_mb * big / buckets:.0f} MB (a worker holds one bucket "
          f"at a time: {base:.0f} MB at rest + {per_bucket_student_mb * 1e6:.0f} MB per "
          f"million students of its bucket)")  # fmt: skip


if __name__ == "__main__":
    main()
