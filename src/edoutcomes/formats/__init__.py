"""Readers and writers: canonical tables, clearinghouse layouts, and the pluggable writer registry."""

from . import csv
from ._registry import (
    ENTRY_POINT_GROUP,
    ReportTable,
    Writer,
    as_table,
    available,
    get_writer,
    register_writer,
    write,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "ReportTable",
    "Writer",
    "as_table",
    "available",
    "csv",
    "get_writer",
    "register_writer",
    "write",
]
