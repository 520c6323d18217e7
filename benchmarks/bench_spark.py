"""
Benchmark: the cohort query on Spark (``edoutcomes.spark``, local[2]) vs one process.

Generates ``--students`` students (default 200,000; ``synthetic_cohort``), writes the three
canonical tables as Parquet (not timed), then:

- **one process**: read the three files with pyarrow, build the columnar view, the query's
  one partial and combine;
- **Spark**: a ``local[2]`` session reads the same files (``spark.read.parquet``), and
  ``edoutcomes.spark.cohort_query`` buckets them (``--buckets``), runs the partition function
  through ``groupBy("bucket").applyInArrow`` and combines on the driver. The session's start
  is timed apart.

``detail=False`` and ``success=False``: only the tables and the control report travel. Both
results are checked equal. Needs the ``spark`` extra and Java. Run under the lock:
``flock /work/bench.lock python benchmarks/bench_spark.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq

from edoutcomes import spark as edspark
from edoutcomes.cohort import CohortQuery
from edoutcomes.model import CohortColumns
from edoutcomes.synth import synthetic_cohort

TABLES = ("students", "enrollments", "degrees")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--students", type=int, default=200_000)
    parser.add_argument("--buckets", type=int, default=8)
    args = parser.parse_args()

    synthetic = synthetic_cohort(args.students, seed=1)
    folder = Path(tempfile.mkdtemp(prefix="bench_spark_"))
    for name in TABLES:
        pq.write_table(getattr(synthetic.columns, name).to_arrow(), folder / f"{name}.parquet")
    query = CohortQuery(search_date=synthetic.search_date, institution=synthetic.institution,
                        as_of=synthetic.as_of, detail=False, success=False)  # fmt: skip

    began = time.perf_counter()
    tables = [pq.read_table(folder / f"{name}.parquet") for name in TABLES]
    one = query.run(CohortColumns.from_arrow(*tables))
    one_wall = time.perf_counter() - began

    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    began = time.perf_counter()
    spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
             .config("spark.sql.shuffle.partitions", str(args.buckets)).getOrCreate())  # fmt: skip
    spark.sparkContext.setLogLevel("ERROR")
    start = time.perf_counter() - began
    began = time.perf_counter()
    frames = {name: spark.read.parquet(str(folder / f"{name}.parquet")) for name in TABLES}
    result = edspark.cohort_query(frames, search_date=query.search_date, institution=query.institution,
                                  as_of=query.as_of, detail=False, n_buckets=args.buckets)  # fmt: skip
    spark_wall = time.perf_counter() - began
    spark.stop()

    assert one.control == result.control
    assert one.tables == result.tables
    print(f"{args.students:,} students, {args.buckets} buckets (results equal)")
    print(f"one process: {one_wall:.1f} s")
    print(
        f"Spark local[2]: {spark_wall:.1f} s ({spark_wall / one_wall:.2f} of one process), session start {start:.1f} s"
    )


if __name__ == "__main__":
    main()
