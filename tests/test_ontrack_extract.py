"""The extract: one example per derivation of the spec's table, the writers, the validation."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import attrs
import numpy as np
import pytest
from ontrack_helpers import AS_OF, D, data, enrollment, evaluate, extract_of, row, student

from edoutcomes.errors import InvalidArgumentError, InvalidInputError
from edoutcomes.formats import available, write
from edoutcomes.model import (
    CalendarType,
    ElStatus,
    Gender,
    MealEligibility,
    OnTrackRecord,
    OnTrackStatus,
    Program,
    ProgramParticipation,
    ProvisionStatus,
    SchoolProvision,
    ServiceType,
    StudentAddress,
)
from edoutcomes.ontrack import (
    DEFAULT_LAYOUT,
    build_extract,
    check_digit,
    is_valid_ssid,
    layout_for,
    validate_extract,
)


class TestLayout:
    def test_fifty_one_fields_in_order(self) -> None:
        """The default layout has the 51 fields, SSID first and the on-track flag last."""
        assert (51, "ChkDigitStdntID", "OnTrackFg") == (
            len(DEFAULT_LAYOUT.fields),
            DEFAULT_LAYOUT.names[0],
            DEFAULT_LAYOUT.names[-1],
        )

    def test_fillers_have_no_width(self) -> None:
        """Fillers are 0 wide in the default layout."""
        assert {0} == {f.width for f in DEFAULT_LAYOUT if f.is_filler}

    def test_versioned_by_year(self) -> None:
        """Every year from 2023-24 uses the default layout (until a newer version is added)."""
        assert DEFAULT_LAYOUT is layout_for("2027-28")


class TestIdentity:
    @pytest.mark.parametrize(
        ("ssid", "padded"), [("516192872", "0516192872"), ("5161928722", "5161928722")]
    )
    def test_ssid_zero_padded(self, ssid: str, padded: str) -> None:
        """The SSID is zero-padded to 10 digits."""
        assert padded == row(data([student(ssid=ssid)]))["ChkDigitStdntID"]

    def test_check_digit_example(self) -> None:
        """Base 516192872 has check digit 2."""
        assert (2, True) == (check_digit("516192872"), is_valid_ssid("5161928722"))

    def test_check_digit_never_issued(self) -> None:
        """A base whose computed check is 10 is never issued."""
        base = next(
            f"{b:09d}" for b in range(100_000_000, 100_001_000) if check_digit(f"{b:09d}") is None
        )
        assert not is_valid_ssid(base + "0")

    def test_failed_check_digit_is_a_warning(self) -> None:
        """A failed check digit is listed as a warning; the row is still written."""
        extract = extract_of(data([student(ssid="5161928723")]))
        assert (1, ["warning"], ["row 2"]) == (
            len(extract),
            [f.severity.value for f in extract.findings],
            [f"row {f.row}" for f in extract.findings],
        )

    def test_valid_ssid_no_warning(self) -> None:
        """A valid SSID gives no finding."""
        assert () == extract_of().findings

    def test_district_id(self) -> None:
        """The district student id is the student_id."""
        assert "S1" == row()["DistStdntID"]

    @pytest.mark.parametrize(
        ("changes", "expected"),
        [
            ({}, ("Doe", "Jane", "")),
            ({"legal_last_name": None}, ("Dough", "Jane", "")),
            ({"legal_first_name": None}, ("Doe", "Janie", "")),
            ({"middle_name": "Q"}, ("Doe", "Jane", "Q")),
            ({"legal_middle_name": "R", "middle_name": "Q"}, ("Doe", "Jane", "R")),
        ],
    )
    def test_legal_name_fallback(self, changes: dict[str, Any], expected: tuple[str, ...]) -> None:
        """Each legal name part falls back to the name when blank."""
        r = row(data([student(**changes)]))
        assert expected == (r["LglLNm"], r["LglFNm"], r["LglMNm"])

    def test_preferred_names_and_suffix(self) -> None:
        """Preferred names are the names; the suffix is the generation code."""
        r = row(data([student(name_suffix="JR", middle_name="Q")]))
        assert ("Dough", "Janie", "Q", "JR") == (
            r["PrfrdLNm"],
            r["PrfrdFNm"],
            r["PrfrdMNm"],
            r["GnrtnCd"],
        )

    def test_birth_date(self) -> None:
        """The birth date is MMDDYYYY."""
        assert "03042009" == row()["BirthDtTxt"]

    @pytest.mark.parametrize(
        ("legal", "gender", "expected"),
        [
            (Gender.FEMALE, Gender.MALE, "F"),
            (None, Gender.MALE, "M"),
            (Gender.UNKNOWN, Gender.NON_BINARY, "X"),
            (None, None, "X"),
            (Gender.MALE, None, "M"),
        ],
    )
    def test_gender(self, legal: Gender | None, gender: Gender | None, expected: str) -> None:
        """Legal gender, else gender, else X."""
        assert expected == row(data([student(legal_gender=legal, gender=gender)]))["GndrCd"]

    @pytest.mark.parametrize(("hispanic", "expected"), [(True, "Y"), (False, "N"), (None, "N")])
    def test_hispanic(self, hispanic: bool | None, expected: str) -> None:
        """Y when Hispanic/Latino is yes; N when no or blank."""
        assert expected == row(data([student(hispanic=hispanic)]))["HispEthnicFg"]

    def test_race_flags(self) -> None:
        """Each race flag is Y or N on its own."""
        r = row(data([student(race_asian=True, race_white=True)]))
        flags = (
            "AmerIndianAlsknNtvRaceFg",
            "AsianRaceFg",
            "BlackRaceFg",
            "WhiteRaceFg",
            "PacIslndrRaceFg",
        )
        assert ["N", "Y", "N", "Y", "N"] == [r[f] for f in flags]

    def test_languages_and_ssn(self) -> None:
        """Home language 4 digits; the additional language as given; only the SSN's last 4."""
        r = row(
            data([student(home_language="199", secondary_language="0130", ssn_last4="123456789")])
        )
        assert ("0199", "0130", "6789") == (r["LangOrgnCd"], r["AddnLangCd"], r["SSN"])

    @pytest.mark.parametrize(
        ("american_indian", "codes", "expected"),
        [(True, (), "Y"), (False, ("0311",), "Y"), (False, (), "")],
    )
    def test_tribal_affiliation(
        self, american_indian: bool, codes: tuple[str, ...], expected: str
    ) -> None:
        """Y when American Indian/Alaska Native or a tribal code exists, else blank."""
        r = row(data([student(race_american_indian=american_indian, tribal_codes=codes)]))
        assert expected == r["TrbAfflnCd"]

    def test_constant_fields(self) -> None:
        """Indian Education is N and On Track is Y for every record; fillers are blank."""
        r = row()
        assert ("N", "Y", "", "") == (
            r["IndianEdFg"],
            r["OnTrackFg"],
            r["InstFill"],
            r["DemogFill"],
        )

    def test_entry_year(self) -> None:
        """The school year first entered grade 9 as YYYY: 2023-24 -> 2324."""
        assert "2324" == row()["HSEntrySchlYr"]


class TestPhone:
    @pytest.mark.parametrize(
        ("cell", "other", "expected"),
        [
            ("503-555-0100", "541-555-0199", "5035550100"),
            (None, "(541) 555-0199", "5415550199"),
            ("1 503 555 0100", None, "5035550100"),
            (None, None, ""),
        ],
    )
    def test_phone_fallback(self, cell: str | None, other: str | None, expected: str) -> None:
        """The cell phone, else the other phone, as 10 digits."""
        assert expected == row(data([student(cell_phone=cell, other_phone=other)]))["Phn"]


class TestEnrollmentFields:
    def test_institutions(self) -> None:
        """Resident ids from the enrollment; attending ids are the serving ones, else its own."""
        r = row(data(enrollments=[enrollment(serving_school_id="4599")]))
        assert ("2063", "4512", "2063", "4599") == (
            r["ResdDistInstID"],
            r["ResdSchlInstID"],
            r["AttndDistInstID"],
            r["AttndSchlInstID"],
        )

    @pytest.mark.parametrize(
        ("grade", "expected"), [("9", "09"), ("09", "09"), ("K", "KG"), ("KG", "KG")]
    )
    def test_grade(self, grade: str, expected: str) -> None:
        """The state grade level in 2 characters."""
        assert expected == row(data(enrollments=[enrollment(grade_level=grade)]))["EnrlGrdCd"]

    @pytest.mark.parametrize("flag", ["distance_learning", "home_schooled"])
    def test_enrollment_flags(self, flag: str) -> None:
        """Distance learning and home school come from the reporting enrollment."""
        short = {"distance_learning": "DstncLrnFg", "home_schooled": "HomeSchlFg"}[flag]
        assert ("N", "Y") == (
            row()[short],
            row(data(enrollments=[enrollment(**{flag: True})]))[short],
        )

    @pytest.mark.parametrize(
        ("calendar", "end", "expected"),
        [
            (CalendarType.ALTERNATIVE, None, "Y"),
            (CalendarType.REGULAR, None, ""),
            (None, None, ""),
            (CalendarType.ALTERNATIVE, D(2024, 6, 19), ""),
            (CalendarType.ALTERNATIVE, AS_OF, "Y"),
        ],
    )
    def test_alternative_calendar(
        self, calendar: CalendarType | None, end: dt.date | None, expected: str
    ) -> None:
        """Y when the calendar of the enrollment on the generation date is alternative, else blank."""
        k12 = data(enrollments=[enrollment(calendar_type=calendar, end_date=end)])
        assert expected == row(k12)["AltEdProgFg"]

    @pytest.mark.parametrize(
        ("enrollments", "expected"),
        [
            ([enrollment()], "24"),
            ([enrollment(resident_county="3")], "03"),
            (
                [
                    enrollment(service_type=ServiceType.PARTIAL, resident_county="11"),
                    enrollment(
                        school_id="4600", service_type=ServiceType.SPECIAL_ED, resident_county="12"
                    ),
                ],
                "11",
            ),
            (
                [enrollment(service_type=ServiceType.SPECIAL_ED, resident_county="12")],
                "12",
            ),
            (
                [
                    enrollment(resident_county="21"),
                    enrollment(school_id="4600", start_date=D(2024, 1, 8), resident_county="22"),
                ],
                "22",
            ),
            (
                [
                    enrollment(resident_county="21"),
                    enrollment(
                        school_id="4600",
                        service_type=ServiceType.PARTIAL,
                        start_date=D(2024, 1, 8),
                        resident_county="22",
                    ),
                ],
                "21",
            ),
        ],
        ids=[
            "primary",
            "zero-padded",
            "partial-before-sped",
            "sped",
            "latest-primary",
            "primary-beats-later-partial",
        ],
    )
    def test_resident_county(self, enrollments: list[Any], expected: str) -> None:
        """Primary enrollment's county, else partial, else special-ed; the latest primary among several."""
        assert expected == row(data(enrollments=enrollments))["ResdCntyCd"]

    def test_county_falls_back_to_reporting_enrollment(self) -> None:
        """With no enrollment active on the generation date, the reporting enrollment's county."""
        k12 = data(enrollments=[enrollment(end_date=D(2024, 6, 1), resident_county="7")])
        assert "07" == row(k12)["ResdCntyCd"]


def address(**changes: Any) -> StudentAddress:
    """A primary street address since 2020."""
    base = StudentAddress(
        "S1",
        "100",
        "200",
        address_number="12",
        address_prefix="NE",
        address_street="Oak St",
        address_tag="Apt 3",
        address_city="Salem",
        address_zip="97301-1234",
        start_date=D(2020, 1, 1),
    )
    return attrs.evolve(base, **changes)


class TestAddress:
    def fields(self, *addresses: StudentAddress) -> tuple[str, str, str, str]:
        r = row(data(addresses=list(addresses)))
        return r["Addr"], r["City"], r["ZipCd"], r["Zip4Cd"]

    def test_parts_joined(self) -> None:
        """Number, prefix, street and tag joined by single spaces; ZIP and ZIP+4 split."""
        assert ("12 NE Oak St Apt 3", "Salem", "97301", "1234") == self.fields(address())

    def test_blank_parts_skipped(self) -> None:
        """Blank parts leave no double spaces; a separate ZIP+4 is used when given."""
        assert ("12 Oak St", "Salem", "97301", "5678") == self.fields(
            address(address_prefix=None, address_tag=None, address_zip="97301", address_zip4="5678")
        )

    def test_street_beats_po_box(self) -> None:
        """A street address beats a P.O. box, even a primary one that started earlier."""
        po = address(
            address_number=None, address_street="PO Box 9", po_box=True, start_date=D(2010, 1, 1)
        )
        assert "12 NE Oak St Apt 3" == self.fields(po, address(household_primary=False))[0]

    def test_po_box_when_only_address(self) -> None:
        """A P.O. box reports when it is the only address."""
        po = address(
            address_number=None,
            address_prefix=None,
            address_tag=None,
            address_street="PO Box 9",
            po_box=True,
        )
        assert "PO Box 9" == self.fields(po)[0]

    def test_primary_household(self) -> None:
        """A primary household beats a secondary one."""
        assert (
            "2 Elm"
            == self.fields(
                address(household_primary=False, start_date=D(2010, 1, 1)),
                address(
                    address_number="2", address_prefix=None, address_street="Elm", address_tag=None
                ),
            )[0]
        )

    def test_primary_location(self) -> None:
        """A primary location beats a secondary one."""
        assert (
            "2 Elm"
            == self.fields(
                address(location_primary=False, start_date=D(2010, 1, 1)),
                address(
                    address_number="2", address_prefix=None, address_street="Elm", address_tag=None
                ),
            )[0]
        )

    def test_earliest_start(self) -> None:
        """Then the earliest start date."""
        assert (
            "2 Elm"
            == self.fields(
                address(),
                address(
                    address_number="2",
                    address_prefix=None,
                    address_street="Elm",
                    address_tag=None,
                    start_date=D(2015, 1, 1),
                ),
            )[0]
        )

    def test_household_id_tie(self) -> None:
        """Then the lower household id (as a number: 99 before 100)."""
        assert (
            "2 Elm"
            == self.fields(
                address(),
                address(
                    household_id="99",
                    address_number="2",
                    address_prefix=None,
                    address_street="Elm",
                    address_tag=None,
                ),
            )[0]
        )

    def test_location_id_tie(self) -> None:
        """Then the lower location id."""
        assert (
            "2 Elm"
            == self.fields(
                address(),
                address(
                    location_id="199",
                    address_number="2",
                    address_prefix=None,
                    address_street="Elm",
                    address_tag=None,
                ),
            )[0]
        )

    def test_inactive_address_ignored(self) -> None:
        """An address that ended before the generation date is not used."""
        old = address(end_date=D(2024, 6, 19))
        assert ("", "", "", "") == self.fields(old)


def participation(
    program: Program, start: dt.date, end: dt.date | None, **changes: Any
) -> ProgramParticipation:
    """A participation of S1."""
    return ProgramParticipation("S1", program, start, end, **changes)


_PROGRAM_FLAGS = [
    (Program.TITLE_I, {}, "Ttl1Fg"),
    (Program.SECTION_504, {}, "Sect504Fg"),
    (Program.MIGRANT, {}, "MigrntEdFg"),
    (Program.GIFTED, {}, "TAGFg"),
    (Program.ENGLISH_LEARNER, {"el_status": ElStatus.ENGLISH_LEARNER}, "ELFg"),
    (Program.MEAL_ELIGIBILITY, {"meal_eligibility": MealEligibility.FREE}, "EconDsvntgFg"),
    (Program.SPECIAL_ED_DATA_PLAN, {"special_ed_eligible": True}, "SpEdFg"),
]
_EDGES = [
    (AS_OF, None, "Y"),
    (D(2023, 9, 1), AS_OF, "Y"),
    (D(2023, 9, 1), AS_OF - dt.timedelta(days=1), "N"),
    (AS_OF + dt.timedelta(days=1), None, "N"),
]


class TestProgramFlags:
    @pytest.mark.parametrize(
        ("program", "extra", "short"), _PROGRAM_FLAGS, ids=[p[2] for p in _PROGRAM_FLAGS]
    )
    @pytest.mark.parametrize(
        ("start", "end", "expected"),
        _EDGES,
        ids=["starts-on", "ends-on", "ends-day-before", "starts-after"],
    )
    def test_active_on_generation_date(
        self,
        program: Program,
        extra: dict[str, Any],
        short: str,
        start: dt.date,
        end: dt.date | None,
        expected: str,
    ) -> None:
        """A flag is Y when its record is active on the generation date (start <= as_of <= end)."""
        k12 = data(participations=[participation(program, start, end, **extra)])
        assert (expected, "N") == (row(k12)[short], row()[short])

    @pytest.mark.parametrize(
        ("program", "extra", "short"),
        [
            (Program.ENGLISH_LEARNER, {"el_status": ElStatus.EXITED}, "ELFg"),
            (Program.MEAL_ELIGIBILITY, {"meal_eligibility": MealEligibility.PAID}, "EconDsvntgFg"),
            (Program.SPECIAL_ED_DATA_PLAN, {"special_ed_eligible": False}, "SpEdFg"),
            (Program.IEP, {"locked": False}, "SpEdFg"),
        ],
    )
    def test_active_but_not_qualifying(
        self, program: Program, extra: dict[str, Any], short: str
    ) -> None:
        """An active EL record not in EL status, paid meals, an ineligible plan, an unlocked IEP: N."""
        k12 = data(participations=[participation(program, D(2023, 9, 1), None, **extra)])
        assert "N" == row(k12)[short]

    def test_locked_iep(self) -> None:
        """A locked IEP sets the special-education flag (the spec asks no date of it)."""
        k12 = data(
            participations=[participation(Program.IEP, D(2021, 9, 1), D(2022, 6, 1), locked=True)]
        )
        assert "Y" == row(k12)["SpEdFg"]

    @pytest.mark.parametrize(
        ("start", "end", "expected"),
        [(AS_OF, None, "Y"), (D(2023, 1, 1), AS_OF - dt.timedelta(days=1), "N")],
        ids=["active", "ended-day-before"],
    )
    def test_provision_2(self, start: dt.date, end: dt.date | None, expected: str) -> None:
        """Economically disadvantaged when the enrollment's school is Provision 2 on the generation date."""
        k12 = data(provisions=[SchoolProvision("4512", ProvisionStatus.PROVISION_2, start, end)])
        assert expected == row(k12)["EconDsvntgFg"]

    def test_other_provision(self) -> None:
        """Provision 3 does not make a student disadvantaged."""
        k12 = data(provisions=[SchoolProvision("4512", ProvisionStatus.PROVISION_3, D(2020, 1, 1))])
        assert "N" == row(k12)["EconDsvntgFg"]

    @pytest.mark.parametrize(
        ("special_ed", "plan", "expected"),
        [
            (True, (D(2023, 10, 1), D(2023, 11, 1)), "Y"),
            (True, (D(2022, 10, 1), D(2023, 6, 30)), "N"),
            (False, (D(2023, 10, 1), None), "N"),
            (True, None, "N"),
        ],
        ids=["plan-during-year", "plan-before-year", "no-special-ed", "no-plan"],
    )
    def test_transition(
        self, special_ed: bool, plan: tuple[dt.date, dt.date | None] | None, expected: str
    ) -> None:
        """Y when the special-education flag is Y and a state reporting plan is active during the year."""
        parts = []
        if special_ed:
            parts.append(participation(Program.IEP, D(2023, 9, 1), None, locked=True))
        if plan is not None:
            parts.append(participation(Program.STATE_REPORTING_PLAN, *plan))
        assert expected == row(data(participations=parts))["TrnstnProgFg"]


class TestExtract:
    def test_sorted_by_ssid(self) -> None:
        """Rows are in SSID order (zero-padded), whatever the input order."""
        students = [
            student(student_id="A", ssid="9000000001"),
            student(student_id="B", ssid="516192872"),
            student(student_id="C", ssid="1000000002"),
        ]
        enrollments = [enrollment(student_id=s) for s in "ABC"]
        from ontrack_helpers import mark

        marks = [mark(student_id=s) for s in "ABC"]
        extract = extract_of(data(students, enrollments, marks))
        assert ["0516192872", "1000000002", "9000000001"] == extract.column("ChkDigitStdntID")

    def test_too_long_is_an_error(self) -> None:
        """A value longer than its field refuses the extract, naming row and field, not the value."""
        with pytest.raises(InvalidInputError) as info:
            extract_of(data([student(legal_last_name="X" * 51)]))
        (finding,) = info.value.findings
        assert (2, "LglLNm", "<redacted>", True) == (
            finding.row,
            finding.column,
            finding.value,
            finding.is_error,
        )

    def test_truncate_is_a_warning(self) -> None:
        """With truncation asked for, the value is cut and listed as a warning."""
        extract = build_extract(evaluate(data([student(legal_last_name="X" * 51)])), truncate=True)
        assert ("X" * 50, ["warning"]) == (
            extract.column("LglLNm")[0],
            [f.severity.value for f in extract.findings],
        )

    def test_no_students(self) -> None:
        """An extract with nobody reported has no rows, and writes only the header."""
        extract = extract_of(data(marks=[]))
        out = io.BytesIO()
        write(extract, out, "oregon-ontrack-csv")
        assert (0, 1) == (len(extract), len(out.getvalue().decode().splitlines()))


class TestWriters:
    def test_registered(self) -> None:
        """The extract's writers are in the registry."""
        assert {"oregon-ontrack-csv", "oregon-ontrack-fixed", "oregon-ontrack-explanations"} <= set(
            available()
        )

    def test_csv_header_and_row(self) -> None:
        """The submission CSV: a header of the short names, then the values."""
        out = io.BytesIO()
        write(extract_of(), out, "oregon-ontrack-csv")
        header, line = out.getvalue().decode().splitlines()
        assert (DEFAULT_LAYOUT.names, "5161928722") == (
            tuple(header.split(",")),
            line.split(",")[0],
        )

    def test_fixed_width(self) -> None:
        """One record per student, exactly the layout's width, fields at their positions."""
        out = io.BytesIO()
        write(extract_of(), out, "oregon-ontrack-fixed")
        (line,) = out.getvalue().decode().splitlines()
        first, last = DEFAULT_LAYOUT.positions()["BirthDtTxt"]
        assert (DEFAULT_LAYOUT.width, "03042009") == (len(line), line[first - 1 : last])

    @pytest.mark.parametrize("format", ["xml", "html"])
    def test_review_formats(self, format: str) -> None:
        """The generic XML and HTML writers take the extract, with its short names."""
        out = io.BytesIO()
        write(extract_of(), out, format)
        text = out.getvalue().decode()
        assert "HSEntrySchlYr" in text
        assert "2324" in text

    @pytest.mark.parametrize("format", ["oregon-ontrack-csv", "oregon-ontrack-fixed"])
    def test_only_the_extract(self, format: str) -> None:
        """The extract's writers refuse any other report."""
        with pytest.raises(InvalidArgumentError):
            write(evaluate().explanations(), io.BytesIO(), format)

    def test_explanations_writer_matches_generic_csv(self) -> None:
        """The column-wise explanations writer gives the same bytes as the generic CSV writer."""
        explanations = evaluate(
            data([student(), student(student_id="S2", ssid=None)])
        ).explanations()
        fast, generic = io.BytesIO(), io.BytesIO()
        write(explanations, fast, "oregon-ontrack-explanations")
        write(explanations, generic, "csv")
        assert generic.getvalue() == fast.getvalue()


class TestValidation:
    def test_clean_extract(self) -> None:
        """A built extract passes its validation."""
        result = evaluate()
        assert [] == validate_extract(build_extract(result), result)

    def tampered(self, **values: str) -> list[tuple[int | None, str | None, str]]:
        result = evaluate()
        extract = build_extract(result)
        columns = {k: v.copy() for k, v in extract.values.items()}
        for name, value in values.items():
            columns[name] = np.array([value], dtype=object)
        bad = attrs.evolve(extract, values=columns)
        return [(f.row, f.column, f.message) for f in validate_extract(bad, result) if f.is_error]

    @pytest.mark.parametrize(
        ("values", "expected"),
        [
            ({"LglFNm": ""}, (2, "LglFNm", "a required field is blank")),
            ({"Ttl1Fg": "X"}, (2, "Ttl1Fg", "not one of the allowed values 'Y', 'N'")),
            ({"AltEdProgFg": "N"}, (2, "AltEdProgFg", "not one of the allowed values 'Y', ''")),
            (
                {"AttndSchlInstID": "45A2"},
                (2, "AttndSchlInstID", "a numeric field holds a non-digit"),
            ),
            ({"BirthDtTxt": "13042009"}, (2, "BirthDtTxt", "not a date in MMDDYYYY form")),
            ({"ChkDigitStdntID": "12345"}, (2, "ChkDigitStdntID", "an SSID must be 10 digits")),
        ],
    )
    def test_layout_rules(self, values: dict[str, str], expected: tuple[int, str, str]) -> None:
        """Required, allowed values, numeric, date and SSID checks each give an error with row and field."""
        assert expected in self.tampered(**values)

    def test_entry_year(self) -> None:
        """A row whose entry year is not the reporting year is an error."""
        assert (
            2,
            "HSEntrySchlYr",
            "the entry year is not the reporting year 2324",
        ) in self.tampered(HSEntrySchlYr="2223")

    @pytest.mark.parametrize(
        ("grade9", "entry_year", "warnings"),
        [(D(2022, 9, 6), "2223", 1), (None, "2324", 0), (D(2023, 9, 5), "2324", 0)],
    )
    def test_record_based_entry_year(
        self, grade9: dt.date | None, entry_year: str, warnings: int
    ) -> None:
        """
        Under the record-based rule the record decides: the grade-9 date's year, else the record's.

        A grade-9 date in another year is a warning, never an error, and no credit is needed.
        """
        record = OnTrackRecord("S1", D(2023, 9, 5), "2023-24", OnTrackStatus.ON_TRACK)
        k12 = data([student(grade9_entry_date=grade9)], marks=[], ontrack_records=[record])
        result = evaluate(k12, rule="record-based")
        extract = build_extract(result)
        findings = validate_extract(extract, result) + validate_extract(extract)
        assert [entry_year] == extract.column("HSEntrySchlYr")
        assert [] == [f for f in findings if f.is_error]
        assert 2 * warnings == sum(f.column == "HSEntrySchlYr" for f in findings)

    def test_below_threshold(self) -> None:
        """Given the eligibility, a row whose student is below the threshold is an error."""
        result = evaluate(data(marks=[]))
        good = build_extract(evaluate())
        findings = validate_extract(good, result)
        assert ["credits 0.0 below threshold 6.0"] == [f.message for f in findings if f.is_error]

    def test_one_row_per_student(self) -> None:
        """A student twice is an error on both rows."""
        extract = extract_of()
        doubled = {k: np.concatenate([v, v]) for k, v in extract.values.items()}
        bad = attrs.evolve(extract, values=doubled, student_rows=np.array([0, 0]))
        messages = {(f.row, f.column) for f in validate_extract(bad) if f.is_error}
        assert {
            (2, "ChkDigitStdntID"),
            (3, "ChkDigitStdntID"),
            (2, "DistStdntID"),
            (3, "DistStdntID"),
        } == messages

    def test_personal_values_redacted(self) -> None:
        """A finding about a personal field never shows its value."""
        result = evaluate()
        extract = build_extract(result)
        columns = dict(extract.values)
        columns["BirthDtTxt"] = np.array(["99999999"], dtype=object)
        findings = validate_extract(attrs.evolve(extract, values=columns), result)
        assert ["<redacted>"] == [f.value for f in findings]
