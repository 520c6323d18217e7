"""
The trends page's charts and tables as markup: the Python side of one design.

The page's script draws the same chart and table for whatever the reader picks (from the
layout and words this module hands it); this module draws them for notebooks, the saved
figures and the page's first view, which shows even where scripts do not run.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from attrs import frozen

__all__ = [
    "LAYOUT",
    "ChartSpec",
    "Layout",
    "Measure",
    "RowView",
    "chart_svg",
    "layout_of",
    "table_html",
]


@frozen
class Layout:
    """The chart's geometry (SVG user units) and look, shared with the page's script."""

    width: int = 860
    left: int = 70
    right: int = 16
    legend_top: int = 64
    legend_step: int = 20
    headroom: int = 34
    plot_height: int = 220
    bottom: int = 58
    max_bar: float = 64.0
    wide_bar: float = 40.0
    font: str = "Arial, Helvetica, sans-serif"
    # Okabe-Ito blue, orange and green: told apart by readers with colour-blindness.
    colours: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73")


#: The one layout of every chart.
LAYOUT = Layout()


@frozen
class Measure:
    """One drawn measure: its rate column, the count and denominator behind it, in words."""

    rate: str
    count: str
    label: str


@frozen
class ChartSpec:
    """One chart: name, title, the axis title and denominator, and the measures it draws."""

    name: str
    title: str
    axis: str
    denominator: str
    denominator_label: str
    measures: tuple[Measure, ...]


#: A row of the view: class year and, per report column, (value as the report writes it, text shown).
RowView = tuple[int, Mapping[str, tuple[str, str]]]


def _geometry(n_series: int) -> tuple[int, int, int]:
    """The plot's top and bottom and the chart's height, for *n_series* legend lines."""
    g = LAYOUT
    top = g.legend_top + g.legend_step * n_series + g.headroom
    bottom = top + g.plot_height
    return top, bottom, bottom + g.bottom


def layout_of(spec: ChartSpec) -> tuple[int, int, int]:
    """The plot's top and bottom and the chart's height."""
    return _geometry(len(spec.measures))


def _fraction(value: str) -> float | None:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return float(number) if number.is_finite() else None


def _label(cx: float, y: float, wide: bool, text: str, attrs: str) -> str:
    esc = html.escape
    if wide:
        return (
            f'<text class="bar-label" {attrs} x="{cx:.1f}" y="{y:.1f}" font-size="12" '
            f'text-anchor="middle">{esc(text)}</text>'
        )
    x = cx + 4
    return (
        f'<text class="bar-label" {attrs} x="{x:.1f}" y="{y:.1f}" font-size="12" '
        f'text-anchor="start" transform="rotate(-90 {x:.1f} {y:.1f})">{esc(text)}</text>'
    )


def _frame(spec: ChartSpec, subtitle: str, years: Sequence[int]) -> list[str]:
    """Title, legend, gridlines, the axes and their titles."""
    esc, g = html.escape, LAYOUT
    width, left, right, colours = g.width, g.left, g.right, g.colours
    top, bottom, height = layout_of(spec)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kpi-chart" data-chart="{esc(spec.name)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="{esc(g.font)}" role="img">',
        f"<title>{esc(spec.title)}: {esc(subtitle)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left}" y="24" font-size="17" font-weight="bold" fill="#222">{esc(spec.title)}</text>',
        f'<text x="{left}" y="46" font-size="13" fill="#444">{esc(subtitle)}</text>',
    ]
    for s, measure in enumerate(spec.measures):
        y = g.legend_top + g.legend_step * s
        parts.append(
            f'<rect x="{left}" y="{y - 11}" width="13" height="13" fill="{colours[s]}"/>'
            f'<text x="{left + 20}" y="{y}" font-size="13" fill="#222">{esc(measure.label)}</text>'
        )
    for tick in range(0, 101, 20):
        ty = bottom - (bottom - top) * tick / 100
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'stroke="{"#888" if tick == 0 else "#ddd"}"/>'
            f'<text x="{left - 8}" y="{ty + 4:.1f}" font-size="12" text-anchor="end" '
            f'fill="#222">{tick}%</text>'
        )
    step = (width - left - right) / max(len(years), 1)
    for i, year in enumerate(years):
        parts.append(
            f'<text x="{left + step * (i + 0.5):.1f}" y="{bottom + 20}" font-size="13" '
            f'text-anchor="middle" fill="#222">{year}</text>'
        )
    middle = (top + bottom) / 2
    parts.append(
        f'<text x="18" y="{middle:.1f}" font-size="13" text-anchor="middle" fill="#222" '
        f'transform="rotate(-90 18 {middle:.1f})">{esc(spec.axis)}</text>'
        f'<text x="{(left + width - right) / 2:.1f}" y="{bottom + 46}" font-size="13" '
        f'text-anchor="middle" fill="#222">Class of (year of high-school graduation)</text>'
    )
    return parts


def chart_svg(spec: ChartSpec, subtitle: str, rows: Sequence[RowView]) -> str:
    """
    A bar chart of the measures' rates per class year; each bar and label carries its value.

    A rate that is not shown (not available, hidden, no denominator) gets no bar, only its
    text (``n/a``, ``*``, an en dash) on the axis.
    """
    esc, g = html.escape, LAYOUT
    width, left, right, colours = g.width, g.left, g.right, g.colours
    top, bottom, _ = layout_of(spec)
    parts = _frame(spec, subtitle, [year for year, _ in rows])
    step = (width - left - right) / max(len(rows), 1)
    n = len(spec.measures)
    bar = min(step * 0.72 / n, g.max_bar)
    wide = bar >= g.wide_bar
    for i, (year, cells) in enumerate(rows):
        start = left + step * i + (step - bar * n) / 2
        for s, measure in enumerate(spec.measures):
            value, text = cells[measure.rate]
            x, cx = start + bar * s, start + bar * (s + 0.5)
            attrs = (
                f'data-column="{esc(measure.rate)}" data-class-year="{year}" '
                f'data-value="{esc(value)}"'
            )
            fraction = _fraction(value)
            if fraction is None:
                parts.append(_label(cx, bottom - 5, wide, text, attrs))
                continue
            y = bottom - (bottom - top) * fraction
            count = cells[measure.count][1]
            parts.append(
                f'<rect class="bar" {attrs} x="{x + 1:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" '
                f'height="{bottom - y:.1f}" fill="{colours[s]}"><title>{esc(measure.label)}, '
                f"class of {year}: {esc(text)} ({esc(count)} students)</title></rect>"
            )
            parts.append(_label(cx, y - 5, wide, text, attrs))
    parts.append("</svg>")
    return "".join(parts)


def table_html(spec: ChartSpec, caption: str, rows: Sequence[RowView]) -> str:
    """The table under a chart: per class year, the denominator, then each count and rate."""
    esc = html.escape
    head = "".join(f'<th colspan="2" scope="colgroup">{esc(m.label)}</th>' for m in spec.measures)
    sub = "<th>Students</th><th>Percent</th>" * len(spec.measures)
    body = []
    for year, cells in rows:
        tds = []
        for column in (spec.denominator, *(c for m in spec.measures for c in (m.count, m.rate))):
            value, text = cells[column]
            tds.append(
                f'<td data-column="{esc(column)}" data-value="{esc(value)}">{esc(text)}</td>'
            )
        body.append(f'<tr data-class-year="{year}"><th scope="row">{year}</th>{"".join(tds)}</tr>')
    return (
        f'<table class="kpi-table" data-chart="{esc(spec.name)}"><caption>{esc(caption)}</caption>'
        f'<thead><tr><th rowspan="2" scope="col">Class of</th>'
        f'<th rowspan="2" scope="col">{esc(spec.denominator_label)}</th>{head}</tr>'
        f"<tr>{sub}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
