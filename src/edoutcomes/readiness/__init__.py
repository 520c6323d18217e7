"""California college readiness: a-g completion, UC/CSU/Cal Grant GPAs, consent-gated release, clean-up."""

from ._cleanup import CleanupFinding, CleanupTable, FindingKind, cleanup_findings
from ._engine import AgReason, Options, Readiness, evaluate
from ._outputs import write_readiness
from ._query import CombinedReadiness, ReadinessPartial, ReadinessQuery
from ._read import READINESS_MARKS, ReadinessRead, read_readiness
from ._release import ControlTable, Release, blocked, release
from ._report import (
    ALL,
    HIDDEN,
    READINESS_COLUMNS,
    CalGrantTable,
    IndicatorTable,
    ReadinessTable,
    Status,
    calgrant_table,
    indicators,
    readiness_table,
    student_status,
)

__all__ = [
    "ALL",
    "HIDDEN",
    "READINESS_COLUMNS",
    "READINESS_MARKS",
    "AgReason",
    "CalGrantTable",
    "CleanupFinding",
    "CleanupTable",
    "CombinedReadiness",
    "ControlTable",
    "FindingKind",
    "IndicatorTable",
    "Options",
    "Readiness",
    "ReadinessPartial",
    "ReadinessQuery",
    "ReadinessRead",
    "ReadinessTable",
    "Release",
    "Status",
    "blocked",
    "calgrant_table",
    "cleanup_findings",
    "evaluate",
    "indicators",
    "read_readiness",
    "readiness_table",
    "release",
    "student_status",
    "write_readiness",
]
