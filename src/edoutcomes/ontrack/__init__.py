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
from ._extract import OnTrackExtract, build_extract
from ._layout import (
    DEFAULT_LAYOUT,
    LAYOUTS,
    FieldKind,
    LayoutField,
    OnTrackLayout,
    Padding,
    layout_for,
)
from ._query import CombinedEligibility, EligibilityPartial, EligibilityQuery
from ._ssid import check_digit, is_valid_ssid
from ._validate import validate_extract

# The writers behind oregon-ontrack-csv, -fixed and -explanations (the registry's table).
from ._writers import write_explanations_csv, write_ontrack_csv, write_ontrack_fixed

__all__ = [
    "DEFAULT_LAYOUT",
    "DEFAULT_REQUIRED_CREDITS",
    "LAYOUTS",
    "MINIMUM_THRESHOLD",
    "CombinedEligibility",
    "CreditWindow",
    "Eligibility",
    "EligibilityPartial",
    "EligibilityQuery",
    "Explanations",
    "FieldKind",
    "Ineligibility",
    "LayoutField",
    "OnTrackExtract",
    "OnTrackLayout",
    "OnTrackOptions",
    "Padding",
    "Reason",
    "Rule",
    "build_extract",
    "check_digit",
    "eligibility",
    "is_valid_ssid",
    "layout_for",
    "threshold",
    "validate_extract",
    "write_explanations_csv",
    "write_ontrack_csv",
    "write_ontrack_fixed",
]
