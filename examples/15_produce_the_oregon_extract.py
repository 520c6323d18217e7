# %% [markdown]
# # Produce the Oregon extract and find out why a student is missing
#
# Decide which first-time ninth graders a district submits, see why every other student
# is left out, build the state extract, validate it and write it. Everything is synthetic.
# How-to guide: [Produce the Oregon extract](../docs/how-to/produce-the-oregon-extract.md).

# %%
import datetime as dt
import io

from edoutcomes.formats import write
from edoutcomes.model import K12Columns, K12Student, SchoolEnrollment, TranscriptMark
from edoutcomes.ontrack import Ineligibility, build_extract, eligibility, validate_extract
from edoutcomes.synth import synthetic_k12

AS_OF = dt.date(2024, 6, 20)  # the generation date: always explicit

# %% [markdown]
# ## Two students by hand
#
# One earned 6.5 credits in 2023-24, the other 4.5 and has no state id.

# %%
d = dt.date
data = K12Columns.from_records(
    [
        K12Student("S1", ssid="5161928722", grade9_entry_date=d(2023, 9, 5)),
        K12Student("S2", grade9_entry_date=d(2023, 9, 5)),
    ],
    enrollments=[SchoolEnrollment(s, "2063", "4512", d(2023, 9, 5)) for s in ("S1", "S2")],
    marks=[
        TranscriptMark("S1", "ENG9", d(2024, 6, 10), 6.5),
        TranscriptMark("S2", "ENG9", d(2024, 6, 10), 4.5),
    ],
)
result = eligibility(data, "2023-24", as_of=AS_OF)
print(result.reported.tolist())
for reason in result.reasons("S2"):
    print(reason)

# %% [markdown]
# ## A synthetic district
#
# 5,000 students, a quarter of them first-time ninth graders; both rule sets.

# %%
district = synthetic_k12(5000, seed=3)
for rule in ("earned-credit", "record-based"):
    outcome = eligibility(district, "2023-24", as_of=AS_OF, rule=rule)
    print(rule, outcome.n_reported, "reported")
    for reason, count in outcome.counts().items():
        if count:
            print(f"  {reason.code}: {count}")

# %% [markdown]
# ## Why is a student missing?
#
# Every student left out has at least one reason, with what the rule saw; a reported
# student has none. Here: the first student left out for credits alone.

# %%
outcome = eligibility(district, "2023-24", as_of=AS_OF)
credits_only = outcome.mask == Ineligibility.CREDITS_BELOW_THRESHOLD.bit
missing = district.students.text("student_id")[credits_only][0]
for reason in outcome.reasons(str(missing)):
    print(missing, reason.code.label, "-", reason.detail)
print(outcome.reasons(int(outcome.reported_rows()[0])), "for a reported student")

# %% [markdown]
# ## Options
#
# A district requiring 28 credits (threshold 7), counting the summer after grade 9,
# without credit recovery.

# %%
strict = eligibility(
    district,
    "2023-24",
    as_of=AS_OF,
    required_credits=28,
    credit_window="12-months",
    credit_recovery=False,
)
print(strict.threshold, strict.n_reported, strict.counts()[Ineligibility.CREDITS_BELOW_THRESHOLD])

# %% [markdown]
# ## The extract, its validation and its files

# %%
outcome = eligibility(district, "2023-24", as_of=AS_OF)
extract = build_extract(outcome)
print(len(extract), "rows;", len(extract.findings), "warnings (SSID check digits)")
errors = [f for f in validate_extract(extract, outcome) if f.is_error]
print("validation errors:", len(errors))

submission = io.BytesIO()
write(extract, submission, "oregon-ontrack-csv")
print(submission.getvalue().decode().splitlines()[0][:80], "...")

fixed = io.BytesIO()
write(extract, fixed, "oregon-ontrack-fixed")
print(len(fixed.getvalue().decode().splitlines()[0]), "characters per fixed-width record")

explanations = io.BytesIO()
write(outcome.explanations(), explanations, "oregon-ontrack-explanations")
print(explanations.getvalue().decode().splitlines()[0])
