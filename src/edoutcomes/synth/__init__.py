"""Synthetic data: a seeded, vectorised generator of realistic cohorts and their records."""

from ._cohort import SyntheticCohort, synthetic_cohort
from ._k12 import synthetic_k12
from ._postsecondary import CohortShape

__all__ = ["CohortShape", "SyntheticCohort", "synthetic_cohort", "synthetic_k12"]
