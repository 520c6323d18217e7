# %% [markdown]
# # Find who is off track for a-g, and why
#
# a-g completion for UC and CSU, the five GPAs, who is off track and why, a consent-gated
# release to CSAC and the clean-up findings. Everything is synthetic.
# How-to guide: [Find who is off track for a-g](../docs/how-to/find-who-is-off-track-for-a-g.md).

# %%
import datetime as dt
import tempfile
from pathlib import Path

from edoutcomes.model import K12Columns, K12Student, TranscriptMark
from edoutcomes.readiness import (
    AgReason,
    cleanup_findings,
    evaluate,
    readiness_table,
    release,
    write_readiness,
)
from edoutcomes.synth import synthetic_readiness

AS_OF = dt.date(2025, 7, 15)  # the evaluation date: always explicit

# %% [markdown]
# ## One transcript by hand
#
# Algebra 1 failed in grade 9 and Geometry and Algebra 2 passed: validation clears the D
# and gives three years of c. Chemistry honors in grade 10 earns honors points.

# %%
d = dt.date


def mark(course, grade, letter, area, **kw):
    start = 2021 + grade - 9
    return TranscriptMark(
        "S1",
        course,
        d(start + 1, 6, 10),
        1.0,
        school_year=f"{start}-{(start + 1) % 100:02d}",
        grade_level=str(grade),
        school_id="HS1",
        term_kind="year",
        letter_grade=letter,
        ag_area=area,
        **kw,
    )


data = K12Columns.from_records(
    [K12Student("S1", grade9_entry_date=d(2021, 8, 20))],
    marks=[
        mark("ALG1", 9, "D", "c", sequence_level=1.0),
        mark("GEO", 10, "B", "c", sequence_level=2.0),
        mark("ALG2", 11, "A", "c", sequence_level=3.0),
        mark("CHEM", 10, "A", "d", honors_type="UC_HONORS"),
        mark("ENG10", 10, "B", "b"),
    ],
)
one = evaluate(data, AS_OF)
print("years of c:", one.years[0, 2] / 2, "uncleared D/F:", int(one.uncleared[0]))
print("UC unweighted / capped:", one.uc_unweighted[0] / 100, one.uc_capped[0] / 100)
print("why not UC:", [r.code for r in AgReason if one.uc_reasons[0] & r])

# %% [markdown]
# ## A district
#
# Who is off track for a-g at the end of grade 10, and why (the areas they are missing)?

# %%
district = synthetic_readiness(2000, seed=7)
result = evaluate(district, AS_OF)
table = readiness_table(result)
reasons = table.column("uc_ag_reasons")
missing = table.column("uc_missing")
off = [i for i, v in enumerate(result.on_track[:, 1].tolist()) if v == 0]
print(f"{len(off)} of {len(result)} students off track at the end of grade 10")
for i in off[:3]:
    print("  reasons:", reasons[i], "| missing:", missing[i])

# %% [markdown]
# ## A release to CSAC, and the findings

# %%
shared = release(result, "CSAC", "financial_aid")
print([line[3:] for line in shared.control().rows()])
print({k.value: v for k, v in cleanup_findings(result).counts().items() if v})
with tempfile.TemporaryDirectory() as folder:
    written, _, _ = write_readiness(result, folder, recipient="CSAC", purpose="financial_aid")
    print(sorted(Path(p).name for p in written))
