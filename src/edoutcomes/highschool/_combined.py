"""
High-school outcomes combined from partials: what one process gives, from summed counts.

The combined result keeps the summed counts (before suppression) of everyone, of the
query's subset and of each value of its ``by`` attributes on one grid, so the reports of
any of them, with any threshold, are made after the sum, as one process makes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from .._kernel._arrow import summary_html, summary_repr
from .._kernel._findings import Finding
from ..errors import InvalidArgumentError
from ._arr import AnalysisReadyReport
from ._grid import assemble_grid
from ._parts import MAX_ATTRIBUTE_VALUES, Counted, Layout
from ._reports import OutcomeReport, TopCollegesReport, assemble_left_out
from ._result import HighSchoolReports, make_reports
from ._search import StudentHistory
from ._trends import DEFAULT_SUPPRESS_BELOW
from ._windows import Windows

if TYPE_CHECKING:
    from ._trends import TrendsPage

__all__ = ["AttributeGroups", "CombinedHighSchoolOutcomes", "counted_reports"]


@frozen(eq=False)
class AttributeGroups:
    """
    One ``by`` attribute's groups summed over the partitions.

    Attributes:
        name: The students column.
        kind: ``text``, ``bool`` or ``other``.
        values: The values some student has, in order (text sorted, True before False,
            others by their stored value), then None when some student has none.
        counts: Each value's counts on the grid of everyone.
        too_many: A text column with more values than the trends page offers by default
            (without counts).
    """

    name: str
    kind: str
    values: tuple[object, ...]
    counts: tuple[Counted, ...] = field(repr=False)
    too_many: bool = False


def counted_reports(
    counts: Counted,
    windows: Windows,
    as_of: dt.date,
    left_out: int,
    *,
    suppress_below: int | None = None,
    class_totals: bool = True,
) -> HighSchoolReports:
    """
    The reports of some students' summed *counts*: the grid, rates and suppression after
    the sum (*left_out*: every student without a graduation date, as the reports say).
    """
    grid = assemble_grid(
        counts.cells,
        completion_years=windows.completion_years,
        suppress_below=suppress_below,
        class_totals=class_totals,
    )
    left = assemble_left_out(
        counts.cells.high_schools, counts.left_out, suppress_below=suppress_below
    )
    return make_reports(grid, windows, as_of, left_out, left)


@frozen(eq=False)
class CombinedHighSchoolOutcomes:
    """
    High-school outcomes combined from partials: the reports and the ARR of one process.

    Attributes:
        as_of: The report date.
        windows: The windows of the definitions.
        classes: The class years present.
        high_schools: The high-school codes present (``UNKNOWN`` last when some are missing).
        left_out: Students left out of the class-based reports (no graduation date).
        findings: Errors about the input, rows numbered as in the whole input.
        reports: The KPIs, the three supporting reports and ``left_out.csv`` of the query's
            ``subset`` (everyone without one), suppressed as the query says (equal to
            ``HighSchoolOutcomes.reports(subset=..., ...)``).
        arr: The analysis-ready report in input order, or None when not asked for.
        top_colleges: Both top-colleges lists for the account and each high school
            (``top_colleges.csv``, as ``HighSchoolOutcomes.top_colleges_report``), or None.
        layout: The grid of every partition's high schools and classes.
        everyone: Every student's summed counts.
        groups: Each ``by`` attribute's summed counts per value.
        school_names: Each high school's most given ``high_school_name``.
        matches: The students the query's ``search`` found (None without a search).
        student_columns: The students table's columns.

    Examples:
        >>> from edoutcomes.highschool import HighSchoolQuery, high_school_outcomes
        >>> from edoutcomes.synth import synthetic_high_schools
        >>> hs = synthetic_high_schools(20, class_years=(2019, 2020), n_high_schools=2, seed=3)
        >>> query = HighSchoolQuery(as_of=hs.as_of, by=["gender"])
        >>> combined = query.combine([query.partial(hs.columns)])
        >>> combined
        CombinedHighSchoolOutcomes(students=40, classes=2, high_schools=2, as_of=2021-10-15, left_out=0)
        >>> whole = high_school_outcomes(hs.columns, as_of=hs.as_of)
        >>> list(combined.kpis.rows()) == list(whole.kpis().rows()), len(combined.arr)
        (True, 40)
        >>> list(combined.reports_by("gender")) == list(whole.reports_by("gender"))
        True
    """

    as_of: dt.date
    windows: Windows
    classes: tuple[int, ...]
    high_schools: tuple[str, ...]
    left_out: int
    findings: tuple[Finding, ...]
    reports: HighSchoolReports = field(repr=False)
    arr: AnalysisReadyReport | None = field(repr=False)
    top_colleges: TopCollegesReport | None = field(default=None, repr=False)
    layout: Layout | None = field(default=None, repr=False)
    everyone: Counted | None = field(default=None, repr=False)
    groups: dict[str, AttributeGroups] = field(factory=dict, repr=False)
    school_names: dict[str, str] = field(factory=dict, repr=False)
    matches: tuple[StudentHistory, ...] | None = field(default=None, repr=False)
    student_columns: tuple[str, ...] = field(default=(), repr=False)

    def _summary(self) -> dict[str, object]:
        return {
            "students": len(self.arr) if self.arr is not None else None,
            "classes": len(self.classes),
            "high_schools": len(self.high_schools),
            "as_of": self.as_of.isoformat(),
            "left_out": self.left_out,
        }

    def __repr__(self) -> str:
        return summary_repr(self, **self._summary())

    def _repr_html_(self) -> str:
        return summary_html("High-school outcomes (combined)", self._summary())

    def to_arrow(self) -> Any:
        """The ARR as a ``pyarrow.Table`` (the KPIs when the ARR was left out)."""
        return self.reports.to_arrow() if self.arr is None else self.arr.to_arrow()

    def to_pandas(self) -> Any:
        """:meth:`to_arrow` as a ``pandas.DataFrame`` (needs pandas)."""
        return self.reports.to_pandas() if self.arr is None else self.arr.to_pandas()

    @property
    def kpis(self) -> OutcomeReport:
        """The KPI report."""
        return self.reports.kpis

    def reports_of(
        self, counts: Counted, *, suppress_below: int | None = None, class_totals: bool = True
    ) -> HighSchoolReports:
        """The reports of some students' summed *counts*: the grid, rates and suppression."""
        return counted_reports(
            counts,
            self.windows,
            self.as_of,
            self.left_out,
            suppress_below=suppress_below,
            class_totals=class_totals,
        )

    def everyone_reports(
        self, *, suppress_below: int | None = None, class_totals: bool = True
    ) -> HighSchoolReports:
        """Every student's reports (no subset), as ``HighSchoolOutcomes.reports(...)``."""
        if self.everyone is None:
            msg = "this combined result holds no counts of every student"
            raise InvalidArgumentError(msg)
        return self.reports_of(
            self.everyone, suppress_below=suppress_below, class_totals=class_totals
        )

    def reports_by(
        self, attribute: str, *, suppress_below: int | None = None, class_totals: bool = True
    ) -> dict[object, HighSchoolReports]:
        """
        The reports for each value of a ``by`` attribute (missing values: the group None),
        as ``HighSchoolOutcomes.reports_by``.

        Raises:
            InvalidArgumentError: If the query did not count *attribute* (``by=``).
        """
        group = self.groups.get(attribute)
        if group is None or group.too_many:
            msg = f"{attribute!r} is not one of the query's attributes: give HighSchoolQuery(by=[{attribute!r}, ...])"
            raise InvalidArgumentError(msg)
        return {
            value: self.reports_of(counts, suppress_below=suppress_below, class_totals=class_totals)
            for value, counts in zip(group.values, group.counts, strict=True)
        }

    def trend_attributes(self, wanted: Sequence[str] | None) -> list[str]:
        """
        The attributes the trends page filters by: *wanted*, or by default the ``by``
        attributes that are Y/N, or text with 1 to :data:`MAX_ATTRIBUTE_VALUES` values.

        Raises:
            InvalidArgumentError: If *wanted* is a string, or names a column the students
                do not have or the query did not count.
        """
        if wanted is None:
            return [
                name
                for name, group in self.groups.items()
                if group.kind == "bool"
                or (
                    group.kind == "text"
                    and not group.too_many
                    and 0 < len([v for v in group.values if v is not None]) <= MAX_ATTRIBUTE_VALUES
                )
            ]
        if isinstance(wanted, str):
            msg = f"attributes={wanted!r} is a string; give a list of column names"
            raise InvalidArgumentError(msg)
        for name in wanted:
            if name not in self.student_columns:
                msg = f"attributes: the students have no column {name!r}"
                raise InvalidArgumentError(msg)
            if name not in self.groups or self.groups[name].too_many:
                msg = f"attributes: {name!r} is not one of the query's attributes (HighSchoolQuery(by=...))"
                raise InvalidArgumentError(msg)
        return list(dict.fromkeys(wanted))

    def search(self) -> StudentHistory | None:
        """
        The student the query's ``search`` names, as ``HighSchoolOutcomes.search``: None
        when no one matches.

        Raises:
            InvalidArgumentError: If the query had no search, or several students match
                (the message gives only how many).
        """
        if self.matches is None:
            msg = "the query has no search: give HighSchoolQuery(search=SearchQuery(...) or a requester id)"
            raise InvalidArgumentError(msg)
        if len(self.matches) > 1:
            msg = f"{len(self.matches)} students match the search; search by requester id instead"
            raise InvalidArgumentError(msg)
        return self.matches[0] if self.matches else None

    def trends(
        self,
        *,
        suppress_below: int | None = DEFAULT_SUPPRESS_BELOW,
        title: str | None = None,
        attributes: Sequence[str] | None = None,
    ) -> TrendsPage:
        """
        The trends page, as ``HighSchoolOutcomes.trends`` (see
        :func:`~edoutcomes.highschool.trends_page`): its filters are the query's ``by``
        attributes (``by=None``: the page's default filters).
        """
        from ._trends import trends_page

        return trends_page(self, suppress_below=suppress_below, title=title, attributes=attributes)
