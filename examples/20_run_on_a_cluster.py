# %% [markdown]
# # Run on a cluster
#
# Every engine works per student and every aggregate is a sum over students, so a cohort
# split by student gives exact results. Write a synthetic cohort as a dataset partitioned
# by student, run the cohort query on a two-worker local Dask cluster, and check it against
# one process, cell for cell. Needs the `dask` extra (`pip install 'edoutcomes[dask]'`);
# without it this script says so and stops. Everything is synthetic.
# How-to guide: [Run on a cluster](../docs/how-to/run-on-a-cluster.md).

# %%
import importlib.util
import sys
import tempfile
from pathlib import Path

if importlib.util.find_spec("distributed") is None:
    print("This example needs the 'dask' extra: pip install 'edoutcomes[dask]'. Skipped.")
    sys.exit(0)

from distributed import Client, LocalCluster

from edoutcomes import dask as eddask
from edoutcomes.cohort import cohort_query
from edoutcomes.synth import synthetic_cohort

synthetic = synthetic_cohort(2000, seed=9)
columns = synthetic.columns
dataset = Path(tempfile.mkdtemp()) / "cohort-dataset"

# %% [markdown]
# ## A dataset partitioned by student
#
# Each bucket holds some students and every record of theirs; `write_partitioned` hashes
# `requester_id` into buckets and adds the `row` column (the rows' places in the input).

# %%
eddask.write_partitioned(
    dataset,
    columns.students.to_arrow(),
    columns.enrollments.to_arrow(),
    columns.degrees.to_arrow(),
    n_buckets=8,
)
print(sorted(p.name for p in (dataset / "students").iterdir())[:3], "...")

# %% [markdown]
# ## The query on the cluster, and in one process
#
# The workers count their buckets, the client adds the counts up: the same tables.

# %%
# Workers as threads of this process (processes=False), so a script needs no __main__ guard;
# a real cluster's workers are processes on other machines (docs/how-to/run-on-a-cluster.md).
with (
    LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster,
    Client(cluster),
):
    result = eddask.cohort_query(
        dataset,
        search_date=synthetic.search_date,
        institution=synthetic.institution,
        as_of=synthetic.as_of,
    )
one = cohort_query(
    columns,
    search_date=synthetic.search_date,
    institution=synthetic.institution,
    as_of=synthetic.as_of,
)
for description, count in result.control.rows():
    print(f"{description:<55} {count:>6}")
print("Table 1 equal:", (result.table1.counts == one.table1.counts).all())
