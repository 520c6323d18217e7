# %% [markdown]
# # The domain model
#
# Build a few records by hand, put them in a cohort, look at the cohort's columnar view,
# and send the cohort through the converter to JSON and back. Everything here is synthetic.

# %%
import datetime as dt
import json

from edoutcomes.errors import InvalidRecordError
from edoutcomes.model import (
    DEGREE_TITLES,
    Cip,
    Cohort,
    CollegeCode,
    CollegeType,
    DegreeRecord,
    EnrollmentRecord,
    EnrollmentStatus,
    FerpaBlock,
    Institution,
    Student,
    structure,
    unstructure,
)

# %% [markdown]
# ## Records
#
# Field names are the canonical column names. Personal fields stay out of ``repr``.

# %%
students = [
    Student("S001", first_name="Ada", last_name="Example", attributes={"pell": True}),
    Student("S002", first_name="Grace", last_name="Sample", attributes={"pell": False}),
    Student("S003", hs_grad_date=dt.date(2016, 6, 10)),
]
home = CollegeCode.parse("001817-00")
community = CollegeCode.parse("010109-00")
fall, spring = (
    (dt.date(2016, 8, 29), dt.date(2016, 12, 16)),
    (dt.date(2017, 1, 9), dt.date(2017, 5, 5)),
)
enrollments = [
    EnrollmentRecord(
        "S001", home, CollegeType.FOUR_YEAR, *fall, enrollment_status=EnrollmentStatus.FULL_TIME
    ),
    EnrollmentRecord(
        "S001", home, CollegeType.FOUR_YEAR, *spring, enrollment_status=EnrollmentStatus.HALF_TIME
    ),
    EnrollmentRecord(
        "S002",
        community,
        CollegeType.TWO_YEAR,
        *fall,
        cip_1=Cip.parse("90401"),
        ferpa_block=FerpaBlock.STUDENT,
    ),
]
degrees = [DegreeRecord("S002", community, dt.date(2018, 6, 8), degree_title="A.A.S. Welding")]
print(students[0])

# %% [markdown]
# A bad value is refused when the record is built; the message names the field but never
# shows a personal value.

# %%
try:
    Student("S004", ssn="123-45-678")
except InvalidRecordError as exc:
    print("refused:", exc)

# %% [markdown]
# ## Code sets and the degree-title table

# %%
print(repr(CollegeType.parse("Less Than 2 Years")), repr(EnrollmentStatus.parse("x")))
for title in ["Bachelor of Science", "A.A.S. Welding", "CERTIFICAT", "Diploma", None]:
    print(repr(title), "->", DEGREE_TITLES.kind(title, CollegeType.TWO_YEAR).value)

# %% [markdown]
# ## The cohort and its columnar view
#
# One numpy array per canonical column: dates as ``int32`` day numbers, codes as small
# integers, text dictionary-encoded; the links give each record's student row.

# %%
cohort = Cohort(
    students, enrollments, degrees, Institution("001817", name="Riverbend State University")
)
columns = cohort.columns()
print(columns.enrollments)
print(
    "begin_date:",
    columns.enrollments.data["begin_date"],
    "->",
    columns.enrollments.values("begin_date"),
)
print("college_type:", columns.enrollments.data["college_type"])
print("enrollment_student:", columns.enrollment_student, "orphans:", columns.orphans)
print("pell:", columns.students.data["pell"])

# %% [markdown]
# ## The converter
#
# JSON-ready dicts with the canonical column names, ISO dates and published codes;
# structuring them gives back an equal cohort.

# %%
flat = unstructure(cohort)
print(json.dumps(flat["enrollments"][2], indent=1))
assert structure(json.loads(json.dumps(flat)), Cohort) == cohort
print("round trip: equal")
