# %% [markdown]
# # The cohort query
#
# Run the clearinghouse's cohort query on a synthetic cohort of 3,000 students: the
# control report, Table 1 and Table 2, success and progress at four and six years, and
# Table 1 by Pell status. Then the guide's own small examples, by hand.

# %%
import datetime as dt

from edoutcomes.cohort import Outcome, cohort_query, cohort_query_by
from edoutcomes.errors import NotYetAvailableError
from edoutcomes.model import (
    Cohort,
    CollegeCode,
    CollegeType,
    DegreeRecord,
    EnrollmentRecord,
    Institution,
    Student,
)
from edoutcomes.synth import synthetic_cohort

synthetic = synthetic_cohort(3000, seed=2)
result = cohort_query(
    synthetic.columns,
    search_date=synthetic.search_date,
    institution=synthetic.institution,
    as_of=synthetic.as_of,
)
print([year.label for year in result.years])

# %% [markdown]
# ## Control report
#
# Found = total - no response; blocked students are found and counted in every table,
# only their blocked records stay out of the detail report.

# %%
for description, count in result.control.rows():
    print(f"{description:<55} {count:>6}")

# %% [markdown]
# ## Table 1 and Table 2
#
# Each found student counts at most once per year, in the best outcome of that year.
# Table 2 counts the students whose first 2-year degree came in an earlier year; it is
# Table 2A (first 2-year degree from the submitting institution) plus Table 2B.

# %%
for table in (result.table1, result.table2):
    print(table.title)
    print(table.to_pandas().to_string())
    print()
assert (result.table2.counts == result.table2a.counts + result.table2b.counts).all()

# %% [markdown]
# ## Success and progress
#
# Every submitted student in one of five categories after four and six years; the shares
# are rounded so that they add up to 100.

# %%
for horizon in (4, 6):
    try:
        measure = result.success(horizon)
    except NotYetAvailableError as not_yet:
        print(f"{horizon} years: {not_yet}")
        continue
    print(f"{horizon} years:")
    for label, count, percent in measure.rows():
        print(f"  {label:<35} {count:>5} {percent:5.1f}%")

# %% [markdown]
# ## Subgroups
#
# The whole query for each value of a student attribute, from one pass over the records.

# %%
by_pell = cohort_query_by(
    synthetic.columns,
    "pell",
    search_date=synthetic.search_date,
    institution=synthetic.institution,
    as_of=synthetic.as_of,
)
for pell, group in by_pell.items():
    first_year = group.years[0].label
    retained = group.table1.count(Outcome.RETAINED_SUBMITTING, first_year)
    print(f"pell={pell}: {group.control.total} students, {retained} retained in {first_year}")

# %% [markdown]
# ## The guide's examples
#
# Search date 2001-09-15: the first year is 2001-09-16 .. 2002-09-15, labelled 2001-02.
# One student enrolls at the submitting institution, earns a 2-year degree there, and
# enrolls at another 4-year college in that year: counted once, as priority 3. Another
# earns a bachelor's elsewhere, returns and earns a master's: counted once, in the year
# of the bachelor's (a 4-year degree is terminal).

# %%
yours, other = CollegeCode.parse("001817-00"), CollegeCode.parse("002178-00")
four = CollegeType.FOUR_YEAR
D = dt.date
cohort = Cohort(
    students=[Student("1"), Student("2")],
    enrollments=[
        EnrollmentRecord("1", yours, four, D(2001, 9, 1), D(2001, 12, 15)),
        EnrollmentRecord("1", other, four, D(2002, 1, 7), D(2002, 5, 10)),
        EnrollmentRecord("2", yours, four, D(2004, 1, 7), D(2004, 5, 10)),
    ],
    degrees=[
        DegreeRecord("1", yours, D(2002, 5, 20), degree_title="ASSOCIATE OF ARTS"),
        DegreeRecord("2", other, D(2003, 5, 20), degree_title="BACHELOR OF ARTS"),
        DegreeRecord("2", yours, D(2005, 5, 20), degree_title="MASTER OF SCIENCE"),
    ],
    institution=Institution("001817", name="Guiding Light University"),
)
small = cohort_query(cohort, search_date=D(2001, 9, 15), as_of=D(2006, 1, 1))
print(small.years[0].first_day, small.years[0].last_day, small.years[0].label)
print(small.table1.to_pandas().to_string())
for row in small.detail:
    print(row.requester_id, row.college_code, row.college_sequence, row.graduated)
