"""Readers and writers: canonical tables, clearinghouse layouts, and the pluggable writer registry."""

from . import csv, fixed, html, json, xml
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
from .fixed import Align, FixedField, FixedWidthLayout

__all__ = [
    "ENTRY_POINT_GROUP",
    "Align",
    "FixedField",
    "FixedWidthLayout",
    "ReportTable",
    "RowTable",
    "Writer",
    "accepted_types",
    "as_table",
    "available",
    "csv",
    "fixed",
    "get_writer",
    "html",
    "json",
    "register_writer",
    "write",
    "xml",
]
