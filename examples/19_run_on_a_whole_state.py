# %% [markdown]
# # Run on a whole state's data
#
# A rehearsal on a synthetic cohort: write it as CSV and as Parquet, read both into the
# columnar view, run the cohort query on it, then read a file with a bad row leniently and
# keep the findings. Each step prints its time on this machine; raise `N` to a state's size
# (1,000,000 students take about 25 s from CSV to the result files on two cores).
# How-to guide: [Run on a whole state's data](../docs/how-to/run-on-a-whole-state.md).

# %%
import csv
import datetime as dt
import tempfile
import time
from pathlib import Path

from edoutcomes.cohort import cohort_query
from edoutcomes.errors import InvalidInputError
from edoutcomes.formats import read_cohort, write_cohort, write_cohort_query_files
from edoutcomes.synth import synthetic_cohort

N = 10_000
folder = Path(tempfile.mkdtemp())


def timed(label, job):
    start = time.perf_counter()
    value = job()
    print(f"{label:<40} {time.perf_counter() - start:6.2f} s")
    return value


synthetic = timed(f"generate {N:,} students", lambda: synthetic_cohort(N, seed=11))
columns = synthetic.columns
print(columns.students, columns.enrollments, columns.degrees, sep="\n")

# %% [markdown]
# ## CSV and Parquet
#
# The same three tables in both formats; Parquet is typed and compressed.

# %%
csv_paths = timed("write CSV", lambda: write_cohort(columns, folder / "csv"))
parquet_paths = timed(
    "write Parquet", lambda: write_cohort(columns, folder / "pq", format="parquet")
)
for paths in (csv_paths, parquet_paths):
    print(f"{sum(p.stat().st_size for p in paths) / 2**20:6.1f} MB", [p.name for p in paths])
from_csv = timed("read CSV into the columnar view", lambda: read_cohort(*csv_paths))
from_parquet = timed("read Parquet into the columnar view", lambda: read_cohort(*parquet_paths))
assert from_csv.columns.enrollments.n_rows == from_parquet.columns.enrollments.n_rows

# %% [markdown]
# ## The query on the columnar view, and its files
#
# The detail report is written a batch of rows at a time.

# %%
result = timed(
    "cohort query",
    lambda: cohort_query(
        from_parquet.columns,
        search_date=synthetic.search_date,
        institution=synthetic.institution,
        as_of=synthetic.as_of,
    ),
)
stamp = dt.datetime(2022, 9, 15, 12, 0, tzinfo=dt.UTC)  # the files' names; never the clock
files = timed(
    "write the three result files",
    lambda: write_cohort_query_files(result, folder / "out", timestamp=stamp),
)
print(result.control.found, "of", result.control.total, "found;", [p.name for p in files])

# %% [markdown]
# ## A bad row: strict, then lenient
#
# Strict raises one error with every finding; lenient returns the table without the row,
# and the findings, which go to a CSV for whoever owns the export.

# %%
enrollments = csv_paths[1]
with enrollments.open(encoding="utf-8") as file:
    header = next(csv.reader(file))
with enrollments.open("a", newline="", encoding="utf-8") as file:
    bad = {"requester_id": columns.students.values("requester_id")[0], "college_type": "4"}
    bad |= {"college_code": "001817-00", "begin_date": "2016-13-01", "end_date": "2016-12-15"}
    csv.DictWriter(file, header).writerow(bad)
try:
    read_cohort(*csv_paths)
except InvalidInputError as error:
    print(error)
lenient = timed("read CSV leniently", lambda: read_cohort(*csv_paths, lenient=True))
with (folder / "findings.csv").open("w", newline="", encoding="utf-8") as out:
    writer = csv.writer(out)
    writer.writerow(["file", "row", "column", "severity", "message"])
    for status in lenient.statuses:
        print(status)
        for f in status.findings:
            writer.writerow([Path(f.file or "").name, f.row, f.column, f.severity.value, f.message])
