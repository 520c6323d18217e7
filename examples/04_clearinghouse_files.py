# %% [markdown]
# # Clearinghouse files
#
# Write a request file, run a cohort query on a synthetic cohort, write the three result
# files, read the detail report and the aggregate report back, and compare.

# %%
import datetime as dt
import tempfile
from pathlib import Path

from edoutcomes.cohort import cohort_query
from edoutcomes.formats import (
    college_request,
    compare,
    read_aggregate,
    read_detail,
    write,
    write_cohort_query_files,
)
from edoutcomes.synth import synthetic_cohort

synthetic = synthetic_cohort(300, seed=4)
cohort = synthetic.to_cohort()
out = Path(tempfile.mkdtemp())

# %% [markdown]
# ## The request file

# %%
request = college_request(
    cohort.students,
    school_code="001817",
    school_name=synthetic.institution.name,
    inquiry="CO",
    search_date=synthetic.search_date,
    file_date=dt.date(2022, 9, 1),
)
write(request, out / "request.txt", "nsc-request")
print((out / "request.txt").read_text().splitlines()[0])
print(len(request.findings), "values fixed")

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
# ## Reading them back

# %%
detail = read_detail(paths.detail)
print(detail.status)
aggregate = read_aggregate(paths.aggregate)
print("differing cells:", compare(aggregate, result))
