"""California college readiness: a-g completion, UC/CSU/Cal Grant GPAs, consent-gated release, clean-up."""

from ._engine import AgReason, Options, Readiness, evaluate
from ._read import READINESS_MARKS, ReadinessRead, read_readiness

__all__ = [
    "READINESS_MARKS",
    "AgReason",
    "Options",
    "Readiness",
    "ReadinessRead",
    "evaluate",
    "read_readiness",
]
