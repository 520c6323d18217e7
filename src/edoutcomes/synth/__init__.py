"""Synthetic data: a seeded, vectorised generator of realistic cohorts and their records."""

from ._cohort import SyntheticCohort, synthetic_cohort
from ._highschool import HIGH_SCHOOL_SHAPE, SyntheticHighSchools, synthetic_high_schools
from ._k12 import synthetic_k12
from ._people import ERROR_KINDS, SyntheticMatching, synthetic_matching
from ._postsecondary import CohortShape
from ._readiness import synthetic_readiness

__all__ = [
    "ERROR_KINDS",
    "HIGH_SCHOOL_SHAPE",
    "CohortShape",
    "SyntheticCohort",
    "SyntheticHighSchools",
    "SyntheticMatching",
    "synthetic_cohort",
    "synthetic_high_schools",
    "synthetic_k12",
    "synthetic_matching",
    "synthetic_readiness",
]
