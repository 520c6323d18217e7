# %% [markdown]
# # Read a submission file
#
# Read the students files schools actually send: their own column names, spreadsheet dates,
# Windows-1252 text, an Excel workbook, a clearinghouse request file. Every row is accepted
# or rejected with a finding a data clerk can act on, and the counts always add up.
# How-to guide: [Read a submission file](../docs/how-to/read-a-submission.md).

# %%
import datetime as dt
import io

from edoutcomes import InvalidInputError
from edoutcomes.formats import college_request, read_submission, write
from edoutcomes.model import CohortColumns, Student

AS_OF = dt.date(2013, 9, 1)

# %% [markdown]
# ## A district's export
#
# The headers are the district's own (`Student ID`, `DOB`, `Grad Date`, `CEEB`); dates are
# written as a spreadsheet writes them, with two-digit years; the file is Windows-1252.
# Two columns the library does not know (`FAFSA completed?`, `Counselor`) are kept.

# %%
export = "\r\n".join(
    [
        "Student ID,First Name,Last Name,DOB,Sex,CEEB,Grad Date,FAFSA completed?,Counselor",
        "1001,José,Muñoz,3/14/95,Male,52345,6/7/13,Y,Ortiz",
        "1002,Ann,,7/2/95,F,052345,6/7/13,N,Ortiz",
        '1003,"Lee, Jr.",Kim,2/30/95,F,052345,6/7/13,,Ng',
        "1001,Bo,Park,1/9/95,M,052345,6/7/13,Yes,Ng",
        "1004,Cy,Ray,11/5/95,Q,052345,6/7/94,No,Ng",
        "1005,Di,Fox,4/4/09,F,ABC,6/7/13,1,Ng",
    ]
).encode("cp1252")

read = read_submission(io.BytesIO(export), as_of=AS_OF, lenient=True)
print(read.status)
print("encoding:", read.encoding, "| columns:", dict(read.columns))
for finding in read.status.findings:
    print(" ", finding)

# %% [markdown]
# Names and birth dates never appear in a finding (`<redacted>`); ids and codes do, so a
# clerk can find the row. The accepted students are the canonical columnar table, extras
# typed: the Y/N column is a boolean.

# %%
table = read.table
print(table.names[-2:], table.column("FAFSA completed?").kind.name)
for row in zip(
    *(
        table.values(c)
        for c in ("requester_id", "birth_date", "gender", "high_school_code", "FAFSA completed?")
    ),
    strict=True,
):
    print(row)

# %% [markdown]
# Strict mode (the default) raises one error carrying every finding.

# %%
try:
    read_submission(io.BytesIO(export), as_of=AS_OF)
except InvalidInputError as error:
    first_error = next(f for f in error.findings if f.is_error)
    print(len(error.findings), "findings; the first error:", first_error)

# %% [markdown]
# Without `as_of`, two-digit years cannot be read: today's date is never guessed.

# %%
no_date = read_submission(io.BytesIO(export), lenient=True)
print(no_date.status)

# %% [markdown]
# ## A caller's mapping
#
# Names the aliases do not know are mapped explicitly; `None` drops a column.

# %%
odd = b"Pupil No,Given,Family,Born,Notes\nP1,Ann,Lee,2001-02-03,call mum\n"
mapped = read_submission(
    io.BytesIO(odd),
    mapping={
        "Pupil No": "requester_id",
        "Given": "first_name",
        "Family": "last_name",
        "Born": "birth_date",
        "Notes": None,
    },
)
print(mapped.status, mapped.table.names)

# %% [markdown]
# ## An Excel workbook (the `xlsx` extra)
#
# Date cells are dates, numbers lose their `.0`, a shortened CEEB code gets its zeros back.

# %%
try:
    import openpyxl
except ImportError:
    print("pip install 'edoutcomes[xlsx]' to read workbooks")
else:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Student ID", "First Name", "Last Name", "Date of Birth", "CEEB", "Pell"])
    sheet.append([2001, "Ann", "Lee", dt.date(1995, 3, 4), 52345, True])
    sheet.append([2002, "Bo", "Kim", "7/2/1995", "052345", False])
    workbook = io.BytesIO()
    book.save(workbook)
    workbook.seek(0)
    workbook.name = "roster.xlsx"
    xlsx = read_submission(workbook)
    print(xlsx.format, xlsx.status)
    print(
        xlsx.table.values("birth_date"),
        xlsx.table.values("high_school_code"),
        xlsx.table.values("Pell"),
    )

# %% [markdown]
# ## A clearinghouse request file reads back
#
# The same students, written as a college request file (`H1/D1/T1`), read back as a
# submission: the header record is kept, the detail rows are the students.

# %%
people = [
    Student(f"S{i}", first_name="Ann", last_name=f"Lee{i}", birth_date=dt.date(1995, 1, 1 + i))
    for i in range(11)
]
request = college_request(
    people,
    school_code="001817",
    school_name="Riverbend State",
    inquiry="CO",
    search_date=dt.date(2006, 9, 15),
    file_date=dt.date(2013, 9, 3),
)
request_file = io.BytesIO()
write(request, request_file, "nsc-request")
request_file.seek(0)
back = read_submission(request_file)
print(back.format, back.header_record, back.status)

# %% [markdown]
# The accepted students go straight into a cohort (and on to matching and the reports).

# %%
columns = CohortColumns.from_tables(read.table, None, None)
print(columns.n_students, "students in the cohort")
