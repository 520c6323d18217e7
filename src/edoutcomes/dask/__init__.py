"""
The engines on a Dask cluster (the ``dask`` extra), exact: partitions of students, partials combined.

Dask is imported when a function is called, so this package imports without it; a call
without it raises :class:`~edoutcomes.errors.MissingExtraError` naming the extra.
"""

from ._cohort import cohort_query
from ._partitions import ROW, partition_paths, write_partitioned

__all__ = ["ROW", "cohort_query", "partition_paths", "write_partitioned"]
