"""The cohort query: academic years, the outcome hierarchy, Tables 1/2/2A/2B, control and detail reports."""

from ._outcomes import (
    COUNTED_COLLEGE_TYPES,
    COUNTED_STATUSES,
    DISPLAY_ORDER,
    Outcome,
    degree_outcome,
    enrollment_outcome,
)
from ._query import CohortPartial, CohortQuery, CombinedCohortResult
from ._result import (
    CONTROL_LINES,
    DETAIL_COLUMNS,
    DETAIL_DEGREE_SOURCES,
    DETAIL_RECORD_SOURCES,
    TABLE_TITLES,
    CohortQueryResult,
    ControlReport,
    DetailReport,
    DetailRow,
    OutcomeTable,
    cohort_query,
)
from ._subgroups import cohort_query_by
from ._success import SuccessCategory, SuccessProgress, success_and_progress
from ._years import AcademicYear, academic_years, year_index

__all__ = [
    "CONTROL_LINES",
    "COUNTED_COLLEGE_TYPES",
    "COUNTED_STATUSES",
    "DETAIL_COLUMNS",
    "DETAIL_DEGREE_SOURCES",
    "DETAIL_RECORD_SOURCES",
    "DISPLAY_ORDER",
    "TABLE_TITLES",
    "AcademicYear",
    "CohortPartial",
    "CohortQuery",
    "CohortQueryResult",
    "CombinedCohortResult",
    "ControlReport",
    "DetailReport",
    "DetailRow",
    "Outcome",
    "OutcomeTable",
    "SuccessCategory",
    "SuccessProgress",
    "academic_years",
    "cohort_query",
    "cohort_query_by",
    "degree_outcome",
    "enrollment_outcome",
    "success_and_progress",
    "year_index",
]
