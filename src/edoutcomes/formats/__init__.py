"""Readers and writers: canonical tables, clearinghouse layouts, and the pluggable writer registry."""

from . import canonical, cohort_report, csv, detail, fixed, html, intake, json, request, xml
from ._registry import (
    ENTRY_POINT_GROUP,
    ReportTable,
    Writer,
    accepted_types,
    as_table,
    available,
    get_writer,
    register_writer,
    write,
)
from ._tables import RowTable
from .canonical import (
    CohortRead,
    RecordsRead,
    TableRead,
    read_cohort,
    read_records,
    read_table,
    write_cohort,
    write_table,
)
from .cohort_report import (
    AggregateReport,
    CellDifference,
    CohortQueryFiles,
    compare,
    read_aggregate,
    write_cohort_query_files,
)
from .detail import DetailFile, DetailVariant, read_detail
from .fixed import Align, FixedField, FixedWidthLayout
from .intake import SUBMISSION_FORMATS, SubmissionRead, read_submission
from .request import (
    CollegeRequest,
    HighSchoolGraduates,
    InquiryType,
    college_request,
    high_school_graduates,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "SUBMISSION_FORMATS",
    "AggregateReport",
    "Align",
    "CellDifference",
    "CohortQueryFiles",
    "CohortRead",
    "CollegeRequest",
    "DetailFile",
    "DetailVariant",
    "FixedField",
    "FixedWidthLayout",
    "HighSchoolGraduates",
    "InquiryType",
    "RecordsRead",
    "ReportTable",
    "RowTable",
    "SubmissionRead",
    "TableRead",
    "Writer",
    "accepted_types",
    "as_table",
    "available",
    "canonical",
    "cohort_report",
    "college_request",
    "compare",
    "csv",
    "detail",
    "fixed",
    "get_writer",
    "high_school_graduates",
    "html",
    "intake",
    "json",
    "read_aggregate",
    "read_cohort",
    "read_detail",
    "read_records",
    "read_submission",
    "read_table",
    "register_writer",
    "request",
    "write",
    "write_cohort",
    "write_cohort_query_files",
    "write_table",
    "xml",
]
