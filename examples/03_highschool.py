# %% [markdown]
# # High-school outcomes
#
# What happened to a district's graduates: the landing-page KPIs per class and high school,
# the Enrollment, Persistence/Retention and Completers counts, the top colleges, the
# analysis-ready report (one row per student), a single-student search and the trends page.
# Everything runs on synthetic graduates of six high schools and eight classes.

# %%
import datetime as dt
import tempfile
from pathlib import Path

from edoutcomes.formats import write
from edoutcomes.highschool import high_school_outcomes
from edoutcomes.synth import synthetic_high_schools

district = synthetic_high_schools(800, seed=6)
outcomes = high_school_outcomes(district.columns, as_of=district.as_of)
print(f"{district.n_students} graduates, classes {outcomes.classes}, as of {outcomes.as_of}")
print(f"{outcomes.left_out} students have no graduation date and are left out of the class reports")

# %% [markdown]
# ## KPIs
#
# One row per (high school, class) and account rows `ALL`; rates rounded half up to four
# decimals. Blank (None) means the window has not closed yet: persistence for the class of
# 2023, completion within six years for every class after 2018.

# %%
kpis = outcomes.kpis()
for row in kpis.rows():
    if row[0] == "ALL":
        print(row)

# %% [markdown]
# ## Small counts suppressed
#
# With `suppress_below=11`, a count below 11 is written `*` and its rate blank; where a
# published total would reveal it by subtraction, the next smallest count is hidden too.
# Every cell is kept, with its reason.

# %%
reports = outcomes.reports(suppress_below=11)
cell = reports.kpis.cell("ALL", 2023, "persisted")
print(cell.available, cell.reason.name)
hidden = sum(1 for _, cells in reports.enrollment.cells() for c in cells if c.reason.hidden)
print(f"{hidden} hidden cells in the Enrollment report")

# %% [markdown]
# ## Subgroups and top colleges

# %%
by_fafsa = outcomes.reports_by("fafsa_completion")
for value, group in by_fafsa.items():
    first = next(r for r in group.kpis.records() if r["high_school_code"] == "ALL")
    print(
        f"FAFSA completed={value}: class of {first['class_year']} fall rate {first['enrolled_fall_rate']}"
    )
for row in list(outcomes.top_colleges("fall", n=3).rows())[:3]:
    print(row[:4], row[-1])

# %% [markdown]
# ## The ARR, a search, and the files

# %%
arr = outcomes.arr()
print(len(arr.columns), "columns;", len(arr), "rows")
someone = arr.values("requester_id")[0]
print(outcomes.search(requester_id=someone))

with tempfile.TemporaryDirectory() as folder:
    paths = reports.write(folder)
    write(arr, Path(folder) / "arr.csv", "csv")
    page = outcomes.trends(suppress_below=11).write(Path(folder) / "trends.html")
    print([p.name for p in paths], page.name, page.stat().st_size > 10_000)

# %% [markdown]
# Windows are parameters: e.g. a fall window that ends Sept 30.

# %%
early = high_school_outcomes(district.columns, as_of=district.as_of, fall_end=(9, 30))
print(early.kpis().records()[0]["enrolled_fall"], "<=", kpis.records()[0]["enrolled_fall"])
print(dt.date(2024, 10, 15) == district.as_of)
