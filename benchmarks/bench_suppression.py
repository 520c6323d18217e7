"""
Benchmark: the high-school trends page, before and after vectorising suppression and the page's cells.

The trends page builds one full high-school report (one count grid, primary and secondary
suppression) per filter group: everyone, then each value of each attribute. For each size,
one synthetic account (eight classes, its high schools) is generated (not timed), then the
page is made by two sides in the same process, in turns:

- ``before``: today's reference (``tests/suppression_reference.py``): the grid's relations
  listed one by one as ``Relation`` objects, then sweeps over them in Python, one relation
  at a time, until nothing changes; and the page's cells (``tests/trends_reference.py``):
  one ``Cell`` per report cell, formatted and put in the embedded JSON one at a time;
- ``after``: the library: relations built with numpy in one compressed layout, then the
  same sweeps a wave of relations at a time; the cells a grid column at a time, each
  distinct value formatted once, the JSON joined in one pass;
- ``cells0``: the library's suppression with the reference's cells (the page before its
  cells were columnar).

Printed per side: the page's wall time (median of ``--repeat``), the parts of it spent
building relations and suppressing and building the cells (views and JSON), and whether
the two pages are byte for byte the same.

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
from trends_reference import reference_tables, reference_views

import edoutcomes.highschool._grid as grid_module
import edoutcomes.highschool._trends as trends_module
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


class _ReferenceCells:
    """The page's cells of one report, built the per-cell way."""

    def __init__(self, report: Any) -> None:
        self.columns = report.columns[2:]
        self.rows = reference_views(report)

    def views(self) -> Any:
        return self.rows


def _reference_json(cells: _ReferenceCells) -> str:
    return reference_tables(cells.columns, [cells.rows])[1:-1]


@contextmanager
def side(name: str, spent: list[float], cells: list[float]) -> Iterator[None]:
    """The suppression (timed into *spent*) and page cells (into *cells*) of *name*."""
    saved = grid_module._relations, grid_module.suppress
    page = trends_module.shown_cells, trends_module.tables_json
    relations, suppress = saved
    shown, tables = page
    if name == "before":
        relations, suppress = reference_highschool_relations, reference_suppress
    if name in ("before", "cells0"):
        shown, tables = _ReferenceCells, _reference_json  # type: ignore[assignment]
    grid_module._relations = _timed(relations, spent)  # type: ignore[assignment]
    grid_module.suppress = _timed(suppress, spent)  # type: ignore[assignment]
    trends_module.shown_cells = _timed(shown, cells)  # type: ignore[assignment]
    trends_module.tables_json = _timed(tables, cells)  # type: ignore[assignment]
    try:
        yield
    finally:
        grid_module._relations, grid_module.suppress = saved
        trends_module.shown_cells, trends_module.tables_json = page


def run_size(n_students: int, n_schools: int, repeat: int) -> None:
    hs = synthetic_high_schools(n_students // 8, n_high_schools=n_schools, seed=1)
    outcomes = high_school_outcomes(hs.columns, as_of=hs.as_of)
    outcomes.trends(suppress_below=None)  # warm: the measures and the page's other work
    walls: dict[str, list[float]] = {"before": [], "cells0": [], "after": []}
    inside: dict[str, list[float]] = {"before": [], "cells0": [], "after": []}
    building: dict[str, list[float]] = {"before": [], "cells0": [], "after": []}
    pages: dict[str, str] = {}
    for _ in range(repeat):
        for name in ("before", "cells0", "after"):
            spent, cells = [0.0], [0.0]
            with side(name, spent, cells):
                t0 = time.perf_counter()
                pages[name] = outcomes.trends().html
                walls[name].append(time.perf_counter() - t0)
            inside[name].append(spent[0])
            building[name].append(cells[0])
    print(f"\n{hs.columns.n_students:,} students, {n_schools} high schools, 8 classes:")
    wall = {k: statistics.median(v) for k, v in walls.items()}
    part = {k: statistics.median(v) for k, v in inside.items()}
    cell = {k: statistics.median(v) for k, v in building.items()}
    for name in ("before", "cells0", "after"):
        print(
            f"  {name:<6} trends page {wall[name]:7.2f} s, of which relations and "
            f"suppression {part[name]:7.2f} s, cells {cell[name]:7.2f} s"
        )
    same = pages["before"] == pages["after"] == pages["cells0"]
    print(
        f"  after vs before: page {wall['before'] / wall['after']:.1f}x faster, suppression "
        f"{part['before'] / part['after']:.1f}x; after vs cells0: page "
        f"{wall['cells0'] / wall['after']:.1f}x, cells {cell['cells0'] / cell['after']:.1f}x; "
        f"same page: {same}"
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
