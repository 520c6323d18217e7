# %% [markdown]
# # Matching submitted students to a person store
#
# Generate a synthetic person store and a submitted file with realistic errors (typos,
# nicknames, swapped names, married names, day/month swaps, twins), match them with the
# default matcher, and look at what each pass found, how good it was, and the records
# that follow the matches into a cohort.
#
# Needs the ``match`` extra (``pip install 'edoutcomes[match]'``); without it this script
# prints a note and stops.

# %%
import importlib.util
import sys

if importlib.util.find_spec("rapidfuzz") is None or importlib.util.find_spec("jellyfish") is None:
    print("This example needs the 'match' extra: pip install 'edoutcomes[match]'. Skipped.")
    sys.exit(0)

import numpy as np

from edoutcomes.match import FellegiSunterMatcher, MatchPass, matched_columns
from edoutcomes.model import Table
from edoutcomes.synth import synthetic_matching

data = synthetic_matching(20_000, 5_000, seed=3)
print(data.people, data.submitted, sep="\n")

# %% [markdown]
# ## Match, then count by pass and by reason
#
# Every submitted student gets one row: the matched person (or none), the pass, the score,
# and why not when unmatched.

# %%
matcher = FellegiSunterMatcher()
result = matcher.match(data.submitted, data.people)
for name, count in result.counts().items():
    print(f"{name:>26} {count:6}")
print(f"model: {result.model.source.value}, prior {result.model.prior:.2e}")

# %% [markdown]
# ## Quality against the truth the generator knows
#
# A false match (a student linked to somebody else) is the costly error, so precision and
# recall are shown separately.

# %%
found, truth = result.person, data.truth
tp = int(((found >= 0) & (found == truth)).sum())
fp = int(((found >= 0) & (found != truth)).sum())
print(
    f"precision {tp / (tp + fp):.4f}, recall {tp / int((truth >= 0).sum()):.4f}, false matches {fp}"
)
for match in result.matches()[:3]:
    how = match.match_pass.label if match.match_pass else match.reason
    print(match.requester_id, match.person_id, how)

# %% [markdown]
# ## What each level is worth
#
# The model's evidence per comparison level, in bits (log2 of m/u); a missing value adds
# nothing.

# %%
for spec, weights in zip(result.model.fields, result.model.level_weights(), strict=True):
    levels = ", ".join(f"{label} {w:+.1f}" for label, w in zip(spec.levels, weights, strict=True))
    print(f"{spec.name:>12}: {levels}")

# %% [markdown]
# ## Records follow the matches
#
# Records in the store are keyed by person id; ``matched_columns`` re-keys them to the
# submitted students, so unmatched students have none (the control report's "no response").

# %%
people_ids = data.people.text("requester_id")
enrollments = Table.from_arrays(
    "enrollments",
    {"requester_id": np.arange(data.people.n_rows, dtype=np.int32)},
    {"requester_id": people_ids},
)
columns, _ = matched_columns(data.submitted, data.people, enrollments, result=result)
with_records = np.unique(columns.enrollment_student).size
print(f"{with_records} of {columns.n_students} submitted students have records")
print(
    f"{MatchPass.SWAPPED_NAMES_BIRTH_DATE.label!r} is pass {int(MatchPass.SWAPPED_NAMES_BIRTH_DATE)}"
)
