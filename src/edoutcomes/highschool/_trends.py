"""
The trends page: the three KPI charts across class years, one HTML page to share.

The page is for a district to show its board: schools by name, measures in words, rates as
percentages, small counts suppressed by default (n = 10, with secondary suppression). It
embeds only published aggregates (the KPIs of school x class, and of school x class for each
value of one attribute, each suppressed on its own) and filters itself offline by high
school, class year and attribute. Charts are inline SVG written here, not by a plotting
library: a bar chart of a few rates is a few dozen elements, and every bar carries the
report's own value, which a test checks in a headless browser.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import attrs
from attrs import frozen

from .._kernel._arrow import summary_repr
from .._kernel._values import format_value
from ..errors import InvalidArgumentError
from ._graduates import UNKNOWN_HIGH_SCHOOL
from ._grid import ALL
from ._reports import Cell, OutcomeReport
from ._trends_cells import ShownCells, percent, shown_cells, tables_json
from ._trends_render import LAYOUT, ChartSpec, Measure, RowView, chart_svg, table_html
from ._trends_script import SCRIPT, STYLE

if TYPE_CHECKING:
    from ._combined import CombinedHighSchoolOutcomes
    from ._result import HighSchoolOutcomes, HighSchoolReports

__all__ = ["CHARTS", "DEFAULT_SUPPRESS_BELOW", "Figure", "TrendsPage", "trends_page"]

#: The page suppresses counts below this unless told otherwise (``suppress_below=None``: off).
DEFAULT_SUPPRESS_BELOW = 10

CHARTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "enrollment",
        "Enrollment after high school",
        ("enrolled_fall_rate", "enrolled_year1_rate", "enrolled_first_two_years_rate"),
    ),
    ("persistence", "Persistence and retention", ("persistence_rate", "retention_rate")),
    ("completion", "Completion", ("completion_{n}yr_rate",)),
)
"""
The three KPI charts: name, title and the rate columns each one draws.

Examples:
    >>> [(name, len(columns)) for name, _, columns in CHARTS]
    [('enrollment', 3), ('persistence', 2), ('completion', 1)]
"""

#: Attribute names in words (the spec's demographics and Y/N data elements).
ATTRIBUTE_WORDS = {
    "gender": "Gender",
    "race_ethnicity": "Race/ethnicity",
    "pell": "Pell grant",
    "first_generation": "First generation",
    "economically_disadvantaged": "Economically disadvantaged",
    "disability": "Disability",
    "english_learner": "English learner",
    "fafsa_completion": "FAFSA completed",
    "advanced_classes": "Advanced classes",
    "avid_participant": "AVID participant",
    "cte_student": "CTE student",
    "honor_student": "Honor student",
    "mentored_student": "Mentored student",
    "college_intending": "College intending",
    "first_in_family": "First in family",
    "homeless": "Homeless",
    "foster_youth": "Foster youth",
    "single_parent": "Single parent",
    "incarcerated": "Incarcerated",
    "grant": "Part of a grant",
}


def chart_specs(completion_years: int) -> tuple[ChartSpec, ...]:
    """The three charts in words, with the columns behind each measure."""
    n = completion_years
    years = f"{n} year" + ("s" if n != 1 else "")
    graduates = ("Percent of graduates", "graduates", "Graduates")
    enrolled = ("Percent of first-year students", "enrolled_year1", "Enrolled in the first year")
    return (
        ChartSpec(
            "enrollment",
            CHARTS[0][1],
            *graduates,
            (
                Measure(
                    "enrolled_fall_rate", "enrolled_fall", "Enrolled the fall after high school"
                ),
                Measure("enrolled_year1_rate", "enrolled_year1", "Enrolled in the first year"),
                Measure(
                    "enrolled_first_two_years_rate",
                    "enrolled_first_two_years",
                    "Enrolled in the first two years",
                ),
            ),
        ),
        ChartSpec(
            "persistence",
            CHARTS[1][1],
            *enrolled,
            (
                Measure("persistence_rate", "persisted", "Persisted: enrolled in the second year"),
                Measure("retention_rate", "retained", "Retained: second year at the same college"),
            ),
        ),
        ChartSpec(
            "completion",
            CHARTS[2][1],
            *graduates,
            (
                Measure(
                    f"completion_{n}yr_rate",
                    f"completed_{n}yr",
                    f"Completed a degree within {years}",
                ),
            ),
        ),
    )


@frozen
class Figure:
    """
    One chart as SVG text; notebooks show it (``_repr_svg_``).

    Examples:
        >>> from edoutcomes.highschool import high_school_outcomes
        >>> from edoutcomes.synth import synthetic_high_schools
        >>> hs = synthetic_high_schools(20, class_years=(2019, 2020), n_high_schools=2, seed=3)
        >>> outcomes = high_school_outcomes(hs.columns, as_of=hs.as_of)
        >>> figure = outcomes.trends(attributes=()).figure("enrollment")
        >>> figure.name, figure.svg.startswith("<svg")
        ('enrollment-ALL', True)
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     figure.write(Path(folder) / "enrollment.svg").name
        'enrollment.svg'
    """

    name: str
    svg: str

    def _repr_svg_(self) -> str:
        return self.svg

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the SVG file."""
        out = Path(path)
        out.write_text(self.svg, encoding="utf-8")
        return out


@frozen
class TrendsPage:
    """
    The trends page: a self-contained HTML page and one SVG figure per chart and school.

    Attributes:
        html: The page (inline SVG, CSS and script; no network, no external file).
        figures: Every chart of all students, keyed ``(chart, high_school)`` (``ALL`` for the account).
        kpis: The KPI report of all students the page shows.
        groups: The KPI report of each attribute value the page can filter by, keyed
            ``(attribute, value)`` (missing values: the value None).
        suppress_below: The threshold used, None when the page is not suppressed.

    Examples:
        >>> from edoutcomes.highschool import high_school_outcomes
        >>> from edoutcomes.synth import synthetic_high_schools
        >>> hs = synthetic_high_schools(20, class_years=(2019, 2020), n_high_schools=2, seed=3)
        >>> outcomes = high_school_outcomes(hs.columns, as_of=hs.as_of)
        >>> page = outcomes.trends(attributes=("gender",))
        >>> sorted(page.figures)[:2], list(page.groups)[:2]
        ([('completion', '144190'), ('completion', '597089')], [('gender', 'F'), ('gender', 'M')])
        >>> page.html.startswith("<!DOCTYPE html>"), page.suppress_below
        (True, 10)
    """

    html: str = attrs.field(repr=False)
    figures: dict[tuple[str, str], Figure] = attrs.field(repr=False)
    kpis: OutcomeReport = attrs.field(repr=False)
    groups: dict[tuple[str, object], OutcomeReport] = attrs.field(repr=False)
    suppress_below: int | None
    body: str = attrs.field(repr=False, default="")

    def __repr__(self) -> str:
        return summary_repr(
            self, charts=len(self.figures), groups=len(self.groups), characters=len(self.html)
        )

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
        # A notebook shows the first view (every school, class and student), without the
        # page's script and its content-security policy, which belong to a page of its own.
        return self.body


def cell_text(cell: Cell, *, is_rate: bool) -> str:
    """
    What the page shows for a report cell: ``54.1%``, ``1,234``, ``*`` (hidden), ``n/a``
    (not available yet) or an en dash (a rate with no one in its denominator).

    Examples:
        >>> from edoutcomes.highschool import Suppression
        >>> cell_text(Cell(Decimal("0.5405"), True, Suppression.NONE), is_rate=True)
        '54.1%'
        >>> cell_text(Cell(3, True, Suppression.SMALL_COUNT), is_rate=False)
        '*'
    """
    shown = cell.shown
    if not cell.available:
        return "n/a"
    if cell.reason.hidden:
        return "*"
    if shown is None:
        return "\u2013"
    if is_rate:
        assert isinstance(shown, Decimal)
        return percent(shown)
    return f"{shown:,}"


def school_names(outcomes: CombinedHighSchoolOutcomes) -> dict[str, str]:
    """
    Each high school in words: its ``high_school_name`` where the data has one (the most
    common among its students), else ``High school <code>``; ``ALL`` is every high school.
    """
    out = {ALL: "All high schools"}
    for code in outcomes.high_schools:
        out[code] = (
            "High school not given" if code == UNKNOWN_HIGH_SCHOOL else f"High school {code}"
        )
    for code, name in outcomes.school_names.items():
        out[code] = name
    return out


def _combined(
    outcomes: HighSchoolOutcomes, attributes: Sequence[str] | None
) -> CombinedHighSchoolOutcomes:
    """The one partial of every student combined, counting the page's filters."""
    if isinstance(attributes, str):
        msg = f"attributes={attributes!r} is a string; give a list of column names"
        raise InvalidArgumentError(msg)
    names = outcomes.columns.students.names
    for name in attributes or ():
        if name not in names:
            msg = f"attributes: the students have no column {name!r}"
            raise InvalidArgumentError(msg)
    by = None if attributes is None else tuple(attributes)
    query = outcomes.query(by=by, arr=False, top_n=None)
    return query.combine([query.partial_of_outcomes(outcomes)])


def attribute_label(name: str) -> str:
    """An attribute's name in words: ``first_generation`` is ``First generation``."""
    return ATTRIBUTE_WORDS.get(name, name.replace("_", " ").strip().capitalize())


def value_label(value: object) -> str:
    """An attribute's value in words: Yes, No, Not given, or the value as submitted."""
    if value is None:
        return "Not given"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return format_value(value)


@frozen
class _Group:
    """One set of students the page can show: everyone, or one value of one attribute."""

    attribute: str | None
    value: object
    label: str
    kpis: OutcomeReport


def _groups(
    outcomes: CombinedHighSchoolOutcomes,
    everyone: HighSchoolReports,
    attributes: Sequence[str],
    suppress_below: int | None,
) -> list[_Group]:
    """Everyone, then every value of every attribute: each group's published KPIs."""
    out = [_Group(None, None, "All students", everyone.kpis)]
    for name in attributes:
        by = outcomes.reports_by(name, suppress_below=suppress_below)
        for value, reports in by.items():
            label = f"{attribute_label(name)}: {value_label(value)}"
            out.append(_Group(name, value, label, reports.kpis))
    return out


def _notes(
    outcomes: CombinedHighSchoolOutcomes, suppress_below: int | None, left_out: object
) -> str:
    n = outcomes.windows.completion_years
    if suppress_below is None:
        privacy = (
            "<li><strong>Not suppressed.</strong> Every count is shown, however small, so a "
            "reader may be able to identify students; do not publish this page as it is.</li>"
        )
    else:
        privacy = (
            f"<li><strong>Small counts are suppressed (n = {suppress_below}).</strong> Any count "
            f"below {suppress_below} is hidden and shown as *, and so is its percentage; where a "
            "total would let a reader work out a hidden count by subtraction, the next smallest "
            "count is hidden too (secondary suppression).</li><li>Each table (all students, and "
            "the students with one value of one attribute) is suppressed on its own. Differencing "
            "across two tables (for example all students minus one group) is not protected: "
            "comparing them can reveal a count that one of them hides.</li>"
        )
    if left_out == 0:
        missing = "Every student has a graduation date."
    elif left_out == "*":
        missing = f"Fewer than {suppress_below} students have no graduation date and are left out."
    else:
        missing = f"{left_out} students have no graduation date and are left out."
    month, day = outcomes.windows.class_start
    start = f"{month}/{day}"
    return (
        '<section class="notes"><h2>About these numbers</h2><ul>'
        f"{privacy}"
        "<li>n/a: not available yet (the measure's window has not closed by the report date). "
        "\u2013: no students in the denominator.</li>"
        f"<li>A class of a year: students who graduated from high school from {start} of the "
        f"year before up to the day before {start} of that year. {html.escape(missing)}</li>"
        "<li>Enrollment and completion are percentages of the class's graduates; persistence "
        "(enrolled in the second college year, at any college) and retention (at the same "
        "college as in the first year) are percentages of those enrolled in the first year. "
        f"Completion counts associate degrees and higher, within {n} years.</li>"
        "<li>Counts include students whose records are blocked under FERPA. The page holds "
        "counts only, never a student's record.</li></ul></section>"
    )


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _section(spec: ChartSpec, subtitle: str, rows: Sequence[RowView], stem: str) -> tuple[str, str]:
    """A chart with its save links and its table; and the chart's SVG."""
    svg = chart_svg(spec, subtitle, rows)
    href = "data:image/svg+xml;charset=utf-8," + quote(svg, safe="")
    section = (
        f'<section class="kpi" data-chart="{spec.name}"><div class="chart">{svg}</div>'
        f'<p class="save"><a class="save-svg" download="{stem}.svg" href="{html.escape(href)}">'
        f"Save chart as SVG</a> "
        f'<button type="button" class="save-png" hidden>Save chart as PNG</button></p>'
        f"{table_html(spec, subtitle, rows)}</section>"
    )
    return section, svg


def _options(pairs: Sequence[tuple[str, str]]) -> str:
    return "".join(f'<option value="{html.escape(v)}">{html.escape(t)}</option>' for v, t in pairs)


def _filters(names: Mapping[str, str], classes: Sequence[int], groups: Sequence[_Group]) -> str:
    schools = _options(list(names.items()))
    years = _options([("", "All class years"), *((str(y), f"Class of {y}") for y in classes)])
    options = ['<option value="0">All students</option>']
    current: str | None = None
    for i, group in enumerate(groups[1:], start=1):
        if group.attribute != current:
            if current is not None:
                options.append("</optgroup>")
            current = group.attribute
            assert current is not None
            options.append(f'<optgroup label="{html.escape(attribute_label(current))}">')
        options.append(f'<option value="{i}">{html.escape(group.label)}</option>')
    if current is not None:
        options.append("</optgroup>")
    return (
        '<form id="filters" class="filters" hidden>'
        f'<label>High school <select id="f-school">{schools}</select></label>'
        f'<label>Class year <select id="f-year">{years}</select></label>'
        f'<label>Students <select id="f-group">{"".join(options)}</select></label></form>'
    )


def _data(
    specs: Sequence[ChartSpec],
    names: Mapping[str, str],
    groups: Sequence[_Group],
    cells: Sequence[ShownCells],
) -> str:
    data = {
        "layout": attrs.asdict(LAYOUT),
        "charts": [attrs.asdict(s) for s in specs],
        "schools": names,
        "columns": list(groups[0].kpis.columns[2:]),
        "groups": [g.label for g in groups],
    }
    # The tables joined from each group's cells; "tables" is the last key of the object.
    head = json.dumps(data, separators=(",", ":"), ensure_ascii=False)[:-1]
    tables = ",".join(tables_json(c) for c in cells)
    # "<" escaped: the JSON sits inside a <script> element.
    return f'{head},"tables":[{tables}]}}'.replace("<", "\\u003c")


def _html_page(title: str, body: str, data: str) -> str:
    """The whole page: its content-security policy, style, *body*, *data* and script."""
    csp = (
        f"default-src 'none'; script-src 'sha256-{_sha256(SCRIPT)}'; "
        f"style-src 'sha256-{_sha256(STYLE)}'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        # The policy holds no '"', '<' or '&': written as is (its quotes stay readable).
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>{body}"
        f'<script type="application/json" id="trends-data">{data}</script>'
        f"<script>{SCRIPT}</script></body></html>"
    )


def _figures(
    specs: Sequence[ChartSpec], names: Mapping[str, str], views: Mapping[str, list[RowView]]
) -> dict[tuple[str, str], Figure]:
    """Every chart of all students, per school (``ALL`` for the account)."""
    figures: dict[tuple[str, str], Figure] = {}
    for school, rows in views.items():
        for spec in specs:
            subtitle = f"{names[school]}, all students"
            figures[(spec.name, school)] = Figure(
                f"{spec.name}-{school}", chart_svg(spec, subtitle, rows)
            )
    return figures


def trends_page(
    outcomes: HighSchoolOutcomes | CombinedHighSchoolOutcomes,
    *,
    suppress_below: int | None = DEFAULT_SUPPRESS_BELOW,
    title: str | None = None,
    attributes: Sequence[str] | None = None,
) -> TrendsPage:
    """
    Make the trends page: the three KPI charts and their tables, filtered in the page.

    Args:
        outcomes: The measured graduates, or outcomes combined from partials (whose
            query's ``by`` attributes are the filters it can offer).
        suppress_below: Hide every count below this, with secondary suppression (10 by
            default); None shows every count and the page says "Not suppressed".
        title: The page's heading.
        attributes: The student columns the reader can filter by; by default gender,
            race/ethnicity and every other submitted Y/N column or text column with at most
            20 values (never a name, id, birth date or address).

    Raises:
        InvalidArgumentError: If *suppress_below* is below 1, or an attribute is not a
            students column.

    Examples:
        >>> from edoutcomes import highschool, synth
        >>> hs = synth.synthetic_high_schools(20, class_years=(2019, 2020), n_high_schools=2, seed=3)
        >>> page = trends_page(highschool.high_school_outcomes(hs.columns, as_of=hs.as_of), attributes=())
        >>> len(page.figures), page.suppress_below, page.html.startswith("<!DOCTYPE html>")
        (9, 10, True)
    """
    if suppress_below is not None and (not isinstance(suppress_below, int) or suppress_below < 1):
        msg = f"{suppress_below=} must be a whole number of at least 1, or None (not suppressed)"
        raise InvalidArgumentError(msg)
    from ._combined import CombinedHighSchoolOutcomes

    if not isinstance(outcomes, CombinedHighSchoolOutcomes):
        # One process: the one-partition case of the query, the filters its ``by``.
        outcomes = _combined(outcomes, attributes)
    specs = chart_specs(outcomes.windows.completion_years)
    names = school_names(outcomes)
    everyone = outcomes.everyone_reports(suppress_below=suppress_below)
    wanted = outcomes.trend_attributes(attributes)
    groups = _groups(outcomes, everyone, wanted, suppress_below)
    cells = [shown_cells(g.kpis) for g in groups]
    views = [cells[0].views()]
    title = title or "What happened to our high-school graduates"
    figures = _figures(specs, names, views[0])
    sections = [
        _section(spec, f"{names[ALL]}, all students", views[0].get(ALL, []), f"{spec.name}-ALL")[0]
        for spec in specs
    ]
    left_out = next(iter(everyone.left_out_report.rows()))
    privacy = (
        "not suppressed" if suppress_below is None else f"counts below {suppress_below} hidden"
    )
    esc = html.escape
    body = (
        f'<header><h1>{esc(title)}</h1><p class="lede">College enrollment, persistence and '
        f"completion of each class of graduates, from postsecondary records as of "
        f"{outcomes.as_of.isoformat()} ({privacy}).</p></header>"
        f"{_filters(names, outcomes.classes, groups)}"
        f'<p id="showing" class="showing">Showing: {esc(names[ALL])}, all class years, all students.</p>'
        f'<main id="view">{"".join(sections)}</main>'
        f"{_notes(outcomes, suppress_below, left_out[-1])}"
    )
    page = _html_page(title, body, _data(specs, names, groups, cells))
    reports = {(str(g.attribute), g.value): g.kpis for g in groups[1:]}
    return TrendsPage(page, figures, groups[0].kpis, reports, suppress_below, body)
