"""Request files: college H1/D1/T1 (tab and fixed width) and high-school PH3/PD3/PT3."""

from __future__ import annotations

import datetime as dt
import io
import re

import attrs
import pytest
import strategies as s
from golden_files import assert_golden
from hypothesis import given
from hypothesis import strategies as st

from edoutcomes.errors import InvalidArgumentError, InvalidInputError
from edoutcomes.formats import RowTable, college_request, high_school_graduates, write
from edoutcomes.formats.request import COLLEGE_LAYOUTS, CollegeRequest
from edoutcomes.model import Student

SEARCH = dt.date(2006, 9, 15)
FILE_DATE = dt.date(2013, 9, 3)
FIRST = ["Ann", "José", "Chloë", "Mary-Jo", "Sam", "Lee", "Kim", "Pat", "Ray", "Tom", "Ida", "Bo"]
LAST = [
    "Lee",
    "Núñez Jr.",
    "O'Neil",
    "St. James",
    "Smith III",
    "Ng",
    "Park",
    "Doe",
    "Roe",
    "Fox",
    "Ash",
    "Oak",
]


def people(n: int = 12) -> list[Student]:
    """Synthetic students with every quirk the writer fixes (accents, punctuation, suffixes)."""
    return [
        Student(
            f"R{i:03d}",
            first_name=FIRST[i % 12],
            middle_name="Quinn" if i % 3 == 0 else None,
            last_name=LAST[i % 12],
            birth_date=dt.date(1988, 1 + i % 12, 1 + i),
            ssn=f"{100000000 + i}" if i % 4 == 0 else None,
        )
        for i in range(n)
    ]


def build(students: list[Student], **kwargs: object) -> CollegeRequest:
    """A CO request with the usual header, overridable by keyword."""
    options: dict[str, object] = {
        "school_code": "001817",
        "school_name": "Synthetic State University",
        "inquiry": "CO",
        "search_date": SEARCH,
        "file_date": FILE_DATE,
    }
    options.update(kwargs)
    return college_request(students, **options)  # type: ignore[arg-type]


def written(report: object, format: str) -> bytes:
    """The bytes *format* writes for *report*."""
    buffer = io.BytesIO()
    write(report, buffer, format)
    return buffer.getvalue()


def errors_of(students: list[Student], **kwargs: object) -> list[str]:
    """The error findings (as text) that building the request raises."""
    with pytest.raises(InvalidInputError) as info:
        build(students, **kwargs)
    return [str(f) for f in info.value.findings]


class TestGolden:
    def test_tab_delimited(self) -> None:
        """A CO request file, tab-delimited, exactly as the golden file."""
        assert_golden("request/co_request.txt", written(build(people()), "nsc-request"))

    def test_fixed_width(self) -> None:
        """The same file in the fixed-width layout."""
        assert_golden("request/co_request_fixed.txt", written(build(people()), "nsc-request-fixed"))

    def test_high_school(self) -> None:
        """A high-school graduates file."""
        grads = [
            attrs.evolve(
                p,
                hs_grad_date=dt.date(2006, 6, 2),
                high_school_code="380123",
                attributes=(("ferpa_block", i == 1), ("program_code", "IB" if i == 2 else None)),
            )
            for i, p in enumerate(people(3))
        ]
        hs = high_school_graduates(
            grads,
            account_code="380123",
            account_name="Lincoln High School",
            transmission_date=FILE_DATE,
            diploma_period="2006",
        )
        assert_golden("request/hs_graduates.txt", written(hs, "nsc-hs-graduates"))


class TestLayout:
    def test_fixed_positions(self) -> None:
        """The fixed-width positions are the published ones."""
        assert {
            "record_type": (1, 2),
            "school_code": (3, 8),
            "branch": (9, 10),
            "school_name": (11, 50),
            "file_date": (51, 58),
            "inquiry": (59, 60),
            "flag": (61, 61),
        } == COLLEGE_LAYOUTS["H1"].positions()
        assert {
            "record_type": (1, 2),
            "ssn": (3, 11),
            "first_name": (12, 31),
            "middle_initial": (32, 32),
            "last_name": (33, 52),
            "name_suffix": (53, 57),
            "birth_date": (58, 65),
            "search_date": (66, 73),
            "blank": (74, 74),
            "school_code": (75, 80),
            "branch": (81, 82),
            "requester_id": (83, 132),
        } == COLLEGE_LAYOUTS["D1"].positions()

    def test_fixed_lines_parse_back(self) -> None:
        """Each fixed-width D1 line parses back to the fields of the tab-delimited file."""
        request = build(people())
        lines = written(request, "nsc-request-fixed").decode("ascii").splitlines()
        parsed = [tuple(COLLEGE_LAYOUTS["D1"].parse_line(line).values()) for line in lines[1:-1]]
        assert list(request.details) == parsed

    def test_trailer_counts_every_row(self) -> None:
        """T1 carries the total row count, header and trailer included."""
        lines = written(build(people()), "nsc-request").decode().splitlines()
        assert ["T1", str(len(lines))] == lines[-1].split("\t")

    def test_other_reports_refused(self) -> None:
        """The request writers take only request files."""
        with pytest.raises(InvalidArgumentError, match="writes CollegeRequest, not RowTable"):
            written(RowTable("t", ("a",), []), "nsc-request")


class TestFixes:
    def test_fixed_values(self) -> None:
        """Accents fold, periods go, suffixes move out of the last name; apostrophes and hyphens stay."""
        details = {d[-1]: d for d in build(people()).details}
        assert ("JOSE", "", "NUNEZ", "JR") == details["R001"][2:6]
        assert ("CHLOE", "", "O'NEIL", "") == details["R002"][2:6]
        assert ("MARY-JO", "Q", "ST JAMES", "") == details["R003"][2:6]
        assert ("SAM", "", "SMITH", "III") == details["R004"][2:6]

    def test_fixes_are_reported(self) -> None:
        """Each fix is a warning naming row and field, personal values redacted."""
        findings = build(people()).findings
        assert all(not f.is_error for f in findings)
        by_row = {(f.row, f.column, f.message.split(": ", 1)[1]) for f in findings}
        assert (3, "last_name", "suffix moved out of last_name") in by_row
        assert (3, "first_name", "first_name folded to ASCII") in by_row
        assert (5, "last_name", "quotes, commas or periods removed from last_name") in by_row
        assert not any(row == 4 and column == "last_name" for row, column, _ in by_row)
        assert all(f.value in (None, "<redacted>") for f in findings if f.column != "school_name")

    @pytest.mark.parametrize("inquiry", ["SE", "DA", "SB", "CO"])
    def test_ssn_blank_unless_prior_attendance(self, inquiry: str) -> None:
        """Only a PA file carries SSNs; other inquiries blank them with a warning."""
        request = build(people(), inquiry=inquiry)
        assert {""} == {d[1] for d in request.details}
        assert 3 == sum(f.column == "ssn" for f in request.findings)

    def test_ssn_for_prior_attendance_not_enrolled(self) -> None:
        """PA sends the SSN of students not enrolled, and blanks it for enrolled ones."""
        request = build(people(), inquiry="PA", enrolled={"R004"})
        ssns = {d[-1]: d[1] for d in request.details if d[1]}
        assert {"R000": "100000000", "R008": "100000008"} == ssns

    def test_per_student_dates_for_se(self) -> None:
        """An SE file may give each student their own search date."""
        dates = {p.requester_id: SEARCH + dt.timedelta(days=i) for i, p in enumerate(people())}
        request = build(people(), inquiry="SE", search_date=dates)
        assert ["20060915", "20060916"] == [d[7] for d in request.details[:2]]


class TestErrors:
    def test_too_few_rows(self) -> None:
        """Fewer than 11 detail rows is an error."""
        assert ["the clearinghouse expects at least 11 detail rows; this file has 10"] == errors_of(
            people(10)
        )

    def test_co_one_search_date(self) -> None:
        """A CO file with two search dates names the row and field of the odd one."""
        dates = dict.fromkeys((p.requester_id for p in people()), SEARCH)
        dates["R005"] = dt.date(2007, 9, 15)
        (error,) = errors_of(people(), search_date=dates)
        assert error.startswith("row 7, column search_date")
        assert "a CO file has one search date for every student" in error

    def test_missing_search_date(self) -> None:
        """A student without a search date is an error."""
        dates = {p.requester_id: SEARCH for p in people()[1:]}
        assert [
            "row 2, column search_date: student 'R000': search_date is required (error)"
        ] == errors_of(people(), inquiry="SE", search_date=dates)

    @pytest.mark.parametrize(
        ("change", "column", "message"),
        [
            (
                {"first_name": "Maximilianus-Bartholomew"},
                "first_name",
                "first_name has 24 characters, at most 20 fit",
            ),
            (
                {"last_name": "Vandersteenhoven-Oakes"},
                "last_name",
                "last_name has 22 characters, at most 20 fit",
            ),
            ({"first_name": None}, "first_name", "first_name is required"),
            ({"last_name": "..."}, "last_name", "last_name has nothing left once cleaned"),
            ({"last_name": "李"}, "last_name", "last_name has a character with no ASCII form"),
            ({"birth_date": None}, "birth_date", "birth_date is required"),
            (
                {"name_suffix": "Sr", "last_name": "Lee Jr"},
                "last_name",
                "last_name ends in a suffix and name_suffix holds a different one",
            ),
            (
                {"requester_id": "R,5"},
                "requester_id",
                "requester_id holds a character the layout forbids",
            ),
            (
                {"requester_id": "R'5"},
                "requester_id",
                "requester_id holds a character the layout forbids",
            ),
            (
                {"requester_id": "R" * 51},
                "requester_id",
                "requester_id has 51 characters, at most 50 fit",
            ),
            ({"requester_id": "R000"}, "requester_id", "requester_id repeats row 2"),
        ],
    )
    def test_student_field(self, change: dict[str, object], column: str, message: str) -> None:
        """Each unfixable value is one error naming the student's row and field, no personal value."""
        students = people()
        students[5] = attrs.evolve(students[5], **change)
        (error,) = errors_of(students)
        assert error.startswith(f"row 7, column {column}")
        assert message in error
        for value in change.values():
            if isinstance(value, str) and column != "requester_id":
                assert value not in error

    def test_all_errors_at_once(self) -> None:
        """Every error of the file is raised together."""
        students = people()
        students[0] = attrs.evolve(students[0], first_name=None)
        students[11] = attrs.evolve(students[11], birth_date=None)
        assert [2, 13] == [int(re.findall(r"row (\d+)", e)[0]) for e in errors_of(students)]

    def test_header_arguments(self) -> None:
        """Unusable header arguments are refused up front."""
        with pytest.raises(InvalidArgumentError, match="school_code='1817' must be 6 digits"):
            build(people(), school_code="1817")
        with pytest.raises(InvalidArgumentError, match="inquiry='XX' is not an inquiry type"):
            build(people(), inquiry="XX")
        assert [
            "row 1, column school_name, value 'The Synthetic State University of Northern Territories': "
            "header: school_name has 54 characters, at most 40 fit (error)"
        ] == errors_of(
            people(), school_name="The Synthetic State University of Northern Territories"
        )


class TestHighSchool:
    def grads(self) -> list[Student]:
        """Three complete graduates."""
        return [
            attrs.evolve(p, hs_grad_date=dt.date(2006, 6, 2), high_school_code="380123")
            for p in people(3)
        ]

    def build(self, students: list[Student]) -> object:
        """A graduates file with the usual header."""
        return high_school_graduates(
            students,
            account_code="380123",
            account_name="Lincoln High",
            transmission_date=FILE_DATE,
            diploma_period="2006",
        )

    def test_rows_end_in_ed(self) -> None:
        """Every PD3 row ends in ED; PT3 counts every row."""
        lines = written(self.build(self.grads()), "nsc-hs-graduates").decode().splitlines()
        assert ["PH3", "380123", "LINCOLN HIGH", "P", "20130903", "2006"] == lines[0].split("\t")
        assert all(line.split("\t")[-1] == "ED" for line in lines[1:-1])
        assert ["PT3", "5"] == lines[-1].split("\t")

    @pytest.mark.parametrize(
        ("change", "column"),
        [
            ({"high_school_code": "38012"}, "high_school_code"),
            ({"hs_grad_date": None}, "hs_grad_date"),
            ({"birth_date": None}, "birth_date"),
            ({"last_name": None}, "last_name"),
            ({"attributes": (("ferpa_block", "maybe"),)}, "ferpa_block"),
            ({"attributes": (("program_code", "P" * 51),)}, "program_code"),
        ],
    )
    def test_required_fields(self, change: dict[str, object], column: str) -> None:
        """Each missing or unfit required field is an error naming row and field."""
        students = self.grads()
        students[1] = attrs.evolve(students[1], **change)
        with pytest.raises(InvalidInputError) as info:
            self.build(students)
        assert [(3, column)] == [(f.row, f.column) for f in info.value.findings]


ascii_names = st.from_regex(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ .,'-]{0,25}", fullmatch=True).filter(
    lambda t: any(c.isalpha() for c in t)
)


@given(st.lists(st.tuples(ascii_names, ascii_names, s.dates), min_size=11, max_size=15))
def test_written_fields_obey_the_rules(rows: list[tuple[str, str, dt.date]]) -> None:
    """Whatever is accepted is written ASCII, free of quotes/commas/periods (an apostrophe only in a name), within each width."""
    students = [
        Student(f"S{i}", first_name=f, last_name=last, birth_date=b)
        for i, (f, last, b) in enumerate(rows)
    ]
    errors = []
    try:
        request = build(students)
    except InvalidInputError as exc:
        errors = [f.column for f in exc.findings]
    # Only a name can be unfit here (too long once cleaned, or empty); never anything else.
    assert set(errors) <= {"first_name", "last_name", "name_suffix"}
    if errors:
        return
    text = written(request, "nsc-request-fixed").decode("ascii")
    assert not re.search('[",.]', text)
    for line in text.splitlines()[1:-1]:
        fields = COLLEGE_LAYOUTS["D1"].parse_line(line)
        assert {"first_name", "last_name"} >= {k for k, v in fields.items() if "'" in v}
    widths = {len(line) for line in text.splitlines()}
    assert {61, 132, 10} == widths
