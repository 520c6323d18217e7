"""High-school outcomes: KPIs, supporting reports, the analysis-ready report, search, trends."""

from .._kernel._suppression import Relation, Suppression, suppress
from ._arr import AnalysisReadyReport, ArrColumn, arr_columns
from ._engine import (
    COUNTING_COLLEGE_TYPES,
    COUNTING_STATUSES,
    Measures,
    Progress,
    counting_enrollments,
)
from ._graduates import UNKNOWN_HIGH_SCHOOL, Graduates, graduates
from ._grid import ALL, Grid
from ._query import CombinedHighSchoolOutcomes, HighSchoolPartial, HighSchoolQuery
from ._reports import (
    HIDDEN,
    Cell,
    LeftOutReport,
    OutcomeReport,
    TopColleges,
    TopCollegesReport,
    rate,
)
from ._result import HighSchoolOutcomes, HighSchoolReports, high_school_outcomes
from ._search import ExactFinder, Finder, SearchQuery, StudentHistory, search
from ._trends import CHARTS, Figure, TrendsPage, trends_page
from ._windows import Windows

__all__ = [
    "ALL",
    "CHARTS",
    "COUNTING_COLLEGE_TYPES",
    "COUNTING_STATUSES",
    "HIDDEN",
    "UNKNOWN_HIGH_SCHOOL",
    "AnalysisReadyReport",
    "ArrColumn",
    "Cell",
    "CombinedHighSchoolOutcomes",
    "ExactFinder",
    "Figure",
    "Finder",
    "Graduates",
    "Grid",
    "HighSchoolOutcomes",
    "HighSchoolPartial",
    "HighSchoolQuery",
    "HighSchoolReports",
    "LeftOutReport",
    "Measures",
    "OutcomeReport",
    "Progress",
    "Relation",
    "SearchQuery",
    "StudentHistory",
    "Suppression",
    "TopColleges",
    "TopCollegesReport",
    "TrendsPage",
    "Windows",
    "arr_columns",
    "counting_enrollments",
    "graduates",
    "high_school_outcomes",
    "rate",
    "search",
    "suppress",
    "trends_page",
]
