# %% [markdown]
# # Compute subgroup outcomes
#
# The cohort query for each value of a student column, high-school KPIs by gender with
# small counts hidden, and readiness indicators by an attribute; each student is in exactly
# one group, so the groups add up to the whole. Everything is synthetic.
# How-to guide: [Compute subgroup outcomes](../docs/how-to/compute-subgroup-outcomes.md).

# %%
import datetime as dt

import numpy as np

from edoutcomes.cohort import Outcome, cohort_query, cohort_query_by
from edoutcomes.highschool import high_school_outcomes
from edoutcomes.readiness import evaluate, indicators
from edoutcomes.synth import synthetic_cohort, synthetic_high_schools, synthetic_readiness

synthetic = synthetic_cohort(3000, seed=2)
dates = {
    "search_date": synthetic.search_date,
    "institution": synthetic.institution,
    "as_of": synthetic.as_of,
}

# %% [markdown]
# ## The cohort query by Pell status
#
# One result per value (None: no value), from one pass over the records; the groups'
# Table 1 counts add up to the whole cohort's.

# %%
whole = cohort_query(synthetic.columns, **dates)
by_pell = cohort_query_by(synthetic.columns, "pell", **dates)
first_year = whole.years[0].label
for pell, result in by_pell.items():
    retained = result.table1.count(Outcome.RETAINED_SUBMITTING, first_year)
    graduated = {label: p for label, _, p in result.success(4).rows()}[
        "Graduated from your institution"
    ]
    print(
        f"pell={pell}: {result.control.total:5} students, {retained:4} retained in {first_year},"
        f" {graduated}% graduated from here within 4 years"
    )
total = sum(r.table1.counts for r in by_pell.values())
print("groups add up:", (total == whole.table1.counts).all())

# %% [markdown]
# ## Any grouping of your own
#
# One value per student: here Pell status and gender together, among students with a
# gender.

# %%
students = synthetic.columns.students
pairs = [
    None if g is None else f"{g}/pell={p}"
    for g, p in zip(students.values("gender"), students.values("pell"), strict=True)
]
groups = cohort_query_by(
    synthetic.columns, pairs, **dates, subset=np.array([p is not None for p in pairs])
)
print({key: r.control.total for key, r in groups.items()})

# %% [markdown]
# ## High-school KPIs by gender, small counts hidden
#
# Below 11 a count is `*` and its rate blank; one more count is hidden where subtraction
# from a total would reveal it.

# %%
district = synthetic_high_schools(1000, seed=1)
outcomes = high_school_outcomes(district.columns, as_of=district.as_of)
for gender, reports in outcomes.reports_by("gender", suppress_below=11).items():
    rows = [r for r in reports.kpis.records() if r["high_school_code"] == "ALL"]
    print(gender, [(r["class_year"], r["graduates"], r["enrolled_fall_rate"]) for r in rows[:3]])
hidden = outcomes.reports(subset=outcomes.attribute_is("gender", "F"), suppress_below=11)
print(
    sum(1 for _, cells in hidden.kpis.cells() for c in cells if c.reason.hidden),
    "hidden KPI cells for women",
)

# %% [markdown]
# ## Readiness indicators by an attribute

# %%
result = evaluate(synthetic_readiness(2000, seed=1), dt.date(2025, 7, 15))
table = indicators(result, attributes=["foster_youth"])
for row in table.rows():
    if row[0] == "ALL" and row[1] == "ALL":
        print(row[2], row[3], "students:", row[4], "UC a-g met:", row[5], row[6])
