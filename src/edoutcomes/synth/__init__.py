"""Synthetic data: a seeded, vectorised generator of realistic cohorts and their records."""

from ._cohort import SyntheticCohort, synthetic_cohort
from ._k12 import synthetic_k12
from ._people import ERROR_KINDS, SyntheticMatching, synthetic_matching
from ._postsecondary import CohortShape

__all__ = [
    "ERROR_KINDS",
    "CohortShape",
    "SyntheticCohort",
    "SyntheticMatching",
    "synthetic_cohort",
    "synthetic_k12",
    "synthetic_matching",
]
