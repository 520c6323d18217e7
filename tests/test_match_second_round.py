"""The second round of matching rules: recall without losing precision, a fit that cannot
collapse silently, and explanations (spec: intake-and-matching, "Second round")."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from functools import cache

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("rapidfuzz")
pytest.importorskip("jellyfish")
pytest.importorskip("nicknames")

from edoutcomes.errors import InvalidArgumentError
from edoutcomes.formats.intake import BIRTH_DATE_DIGITS, MATCHING_REQUIRED, read_submission
from edoutcomes.match import (
    FIELDS,
    FellegiSunterMatcher,
    FellegiSunterModel,
    Match,
    ModelSource,
    NoMatchReason,
    match_students,
    nickname_groups,
)
from edoutcomes.match._matcher import _extras_together, _household_corroborates
from edoutcomes.model import STUDENTS, Student, Table
from edoutcomes.synth import synthetic_matching

pytestmark = pytest.mark.match

BORN = dt.date(2003, 4, 17)
ADDRESS = FellegiSunterMatcher(extra_fields=["address"])
HOME = (("address", "12 Elm Street"), ("zip", "02139"))
ELSEWHERE = (("address", "3 Bay Road"), ("zip", "94110"))


def _fixed_address_model() -> FellegiSunterModel:
    """The fixed weights, with an address and ZIP that chance seldom shares."""
    fields = FellegiSunterMatcher(extra_fields=("address", "zip")).fields
    u = [*FellegiSunterModel.prior_u(fields)[:-2], (0.9997, 0.0001, 0.0001, 0.0001)]
    u.append((0.998, 0.0005, 0.0005, 0.001))
    return FellegiSunterModel.fixed(fields, u=u, prior=1e-4)


FIXED_ADDRESS = FellegiSunterMatcher(
    extra_fields=("address", "zip"), model=_fixed_address_model(), term_frequency=False
)


def _address_crowd() -> tuple[tuple[Student, ...], tuple[Student, ...]]:
    data = synthetic_matching(300, 150, seed=3)
    out = []
    for records in (data.submitted.to_records(), data.people.to_records()):
        out.append(
            tuple(
                attrs.evolve(
                    r, attributes=(("address", f"{k} Crowd Lane"), ("zip", f"{k % 97:05d}"))
                )
                for k, r in enumerate(records)
            )
        )
    return out[0], out[1]


ADDRESS_CROWD = _address_crowd()


@cache
def _crowd() -> tuple[tuple[Student, ...], tuple[Student, ...]]:
    # A realistic crowd around each example, so the model is fitted on real-looking pairs.
    data = synthetic_matching(1500, 600, seed=11)
    return data.submitted.to_records(), data.people.to_records()


def person(pid: str, first: str, last: str, born: dt.date | None = BORN, **kw: object) -> Student:
    return Student(pid, first_name=first, last_name=last, birth_date=born, **kw)  # type: ignore[arg-type]


def as_table(records: Sequence[Student]) -> Table:
    return Table.from_records(STUDENTS, records)


def at(address: str) -> tuple[tuple[str, str], ...]:
    return (("address", address),)


def match_one(
    sent: Student, people: Sequence[Student], *, matcher: FellegiSunterMatcher | None = None
) -> Match:
    crowd_sent, crowd_people = _crowd()
    result = match_students((sent, *crowd_sent), (*people, *crowd_people), matcher=matcher)
    return result.matches()[0]


class TestBirthDateOptional:
    def test_matched_without_a_birth_date(self) -> None:
        """A student without a birth date is matched on the other fields (null level)."""
        store = (person("P1", "Rosalind", "Achterberg", middle_name="Imke", ssn="512340987"),)
        sent = person("S", "Rosalind", "Achterberg", born=None, middle_name="Imke")

        assert "P1" == match_one(sent, store).person_id

    def test_intake_for_matching_keeps_the_row(self) -> None:
        """Read for matching, a row without a readable birth date is kept (a warning at most)."""
        data = b"id,first,last,dob\nS1,Ann,Lee,\nS2,Bo,Kim,not a date\n"

        read = read_submission(io.BytesIO(data), required=MATCHING_REQUIRED, lenient=True)

        assert (2, 2, 0) == (
            read.status.rows_read,
            read.status.rows_accepted,
            len(read.status.errors),
        )


class TestImpossibleDates:
    DATA = b"id,first,last,dob\nS1,Ottoline,Brackenridge,20031417\nS2,Bo,Kim,2003-02-01\n"

    def test_intake_keeps_the_digits(self) -> None:
        """Month 14 is a warning and a missing birth date; its 8 digits are kept privately."""
        read = read_submission(io.BytesIO(self.DATA), required=MATCHING_REQUIRED, lenient=True)

        assert [None, dt.date(2003, 2, 1)] == read.table.values("birth_date")
        assert ["20031417", None] == read.table.text(BIRTH_DATE_DIGITS).tolist()
        assert 1 == len(read.status.warnings)

    def test_compared_as_digits(self) -> None:
        """20031417 is one digit off 20030417: that level, and the person is found."""
        read = read_submission(io.BytesIO(self.DATA), required=MATCHING_REQUIRED, lenient=True)
        _, crowd_people = _crowd()
        store = Table.from_records(
            "students", [person("P1", "Ottoline", "Brackenridge"), *crowd_people]
        )

        pairs = FellegiSunterMatcher().compare(read.table, store)
        result = FellegiSunterMatcher().match(read.table, store)

        mine = (pairs.submitted == 0) & (pairs.person == 0)
        assert ["one digit off"] == [FIELDS[4].levels[int(v)] for v in pairs.levels[mine, 4]]
        assert "P1" == result.matched_person_ids()[0]


NAMES = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=10)


class TestBlocking:
    @settings(max_examples=40, deadline=None)
    @given(
        field=st.sampled_from(["first_name", "last_name", "birth_date"]),
        name=NAMES,
        born=st.dates(dt.date(1950, 1, 1), dt.date(2010, 12, 31)),
    )
    def test_one_error_anywhere_leaves_a_candidate(
        self, field: str, name: str, born: dt.date
    ) -> None:
        """Whatever one field becomes (or if it is missing), the pair is still a candidate."""
        base = {"first_name": "Philippa", "last_name": "Tremayne", "birth_date": BORN}
        for value in (name if field != "birth_date" else born, None):
            sent = Student("S", **{**base, field: value})  # type: ignore[arg-type]
            store = Table.from_records("students", [Student("P", **base)])  # type: ignore[arg-type]

            pairs = FellegiSunterMatcher().compare(Table.from_records("students", [sent]), store)

            assert 1 == len(pairs)

    @pytest.mark.parametrize(
        ("first", "last", "born"),
        [
            ("Philipa", "Tremaine", dt.date(2004, 4, 17)),  # typos in both names, the year off
            ("Pippa", "Tremayne", dt.date(2003, 5, 17)),  # a nickname and the month off
            ("Philippa", "Tremayne", None),  # no birth date at all
        ],
    )
    def test_errors_that_leave_no_exact_birth_date(
        self, first: str, last: str, born: dt.date | None
    ) -> None:
        """Keys that need neither the exact birth date nor the exact first name find these."""
        store = Table.from_records("students", [person("P", "Philippa", "Tremayne")])
        sent = Table.from_records("students", [person("S", first, last, born=born)])

        assert 1 == len(FellegiSunterMatcher().compare(sent, store))

    def test_the_address_alone_finds_a_pair_no_name_key_finds(self) -> None:
        """A last-name typo and no birth date: no name key holds, the shared address does."""
        stored = person("P", "Nicholas", "Baker", middle_name="Valerie", attributes=HOME)
        sent = person("S", "Nicholas", "Bakver", born=None, middle_name="Valerie", attributes=HOME)
        elsewhere = attrs.evolve(sent, attributes=ELSEWHERE)
        matcher = FellegiSunterMatcher(extra_fields=("address", "zip"))

        def pairs(s: Student, people: Sequence[Student]) -> int:
            return len(matcher.compare(as_table([s]), as_table(people)))

        assert (1, 0) == (pairs(sent, [stored]), pairs(elsewhere, [stored]))
        assert (
            "P"
            == match_students(
                (sent, *ADDRESS_CROWD[0]), (stored, *ADDRESS_CROWD[1]), matcher=FIXED_ADDRESS
            ).matched_person_ids()[0]
        )

    def test_an_address_shared_by_many_is_not_a_key(self) -> None:
        """Five people at one address (a hall of residence): the address alone says too little."""
        hall = [
            person(f"P{k}", name, "Baker", attributes=HOME)
            for k, name in enumerate(["Ann", "Bea", "Cy", "Dot", "Eve"])
        ]
        sent = person("S", "Nicholas", "Bakver", born=None, attributes=HOME)

        assert 0 == len(
            FellegiSunterMatcher(extra_fields=("address", "zip")).compare(
                as_table([sent]), as_table(hall)
            )
        )


class TestNicknames:
    def test_table_is_the_package_one_to_many(self) -> None:
        """CHRIS stands for CHRISTINE and CHRISTOPHER alike; KATE for KATHERINE."""
        groups = nickname_groups()

        assert {"CHRISTINE", "CHRISTOPHER"} <= groups["CHRIS"]
        assert "KATHERINE" in groups["KATE"]

    @pytest.mark.parametrize(
        ("sent", "stored"),
        [
            ("Chris", "Christine"),
            ("Chris", "Christopher"),
            ("Christopher", "Chris"),
            ("Kate", "Katherine"),
        ],
    )
    def test_both_directions(self, sent: str, stored: str) -> None:
        """A nickname finds the full name, and the full name finds the nickname."""
        store = (person("P1", stored, "Vanderhoeven"),)

        assert "P1" == match_one(person("S", sent, "Vanderhoeven"), store).person_id

    @pytest.mark.parametrize(
        ("sent", "stored", "near"),
        [
            ("Bil", "William", True),
            ("William", "Bilyl", True),
            ("Lsia", "Elizabeth", True),
            ("Wiliam", "William", True),
            ("Ali", "Albert", False),
            ("Bob", "William", False),
            ("Tammy", "Thomas", False),
        ],
    )
    def test_a_mistyped_nickname_is_near(self, sent: str, stored: str, near: bool) -> None:
        """One edit from a nickname (BIL, LSIA), or from the full name, is as near as a typo of
        the name; one edit from a nickname of two letters (AL) is not, nor a name the table
        knows (TAMMY, one edit from TOMMY, is not THOMAS)."""
        students, people = (person("S", sent, "Lee"),), (person("P", stored, "Lee"),)

        pairs = FellegiSunterMatcher().compare(as_table(students), as_table(people))

        assert near is (int(pairs.levels[0, 0]) == 3)

    def test_a_mistyped_nickname_is_not_taken_for_a_twin(self) -> None:
        """Bil (a mistyped Bill) with no middle name or SSN, at William's address: a typo,
        not a twin, so the address speaks for the pair."""
        store = (person("PW", "William", "Sanford", middle_name="Robert", attributes=HOME),)
        sent = (person("SW", "Bil", "Sanford", attributes=HOME), *ADDRESS_CROWD[0])

        result = match_students(sent, (*store, *ADDRESS_CROWD[1]), matcher=FIXED_ADDRESS)

        assert "PW" == result.matched_person_ids()[0]


class TestDifferentSsn:
    STORE = (person("P1", "Cordelia", "Ashworth", middle_name="Maeve", ssn="555660001"),)

    def test_weighs_strongly_against(self) -> None:
        """Same name and birth date but a present, different SSN: not matched."""
        found = match_one(person("S", "Cordelia", "Ashworth", ssn="987650123"), self.STORE)

        assert None is found.person_id

    def test_overcome_by_full_name_birth_date_and_one_more_field(self) -> None:
        """With the middle name agreeing as well, the different SSN is outweighed."""
        sent = person("S", "Cordelia", "Ashworth", middle_name="Maeve", ssn="987650123")

        assert "P1" == match_one(sent, self.STORE).person_id

    def test_one_digit_off_is_a_typo(self) -> None:
        """An SSN one digit off is no disagreement."""
        found = match_one(person("S", "Cordelia", "Ashworth", ssn="555660007"), self.STORE)

        assert "P1" == found.person_id


class TestSurnameChange:
    STORE = (person("P1", "Maren", "Holtkamp", middle_name="Ilse", attributes=at("9 Wren Road")),)

    @pytest.mark.parametrize(
        "sent",
        [
            person("S", "Maren", "Castellanos", middle_name="Ilse", attributes=at("40 Elm Street")),
            person("S", "Maren", "Castellanos", attributes=at("9 Wren Road")),
        ],
    )
    def test_recovered_when_three_other_fields_agree(self, sent: Student) -> None:
        """A new surname with first name, birth date and a third field (middle name or
        address) agreeing is matched."""
        assert "P1" == match_one(sent, self.STORE, matcher=ADDRESS).person_id

    def test_not_on_first_name_and_birth_date_alone(self) -> None:
        """Without a third field, first name and birth date are not enough."""
        sent = person("S", "Maren", "Castellanos", attributes=at("40 Elm Street"))

        assert None is match_one(sent, self.STORE, matcher=ADDRESS).person_id


class TestTwins:
    def test_one_letter_typo_in_a_short_first_name(self) -> None:
        """With no second person under that last name and birth date, Ami is Amy misspelled."""
        store = (person("P1", "Amy", "Zellweger"),)

        assert "P1" == match_one(person("S", "Amy", "Zellweger"), store).person_id
        assert "P1" == match_one(person("S", "Ami", "Zellweger"), store).person_id

    def test_sibling_with_a_changed_surname_is_evidence(self) -> None:
        """The submission holds the twin under a changed surname (same birth date and address):
        the other twin is still never merged with her."""
        store = (
            person(
                "PB", "Birgitta", "Lindqvist", middle_name="Solveig", attributes=at("12 Elm Street")
            ),
        )
        sent = (
            person(
                "SA", "Annika", "Lindqvist", middle_name="Solveig", attributes=at("12 Elm Street")
            ),
            person(
                "SB",
                "Birgitta",
                "Lindqvist-Moe",
                middle_name="Solveig",
                attributes=at("12 Elm Street"),
            ),
        )
        crowd_sent, crowd_people = _crowd()

        result = match_students((*sent, *crowd_sent), (*store, *crowd_people), matcher=ADDRESS)

        assert None is result.matched_person_ids()[0]

    def test_twin_with_a_birth_date_typo_never_merged(self) -> None:
        """A twin missing from the store, sent with a birth-date typo, is still a twin."""
        store = (person("PB", "Birgitta", "Lindqvist", middle_name="Solveig"),)
        sent = person("S", "Annika", "Lindqvist", born=dt.date(2003, 4, 27), middle_name="Ebba")

        assert None is match_one(sent, store).person_id

    def test_person_resembled_by_another_student_is_never_merged_with_a_twin(self) -> None:
        """The store's twin is in the submission under a married name at a new address: the
        other twin, at the old address, is still not merged with her."""
        store = (
            person(
                "PB", "Birgitta", "Lindqvist", middle_name="Solveig", attributes=at("12 Elm Street")
            ),
        )
        sent = (
            person("SA", "Annika", "Lindqvist", attributes=at("12 Elm Street")),
            person(
                "SB", "Birgitta", "Castellanos", middle_name="Solveig", attributes=at("3 Bay Road")
            ),
        )
        crowd_sent, crowd_people = _crowd()

        result = match_students((*sent, *crowd_sent), (*store, *crowd_people), matcher=ADDRESS)

        assert None is result.matched_person_ids()[0]

    def test_sibling_found_only_by_the_address_is_evidence(self) -> None:
        """Nathan, missing from the store, at his twin Jack's address; Jack's own row has a
        last-name typo and a year typo, so only the address brings it to Jack's record: Jack's
        row is found, and Nathan is not merged with Jack (SSNs differ, the address agrees)."""
        store = (
            person("PJ", "Jack", "Sanford", middle_name="Robert", ssn="186589612", attributes=HOME),
            *ADDRESS_CROWD[1],
        )
        sent = (
            person("SN", "Nathan", "Sanford", ssn="729135124", attributes=HOME),
            person(
                "SJ",
                "Jack",
                "Sanfxord",
                born=dt.date(2033, 4, 17),
                middle_name="Robert",
                attributes=HOME,
            ),
            *ADDRESS_CROWD[0],
        )

        result = match_students(sent, store, matcher=FIXED_ADDRESS)

        assert [None, "PJ"] == result.matched_person_ids()[:2]

    def test_sibling_no_key_finds_is_still_evidence(self) -> None:
        """Wendy, missing from the store, at her twin Cynthia's address and with Cynthia's
        middle name; Cynthia's own row (a surname typo, a birth-date typo, moved) shares no
        blocking key with Cynthia's record, but has her first and middle name, her last name's
        initial and a birth date one digit off: Wendy is not merged with Cynthia. With a
        different middle name or another initial that row is no evidence."""
        store = (
            person("PC", "Cynthia", "Madden", middle_name="Carl", ssn="765154112", attributes=HOME),
            *ADDRESS_CROWD[1],
        )
        wendy = person(
            "SW", "Wendy", "Madden", middle_name="Carl", ssn="643561650", attributes=HOME
        )
        own = person(
            "SC",
            "Cynthia",
            "Maddsen",
            born=dt.date(2003, 4, 27),
            middle_name="Carl",
            attributes=ELSEWHERE,
        )
        other_middle = attrs.evolve(own, middle_name="Dale")
        other_initial = attrs.evolve(own, last_name="Baddsen")

        def wendy_matched(row: Student) -> str | None:
            result = match_students((wendy, row, *ADDRESS_CROWD[0]), store, matcher=FIXED_ADDRESS)
            return result.matched_person_ids()[0]

        assert (None, "PC", "PC") == (
            wendy_matched(own),
            wendy_matched(other_middle),
            wendy_matched(other_initial),
        )

    def test_twin_the_household_alone_corroborates_is_never_merged(self) -> None:
        """Wendy, missing from the store, at her twin Cynthia's address, with no middle name
        or SSN, and no sign of a twin in either file (Cynthia's own row is not sent): only the
        address, which twins share, speaks for the pair, and on data with more twins than
        replaced first names that is not enough."""
        store = (
            person("PC", "Cynthia", "Madden", middle_name="Carl", ssn="765154112", attributes=HOME),
            *ADDRESS_CROWD[1],
        )
        sent = (person("SW", "Wendy", "Madden", attributes=HOME), *ADDRESS_CROWD[0])

        result = match_students(sent, store, matcher=FIXED_ADDRESS)

        assert None is result.matched_person_ids()[0]

    @pytest.mark.parametrize(
        ("replaced", "twins", "expected"),
        [(0.05, 0.0, True), (0.05, 0.10, False), (0.002, 0.02, False), (None, 0.0, False)],
    )
    def test_the_household_corroborates_where_replaced_names_outnumber_twins(
        self, replaced: float | None, twins: float, expected: bool
    ) -> None:
        """The household alone may corroborate a twin-like pair where, among pairs whose SSNs
        agree, first names disagree more often than the store's people have a twin (FEBRL4
        replaces first names and holds no twins); never with no SSN agreement to measure it."""
        fields = ADDRESS.fields
        exact = np.array([[f.n_levels - 1 for f in fields]] * 2, dtype=np.int8)
        exact[1, 0] = 0
        if replaced is None:
            exact[:, 5] = -1
            replaced = 0.5
        counts = np.array([round(1000 * (1 - replaced)), round(1000 * replaced)], dtype=np.int64)

        assert expected is _household_corroborates(exact, counts, twins)

    def test_swapped_twin_is_still_a_twin(self) -> None:
        """A twin missing from the store, sent with her names swapped (so neither name agrees
        with her sister's), is still a twin: the sister's own row, married and moved, shows
        whose record the store person is."""
        store = (
            person("PB", "Birgitta", "Lindqvist", middle_name="Solveig", attributes=HOME),
            *ADDRESS_CROWD[1],
        )
        sent = (
            person("SA", "Lindqvist", "Annika", attributes=HOME),
            person("SB", "Birgitta", "Castellanos", middle_name="Solveig", attributes=ELSEWHERE),
            *ADDRESS_CROWD[0],
        )

        result = match_students(sent, store, matcher=FIXED_ADDRESS)

        assert [None, None] == result.matched_person_ids()[:2]

    def test_swapped_names_with_a_nickname_find_the_person_not_the_twin(self) -> None:
        """Mark Richard Alvarez sent as Alvarez Richard Marcus (names swapped, Marcus for
        Mark): his twin is Marcus Robert; the swapped names agree with Mark's through the
        nickname, and his middle name decides."""
        store = (
            person("PM", "Mark", "Alvarez", middle_name="Richard", attributes=HOME),
            person("PC", "Marcus", "Alvarez", middle_name="Robert", attributes=HOME),
            *ADDRESS_CROWD[1],
        )
        sent = (person("S", "Alvarez", "Marcus", middle_name="Richard", attributes=HOME),)

        result = match_students((*sent, *ADDRESS_CROWD[0]), store, matcher=FIXED_ADDRESS)

        assert "PM" == result.matched_person_ids()[0]

    def test_twins_with_similar_first_names_are_told_apart_by_the_middle_name(self) -> None:
        """Sara, missing from the store, is one edit from her twin Sarah, but their middle
        names disagree: twins, not a typo (Sarah's own row, married and moved, is sent too)."""
        store = (
            person("PS", "Sarah", "Bernard", middle_name="Ronalda", attributes=HOME),
            *ADDRESS_CROWD[1],
        )
        sent = (
            person("S", "Sara", "Bernard", middle_name="Mary", attributes=HOME),
            person("SB", "Sarah", "Castellanos", middle_name="Ronalda", attributes=ELSEWHERE),
            *ADDRESS_CROWD[0],
        )

        result = match_students(sent, store, matcher=FIXED_ADDRESS)

        assert [None, None] == result.matched_person_ids()[:2]
        assert (
            "PS"
            == match_one(person("S", "Sara", "Bernard", middle_name="Ronalda"), store[:1]).person_id
        )

    def test_between_twins_the_weight_decides_not_the_pass(self) -> None:
        """Jill, sent as Julia (a nickname), with Jill's middle name: the store's Julia, her
        twin, has the exact first name (an earlier pass) but another middle name; Jill wins."""
        store = (
            person("PJ", "Jill", "Wells", middle_name="Melissa", ssn="512340987", attributes=HOME),
            person("PU", "Julia", "Wells", middle_name="Diana", attributes=HOME),
            *ADDRESS_CROWD[1],
        )
        sent = (person("S", "Julia", "Wells", middle_name="Melissa", attributes=HOME),)

        result = match_students((*sent, *ADDRESS_CROWD[0]), store, matcher=FIXED_ADDRESS)

        assert "PJ" == result.matched_person_ids()[0]


class TestMiddleName:
    @pytest.mark.parametrize(
        ("sent", "level"), [("Robin", 0), ("R", 1), ("Ronlad", 1), ("Ronald", 2)]
    )
    def test_full_names_sharing_only_the_initial_differ(self, sent: str, level: int) -> None:
        """ROBIN and RONALD share an initial but are different names (twins' middle names);
        an initial, or a one-edit typo, is still "same initial"."""
        people = (person("P1", "Ann", "Lee", middle_name="Ronald"),)
        students = (person("S1", "Ann", "Lee", middle_name=sent),)

        pairs = FellegiSunterMatcher().compare(
            Table.from_records(STUDENTS, students), Table.from_records(STUDENTS, people)
        )

        assert [level] == pairs.levels[:, 2].tolist()


class TestOnePersonOneStudent:
    def test_the_clearly_better_claim_at_the_same_pass_keeps_the_person(self) -> None:
        """Tessa (a nickname, with Theresa's middle name) and Teresa (one edit, no middle name)
        both claim Theresa at the same pass: Tessa's claim is clearly better and keeps her."""
        store = (
            person("PT", "Theresa", "Thompson", middle_name="Marka", attributes=HOME),
            *ADDRESS_CROWD[1],
        )
        sent = (
            person("S1", "Teresa", "Thompson", attributes=HOME),
            person("S2", "Tessa", "Thompson", middle_name="Marka", attributes=HOME),
            *ADDRESS_CROWD[0],
        )

        result = match_students(sent, store, matcher=FIXED_ADDRESS)

        assert [None, "PT"] == result.matched_person_ids()[:2]
        assert NoMatchReason.TAKEN is result.matches()[0].reason

    def test_between_submitted_twins_the_address_does_not_decide(self) -> None:
        """Stacy (no middle name, at home) and Stacehy (Stacey's own row: a typo, her middle
        name, moved) both claim Stacey at the same pass; Stacy's claim weighs more only by the
        address twins share, so the fields that tell twins apart decide: Stacehy keeps her."""
        store = (
            person("PS", "Stacey", "Maxwell", middle_name="Katherine", attributes=HOME),
            *ADDRESS_CROWD[1],
        )
        sent = (
            person("S1", "Stacy", "Maxwell", attributes=HOME),
            person("S2", "Stacehy", "Maxwell", middle_name="Katherine", attributes=ELSEWHERE),
            *ADDRESS_CROWD[0],
        )

        result = match_students(sent, store, matcher=FIXED_ADDRESS)

        assert [None, "PS"] == result.matched_person_ids()[:2]
        assert NoMatchReason.TAKEN is result.matches()[0].reason

    @pytest.mark.parametrize("first", ["Lisa", "Elizabeth"])
    def test_students_named_alike_leave_the_person_to_neither(self, first: str) -> None:
        """Lisa, missing from the store, shares her twin Elizabeth's middle name; Elizabeth's
        own row is sent as Lisa (a nickname) with no middle name: two students the file names
        alike claim Elizabeth, and only a value one of them lacks tells the claims apart, so
        neither is matched (the same with both sent as Elizabeth, at a later pass for the row
        with no middle name)."""
        store = (
            person("PE", "Elizabeth", "Peterson", middle_name="Steven", attributes=HOME),
            *ADDRESS_CROWD[1],
        )
        sent = (
            person("S1", first, "Peterson", middle_name="Steven", attributes=HOME),
            person("S2", first, "Peterson", attributes=HOME),
            *ADDRESS_CROWD[0],
        )

        result = match_students(sent, store, matcher=FIXED_ADDRESS)

        assert [None, None] == result.matched_person_ids()[:2]
        assert [NoMatchReason.AMBIGUOUS] * 2 == [m.reason for m in result.matches()[:2]]

    def test_a_student_named_alike_who_disagrees_loses_the_person(self) -> None:
        """Named alike, but another middle name: that student is someone else, and the one
        with the person's middle name keeps her."""
        store = (
            person("PE", "Elizabeth", "Peterson", middle_name="Steven", attributes=HOME),
            *ADDRESS_CROWD[1],
        )
        sent = (
            person("S1", "Elizabeth", "Peterson", middle_name="Steven", attributes=HOME),
            person("S2", "Elizabeth", "Peterson", middle_name="Mary", attributes=HOME),
            *ADDRESS_CROWD[0],
        )

        result = match_students(sent, store, matcher=FIXED_ADDRESS)

        assert ["PE", None] == result.matched_person_ids()[:2]
        assert NoMatchReason.TAKEN is result.matches()[1].reason

    def test_the_same_student_sent_twice_keeps_the_person_twice(self) -> None:
        """Two equally good claims (the same row twice) both keep the person."""
        store = (person("PT", "Theresa", "Thompson", middle_name="Marka"), *ADDRESS_CROWD[1])
        twice = person("S1", "Tessa", "Thompson", middle_name="Marka")
        sent = (twice, attrs.evolve(twice, requester_id="S2"), *ADDRESS_CROWD[0])

        result = match_students(sent, store, matcher=FIXED_ADDRESS)

        assert ["PT", "PT"] == result.matched_person_ids()[:2]


class TestExtrasTogether:
    def test_a_move_counts_once(self) -> None:
        """Among matches the address and ZIP disagree together (a move): the pattern where
        both disagree gets back what the independent model counted twice; with one extra
        field nothing changes."""
        fields = FellegiSunterMatcher(extra_fields=("address", "zip")).fields
        exact = [4, 4, 2, -1, 4, -1, 1]
        levels = np.array(
            [[*exact, 3, 3], [*exact, 0, 0], [0, 0, 0, -1, 0, -1, 0, 0, 0]], dtype=np.int8
        )
        counts = np.array([800, 200, 1_000_000], dtype=np.int64)
        u = FellegiSunterModel.prior_u(fields)
        model = FellegiSunterModel.fit(levels, counts, fields, u=u, n_comparisons=10**8)

        bits = _extras_together(levels, counts, model)
        one = _extras_together(levels[:, :-1], counts, _drop_last_field(model))

        m_moved = model.m[7][0] * model.m[8][0]
        assert bits[1] == pytest.approx(np.log2(0.2 / m_moved), abs=0.3)
        assert bits[1] > 1.0
        assert np.all(one == 0.0)


def _drop_last_field(model: FellegiSunterModel) -> FellegiSunterModel:
    return FellegiSunterModel(
        model.fields[:-1], model.m[:-1], model.u[:-1], model.prior, model.source
    )


# --- the fit ---------------------------------------------------------------------------------

# Comparison patterns (first, last, middle, suffix, birth, SSN, gender) on which plain EM
# collapses: a million candidate pairs that share only a birth date (blocking on the birth
# date in a small cohort) swamp 200 true matches, and EM takes the shared birth date for a match.
PLANTED_LEVELS = np.array(
    [[0, 0, -1, -1, 4, -1, 1], [4, 4, -1, -1, 4, -1, 1], [0, 0, -1, -1, 0, -1, 0]], dtype=np.int8
)
PLANTED_COUNTS = np.array([1_000_000, 200, 100_000], dtype=np.int64)
PLANTED_PAIRS = 1_200_000


class TestFit:
    def test_a_naive_fit_collapses_on_the_planted_data(self) -> None:
        """Plain EM on the planted patterns matches every pair that shares a birth date."""
        u = FellegiSunterModel.prior_u(FIELDS)
        naive = FellegiSunterModel.fit(
            PLANTED_LEVELS, PLANTED_COUNTS, FIELDS, u=u, n_comparisons=PLANTED_PAIRS
        )

        assert naive.weights(PLANTED_LEVELS)[0] > 3.0  # same birth date alone: "a match"
        assert naive.problems(n_comparisons=PLANTED_PAIRS, smaller_file=1000)

    def test_the_matcher_rejects_it_and_refits_from_the_priors(self) -> None:
        """The matcher rejects that fit, refits from the default priors, and says so."""
        u = FellegiSunterModel.prior_u(FIELDS)

        model, report = FellegiSunterMatcher().fit(
            PLANTED_LEVELS, PLANTED_COUNTS, u=u, n_comparisons=PLANTED_PAIRS, smaller_file=1000
        )

        weights = model.weights(PLANTED_LEVELS)
        assert weights[0] < 3.17 < weights[1]  # below / above the 0.9 threshold
        assert not model.problems(n_comparisons=PLANTED_PAIRS, smaller_file=1000)
        assert (ModelSource.REFIT, True) == (report.source, report.refitted)
        assert (1_100_200, 3) == (report.pairs, report.patterns)
        assert report.expected_matches <= 1000
        assert "EM fit:" in str(report)
        assert "more than the smaller file" in str(report)

    def test_a_run_reports_its_fit(self) -> None:
        """Every result says how its model was obtained, with the counts."""
        data = synthetic_matching(400, 200, seed=5)

        result = FellegiSunterMatcher().match(data.submitted, data.people)

        assert result.fit is not None
        assert result.fit.pairs == int(result.candidates.sum())
        assert result.fit.source in (ModelSource.EM, ModelSource.REFIT, ModelSource.FIXED)


@cache
def _explained() -> object:
    data = synthetic_matching(400, 200, seed=5)
    return FellegiSunterMatcher().match(data.submitted, data.people)


class TestExplain:
    def result(self) -> object:
        return _explained()

    def test_levels_and_weights_add_up(self) -> None:
        """A matched student's explanation shows every field's level, and the bits add up to
        the pair's weight."""
        result = self.result()
        i = int(np.flatnonzero(result.matched)[0])  # type: ignore[attr-defined]
        sid = result.requester_ids[i]  # type: ignore[attr-defined]

        e = result.explain(sid)  # type: ignore[attr-defined]

        assert e.matched
        assert e.person_id == result.matched_person_ids()[i]  # type: ignore[attr-defined]
        assert [f.name for f in FIELDS] == [name for name, _, _ in e.rows]
        total = e.prior_bits + sum(bits for _, _, bits in e.rows) + e.adjustment_bits
        assert total == pytest.approx(e.weight)
        assert "total" in str(e)

    def test_unmatched_shows_the_best_candidate_or_none(self) -> None:
        """An unmatched student shows why: the best candidate and its levels, or no candidate."""
        result = self.result()
        for i in np.flatnonzero(~result.matched)[:20].tolist():  # type: ignore[attr-defined]
            e = result.explain(result.requester_ids[i])  # type: ignore[attr-defined]
            reason = result.matches()[i].reason  # type: ignore[attr-defined]
            assert (not e.matched, reason) == (True, e.reason)
            assert (e.person_id is None) == (reason is NoMatchReason.NO_CANDIDATE)

    def test_unknown_student(self) -> None:
        with pytest.raises(InvalidArgumentError):
            self.result().explain("nobody")  # type: ignore[attr-defined]

    def test_weight_distribution_counts_every_pair(self) -> None:
        """The distribution of match weights covers every candidate pair."""
        result = self.result()

        rows = result.weight_distribution().rows()  # type: ignore[attr-defined]

        assert sum(r[2] for r in rows) == int(result.candidates.sum())  # type: ignore[attr-defined]
