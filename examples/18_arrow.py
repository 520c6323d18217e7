# %% [markdown]
# # Move data in and out with Apache Arrow
#
# Every table and report of the library is Arrow data, and every reader takes Arrow data.
# Send a cohort query's reports to Arrow (and on to polars or pandas when they are
# installed), then build the columnar view from Arrow tables, with the findings of a bad
# row numbered as the CSV of the same data would be.
# How-to guide: [Move data in and out with Apache Arrow](../docs/how-to/arrow.md).

# %%
import datetime as dt
import importlib.util

import pyarrow as pa

from edoutcomes.cohort import cohort_query
from edoutcomes.formats import read_table
from edoutcomes.model import CohortColumns
from edoutcomes.synth import synthetic_cohort

synthetic = synthetic_cohort(1000, seed=1)
result = cohort_query(
    synthetic.columns,
    search_date=synthetic.search_date,
    institution=synthetic.institution,
    as_of=synthetic.as_of,
)

# %% [markdown]
# ## Results out
#
# `to_arrow()` gives a `pyarrow.Table`; any consumer of the Arrow stream interface takes a
# report directly.

# %%
detail = result.detail.to_arrow()
print(detail.num_rows, "detail rows;", detail.schema.field("Enrollment Begin").type)
table1 = pa.table(result.table1)
print(table1.column_names)
students = synthetic.columns.students.to_arrow()
print(students.schema.field("birth_date").type, students.schema.field("gender").type)
if importlib.util.find_spec("polars") is not None:
    import polars as pl

    print(pl.from_arrow(detail).group_by("Record Found Y/N").len().sort("len"))
if importlib.util.find_spec("pandas") is not None:
    print(table1.to_pandas().head(3))

# %% [markdown]
# ## Data in
#
# A `pyarrow.Table` (or a polars or pandas frame) is checked exactly as a CSV would be.
# The second enrollment has an end date before its begin date: strict mode raises, lenient
# mode returns the table without that row and a finding at row 3 (position 1).

# %%
students = pa.table({"requester_id": ["A1", "A2"], "gender": ["F", "M"]})
enrollments = pa.table(
    {
        "requester_id": ["A1", "A2"],
        "college_code": ["001817-00", "001817-00"],
        "college_type": ["4", "4"],
        "begin_date": [dt.date(2006, 8, 21), dt.date(2007, 1, 8)],
        "end_date": [dt.date(2006, 12, 15), dt.date(2006, 5, 10)],
    }
)
read = read_table(enrollments, "enrollments", lenient=True)
print(read.status)
for finding in read.status.findings:
    print(finding.row - 2, finding)
columns = CohortColumns.from_arrow(students, enrollments.slice(0, 1))
print(columns.students, columns.enrollments)
