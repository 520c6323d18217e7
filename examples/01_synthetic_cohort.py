# %% [markdown]
# # A synthetic cohort
#
# Generate a cohort of 2,000 students, look at its columnar tables, count what is in them
# with numpy, and turn a few students into record objects.

# %%
import numpy as np

from edoutcomes.model import DEGREE_TITLES, CollegeType, EnrollmentStatus
from edoutcomes.synth import CohortShape, synthetic_cohort

synthetic = synthetic_cohort(2000, seed=1)
columns = synthetic.columns
print(synthetic.institution.name, synthetic.search_date, synthetic.as_of)
print(columns.students, columns.enrollments, columns.degrees, sep="\n")

# %% [markdown]
# ## Terms per student and statuses
#
# Codes are small integers: ``enrollment_status`` is an index into ``tuple(EnrollmentStatus)``.

# %%
terms = np.bincount(columns.enrollment_student, minlength=columns.n_students)
print(f"terms per student: mean {terms.mean():.1f}, not found {(terms == 0).mean():.0%}")
statuses = np.bincount(
    columns.enrollments.data["enrollment_status"], minlength=len(EnrollmentStatus)
)
for status, count in zip(EnrollmentStatus, statuses, strict=True):
    print(f"{status.value or 'blank':>7} {count:6}")

# %% [markdown]
# ## Degree titles and their kinds

# %%
degrees = columns.degrees
titles = degrees.values("degree_title")
types = degrees.values("college_type")
kinds: dict[str, int] = {}
for title, college_type in zip(titles, types, strict=True):
    kind = DEGREE_TITLES.kind(title, college_type).value
    kinds[kind] = kinds.get(kind, 0) + 1
print(kinds)

# %% [markdown]
# ## Colleges by type

# %%
colleges = synthetic.colleges
for college_type in (CollegeType.FOUR_YEAR, CollegeType.TWO_YEAR, CollegeType.LESS_THAN_TWO_YEAR):
    count = (colleges.type_code == tuple(CollegeType).index(college_type)).sum()
    print(f"{college_type.name:>20} {count}")

# %% [markdown]
# ## Another shape: more stop-outs, nobody unfound

# %%
fragile = synthetic_cohort(
    2000, seed=1, shape=CohortShape(not_found=0.0, persistence=0.2, stop_out=0.15)
)
print(fragile.columns.enrollments.n_rows / 2000, "terms per student")

# %% [markdown]
# ## Record objects for a small cohort

# %%
small = synthetic_cohort(5, seed=2).to_cohort()
for record in small.enrollments[:3]:
    print(record.college_code, record.college_type.value, record.begin_date, record.end_date)
