"""Indicators with suppression, consent-gated release, and the clean-up findings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from readiness_helpers import data, mark, student

from edoutcomes._kernel._suppression import Suppression
from edoutcomes.model import (
    AgArea,
    Consent,
    ConsentPurpose,
    ConsentScope,
    CourseListEntry,
    GpaKind,
    K12Columns,
    K12Student,
    OtherSourceRecord,
    ReportedGpa,
    StatusEvent,
    StatusKind,
)
from edoutcomes.readiness import (
    HIDDEN,
    FindingKind,
    cleanup_findings,
    evaluate,
    indicators,
    readiness_table,
    release,
)
from edoutcomes.synth import synthetic_readiness

AS_OF = dt.date(2025, 7, 15)
_DAYS = st.one_of(st.none(), st.dates(dt.date(2024, 1, 1), dt.date(2025, 12, 31)))


@st.composite
def consent_cases(draw: Any) -> tuple[K12Columns, dt.date, list[dict[str, Any]]]:
    n = draw(st.integers(1, 8))
    students = [
        K12Student(
            f"S{i}",
            grade9_entry_date=dt.date(2021, 8, 20),
            ferpa_block=draw(st.sampled_from([None, False, True])),
        )
        for i in range(n)
    ]
    marks = [
        mark(
            f"S{i}",
            "ENG9",
            9,
            "year",
            "A",
            "b",
            ferpa_block=draw(st.sampled_from([None, None, True])),
        )
        for i in range(n)
    ]
    consents = []
    raw = []
    for _ in range(draw(st.integers(0, 12))):
        row = {
            "student": f"S{draw(st.integers(0, n))}",  # S{n}: not among the students
            "purpose": draw(
                st.sampled_from([ConsentPurpose.FINANCIAL_AID, ConsentPurpose.COLLEGE_APPLICATION])
            ),
            "recipient": draw(st.sampled_from(["CSAC", "001312", "csac"])),
            "granted": draw(_DAYS),
            "revoked": draw(_DAYS),
            "scope": draw(st.sampled_from(list(ConsentScope)[:2])),
        }
        raw.append(row)
        consents.append(
            Consent(
                row["student"],
                row["purpose"],
                row["recipient"],
                row["granted"],
                row["revoked"],
                row["scope"],
            )
        )
    columns = K12Columns.from_records(students, marks=marks, consents=consents)
    on = draw(st.dates(dt.date(2024, 6, 1), dt.date(2025, 7, 15)))
    return columns, on, raw


def _valid(row: dict[str, Any], student: str, on: dt.date) -> bool:
    granted, revoked = row["granted"], row["revoked"]
    return (
        row["student"] == student
        and row["recipient"] == "CSAC"
        and row["purpose"] is ConsentPurpose.FINANCIAL_AID
        and granted is not None
        and granted <= on
        and (revoked is None or (revoked > on and revoked >= granted))
    )


class TestRelease:
    @given(consent_cases())
    def test_released_exactly_the_consented_unblocked(
        self, case: tuple[K12Columns, dt.date, list[dict[str, Any]]]
    ) -> None:
        """No released row lacks a valid consent on the report date; a blocked student is never released."""
        columns, on, raw = case
        result = evaluate(columns, AS_OF)
        out = release(result, "CSAC", "financial_aid", on=on)
        ids = columns.students.text("student_id").tolist()
        blocked = [
            bool(
                columns.students.data["ferpa_block"][i] == 1
                or columns.marks.data["ferpa_block"][i] == 1
            )
            for i in range(len(ids))
        ]
        want = [
            i for i, s in enumerate(ids) if not blocked[i] and any(_valid(r, s, on) for r in raw)
        ]

        assert want == out.released.tolist()
        assert not any(blocked[i] for i in out.released.tolist())
        assert (len(ids), len(want), len(ids) - len(want)) == (
            out.requested,
            len(out.released),
            out.withheld,
        )
        wide = [
            any(
                _valid(r, ids[i], on) and r["scope"] is ConsentScope.ACADEMIC_AND_ELIGIBILITY
                for r in raw
            )
            for i in want
        ]
        assert wide == out.sensitive.tolist()
        assert [ids[i] for i in want] == out.students.column("student_id")

    def test_sensitive_columns_only_under_an_eligibility_consent(self) -> None:
        students = [student("S1", foster_youth=True), student("S2", foster_youth=True)]
        consents = [
            Consent(
                "S1",
                ConsentPurpose.FINANCIAL_AID,
                "CSAC",
                dt.date(2025, 1, 1),
                scope=ConsentScope.ACADEMIC_AND_ELIGIBILITY,
            ),
            Consent("S2", ConsentPurpose.FINANCIAL_AID, "CSAC", dt.date(2025, 1, 1)),
        ]
        out = release(
            evaluate(data(students, [], consents=consents), AS_OF), "CSAC", "financial_aid"
        )

        assert [True, None] == out.students.column("foster_youth")

    def test_revocation_takes_effect_on_its_date(self) -> None:
        consents = [
            Consent(
                "S1", ConsentPurpose.FINANCIAL_AID, "CSAC", dt.date(2025, 1, 1), dt.date(2025, 3, 1)
            )
        ]
        result = evaluate(data([student()], [], consents=consents), AS_OF)

        assert (1, 0) == (
            len(release(result, "CSAC", "financial_aid", on=dt.date(2025, 2, 28)).released),
            len(release(result, "CSAC", "financial_aid", on=dt.date(2025, 3, 1)).released),
        )

    def test_control_lines_say_withheld_once(self) -> None:
        out = release(
            evaluate(data([student("S1"), student("S2", ferpa_block=True)], []), AS_OF),
            "CSAC",
            "financial_aid",
        )

        assert [("requested", 2), ("released", 0), ("withheld", 2)] == [
            (r[3], r[4]) for r in out.control().rows()
        ]

    def test_recipient_reports_are_always_suppressed(self) -> None:
        out = release(evaluate(synthetic_readiness(300, seed=5), AS_OF), "CSAC", "financial_aid")

        assert 10 == out.indicators.suppress_below


class TestIndicators:
    @given(st.integers(0, 10_000), st.integers(1, 20))
    def test_no_shown_count_below_the_threshold(self, seed: int, below: int) -> None:
        result = evaluate(synthetic_readiness(120, seed=seed), AS_OF)
        table = indicators(result, attributes=["hispanic"], suppress_below=below)

        shown = table.counts[table.reasons == Suppression.NONE]
        assert not ((shown > 0) & (shown < below)).any()
        for row in table.rows():
            for value in row[4:]:
                assert value == HIDDEN or not isinstance(value, int) or value == 0 or value >= below

    def test_all_row_counts_every_student(self) -> None:
        result = evaluate(synthetic_readiness(200, seed=8), AS_OF)
        table = indicators(result, suppress_below=None)
        overall = next(r for r in table.rows() if r[:4] == ("ALL", "ALL", "ALL", "ALL"))

        assert (200, int(result.uc_met.sum())) == (overall[4], overall[5])

    def test_rate_half_up_and_blank_on_zero(self) -> None:
        students = [student("S1"), student("S2"), student("S3", entry=None)]
        result = evaluate(data(students, []), dt.date(2022, 7, 15))
        rows = {
            r[1]: r
            for r in indicators(result, suppress_below=None).rows()
            if r[0] == "ALL" and r[2] == "ALL"
        }
        columns = indicators(result, suppress_below=None).columns

        g9 = columns.index("on_track_g9_rate")
        assert ("0.0000", None) == (str(rows["2025"][g9]), rows["unknown"][g9])


class TestFindings:
    def test_each_kind_without_values(self) -> None:
        marks = [
            mark("S1", "ENG9", 9, "year", "A", "b", honors_type="AP"),
            mark("S1", "ENG9", 9, "year", "B", "b"),  # duplicate
            mark("S1", "ART", 10, "year", "A", "f", grade_level="11"),
            mark("S1", "ART", 11, "year", "B", "f"),  # repeat of a passed course
            mark("S1", "GEO", 10, "year", "A", "c", repeat=True),
            mark("S1", "CHEM", 10, "fall", "A", "d", term_start=dt.date(2023, 2, 1)),
            mark(
                "S1",
                "PHYS",
                12,
                "trimester" if False else "fall",
                "A",
                "d",
                mark_date=dt.date(2026, 1, 20),
            ),
        ]
        course_list = [
            CourseListEntry("S1", "ENG9", ag_area=AgArea.C),
            CourseListEntry("S1", "ART", ag_area=AgArea.F),
        ]
        students = [
            student("S1", birth_date=dt.date(2007, 5, 1), last_name="Núñez", first_name="José")
        ]
        other = [OtherSourceRecord("S1", dt.date(2007, 5, 2), "NUNEZ", "Joe")]
        gpas = [ReportedGpa("S1", GpaKind.UC_UNWEIGHTED, 3.9)]
        status = [StatusEvent("S1", StatusKind.FAFSA, dt.date(2025, 9, 1))]
        columns = data(
            students,
            marks,
            course_list=course_list,
            other_source=other,
            reported_gpas=gpas,
            student_status=status,
        )

        table = cleanup_findings(evaluate(columns, AS_OF))
        counts = table.counts()

        for kind in (
            FindingKind.AG_NOT_ON_COURSE_LIST,
            FindingKind.HONORS_NOT_ON_COURSE_LIST,
            FindingKind.GRADE_LEVEL_INCONSISTENT,
            FindingKind.DUPLICATE_MARK,
            FindingKind.REPEAT_OF_PASSED_COURSE,
            FindingKind.REPEAT_FLAG_WITHOUT_ORIGINAL,
            FindingKind.IMPOSSIBLE_DATE,
            FindingKind.BIRTH_DATE_DISAGREES,
            FindingKind.NAME_DISAGREES,
            FindingKind.GPA_MISMATCH,
        ):
            assert counts[kind] >= 1, kind
        assert 1 == counts[FindingKind.NAME_DISAGREES]  # Núñez = NUNEZ after folding; José != Joe
        text = " ".join(" ".join(str(v) for v in row) for row in table.rows())
        for value in ("S1", "Núñez", "NUNEZ", "José", "Joe", "2007", "3.9", "3.50"):
            assert value not in text
        duplicate = next(f for f in table.findings if f.kind is FindingKind.DUPLICATE_MARK)
        assert (3, "same school, course, school year, term and segment as row 2; not counted") == (
            duplicate.row,
            duplicate.message,
        )

    def test_readiness_table_shape(self) -> None:
        result = evaluate(synthetic_readiness(30, seed=1), AS_OF)
        table = readiness_table(result)

        assert 30 == len(list(table.rows()))
        assert all(v is None or "." in v for v in table.column("uc_gpa_capped"))
        assert np.all(
            np.array(table.column("student_id")) == result.data.students.text("student_id")
        )
