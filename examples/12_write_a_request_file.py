# %% [markdown]
# # Write a request file
#
# Build the clearinghouse request file of a cohort query from a synthetic cohort's students,
# write it tab-delimited and fixed width, look at what the builder fixed, and see it stop on
# what it cannot fix. How-to guide: [Write a request file](../docs/how-to/write-a-request-file.md).

# %%
import datetime as dt
import tempfile
from pathlib import Path

import attrs

from edoutcomes.errors import InvalidInputError
from edoutcomes.formats import college_request, write
from edoutcomes.synth import synthetic_cohort

synthetic = synthetic_cohort(300, seed=4)
students = synthetic.to_cohort().students
out = Path(tempfile.mkdtemp())

# %% [markdown]
# ## Both layouts
#
# The header `H1`, one `D1` row per student, the trailer `T1`.

# %%
request = college_request(
    students,
    school_code="001817",
    school_name=synthetic.institution.name,
    inquiry="CO",
    search_date=synthetic.search_date,
    file_date=dt.date(2022, 9, 1),
)
write(request, out / "request.txt", "nsc-request")  # tab-delimited
write(request, out / "request_fixed.txt", "nsc-request-fixed")  # fixed width
lines = (out / "request.txt").read_text().splitlines()
print(len(lines), "lines:", lines[0].split("\t")[:3], "...", lines[-1].split("\t")[:2])
print(len(request.findings), "values fixed")

# %% [markdown]
# ## A value it fixes, and one it stops on
#
# A suffix written in the last name moves to the suffix field, with a warning; a student
# without a birth date stops the build, and the error names the row and the field, never
# a personal value.

# %%
fixable = [attrs.evolve(students[0], last_name="LEE JR."), *students[1:]]
fixed = college_request(
    fixable,
    school_code="001817",
    school_name=synthetic.institution.name,
    inquiry="CO",
    search_date=synthetic.search_date,
    file_date=dt.date(2022, 9, 1),
)
print(fixed.findings[0])

broken = [attrs.evolve(students[0], birth_date=None), *students[1:]]
try:
    college_request(
        broken,
        school_code="001817",
        school_name=synthetic.institution.name,
        inquiry="CO",
        search_date=synthetic.search_date,
        file_date=dt.date(2022, 9, 1),
    )
except InvalidInputError as error:
    print(error)
