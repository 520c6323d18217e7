"""The domain model: students, enrollment and degree records, cohorts, code sets, the columnar view."""

from ._codes import (
    ClassLevel,
    CollegeControl,
    CollegeType,
    DegreeKind,
    EnrollmentStatus,
    FerpaBlock,
)
from ._columns import (
    EPOCH,
    MISSING_DAY,
    CohortColumns,
    Table,
    dates_to_days,
    days_to_dates,
    encode_text,
)
from ._converter import converter, structure, unstructure
from ._records import AttributeValue, Cohort, DegreeRecord, EnrollmentRecord, Institution, Student
from ._schema import DEGREES, ENROLLMENTS, STUDENTS, Column, Kind, TableSchema
from ._values import DEGREE_TITLES, Cip, CollegeCode, DegreeTitleTable

__all__ = [
    "DEGREES",
    "DEGREE_TITLES",
    "ENROLLMENTS",
    "EPOCH",
    "MISSING_DAY",
    "STUDENTS",
    "AttributeValue",
    "Cip",
    "ClassLevel",
    "Cohort",
    "CohortColumns",
    "CollegeCode",
    "CollegeControl",
    "CollegeType",
    "Column",
    "DegreeKind",
    "DegreeRecord",
    "DegreeTitleTable",
    "EnrollmentRecord",
    "EnrollmentStatus",
    "FerpaBlock",
    "Institution",
    "Kind",
    "Student",
    "Table",
    "TableSchema",
    "converter",
    "dates_to_days",
    "days_to_dates",
    "encode_text",
    "structure",
    "unstructure",
]
