"""
How fast ``edoutcomes.synth`` generates cohorts, and how much memory it takes.

Times ``synthetic_cohort`` at 100,000 and 1,000,000 students: rows per second over all
three tables, wall and CPU time (the machine may be shared), then the peak traced memory
in a second run under ``tracemalloc``. As a peer in the same run, it times the
per-record path that generation avoids: turning a small cohort into record objects and
encoding them back into columns.

Run: ``python benchmarks/bench_synth.py [N ...]``
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc

from edoutcomes.synth import synthetic_cohort

PEER_STUDENTS = 10_000


def _generate(n: int) -> tuple[float, float, int, int]:
    start, cpu = time.perf_counter(), time.process_time()
    cohort = synthetic_cohort(n, seed=0)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    columns = cohort.columns
    return seconds, cpu, columns.enrollments.n_rows, columns.degrees.n_rows


def _peak_mib(n: int) -> float:
    tracemalloc.start()
    synthetic_cohort(n, seed=0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def _peer() -> tuple[float, float, int]:
    """Seconds per row: vectorised generation vs per-record objects encoded back to columns."""
    start = time.perf_counter()
    synthetic = synthetic_cohort(PEER_STUDENTS, seed=0)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    synthetic.to_cohort().columns()
    per_record = time.perf_counter() - start
    columns = synthetic.columns
    rows = columns.n_students + columns.enrollments.n_rows + columns.degrees.n_rows
    return generated, per_record, rows


def main(sizes: list[int]) -> None:
    generated, per_record, rows = _peer()
    print(
        f"peer at {PEER_STUDENTS:,} students ({rows:,} rows): generate {generated:.2f} s, "
        f"per-record objects and back {per_record:.2f} s "
        f"(generation is {per_record / generated:.1f}x faster than the per-record round trip)"
    )
    for n in sizes:
        seconds, cpu, terms, degrees = _generate(n)
        rows = n + terms + degrees
        peak = _peak_mib(n)
        print(
            f"{n:>10,} students: {terms:>11,} terms ({terms / n:.2f}/student), "
            f"{degrees:>9,} degrees ({degrees / n:.2f}/student) in {seconds:6.2f} s ({cpu:.2f} s CPU) "
            f"= {rows / seconds:>12,.0f} rows/s; peak traced memory {peak:,.0f} MiB"
        )
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak resident memory: {maxrss:,.0f} MiB")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000, 1_000_000])
