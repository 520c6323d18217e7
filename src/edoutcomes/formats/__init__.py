"""Readers and writers: canonical tables, clearinghouse layouts, and the pluggable writer registry."""

from . import canonical, csv, fixed, html, json, xml
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
from .fixed import Align, FixedField, FixedWidthLayout

__all__ = [
    "ENTRY_POINT_GROUP",
    "Align",
    "CohortRead",
    "FixedField",
    "FixedWidthLayout",
    "RecordsRead",
    "ReportTable",
    "RowTable",
    "TableRead",
    "Writer",
    "accepted_types",
    "as_table",
    "available",
    "canonical",
    "csv",
    "fixed",
    "get_writer",
    "html",
    "json",
    "read_cohort",
    "read_records",
    "read_table",
    "register_writer",
    "write",
    "write_cohort",
    "write_table",
    "xml",
]
