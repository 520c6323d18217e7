"""
The engines on a Dask cluster (the ``dask`` extra), exact: partitions of students, partials combined.

Dask is imported when a function is called, so this package imports without it; a call
without it raises :class:`~edoutcomes.errors.MissingExtraError` naming the extra.
"""

from ._cohort import cohort_query
from ._highschool import high_school_outcomes
from ._ontrack import K12_TABLES, ontrack_eligibility
from ._partitions import ROW, partition_paths, write_partitioned
from ._readiness import READINESS_TABLES, readiness

__all__ = [
    "K12_TABLES",
    "READINESS_TABLES",
    "ROW",
    "cohort_query",
    "high_school_outcomes",
    "ontrack_eligibility",
    "partition_paths",
    "readiness",
    "write_partitioned",
]
