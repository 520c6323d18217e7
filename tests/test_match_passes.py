"""The ordered matching passes, verification, twins, ties and reasons: one example each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache

import pytest
from match_extra import MATCH_EXTRA_MISSING

pytest.importorskip("rapidfuzz", reason=MATCH_EXTRA_MISSING)
pytest.importorskip("jellyfish", reason=MATCH_EXTRA_MISSING)

from edoutcomes.match import (
    FellegiSunterMatcher,
    Match,
    MatchPass,
    NoMatchReason,
    match_students,
)
from edoutcomes.model import Student
from edoutcomes.synth import synthetic_matching

pytestmark = pytest.mark.match

BORN = dt.date(2003, 4, 17)


@cache
def _background() -> tuple[tuple[Student, ...], tuple[Student, ...]]:
    # A realistic crowd around the examples, so the model is fitted on real-looking pairs.
    data = synthetic_matching(1500, 600, seed=11)
    return data.submitted.to_records(), data.people.to_records()


def person(pid: str, first: str, last: str, born: dt.date = BORN, **kw: object) -> Student:
    return Student(pid, first_name=first, last_name=last, birth_date=born, **kw)  # type: ignore[arg-type]


def match_one(
    sent: Student, people: Sequence[Student], *, matcher: FellegiSunterMatcher | None = None
) -> Match:
    crowd_sent, crowd_people = _background()
    result = match_students((sent, *crowd_sent), (*people, *crowd_people), matcher=matcher)
    return result.matches()[0]


STORE = (
    person("P1", "Jonathan", "Whitaker", middle_name="Quincy", ssn="123450001"),
    person("P2", "Marisol", "Okonkwo-Baptiste"),
    person("P3", "Theodora", "Valenzuela", middle_name="Rae"),
    person("P4", "Leopold", "Szczepanski", born=dt.date(2002, 11, 5)),
)


@pytest.mark.parametrize(
    ("sent", "expected_person", "expected_pass"),
    [
        (
            person("S", "Jon", "Whitacre", born=dt.date(2003, 4, 18), ssn="123450001"),
            "P1",
            MatchPass.SSN,
        ),
        (
            person("S", "JONATHAN", "WHITAKER", middle_name="QUINCY"),
            "P1",
            MatchPass.FULL_NAME_BIRTH_DATE,
        ),
        (person("S", "Jonathan", "Whitaker"), "P1", MatchPass.NAME_BIRTH_DATE),
        (person("S", "Whitaker", "Jonathan"), "P1", MatchPass.SWAPPED_NAMES_BIRTH_DATE),
        (
            person("S", "Theodora", "Nakamura", attributes=(("previous_last_name", "Valenzuela"),)),
            "P3",
            MatchPass.PREVIOUS_NAME_BIRTH_DATE,
        ),
        (person("S", "Jonathon", "Whitaker"), "P1", MatchPass.LAST_NAME_BIRTH_DATE),
        (person("S", "Theodora", "Valenzeula"), "P3", MatchPass.FIRST_NAME_BIRTH_DATE),
        (person("S", "Marisol", "Okonkwo Baptiste"), "P2", MatchPass.NAME_BIRTH_DATE),
        (person("S", "Marisol", "Okonkwo"), "P2", MatchPass.FIRST_NAME_BIRTH_DATE),
        (
            person("S", "Leopold", "Szczepansky", born=dt.date(2002, 5, 11)),
            "P4",
            MatchPass.PROBABILISTIC,
        ),
    ],
)
def test_each_pass(sent: Student, expected_person: str, expected_pass: MatchPass) -> None:
    """Each pass finds its kind of pair, and the earliest pass that holds is reported."""
    found = match_one(sent, STORE)

    assert (expected_person, expected_pass) == (found.person_id, found.match_pass)


def test_nickname_matches() -> None:
    """Bill and William with the same last name and birth date match (nickname table)."""
    store = (person("P9", "William", "Fairweather"),)

    found = match_one(person("S", "Bill", "Fairweather"), store)

    assert ("P9", MatchPass.LAST_NAME_BIRTH_DATE) == (found.person_id, found.match_pass)


def test_suffix_split_off_last_name() -> None:
    """A suffix typed into the last name does not stop an exact name match."""
    store = (person("P9", "Marcus", "Fairweather", name_suffix="Jr"),)

    found = match_one(person("S", "Marcus", "Fairweather Jr."), store)

    assert ("P9", MatchPass.NAME_BIRTH_DATE) == (found.person_id, found.match_pass)


def test_previous_name_with_a_typo() -> None:
    """A previous last name typed with one letter wrong still finds the person."""
    found = match_one(
        person("S", "Theodora", "Nakamura", attributes=(("previous_last_name", "Valenzuella"),)),
        STORE,
    )

    assert ("P3", MatchPass.PREVIOUS_NAME_BIRTH_DATE) == (found.person_id, found.match_pass)


def test_swapped_names_with_a_hyphenated_last_name() -> None:
    """Names swapped, and a second surname added to the (swapped) last name: still found."""
    found = match_one(person("S", "Whitaker", "Jonathan-Moreau", middle_name="Quincy"), STORE)

    assert "P1" == found.person_id


def test_birth_year_one_off_across_a_decade() -> None:
    """2000 typed for 1999 (every year digit differs) is a year one off, not a different date."""
    store = (person("P9", "Ingeborg", "Halvorsen", born=dt.date(1999, 8, 14)),)

    found = match_one(person("S", "Ingeborg", "Halvorsen", born=dt.date(2000, 8, 14)), store)

    assert "P9" == found.person_id


def test_one_edit_last_name() -> None:
    """A short last name one letter off (Jaro-Winkler under 0.92) counts as a close name."""
    store = (person("P9", "Rosalind", "Ives", middle_name="Jane"),)

    found = match_one(person("S", "Rosalind", "Ivis", middle_name="Jane"), store)

    assert ("P9", MatchPass.FIRST_NAME_BIRTH_DATE) == (found.person_id, found.match_pass)


def _at(address: str) -> tuple[tuple[str, str], ...]:
    return (("address", address),)


TWIN_STORE = (
    person("PB", "Birgitta", "Lindqvist", middle_name="Solveig", attributes=_at("12 Elm Street")),
)
ANNIKA = person("S", "Annika", "Lindqvist", middle_name="Solveig", attributes=_at("12 Elm Street"))


class TestTwins:
    def test_each_twin_finds_themself(self) -> None:
        """With both twins in the store, each submitted twin matches their own record."""
        store = (person("PA", "Annika", "Lindqvist"), person("PB", "Birgitta", "Lindqvist"))

        found = [
            match_one(person("S", first, "Lindqvist"), store).person_id
            for first in ("Annika", "Birgitta")
        ]

        assert ["PA", "PB"] == found

    def test_twin_never_merged(self) -> None:
        """A twin missing from the store is never matched to the other twin."""
        store = (person("PB", "Birgitta", "Lindqvist"),)

        found = match_one(person("S", "Annika", "Lindqvist"), store)

        assert (None, NoMatchReason.BELOW_THRESHOLD) == (found.person_id, found.reason)

    def test_twin_with_day_and_month_swapped_never_merged(self) -> None:
        """A twin missing from the store, sent with day and month swapped, is still refused."""
        store = (person("PB", "Birgitta", "Lindqvist", born=dt.date(2003, 4, 9)),)

        found = match_one(person("S", "Annika", "Lindqvist", born=dt.date(2003, 9, 4)), store)

        assert found.person_id is None

    def test_twin_with_fixed_weights(self) -> None:
        """The twin rule holds with the fixed-weight model too."""
        store = (person("PB", "Birgitta", "Lindqvist"),)

        found = match_one(
            person("S", "Annika", "Lindqvist"), store, matcher=FellegiSunterMatcher(em=False)
        )

        assert found.person_id is None

    def test_first_name_replaced_with_everything_else_agreeing(self) -> None:
        """With no twin in either file, strong address and middle-name agreement overrides the
        first name alone (a data error, as FEBRL makes them); without them it does not."""
        matcher = FellegiSunterMatcher(extra_fields=["address"])
        bare = person("S", "Annika", "Lindqvist", attributes=_at("4 Oak Lane"))

        found = [match_one(sent, TWIN_STORE, matcher=matcher).person_id for sent in (ANNIKA, bare)]

        assert ["PB", None] == found

    def test_twin_in_the_submission_is_never_merged(self) -> None:
        """The same pair is refused when the submission also holds the other twin."""
        crowd_sent, crowd_people = _background()
        sent = (ANNIKA, person("SB", "Birgitta", "Lindqvist"), *crowd_sent)
        matcher = FellegiSunterMatcher(extra_fields=["address"])

        found = match_students(sent, (*TWIN_STORE, *crowd_people), matcher=matcher)

        assert [None, "PB"] == found.matched_person_ids()[:2]

    def test_twin_in_the_store_is_never_merged(self) -> None:
        """The same pair is refused when the store holds another first name under that last
        name and birth date."""
        store = (*TWIN_STORE, person("PC", "Carina", "Lindqvist"))
        matcher = FellegiSunterMatcher(extra_fields=["address"])

        found = match_one(ANNIKA, store, matcher=matcher)

        assert (None, NoMatchReason.BELOW_THRESHOLD) == (found.person_id, found.reason)


class TestReasons:
    def test_no_candidate(self) -> None:
        """A student who shares no blocking key with anyone has no candidate."""
        found = match_one(person("S", "Quillon", "Xerxesova", born=dt.date(1931, 1, 2)), STORE)

        assert (None, None, NoMatchReason.NO_CANDIDATE) == (
            found.person_id,
            found.score,
            found.reason,
        )

    def test_ambiguous(self) -> None:
        """Two identical people in the store make the student ambiguous: never guessed."""
        store = (person("PX", "Evangeline", "Marchetti"), person("PY", "Evangeline", "Marchetti"))

        found = match_one(person("S", "Evangeline", "Marchetti"), store)

        assert (None, NoMatchReason.AMBIGUOUS) == (found.person_id, found.reason)

    def test_below_threshold(self) -> None:
        """A candidate with only a shared birth date is found but not accepted."""
        found = match_one(person("S", "Octavia", "Brennan-Moss"), STORE)

        assert (None, NoMatchReason.BELOW_THRESHOLD) == (found.person_id, found.reason)


def test_missing_ssn_is_not_disagreement() -> None:
    """An exact name and birth date match whether or not the submitted SSN is known."""
    store = (person("P1", "Cordelia", "Ashworth", ssn="555660001"),)

    with_ssn = match_one(person("S", "Cordelia", "Ashworth", ssn="555660001"), store)
    without = match_one(person("S", "Cordelia", "Ashworth"), store)

    assert ("P1", "P1") == (with_ssn.person_id, without.person_id)


def test_different_ssn_lowers_score() -> None:
    """A different SSN counts against a pair; a missing one does not."""
    store = (person("P1", "Cordelia", "Ashworth", ssn="555660001"),)

    different = match_one(person("S", "Cordelia", "Ashworth", ssn="987650123"), store)
    missing = match_one(person("S", "Cordelia", "Ashworth"), store)

    assert different.score is not None
    assert missing.score is not None
    assert different.score < missing.score
