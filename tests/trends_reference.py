"""
The trends page's cells as they were built before they were columnar: one :class:`Cell`
per report cell, formatted one at a time. Kept as the reference the columnar build must
equal, byte for byte (tests and ``benchmarks/bench_suppression.py``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from edoutcomes._kernel._values import format_value
from edoutcomes.highschool._reports import OutcomeReport
from edoutcomes.highschool._trends import cell_text
from edoutcomes.highschool._trends_render import RowView


def reference_views(report: OutcomeReport) -> dict[str, list[RowView]]:
    """Per high school, the rows of the page: each column's (report value, text shown)."""
    names = report.columns[2:]
    rates = {s[-1] for s in report.specs if s[0] == "rate"}
    out: dict[str, list[RowView]] = {}
    for (school, year), cells in report.cells():
        shown = {
            name: (format_value(c.shown), cell_text(c, is_rate=name in rates))
            for name, c in zip(names, cells, strict=True)
        }
        assert isinstance(year, int)
        out.setdefault(school, []).append((year, shown))
    return out


def reference_tables(columns: Sequence[str], views: Sequence[Mapping[str, list[RowView]]]) -> str:
    """The page's ``tables`` JSON of *views*, as the page embedded it."""
    tables = [
        {
            school: [[y, [cells[c] for c in columns]] for y, cells in rows]
            for school, rows in v.items()
        }
        for v in views
    ]
    return json.dumps(tables, separators=(",", ":"), ensure_ascii=False)
