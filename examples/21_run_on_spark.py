# %% [markdown]
# # The cohort query on Spark
#
# The engines' partition function on Spark 4: bucket the tables by a hash of the student,
# run each bucket's partial with `groupBy("bucket").applyInArrow`, combine on the driver.
# Needs the `spark` extra (`pip install 'edoutcomes[spark]'`) and Java 17 or 21; without
# them this script says so and stops. Everything is synthetic.
# How-to guide: [Run on a cluster](../docs/how-to/run-on-a-cluster.md).

# %%
import datetime as dt
import importlib.util
import os
import shutil
import sys
import tempfile

if importlib.util.find_spec("pyspark") is None or shutil.which("java") is None:
    print("needs pyspark (pip install 'edoutcomes[spark]') and a Java runtime: skipped")
    sys.exit(0)

from pyspark.sql import SparkSession

from edoutcomes import spark as edspark
from edoutcomes.cohort import CohortQuery, cohort_query
from edoutcomes.formats import read_cohort
from edoutcomes.synth import synthetic_cohort

# The executors run this Python, where edoutcomes is installed.
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
spark = SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false").getOrCreate()
spark.sparkContext.setLogLevel("ERROR")

# %% [markdown]
# ## Three CSV files, read by Spark
#
# A synthetic cohort of 500 students written as the canonical tables. Spark reads them as
# text; `bucketed` numbers each table's rows in file order (`zipWithIndex`), so the findings
# name the files' rows.

# %%
folder = tempfile.mkdtemp()
paths = synthetic_cohort(500, seed=2).write(folder)
tables = {
    name: spark.read.csv(os.path.join(folder, f"{name}.csv"), header=True)
    for name in ("students", "enrollments", "degrees")
}
query = CohortQuery(
    search_date=dt.date(2016, 9, 15), institution="001817", as_of=dt.date(2022, 9, 15)
)

# %% [markdown]
# ## Partials on the executors, combined on the driver

# %%
union = edspark.bucketed(tables, key="requester_id", n_buckets=8)
partials = union.groupBy("bucket").applyInArrow(
    edspark.partition_function(query, list(tables)), schema=edspark.PARTIALS_SCHEMA
)
result = edspark.combine(query, partials)
print(result.control.found, "of", result.control.total, "students found")
for row in result.table1.rows():
    print(*row, sep="\t")

# %% [markdown]
# ## The same as one process, cell for cell

# %%
one = cohort_query(
    read_cohort(*paths).columns,
    search_date=query.search_date,
    institution=query.institution,
    as_of=query.as_of,
)
assert one.control == result.control
assert one.tables == result.tables
assert one.detail.to_arrow().to_pylist() == result.detail.to_pylist()
print("equal to one process:", len(result.detail), "detail rows")
spark.stop()
