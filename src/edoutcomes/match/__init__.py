"""Record matching: linking submitted students to a person store (needs the ``match`` extra)."""

from .._kernel._names import (
    SUFFIXES,
    fold,
    name_parts,
    normalise_name,
    normalise_suffix,
    split_suffix,
)
from ._cohort import matched_cohort, matched_columns, rekey_records
from ._compare import FIELDS, FieldSpec
from ._finder import MatcherFinder
from ._matcher import (
    CandidatePairs,
    FellegiSunterMatcher,
    Matcher,
    Progress,
    as_students,
    match_students,
)
from ._model import FellegiSunterModel, FitReport, ModelSource
from ._normalise import (
    NICKNAMES,
    canonical_first_names,
    nickname_groups,
    normalise_names,
    phonetic_codes,
)
from ._result import Explanation, Match, MatchPass, MatchResult, NoMatchReason

__all__ = [
    "FIELDS",
    "NICKNAMES",
    "SUFFIXES",
    "CandidatePairs",
    "Explanation",
    "FellegiSunterMatcher",
    "FellegiSunterModel",
    "FieldSpec",
    "FitReport",
    "Match",
    "MatchPass",
    "MatchResult",
    "Matcher",
    "MatcherFinder",
    "ModelSource",
    "NoMatchReason",
    "Progress",
    "as_students",
    "canonical_first_names",
    "fold",
    "match_students",
    "matched_cohort",
    "matched_columns",
    "name_parts",
    "nickname_groups",
    "normalise_name",
    "normalise_names",
    "normalise_suffix",
    "phonetic_codes",
    "rekey_records",
    "split_suffix",
]
