"""Oregon's ninth-grade on-track collection: eligibility, explanations, the state extract."""

from ._eligibility import (
    DEFAULT_REQUIRED_CREDITS,
    MINIMUM_THRESHOLD,
    CreditWindow,
    Eligibility,
    Explanations,
    Ineligibility,
    OnTrackOptions,
    Reason,
    Rule,
    eligibility,
    threshold,
)

__all__ = [
    "DEFAULT_REQUIRED_CREDITS",
    "MINIMUM_THRESHOLD",
    "CreditWindow",
    "Eligibility",
    "Explanations",
    "Ineligibility",
    "OnTrackOptions",
    "Reason",
    "Rule",
    "eligibility",
    "threshold",
]
