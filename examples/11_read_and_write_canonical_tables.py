# %% [markdown]
# # Read and write canonical tables
#
# Write a synthetic cohort as the three canonical CSV files, read them back into the
# columnar view, and see what a reader says about a file with problems.
# How-to guide: [Read and write canonical tables](../docs/how-to/read-and-write-canonical-tables.md).

# %%
import io
import tempfile
from pathlib import Path

from edoutcomes import InvalidInputError
from edoutcomes.formats import read_cohort, read_records, read_table, write_cohort, write_table
from edoutcomes.synth import synthetic_cohort

synthetic = synthetic_cohort(2000, seed=3)
folder = Path(tempfile.mkdtemp())
paths = write_cohort(synthetic.columns, folder)
for path in paths:
    print(path.name, f"{path.stat().st_size / 1024:.0f} KB")
print(paths[1].read_text().splitlines()[0])

# %% [markdown]
# ## Read them back, linked
#
# Every status says how many rows were read and accepted; the tables equal what was written.

# %%
read = read_cohort(*paths)
for status in read.statuses:
    print(status)
print(read.columns.enrollments.equals(synthetic.columns.enrollments))

# %% [markdown]
# ## A few rows as records

# %%
students = read_records(paths[0], "students").records
print(students[0])

# %% [markdown]
# ## A file with problems
#
# Strict reading raises one error with every finding; lenient reading keeps the good rows.
# The value of a personal column (here a birth date) is never shown.

# %%
bad = io.BytesIO(
    b"requester_id,college_code,college_type,begin_date,end_date,enrollment_status\n"
    b"A1,001817-00,4,2006-08-21,2006-12-15,F\n"
    b"A2,1817,4,2006-08-21,2006-12-15,F\n"
    b"A3,001817-00,4,2007-01-08,2006-12-15,H\n"
    b"A4,001817-00,2,2007-01-08,2007-05-04,Z\n"
)
try:
    read_table(bad, "enrollments")
except InvalidInputError as error:
    print(len(error.findings), "findings")

bad.seek(0)
lenient = read_table(bad, "enrollments", lenient=True)
print(lenient.status)
for finding in lenient.status.findings:
    print(" ", finding)

people = io.BytesIO(b"requester_id,last_name,birth_date\nA1,Example,1999-02-30\n")
print(read_table(people, "students").status.findings[0])

# %% [markdown]
# ## Parquet
#
# With the `parquet` extra installed, the same tables go to Parquet by the file suffix.

# %%
try:
    write_table(read.columns.degrees, folder / "degrees.parquet")
    print(read_table(folder / "degrees.parquet", "degrees").table)
except ImportError as missing:
    print(missing)
