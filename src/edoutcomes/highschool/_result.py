"""High-school outcomes: the entry point and the result every report is made from."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from .._kernel._arrow import summary_html, summary_repr
from .._kernel._days import check_date
from .._kernel._findings import Finding
from .._kernel._groups import subset_mask
from ..errors import InvalidArgumentError
from ..model import DEGREE_TITLES, Cohort, CohortColumns, DegreeTitleTable
from ._arr import AnalysisReadyReport
from ._engine import Measures, measure
from ._graduates import Graduates, graduates
from ._grid import ALL, Grid
from ._reports import (
    LeftOutReport,
    OutcomeReport,
    TopColleges,
    TopCollegesReport,
    completers_layout,
    enrollment_layout,
    kpi_layout,
    persistence_layout,
    top_colleges,
)
from ._trends import DEFAULT_SUPPRESS_BELOW
from ._windows import MonthDay, Windows

if TYPE_CHECKING:
    from ._combined import CombinedHighSchoolOutcomes
    from ._query import HighSchoolQuery
    from ._search import Finder, StudentHistory
    from ._trends import TrendsPage

__all__ = ["HighSchoolOutcomes", "HighSchoolReports", "high_school_outcomes", "make_reports"]


@frozen(eq=False)
class HighSchoolReports:
    """
    The four aggregate reports, from one count grid (so one suppression pattern).

    Attributes:
        kpis: The landing-page KPIs (``kpis.csv``).
        enrollment: Enrollment counts (``enrollment.csv``).
        persistence: Persistence/Retention counts (``persistence.csv``).
        completers: Completers counts (``completers.csv``).
        grid: The counts behind all four.
        left_out: Students left out because they have no graduation date.
        left_out_report: Those students per high school and for the account
            (``left_out.csv``, suppressed like the reports).

    Examples:
        >>> from edoutcomes.synth import synthetic_high_schools
        >>> hs = synthetic_high_schools(20, class_years=(2019, 2020), n_high_schools=2, seed=3)
        >>> reports = high_school_outcomes(hs.columns, as_of=hs.as_of).reports(suppress_below=10)
        >>> reports
        HighSchoolReports(reports=4, rows=6, left_out=0)
        >>> [report.name for report in reports]
        ['kpis', 'enrollment', 'persistence', 'completers']
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     [path.name for path in reports.write(folder)]
        ['kpis.csv', 'enrollment.csv', 'persistence.csv', 'completers.csv', 'left_out.csv']
    """

    kpis: OutcomeReport
    enrollment: OutcomeReport
    persistence: OutcomeReport
    completers: OutcomeReport
    grid: Grid = field(repr=False)
    left_out: int
    left_out_report: LeftOutReport = field(repr=False)

    def __repr__(self) -> str:
        return summary_repr(self, reports=4, rows=len(self.kpis), left_out=self.left_out)

    def _repr_html_(self) -> str:
        return "".join(report._repr_html_() for report in self)

    def to_arrow(self) -> Any:
        """The KPIs as a ``pyarrow.Table`` (each report has its own ``to_arrow()``)."""
        return self.kpis.to_arrow()

    def to_pandas(self) -> Any:
        """The KPIs as a ``pandas.DataFrame`` (needs pandas)."""
        return self.kpis.to_pandas()

    def __iter__(self) -> Any:
        return iter((self.kpis, self.enrollment, self.persistence, self.completers))

    def write(self, directory: str | os.PathLike[str], *, format: str = "csv") -> tuple[Path, ...]:
        """Write ``kpis.csv``, ``enrollment.csv``, ``persistence.csv``, ``completers.csv`` and ``left_out.csv``."""
        from .._kernel._writers import write

        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for report in (*self, self.left_out_report):
            path = folder / f"{report.name}.{format}"
            write(report, path, format)
            paths.append(path)
        return tuple(paths)


@frozen(eq=False)
class HighSchoolOutcomes:
    """
    What happened to a district's graduates: every measure, ready for every report.

    Built by :func:`high_school_outcomes`; aggregates count FERPA-blocked records,
    student-level output (:meth:`arr`, :meth:`search`) leaves them out.

    Attributes:
        graduates: The students with their class and high school.
        windows: The windows of the definitions.
        as_of: The report date.
        measures: The engine's pass for aggregates (every record).
        degree_titles: The degree-title table.

    Examples:
        >>> from edoutcomes.synth import synthetic_high_schools
        >>> hs = synthetic_high_schools(20, class_years=(2019, 2020), n_high_schools=2, seed=3)
        >>> outcomes = high_school_outcomes(hs.columns, as_of=hs.as_of)
        >>> outcomes
        HighSchoolOutcomes(students=40, classes=2, high_schools=2, as_of=2021-10-15, left_out=0)
        >>> outcomes.classes, outcomes.high_schools
        ((2019, 2020), ('144190', '597089'))
        >>> next(outcomes.kpis().rows())[:4], int(outcomes.attribute_is("gender", "F").sum())
        (['ALL', 2019, 20, 6], 24)
        >>> list(outcomes.reports_by("gender"))
        ['F', 'M', None]
    """

    graduates: Graduates
    windows: Windows
    as_of: dt.date
    measures: Measures = field(repr=False)
    degree_titles: DegreeTitleTable = field(repr=False)
    _student: list[Measures] = field(factory=list, init=False, repr=False)

    def _summary(self) -> dict[str, object]:
        return {
            "students": len(self.graduates.class_year),
            "classes": len(self.classes),
            "high_schools": len(self.high_schools),
            "as_of": self.as_of.isoformat(),
            "left_out": self.left_out,
        }

    def __repr__(self) -> str:
        return summary_repr(self, **self._summary())

    def _repr_html_(self) -> str:
        return summary_html("High-school outcomes", self._summary())

    def to_arrow(self) -> Any:
        """The analysis-ready report (one row per student) as a ``pyarrow.Table``."""
        return self.arr().to_arrow()

    def to_pandas(self) -> Any:
        """The analysis-ready report as a ``pandas.DataFrame`` (needs pandas)."""
        return self.arr().to_pandas()

    @property
    def columns(self) -> CohortColumns:
        """The columnar view."""
        return self.graduates.columns

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Errors about the input: students without a graduation date."""
        return self.graduates.findings

    @property
    def left_out(self) -> int:
        """Students left out of the class-based reports (no graduation date)."""
        return self.graduates.n_without_date

    @property
    def classes(self) -> tuple[int, ...]:
        """The class years present."""
        return self.graduates.classes

    @property
    def high_schools(self) -> tuple[str, ...]:
        """The high-school codes present (``UNKNOWN`` last when some are missing)."""
        return self.graduates.high_schools

    def student_measures(self) -> Measures:
        """The student-level pass (FERPA-blocked records left out), computed on first use."""
        if not self._student:
            cols = self.columns
            self._student.append(
                measure(
                    cols,
                    self.graduates.class_year,
                    as_of=self.as_of,
                    windows=self.windows,
                    degree_titles=self.degree_titles,
                    student_level=True,
                    passes=self.measures.passes,
                )
            )
        return self._student[0]

    def _subset(self, subset: Any) -> NDArray[np.bool_] | None:
        return None if subset is None else subset_mask(self.columns, subset)

    def query(self, **arguments: Any) -> HighSchoolQuery:
        """
        The :class:`~edoutcomes.highschool.HighSchoolQuery` of these windows, report date
        and degree titles, with *arguments* (``suppress_below``, ``by``, ``arr`` ...).
        """
        from ._query import HighSchoolQuery

        w = self.windows
        return HighSchoolQuery(
            as_of=self.as_of,
            class_start=w.class_start,
            year_start=w.year_start,
            fall_end=w.fall_end,
            completion_years=w.completion_years,
            progress_years=w.progress_years,
            degree_titles=self.degree_titles,
            **arguments,
        )

    def combined(self, **arguments: Any) -> CombinedHighSchoolOutcomes:
        """
        ``query.combine([query.partial_of_outcomes(self)])`` of :meth:`query` with
        *arguments*: every report of this result is this one-partition case of the query.
        """
        query = self.query(**arguments)
        return query.combine([query.partial_of_outcomes(self)])

    def grid(
        self,
        *,
        subset: Any = None,
        suppress_below: int | None = None,
        class_totals: bool = True,
    ) -> Grid:
        """The counts behind every aggregate report (see :meth:`reports`)."""
        return self.reports(
            subset=subset, suppress_below=suppress_below, class_totals=class_totals
        ).grid

    def reports(
        self,
        *,
        subset: Any = None,
        suppress_below: int | None = None,
        class_totals: bool = True,
    ) -> HighSchoolReports:
        """
        The KPIs and the three supporting reports.

        Rows: the account (``ALL``) then each high school; per class year, and (with
        *class_totals*, not in the KPIs) one ``ALL`` row over the classes for which each
        count is available.

        Args:
            subset: Only these students: a boolean mask or requester ids (a filter by
                any student attribute is a mask, e.g. ``outcomes.attribute_is("gender", "F")``).
            suppress_below: Hide every count below this (``*``, its rates blank), and
                more counts where subtraction would reveal a hidden one. Default: off.
            class_totals: Add the every-class rows to the supporting reports.
        """
        return self.combined(
            subset=self._subset(subset),
            suppress_below=suppress_below,
            class_totals=class_totals,
            arr=False,
            top_n=None,
        ).reports

    def kpis(self, *, subset: Any = None, suppress_below: int | None = None) -> OutcomeReport:
        """The KPIs alone (see :meth:`reports`)."""
        return self.reports(subset=subset, suppress_below=suppress_below).kpis

    def attribute_is(self, name: str, value: object) -> NDArray[np.bool_]:
        """A mask of the students whose attribute *name* equals *value* (for ``subset``)."""
        codes, values = self.graduates.attribute(name)
        if value not in values:
            return np.zeros(len(codes), dtype=bool)
        out: NDArray[np.bool_] = codes == values.index(value)
        return out

    def reports_by(
        self, attribute: str, *, suppress_below: int | None = None, class_totals: bool = True
    ) -> dict[object, HighSchoolReports]:
        """
        The reports for each value of a student attribute (missing values: the group None).

        One engine pass serves every group; each group is one more set of counts. Text
        values come in sorted order, True before False, other values by their stored
        value (the same however the input was encoded or partitioned).
        """
        combined = self.combined(by=(attribute,), arr=False, top_n=None)
        return combined.reports_by(
            attribute, suppress_below=suppress_below, class_totals=class_totals
        )

    def top_colleges(
        self,
        which: str = "fall",
        *,
        n: int = 25,
        subset: Any = None,
        suppress_below: int | None = None,
    ) -> TopColleges:
        """The *n* institutions most attended per class: ``fall`` after high school, or ``first`` attended."""
        return top_colleges(
            self.graduates,
            self.measures,
            which=which,
            n=n,
            subset=self._subset(subset),
            suppress_below=suppress_below,
        )

    def top_colleges_report(
        self, *, n: int = 25, suppress_below: int | None = None
    ) -> TopCollegesReport:
        """
        Both top-colleges lists (``fall``, ``first``) for the account (``ALL``) and each high school.

        This is ``top_colleges.csv`` of ``edoutcomes hs-report``.
        """
        top = self.combined(top_n=n, suppress_below=suppress_below, arr=False).top_colleges
        assert top is not None  # top_n is given
        return top

    def arr(self, *, attributes: Sequence[str] | None = None) -> AnalysisReadyReport:
        """The analysis-ready report (FERPA-blocked records left out)."""
        report = self.combined(arr=True, attributes=attributes, top_n=None).arr
        assert report is not None  # arr=True
        return report

    def search(
        self,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        birth_date: dt.date | None = None,
        requester_id: str | None = None,
        finder: Finder | None = None,
    ) -> StudentHistory | None:
        """One student's history by name and birth date, or by requester id (see :func:`search`)."""
        from ._search import search

        return search(
            self,
            first_name=first_name,
            last_name=last_name,
            birth_date=birth_date,
            requester_id=requester_id,
            finder=finder,
        )

    def trends(
        self,
        *,
        suppress_below: int | None = DEFAULT_SUPPRESS_BELOW,
        title: str | None = None,
        attributes: Sequence[str] | None = None,
    ) -> TrendsPage:
        """
        The trends page to share: the three KPI charts and their tables, filtered in the page.

        Suppressed by default (counts below 10, with secondary suppression); None turns it
        off and the page says "not suppressed". See :func:`~edoutcomes.highschool.trends_page`.
        """
        from ._trends import trends_page

        return trends_page(self, suppress_below=suppress_below, title=title, attributes=attributes)


def make_reports(
    grid: Grid, windows: Windows, as_of: dt.date, left_out: int, left_out_report: LeftOutReport
) -> HighSchoolReports:
    """The KPIs and the three supporting reports of one grid (see :meth:`HighSchoolOutcomes.reports`)."""
    per_class = tuple(i for i, key in enumerate(grid.keys) if key[1] != ALL)
    every = tuple(range(len(grid.keys)))

    def report(name: str, specs: Any, rows: tuple[int, ...]) -> OutcomeReport:
        return OutcomeReport(name, grid, specs, rows, left_out, as_of)

    return HighSchoolReports(
        kpis=report("kpis", kpi_layout(windows.completion_years), per_class),
        enrollment=report("enrollment", enrollment_layout(), every),
        persistence=report("persistence", persistence_layout(), every),
        completers=report(
            "completers",
            completers_layout(windows.completion_years, windows.progress_years),
            every,
        ),
        grid=grid,
        left_out=left_out,
        left_out_report=left_out_report,
    )


def high_school_outcomes(
    cohort: Cohort | CohortColumns,
    *,
    as_of: dt.date,
    class_start: MonthDay = (9, 1),
    year_start: MonthDay = (8, 15),
    fall_end: MonthDay = (10, 31),
    completion_years: int = 6,
    progress_years: int = 8,
    degree_titles: DegreeTitleTable = DEGREE_TITLES,
) -> HighSchoolOutcomes:
    """
    Measure what happened to a district's high-school graduates after graduation.

    Each window of the definitions is a parameter with the spec's default. A measure whose
    window has not closed by *as_of* is "not available" (None, written blank), never 0.

    Args:
        cohort: The submitted students (with graduation dates and high schools) and their
            postsecondary records: a :class:`~edoutcomes.model.Cohort` or its columnar view.
        as_of: The report date.
        class_start: The class of ``Y`` graduated from this day of ``Y-1`` to the day before
            it in ``Y`` (Sept 1).
        year_start: College year ``k`` starts on this day of ``Y+k-1`` (Aug 15); so does
            the fall window.
        fall_end: The fall window's last day (Oct 31).
        completion_years: ``n`` of "completed within n years" (6).
        progress_years: Years with a progress category (8).
        degree_titles: The degree-title table (the cohort query's, by default).

    Raises:
        InvalidArgumentError: If a date is not a date or a window is malformed.

    Examples:
        >>> from edoutcomes.model import CollegeCode, CollegeType, EnrollmentRecord, Student
        >>> cohort = Cohort(
        ...     [Student("1", high_school_code="100200", hs_grad_date=dt.date(2020, 6, 1)),
        ...      Student("2", high_school_code="100200", hs_grad_date=dt.date(2020, 6, 1))],
        ...     [EnrollmentRecord("1", CollegeCode.parse("001817-00"), CollegeType.FOUR_YEAR,
        ...                       dt.date(2020, 8, 24), dt.date(2020, 12, 15))])
        >>> kpis = high_school_outcomes(cohort, as_of=dt.date(2021, 9, 1)).kpis()
        >>> kpis.records()[0]["enrolled_fall_rate"], kpis.records()[0]["persisted"]
        (Decimal('0.5000'), None)
    """
    check_date("as_of", as_of)
    windows = Windows(
        class_start=class_start,
        year_start=year_start,
        fall_end=fall_end,
        completion_years=completion_years,
        progress_years=progress_years,
    )
    if not isinstance(degree_titles, DegreeTitleTable):
        msg = f"degree_titles is a {type(degree_titles).__name__}, expected a DegreeTitleTable"
        raise InvalidArgumentError(msg)
    grads = graduates(cohort, class_start=class_start)
    m = measure(
        grads.columns, grads.class_year, as_of=as_of, windows=windows, degree_titles=degree_titles
    )
    return HighSchoolOutcomes(grads, windows, as_of, m, degree_titles)
