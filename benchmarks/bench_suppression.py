"""
Benchmark: secondary suppression on the high-school trends page, before and after vectorising it.

The trends page builds one full high-school report (one count grid, primary and secondary
suppression) per filter group: everyone, then each value of each attribute. For each size,
one synthetic account (eight classes, its high schools) is generated (not timed), then the
page is made by two sides in the same process, in turns:

- ``before``: today's reference (``tests/suppression_reference.py``): the grid's relations
  listed one by one as ``Relation`` objects, then sweeps over them in Python, one relation
  at a time, until nothing changes;
- ``after``: the library: relations built with numpy in one compressed layout, then the
  same sweeps a wave of relations at a time.

Printed per side: the page's wall time (median of ``--repeat``), the part of it spent
building relations and suppressing, and whether the two pages are byte for byte the same.

    python benchmarks/bench_suppression.py [--sizes 16000:20,200000:200] [--repeat 1]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from suppression_reference import reference_highschool_relations, reference_suppress

import edoutcomes.highschool._grid as grid_module
from edoutcomes.highschool import high_school_outcomes
from edoutcomes.synth import synthetic_high_schools


def _timed(fn: Callable[..., Any], spent: list[float]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t0

    return run


@contextmanager
def side(name: str, spent: list[float]) -> Iterator[None]:
    """The grid's relation builder and suppression of *name*, timed into *spent*."""
    saved = grid_module._relations, grid_module.suppress
    relations, suppress = saved
    if name == "before":
        relations, suppress = reference_highschool_relations, reference_suppress
    grid_module._relations = _timed(relations, spent)  # type: ignore[assignment]
    grid_module.suppress = _timed(suppress, spent)  # type: ignore[assignment]
    try:
        yield
    finally:
        grid_module._relations, grid_module.suppress = saved


def run_size(n_students: int, n_schools: int, repeat: int) -> None:
    hs = synthetic_high_schools(n_students // 8, n_high_schools=n_schools, seed=1)
    outcomes = high_school_outcomes(hs.columns, as_of=hs.as_of)
    outcomes.trends(suppress_below=None)  # warm: the measures and the page's other work
    walls: dict[str, list[float]] = {"before": [], "after": []}
    inside: dict[str, list[float]] = {"before": [], "after": []}
    pages: dict[str, str] = {}
    for _ in range(repeat):
        for name in ("before", "after"):
            spent = [0.0]
            with side(name, spent):
                t0 = time.perf_counter()
                pages[name] = outcomes.trends().html
                walls[name].append(time.perf_counter() - t0)
            inside[name].append(spent[0])
    print(f"\n{hs.columns.n_students:,} students, {n_schools} high schools, 8 classes:")
    wall = {k: statistics.median(v) for k, v in walls.items()}
    part = {k: statistics.median(v) for k, v in inside.items()}
    for name in ("before", "after"):
        print(
            f"  {name:<6} trends page {wall[name]:7.2f} s, of which relations and "
            f"suppression {part[name]:7.2f} s"
        )
    print(
        f"  after vs before: page {wall['before'] / wall['after']:.1f}x faster, suppression "
        f"{part['before'] / part['after']:.1f}x; same page: {pages['before'] == pages['after']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--sizes", default="16000:20,200000:200", help="students:schools,...")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    for size in args.sizes.split(","):
        n_students, n_schools = (int(x) for x in size.split(":"))
        run_size(n_students, n_schools, args.repeat)


if __name__ == "__main__":
    main()
