"""
The engines on Spark (the ``spark`` extra), exact: the same partition function, partials combined.

Every table is bucketed by a hash of its student key, the buckets go through
``groupBy("bucket").applyInArrow`` (Spark 4), each bucket's partial comes back pickled in
one binary column, and the driver combines them with the query's ``combine``. pyspark is
imported when a function is called, so this package imports without it; a call without
it raises :class:`~edoutcomes.errors.MissingExtraError` naming the extra.
"""

from ._partials import (
    PARTIALS_SCHEMA,
    READINESS_TABLES,
    bucketed,
    cohort_query,
    combine,
    high_school_outcomes,
    ontrack_eligibility,
    partition_function,
    readiness,
)

__all__ = [
    "PARTIALS_SCHEMA",
    "READINESS_TABLES",
    "bucketed",
    "cohort_query",
    "combine",
    "high_school_outcomes",
    "ontrack_eligibility",
    "partition_function",
    "readiness",
]
