"""Who is reported, under each rule and option, and every reason for who is not."""

from __future__ import annotations

import datetime as dt

import pytest
from ontrack_helpers import D, data, enrollment, evaluate, mark, student

from edoutcomes.errors import InvalidArgumentError
from edoutcomes.model import (
    CreditMethod,
    K12Student,
    OnTrackRecord,
    OnTrackStatus,
    ServiceType,
)
from edoutcomes.ontrack import Ineligibility, OnTrackOptions, threshold

R = Ineligibility


def reasons(**kwargs: object) -> set[Ineligibility]:
    """The reason codes of the only student."""
    result = evaluate(**kwargs)  # type: ignore[arg-type]
    return {r.code for r in result.reasons(0)}


class TestCommon:
    def test_reported(self) -> None:
        """The default ninth grader with 6 credits is reported, with no reason."""
        result = evaluate()
        assert ([True], ()) == (result.reported.tolist(), result.reasons("S1"))

    def test_no_state_id(self) -> None:
        """A student without a state id is not reported."""
        assert {R.NO_STATE_ID} == reasons(k12=data([student(ssid=None)]))

    def test_no_enrollment(self) -> None:
        """A student with no enrollment at all is not enrolled."""
        assert {R.NOT_ENROLLED} == reasons(k12=data(enrollments=[]))

    def test_enrollment_ended_before_year(self) -> None:
        """An enrollment that ended on June 30 before the year does not count."""
        k12 = data(enrollments=[enrollment(start_date=D(2022, 9, 1), end_date=D(2023, 6, 30))])
        assert {R.NOT_ENROLLED} == reasons(k12=k12)

    @pytest.mark.parametrize(
        ("start", "end"),
        [(D(2022, 9, 1), D(2023, 7, 1)), (D(2024, 6, 30), None)],
        ids=["ends-on-july-1", "starts-on-june-30"],
    )
    def test_one_day_in_year_counts(self, start: dt.date, end: dt.date | None) -> None:
        """An enrollment active on a single day of the year (its first or last) counts."""
        assert set() == reasons(k12=data(enrollments=[enrollment(start_date=start, end_date=end)]))

    @pytest.mark.parametrize(
        ("flag", "label"),
        [
            ("no_show", "no-show"),
            ("state_exclude", "state-excluded enrollment"),
            ("calendar_state_exclude", "state-excluded calendar"),
            ("grade_state_exclude", "state-excluded grade level"),
        ],
    )
    def test_each_exclusion(self, flag: str, label: str) -> None:
        """Each exclusion alone leaves the student with only excluded enrollments, and says which."""
        result = evaluate(data(enrollments=[enrollment(**{flag: True})]))
        (reason,) = result.reasons(0)
        assert (R.EXCLUDED_ENROLLMENTS_ONLY, f"every enrollment is excluded: {label}") == (
            reason.code,
            reason.detail,
        )

    def test_excluded_and_good_enrollment(self) -> None:
        """One good enrollment beside an excluded one is enough."""
        k12 = data(enrollments=[enrollment(no_show=True), enrollment(school_id="4513")])
        assert set() == reasons(k12=k12)

    def test_snapshot_date(self) -> None:
        """With a snapshot date, an enrollment that ended before it does not count."""
        k12 = data(enrollments=[enrollment(end_date=D(2024, 4, 30))])
        assert ({R.NOT_ENROLLED}, set()) == (
            reasons(k12=k12, snapshot_date=D(2024, 5, 1)),
            reasons(k12=k12, snapshot_date=D(2024, 4, 30)),
        )

    def test_snapshot_outside_year_refused(self) -> None:
        """A snapshot date outside the reporting year is refused."""
        with pytest.raises(InvalidArgumentError):
            evaluate(snapshot_date=D(2024, 7, 1))

    def test_orphan_marks_ignored(self) -> None:
        """A mark of a student who is not in the students table counts for nobody."""
        result = evaluate(data(marks=[mark(student_id="NOBODY")]))
        assert [0.0] == result.credits.tolist()


class TestEarnedCredit:
    def test_other_cohort(self) -> None:
        """A student who first entered grade 9 the year before is not in the cohort."""
        result = evaluate(data([student(grade9_entry_date=D(2022, 9, 6))]))
        assert ["not_in_cohort: first entered grade 9 in 2022-23, not 2023-24"] == [
            str(r) for r in result.reasons(0)
        ]

    def test_no_grade9_date(self) -> None:
        """A student with no date first entered grade 9 is not in the cohort."""
        result = evaluate(data([student(grade9_entry_date=None)]))
        assert ["no date first entered grade 9"] == [r.detail for r in result.reasons(0)]

    @pytest.mark.parametrize(
        ("entered", "expected"),
        [(D(2024, 6, 30), set()), (D(2024, 7, 1), {R.NOT_IN_COHORT})],
    )
    def test_cohort_edges(self, entered: dt.date, expected: set[Ineligibility]) -> None:
        """Entering grade 9 on June 30 is in the year's cohort; July 1 is the next year's."""
        k12 = data([student(grade9_entry_date=entered)], marks=[mark(mark_date=D(2024, 6, 30))])
        assert expected == reasons(k12=k12)

    def test_credits_below(self) -> None:
        """5.5 credits are below the default threshold of 6."""
        result = evaluate(data(marks=[mark(5.5)]))
        assert ["credits_below_threshold: credits 5.5 below threshold 6.0"] == [
            str(r) for r in result.reasons(0)
        ]

    def test_credits_at_threshold(self) -> None:
        """Exactly the threshold is on track, even summed from thirds."""
        assert set() == reasons(
            k12=data(marks=[mark(2.0)] + [mark(1 / 3, course_id=f"C{i}") for i in range(12)])
        )

    @pytest.mark.parametrize(
        ("required", "expected"), [(28.0, 7.0), (24.0, 6.0), (20.0, 6.0), (30.0, 7.5)]
    )
    def test_threshold(self, required: float, expected: float) -> None:
        """The threshold is a quarter of the district's credits, never below 6."""
        assert (
            expected == threshold(required) == OnTrackOptions(required_credits=required).threshold
        )

    def test_district_threshold_applies(self) -> None:
        """With 28 required credits, 6.5 credits are below the threshold of 7."""
        assert {R.CREDITS_BELOW_THRESHOLD} == reasons(
            k12=data(marks=[mark(6.5)]), required_credits=28
        )

    @pytest.mark.parametrize("flag", ["hs_credit", "latest", "finalized"])
    def test_mark_must_be_counted(self, flag: str) -> None:
        """A mark that is not high-school credit, not the latest, or not finalized counts for nothing."""
        assert {R.CREDITS_BELOW_THRESHOLD} == reasons(k12=data(marks=[mark(**{flag: False})]))

    @pytest.mark.parametrize(
        ("method", "option"),
        [
            (CreditMethod.TRANSFER, "transfer_credit"),
            (CreditMethod.CREDIT_RECOVERY, "credit_recovery"),
        ],
    )
    def test_method_options(self, method: CreditMethod, option: str) -> None:
        """Transfer and credit-recovery credit count by default, and not when their option is off."""
        k12 = data(marks=[mark(credit_method=method)])
        assert (set(), {R.CREDITS_BELOW_THRESHOLD}) == (
            reasons(k12=k12),
            reasons(k12=k12, **{option: False}),
        )

    def test_school_year_window(self) -> None:
        """A mark dated July 1 after the year does not count in the school-year window."""
        assert {R.CREDITS_BELOW_THRESHOLD} == reasons(
            k12=data(marks=[mark(mark_date=D(2024, 7, 1))])
        )

    @pytest.mark.parametrize(
        ("day", "expected"),
        [(D(2024, 9, 4), set()), (D(2024, 9, 5), {R.CREDITS_BELOW_THRESHOLD})],
    )
    def test_twelve_month_window(self, day: dt.date, expected: set[Ineligibility]) -> None:
        """The 12-month window runs from the grade-9 date up to the day before its anniversary."""
        assert expected == reasons(k12=data(marks=[mark(mark_date=day)]), credit_window="12-months")

    @pytest.mark.parametrize(
        "day", [D(2023, 5, 1), D(2023, 8, 15)], ids=["grade-8", "summer-in-year"]
    )
    def test_pre_grade9_credit(self, day: dt.date) -> None:
        """High-school credit dated before grade 9 counts by default, and never when the option is off."""
        k12 = data(marks=[mark(mark_date=day)])
        assert (set(), {R.CREDITS_BELOW_THRESHOLD}) == (
            reasons(k12=k12),
            reasons(k12=k12, pre_grade9_credit=False),
        )

    def test_every_reason_at_once(self) -> None:
        """A student who fails several requirements gets every reason, in checklist order."""
        k12 = data([student(ssid=None, grade9_entry_date=None)], enrollments=[], marks=[])
        assert [R.NO_STATE_ID, R.NOT_ENROLLED, R.NOT_IN_COHORT, R.CREDITS_BELOW_THRESHOLD] == [
            r.code for r in evaluate(k12).reasons(0)
        ]


def record(**changes: object) -> OnTrackRecord:
    """An on-track record that reports."""
    base = {
        "student_id": "S1",
        "start_date": D(2023, 9, 5),
        "first_year_entered_hs": "2023-24",
        "program_status": OnTrackStatus.ON_TRACK,
    }
    return OnTrackRecord(**{**base, **changes})  # type: ignore[arg-type]


class TestRecordBased:
    def rule(
        self, *records: OnTrackRecord, students: list[K12Student] | None = None
    ) -> set[Ineligibility]:
        return reasons(
            k12=data(students, marks=[], ontrack_records=list(records)), rule="record-based"
        )

    def test_reported(self) -> None:
        """A good record reports, whatever the credits or the grade-9 date."""
        assert set() == self.rule(record(), students=[student(grade9_entry_date=None)])

    def test_no_record(self) -> None:
        """No record active during the year."""
        assert {R.NO_ONTRACK_RECORD} == self.rule()

    def test_record_ended_before_year(self) -> None:
        """A record that ended before the year is not active during it."""
        assert {R.NO_ONTRACK_RECORD} == self.rule(
            record(start_date=D(2022, 9, 1), end_date=D(2023, 6, 30))
        )

    def test_status_not_on_track(self) -> None:
        """Program status 2 is not on track."""
        assert {R.ONTRACK_NOT_ON_TRACK} == self.rule(
            record(program_status=OnTrackStatus.NOT_ON_TRACK)
        )

    def test_other_cohort(self) -> None:
        """First year entered HS must be the reporting year."""
        assert {R.ONTRACK_OTHER_COHORT} == self.rule(record(first_year_entered_hs="2022-23"))

    def test_start_outside_year(self) -> None:
        """A record active during the year but started before it does not report."""
        assert {R.ONTRACK_START_OUTSIDE_YEAR} == self.rule(record(start_date=D(2023, 6, 1)))

    def test_most_recent_record_decides(self) -> None:
        """The most recent active record decides, even when an older one would report."""
        newer = record(start_date=D(2024, 1, 8), program_status=OnTrackStatus.NOT_ON_TRACK)
        assert {R.ONTRACK_NOT_ON_TRACK} == self.rule(record(), newer)

    def test_common_requirements_still_apply(self) -> None:
        """The record-based rule still needs a state id."""
        assert {R.NO_STATE_ID} == self.rule(record(), students=[student(ssid=None)])


class TestReportingEnrollment:
    def chosen(self, *enrollments: object) -> str:
        result = evaluate(data(enrollments=list(enrollments)))  # type: ignore[arg-type]
        return str(result.data.enrollments.values("school_id")[result.enrollment[0]])

    def test_active_beats_later(self) -> None:
        """The enrollment active on the generation date wins over one that started later but ended."""
        assert "4512" == self.chosen(
            enrollment(),
            enrollment(school_id="4600", start_date=D(2024, 1, 8), end_date=D(2024, 3, 1)),
        )

    def test_latest_start_when_none_active(self) -> None:
        """With none active on the generation date, the latest start wins."""
        assert "4600" == self.chosen(
            enrollment(end_date=D(2024, 1, 5)),
            enrollment(school_id="4600", start_date=D(2024, 1, 8), end_date=D(2024, 6, 1)),
        )

    def test_primary_breaks_ties(self) -> None:
        """Same start: the primary service type first."""
        assert "4700" == self.chosen(
            enrollment(school_id="4600", service_type=ServiceType.PARTIAL),
            enrollment(school_id="4700"),
        )

    def test_lower_school_breaks_ties(self) -> None:
        """Same start and type: the lower school number (as a number: 98 < 4512)."""
        assert "98" == self.chosen(enrollment(), enrollment(school_id="98"))


class TestExplanations:
    def test_one_row_per_student(self) -> None:
        """The explanations have every student, reported or not, with codes and details."""
        k12 = data([student(), student(student_id="S2", ssid=None)], marks=[mark()])
        rows = list(evaluate(k12).explanations().rows())
        assert [
            ("S1", "5161928722", True, 6.0, 6.0, "", ""),
            (
                "S2",
                None,
                False,
                0.0,
                6.0,
                "no_state_id;not_enrolled;credits_below_threshold",
                "no state id (SSID); no enrollment in 2023-24; credits 0.0 below threshold 6.0",
            ),
        ] == rows

    def test_counts(self) -> None:
        """Counts per reason add up over students."""
        k12 = data([student(), student(student_id="S2", ssid=None)], marks=[mark()])
        counts = evaluate(k12).counts()
        assert (1, 1, 0) == (counts[R.NO_STATE_ID], counts[R.NOT_ENROLLED], counts[R.NOT_IN_COHORT])

    def test_unknown_student_id(self) -> None:
        """Asking for the reasons of an unknown student is an error."""
        with pytest.raises(InvalidArgumentError):
            evaluate().reasons("NOBODY")

    def test_as_of_must_be_a_date(self) -> None:
        """A datetime as the generation date is refused."""
        with pytest.raises(InvalidArgumentError):
            evaluate(as_of=dt.datetime(2024, 6, 20, tzinfo=dt.UTC))
