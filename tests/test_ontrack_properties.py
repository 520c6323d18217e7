"""Properties of the on-track engine, and a plain per-student reference it must agree with."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import ontrack_helpers as helpers
from dateutil.relativedelta import relativedelta
from hypothesis import example, given
from hypothesis import strategies as st
from strategies import k12_data, ontrack_options

from edoutcomes.formats import write
from edoutcomes.model import CreditMethod as M
from edoutcomes.model import (
    K12Columns,
    K12Student,
    OnTrackRecord,
    OnTrackStatus,
    SchoolEnrollment,
    SchoolYear,
    TranscriptMark,
)
from edoutcomes.ontrack import (
    DEFAULT_LAYOUT,
    Ineligibility,
    build_extract,
    eligibility,
    threshold,
    validate_extract,
)

YEAR = SchoolYear(2023)
as_of_dates = st.dates(dt.date(2023, 9, 1), dt.date(2024, 12, 31))


def reference(
    records: dict[str, list[Any]], options: dict[str, Any]
) -> dict[str, tuple[set[Ineligibility], float]]:
    """The rules of the spec, one student at a time, as plainly as they read."""
    first, last = YEAR.first_day, YEAR.last_day
    snapshot = options["snapshot_date"]
    out: dict[str, tuple[set[Ineligibility], float]] = {}
    for s in records["students"]:
        s: K12Student
        reasons: set[Ineligibility] = set()
        if s.ssid is None:
            reasons.add(Ineligibility.NO_STATE_ID)

        def in_year(e: SchoolEnrollment) -> bool:
            if snapshot is not None:
                return e.start_date <= snapshot and (e.end_date is None or e.end_date >= snapshot)
            return e.start_date <= last and (e.end_date is None or e.end_date >= first)

        enrolled = [
            e for e in records["enrollments"] if e.student_id == s.student_id and in_year(e)
        ]
        good = [
            e
            for e in enrolled
            if not (
                e.no_show or e.state_exclude or e.calendar_state_exclude or e.grade_state_exclude
            )
        ]
        if not enrolled:
            reasons.add(Ineligibility.NOT_ENROLLED)
        elif not good:
            reasons.add(Ineligibility.EXCLUDED_ENROLLMENTS_ONLY)

        g9 = s.grade9_entry_date
        credits = 0.0
        for m in records["marks"]:
            m: TranscriptMark
            if m.student_id != s.student_id or not (m.hs_credit and m.latest and m.finalized):
                continue
            if m.credit_method is M.TRANSFER and not options["transfer_credit"]:
                continue
            if m.credit_method is M.CREDIT_RECOVERY and not options["credit_recovery"]:
                continue
            if options["credit_window"] == "school-year":
                inside = first <= m.mark_date <= last
            else:
                inside = g9 is not None and g9 <= m.mark_date < g9 + relativedelta(months=12)
            before = g9 is not None and m.mark_date < g9
            inside = (inside or before) if options["pre_grade9_credit"] else (inside and not before)
            if inside:
                credits += m.credits_earned

        if options["rule"] == "earned-credit":
            if g9 is None or SchoolYear.of(g9) != YEAR:
                reasons.add(Ineligibility.NOT_IN_COHORT)
            if credits + 1e-9 < threshold(options["required_credits"]):
                reasons.add(Ineligibility.CREDITS_BELOW_THRESHOLD)
        else:
            active = [
                (r.start_date, r.end_date or dt.date.max, i, r)
                for i, r in enumerate(records["ontrack_records"])
                if r.student_id == s.student_id
                and r.start_date <= last
                and (r.end_date is None or r.end_date >= first)
            ]
            if not active:
                reasons.add(Ineligibility.NO_ONTRACK_RECORD)
            else:
                latest: OnTrackRecord = max(active, key=lambda x: x[:3])[3]
                if latest.first_year_entered_hs != YEAR:
                    reasons.add(Ineligibility.ONTRACK_OTHER_COHORT)
                if latest.program_status is not OnTrackStatus.ON_TRACK:
                    reasons.add(Ineligibility.ONTRACK_NOT_ON_TRACK)
                if not YEAR.contains(latest.start_date):
                    reasons.add(Ineligibility.ONTRACK_START_OUTSIDE_YEAR)
        out[s.student_id] = (reasons, credits)
    return out


def columns(records: dict[str, list[Any]]) -> K12Columns:
    """The columnar view of drawn records."""
    students = records["students"]
    return K12Columns.from_records(
        students, **{k: v for k, v in records.items() if k != "students"}
    )


@given(k12_data(), ontrack_options, as_of_dates)
def test_matches_reference(
    records: dict[str, list[Any]], options: dict[str, Any], as_of: dt.date
) -> None:
    """The vectorised engine gives every student the reasons and credits of the per-student reference."""
    result = eligibility(columns(records), YEAR, as_of=as_of, **options)
    expected = reference(records, options)
    actual = {
        s.student_id: ({r.code for r in result.reasons(i)}, float(result.credits[i]))
        for i, s in enumerate(records["students"])
    }
    assert {k: v[0] for k, v in expected.items()} == {k: v[0] for k, v in actual.items()}
    for student_id, (_, credits) in expected.items():
        assert abs(credits - actual[student_id][1]) < 1e-9


@given(k12_data(), ontrack_options, as_of_dates)
def test_reported_iff_no_reason(
    records: dict[str, list[Any]], options: dict[str, Any], as_of: dt.date
) -> None:
    """A reported student never has a reason; a student who is not reported always has one."""
    result = eligibility(columns(records), YEAR, as_of=as_of, **options)
    for i in range(len(result)):
        assert bool(result.reported[i]) == (len(result.reasons(i)) == 0)


def _record_based_student(grade9: dt.date | None) -> dict[str, list[Any]]:
    """One student whose on-track record reports, entered grade 9 on *grade9* (or never)."""
    return {
        "students": [helpers.student(grade9_entry_date=grade9)],
        "enrollments": [helpers.enrollment()],
        "ontrack_records": [OnTrackRecord("S1", dt.date(2023, 9, 5), YEAR, OnTrackStatus.ON_TRACK)],
    }


_RECORD_BASED = {
    "rule": "record-based",
    "snapshot_date": None,
    "credit_window": "school-year",
    "required_credits": 24.0,
    "transfer_credit": True,
    "credit_recovery": True,
    "pre_grade9_credit": True,
}


@given(k12_data(), ontrack_options, as_of_dates)
# The record-based rule reports a student who entered grade 9 in an earlier year, or never
# (the record decides): both rows failed the entry-year check.
@example(_record_based_student(dt.date(2022, 9, 6)), _RECORD_BASED, dt.date(2024, 6, 20))
@example(_record_based_student(None), _RECORD_BASED, dt.date(2024, 6, 20))
def test_reported_rows_pass_validation(
    records: dict[str, list[Any]], options: dict[str, Any], as_of: dt.date
) -> None:
    """Under either rule, every row of a built extract passes the extract validation (warnings aside)."""
    result = eligibility(columns(records), YEAR, as_of=as_of, **options)
    extract = build_extract(result)
    assert result.n_reported == len(extract)
    assert [] == [f for f in validate_extract(extract, result) if f.is_error]
    assert [] == [f for f in validate_extract(extract) if f.is_error]


@given(k12_data(), as_of_dates)
def test_csv_and_fixed_agree_and_fit(records: dict[str, list[Any]], as_of: dt.date) -> None:
    """The CSV and the fixed-width file carry the same values, and every value fits its field."""
    extract = build_extract(eligibility(columns(records), YEAR, as_of=as_of))
    csv_out, fixed_out = io.BytesIO(), io.BytesIO()
    write(extract, csv_out, "oregon-ontrack-csv")
    write(extract, fixed_out, "oregon-ontrack-fixed")
    rows = list(csv.reader(io.StringIO(csv_out.getvalue().decode())))[1:]
    lines = fixed_out.getvalue().decode().splitlines()
    assert len(rows) == len(lines) == len(extract)
    for values, line in zip(rows, lines, strict=True):
        assert DEFAULT_LAYOUT.width == len(line)
        start = 0
        for field, value in zip(DEFAULT_LAYOUT.fields, values, strict=True):
            assert len(value) <= field.width
            assert field.padding.pad(value, field.width) == line[start : start + field.width]
            start += field.width
        parsed = DEFAULT_LAYOUT.parse_line(line)
        assert [v.lstrip("0") for v in values] == [
            parsed[n].lstrip("0") for n in DEFAULT_LAYOUT.names
        ]


@given(k12_data(), st.randoms(use_true_random=False))
def test_order_independent(records: dict[str, list[Any]], random: Any) -> None:
    """Shuffling the input students changes neither who reports nor the extract (sorted by SSID)."""
    shuffled = {k: list(v) for k, v in records.items()}
    random.shuffle(shuffled["students"])
    a = build_extract(eligibility(columns(records), YEAR, as_of=dt.date(2024, 6, 20)))
    b = build_extract(eligibility(columns(shuffled), YEAR, as_of=dt.date(2024, 6, 20)))
    assert list(a.rows()) == list(b.rows())
