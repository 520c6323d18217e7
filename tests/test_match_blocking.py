"""
Each blocking key the spec names finds a true pair that no other key finds.

The spec's keys: birth date; the first 3 letters of the first name with the last 5 of the
last name; phonetic codes. For each, a submitted student and their store record that agree
on that key only: if the key were lost or broken, the pair would never be compared.
"""

from __future__ import annotations

import datetime as dt

import pytest
from match_extra import MATCH_EXTRA_MISSING

pytest.importorskip("rapidfuzz", reason=MATCH_EXTRA_MISSING)
pytest.importorskip("jellyfish", reason=MATCH_EXTRA_MISSING)

from edoutcomes.match._blocking import blocking_keys, candidate_pairs, join
from edoutcomes.match._prepare import prepare
from edoutcomes.model import Student, Table

pytestmark = pytest.mark.match


def keys_finding(sent: Student, stored: Student) -> set[str]:
    """The blocking keys under which the one submitted student meets the one store person."""
    left = Table.from_records("students", [sent])
    right = Table.from_records("students", [stored])
    keys = blocking_keys(prepare(left, right))
    found = {k.name for k in keys if len(join(k.left, k.right, max_block=10)[0])}
    pairs = candidate_pairs(keys, 0, 1, 1, max_block=10)
    assert (bool(found), bool(found)) == (len(pairs[0]) == 1, len(pairs[1]) == 1)
    return found


@pytest.mark.parametrize(
    ("key", "sent", "stored"),
    [
        # Both names mistyped beyond every name key (a transcription from a bad scan):
        # only the birth date brings them together.
        (
            "birth",
            Student(
                "S", first_name="Quenby", last_name="Arkwright", birth_date=dt.date(2004, 3, 9)
            ),
            Student(
                "P", first_name="Wuenby", last_name="Zrkwrihgt", birth_date=dt.date(2004, 3, 9)
            ),
        ),
        # A wrong birth year and a first name spelled another way: the first 3 letters of the
        # first name and the last 5 of the (prefixed) last name still agree.
        (
            "first3_last5",
            Student(
                "S",
                first_name="Christopher",
                last_name="Montgomery",
                birth_date=dt.date(2004, 3, 9),
            ),
            Student(
                "P",
                first_name="Chrystoffer",
                last_name="St Montgomery",
                birth_date=dt.date(2005, 3, 9),
            ),
        ),
        # No birth date in the store and both names spelled as they sound: only the phonetic
        # codes agree.
        (
            "phonetic",
            Student("S", first_name="Steven", last_name="Smith", birth_date=dt.date(2004, 3, 9)),
            Student("P", first_name="Stephen", last_name="Smyth"),
        ),
    ],
)
def test_only_this_key_finds_the_pair(key: str, sent: Student, stored: Student) -> None:
    """The true pair is a candidate, found by this key and by no other."""
    assert {key} == keys_finding(sent, stored)
