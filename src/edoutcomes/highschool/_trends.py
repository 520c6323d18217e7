"""
The trends picture: the three KPI charts across class years, as inline SVG, in one HTML page.

The SVG is written here, not by a plotting library: a line chart of a few rates is a few
dozen elements, the page must open without a network, and the numbers on the page must be
the report's own (each point carries its value), which a test checks in a headless browser.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import frozen

from .._kernel._arrow import summary_repr
from .._kernel._values import format_value
from ._grid import ALL
from ._reports import OutcomeReport

if TYPE_CHECKING:
    from ._result import HighSchoolOutcomes

__all__ = ["CHARTS", "Figure", "TrendsPage", "trends_page"]

#: The three KPI charts: title and the rate columns each one draws.
CHARTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "enrollment",
        "Enrollment",
        ("enrolled_fall_rate", "enrolled_year1_rate", "enrolled_first_two_years_rate"),
    ),
    ("persistence", "Persistence and retention", ("persistence_rate", "retention_rate")),
    ("completion", "Completion", ("completion_{n}yr_rate",)),
)
_COLOURS = ("#1f77b4", "#d62728", "#2ca02c")
_W, _H, _LEFT, _RIGHT, _TOP, _BOTTOM = 560, 300, 56, 150, 36, 44


@frozen
class Figure:
    """One chart as SVG text; notebooks show it (``_repr_svg_``)."""

    name: str
    svg: str

    def _repr_svg_(self) -> str:
        return self.svg

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the SVG file."""
        out = Path(path)
        out.write_text(self.svg, encoding="utf-8")
        return out


def _x(i: int, n: int) -> float:
    inner = _W - _LEFT - _RIGHT
    return _LEFT + (inner * (i + 0.5) / n)


def _y(value: float) -> float:
    return _TOP + (_H - _TOP - _BOTTOM) * (1.0 - value)


def chart(
    name: str,
    title: str,
    school: str,
    years: Sequence[int | str],
    series: Sequence[tuple[str, Sequence[Decimal | None]]],
) -> Figure:
    """A line chart of rates (0..1) across class years; each point carries its value."""
    esc = html.escape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kpi-chart" data-chart="{esc(name)}" '
        f'data-school="{esc(school)}" width="{_W}" height="{_H}" viewBox="0 0 {_W} {_H}" '
        f'role="img" aria-label="{esc(title)}, {esc(school)}">',
        f'<text x="{_LEFT}" y="20" font-size="14" font-weight="bold">{esc(title)}</text>',
    ]
    for tick in range(0, 101, 25):
        y = _y(tick / 100)
        parts.append(
            f'<line x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{tick}%</text>'
        )
    n = max(len(years), 1)
    for i, year in enumerate(years):
        parts.append(
            f'<text x="{_x(i, n):.1f}" y="{_H - _BOTTOM + 18}" font-size="11" '
            f'text-anchor="middle">{esc(str(year))}</text>'
        )
    for s, (column, values) in enumerate(series):
        colour = _COLOURS[s % len(_COLOURS)]
        points = [(i, v) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{_x(i, n):.1f},{_y(float(v)):.1f}" for i, v in points)
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>'
            )
        for i, v in points:
            parts.append(
                f'<circle class="point" cx="{_x(i, n):.1f}" cy="{_y(float(v)):.1f}" r="3.5" '
                f'fill="{colour}" data-series="{esc(column)}" data-class-year="{esc(str(years[i]))}" '
                f'data-value="{v}"><title>{esc(column)} {esc(str(years[i]))}: {v}</title></circle>'
            )
        y = _TOP + 18 * s
        parts.append(
            f'<rect x="{_W - _RIGHT + 12}" y="{y}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{_W - _RIGHT + 30}" y="{y + 10}" font-size="11">{esc(column)}</text>'
        )
    parts.append("</svg>")
    return Figure(f"{name}-{school}", "".join(parts))


@frozen
class TrendsPage:
    """
    The trends picture: a self-contained HTML page and one SVG figure per chart and school.

    Attributes:
        html: The page (inline SVG and CSS, no script, no network).
        figures: Every chart, keyed ``(chart, high_school)`` (``ALL`` for the account).
        kpis: The KPI report the page shows.
    """

    html: str
    figures: dict[tuple[str, str], Figure]
    kpis: OutcomeReport

    def __repr__(self) -> str:
        return summary_repr(self, charts=len(self.figures), characters=len(self.html))

    def to_arrow(self) -> Any:
        """The KPIs the page draws, as a ``pyarrow.Table``."""
        return self.kpis.to_arrow()

    def to_pandas(self) -> Any:
        """The KPIs the page draws, as a ``pandas.DataFrame`` (needs pandas)."""
        return self.kpis.to_pandas()

    def figure(self, chart: str, high_school: str = ALL) -> Figure:
        """One chart: ``enrollment``, ``persistence`` or ``completion``, of one school."""
        return self.figures[(chart, high_school)]

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the page."""
        out = Path(path)
        out.write_text(self.html, encoding="utf-8")
        return out

    def _repr_html_(self) -> str:
        return self.html


def _table(kpis: OutcomeReport, school: str) -> str:
    esc = html.escape
    head = "".join(f"<th>{esc(c)}</th>" for c in kpis.columns[1:])
    body = []
    for row in kpis.rows():
        if row[0] != school:
            continue
        cells = "".join(
            f'<td data-column="{esc(c)}">{esc(format_value(v))}</td>'
            for c, v in zip(kpis.columns[1:], row[1:], strict=True)
        )
        body.append(f'<tr data-school="{esc(school)}">{cells}</tr>')
    return (
        f'<table class="kpi-table" data-school="{esc(school)}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def trends_page(
    outcomes: HighSchoolOutcomes, *, suppress_below: int | None = None, title: str | None = None
) -> TrendsPage:
    """
    Make the trends picture from the KPIs (with the same suppression as the reports).

    Rates that are blank (not available, zero denominator, hidden) are not drawn.
    """
    kpis = outcomes.kpis(suppress_below=suppress_below)
    n = outcomes.windows.completion_years
    esc = html.escape
    title = title or "High-school graduates: postsecondary outcomes"
    schools = [ALL, *outcomes.high_schools]
    figures: dict[tuple[str, str], Figure] = {}
    sections = []
    columns = kpis.columns
    rows = list(kpis.rows())
    for school in schools:
        mine = [r for r in rows if r[0] == school]
        years = [r[1] if isinstance(r[1], int | str) else str(r[1]) for r in mine]
        charts = []
        for name, label, rates in CHARTS:
            series: list[tuple[str, list[Decimal | None]]] = []
            for rate in rates:
                column = rate.format(n=n)
                at = columns.index(column)
                values: list[Decimal | None] = []
                for r in mine:
                    value = r[at]
                    values.append(value if isinstance(value, Decimal) else None)
                series.append((column, values))
            figure = chart(name, label, school, years, series)
            figures[(name, school)] = figure
            charts.append(figure.svg)
        heading = "All high schools" if school == ALL else f"High school {school}"
        sections.append(
            f'<section data-school="{esc(school)}"><h2>{esc(heading)}</h2>'
            f'<div class="charts">{"".join(charts)}</div>{_table(kpis, school)}</section>'
        )
    note = (
        f'<p class="note">As of {outcomes.as_of.isoformat()}. '
        f"{outcomes.left_out} students without a graduation date are left out. "
        "Blank: not available yet (the window has not closed) or hidden."
        + (f" Counts below {suppress_below} are hidden (*)." if suppress_below else "")
        + "</p>"
    )
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>"
        "body{font-family:sans-serif;margin:1.5em;color:#222}"
        ".charts{display:flex;flex-wrap:wrap;gap:12px}"
        "table{border-collapse:collapse;margin:8px 0 24px}"
        "th,td{border:1px solid #ccc;padding:2px 6px;font-size:12px;text-align:right}"
        "</style></head><body>"
        f"<h1>{esc(title)}</h1>{note}{''.join(sections)}</body></html>"
    )
    return TrendsPage(page, figures, kpis)
