# %% [markdown]
# # Read a clearinghouse detail file
#
# Run a cohort query on a synthetic cohort and write the three result files the clearinghouse
# sends back (control, aggregate and detail report), then read the detail report into the
# canonical tables, query it again, and compare the aggregate report with the library's own.
# How-to guide: [Read a clearinghouse detail file](../docs/how-to/read-a-clearinghouse-detail-file.md).

# %%
import datetime as dt
import tempfile
from pathlib import Path

from edoutcomes.cohort import cohort_query
from edoutcomes.formats import compare, read_aggregate, read_detail, write_cohort_query_files
from edoutcomes.synth import synthetic_cohort

synthetic = synthetic_cohort(300, seed=4)
cohort = synthetic.to_cohort()
out = Path(tempfile.mkdtemp())

# %% [markdown]
# ## The three result files

# %%
result = cohort_query(cohort, search_date=synthetic.search_date, as_of=synthetic.as_of)
paths = write_cohort_query_files(
    result, out, timestamp=dt.datetime(2022, 9, 15, 12, 0, tzinfo=dt.UTC)
)
for path in paths:
    print(path.name)

# %% [markdown]
# ## The detail report, read back
#
# Every row accepted or rejected, and the counts add up; the students, enrollments and
# degrees come back as the columnar view the engines use.

# %%
detail = read_detail(paths.detail)
print(detail.status)
print(detail.columns.students, detail.columns.enrollments, detail.columns.degrees, sep="\n")

# %% [markdown]
# ## The aggregate report against the library's
#
# Query the detail file's records again and compare every cell with the aggregate report:
# no differences.

# %%
again = cohort_query(
    detail.cohort(),
    search_date=synthetic.search_date,
    institution=synthetic.institution,
    as_of=synthetic.as_of,
)
aggregate = read_aggregate(paths.aggregate)
print("differing cells:", compare(aggregate, result), compare(aggregate, again))
