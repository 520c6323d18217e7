"""Properties of the on-track engine, and a plain per-student reference it must agree with."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from typing import Any

import attrs
import ontrack_helpers as helpers
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import example, given
from hypothesis import strategies as st
from strategies import k12_data, ontrack_options

from edoutcomes.errors import InvalidArgumentError
from edoutcomes.formats import write
from edoutcomes.model import CreditMethod as M
from edoutcomes.model import (
    K12Columns,
    K12Student,
    OnTrackRecord,
    OnTrackStatus,
    SchoolEnrollment,
    SchoolYear,
    StudentAddress,
    TranscriptMark,
)
from edoutcomes.ontrack import (
    DEFAULT_LAYOUT,
    Eligibility,
    EligibilityQuery,
    Ineligibility,
    build_extract,
    eligibility,
    threshold,
    validate_extract,
)
from edoutcomes.synth import synthetic_k12

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
            # Latest start, then the later end, then the record's remaining fields by value
            # (first year entered, program status), then the later record.
            active = [
                (
                    r.start_date,
                    r.end_date or dt.date.max,
                    r.first_year_entered_hs.label,
                    tuple(OnTrackStatus).index(r.program_status),
                    i,
                    r,
                )
                for i, r in enumerate(records["ontrack_records"])
                if r.student_id == s.student_id
                and r.start_date <= last
                and (r.end_date is None or r.end_date >= first)
            ]
            if not active:
                reasons.add(Ineligibility.NO_ONTRACK_RECORD)
            else:
                latest: OnTrackRecord = max(active, key=lambda x: x[:5])[5]
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


def _tied(**tables: list[Any]) -> dict[str, list[Any]]:
    """The reported default student with *tables* (records that tie under the spec's rules)."""
    out: dict[str, list[Any]] = {
        "students": [helpers.student()],
        "enrollments": [helpers.enrollment()],
        "marks": [helpers.mark()],
    }
    out.update(tables)
    return out


_EARNED_CREDIT = {**_RECORD_BASED, "rule": "earned-credit"}
_SAME_ENROLLMENT = helpers.enrollment()
#: Two reporting enrollments tied on activity, start, service type and school: grade differs.
_TIED_ENROLLMENTS = _tied(
    enrollments=[
        attrs.evolve(_SAME_ENROLLMENT, grade_level="09", resident_county="24"),
        attrs.evolve(_SAME_ENROLLMENT, grade_level="10", resident_county="03"),
    ]
)
_ADDRESS = StudentAddress("S1", "H1", "L1", address_street="Main St", address_city="Salem")
#: Two addresses tied on every key of the address rule: the street differs.
_TIED_ADDRESSES = _tied(
    addresses=[_ADDRESS, attrs.evolve(_ADDRESS, address_street="Oak Ave", address_zip="97301")]
)
_RECORD = OnTrackRecord("S1", dt.date(2023, 9, 5), YEAR, OnTrackStatus.ON_TRACK)
#: Two on-track records with the same start and end: one is on track, one is not.
_TIED_RECORDS = _tied(
    ontrack_records=[_RECORD, attrs.evolve(_RECORD, program_status=OnTrackStatus.NOT_ON_TRACK)]
)


@given(k12_data(), ontrack_options, st.randoms(use_true_random=False))
@example(_TIED_ENROLLMENTS, _EARNED_CREDIT, random.Random(0))
@example(_TIED_ADDRESSES, _EARNED_CREDIT, random.Random(0))
@example(_TIED_RECORDS, _RECORD_BASED, random.Random(0))
def test_order_independent(
    records: dict[str, list[Any]], options: dict[str, Any], rnd: random.Random
) -> None:
    """
    Shuffling any input table changes neither who reports, nor why, nor the extract (sorted by
    SSID): every tie the spec's rules leave is broken on the records' remaining fields.
    """
    shuffled = {k: list(v) for k, v in records.items()}
    for table in shuffled.values():
        rnd.shuffle(table)
    reversed_ = {k: v[::-1] for k, v in records.items()}
    as_of = dt.date(2024, 6, 20)
    a = eligibility(columns(records), YEAR, as_of=as_of, **options)
    for other in (shuffled, reversed_):
        b = eligibility(columns(other), YEAR, as_of=as_of, **options)
        assert list(build_extract(a).rows()) == list(build_extract(b).rows())
        assert sorted(a.explanations().rows(), key=str) == sorted(b.explanations().rows(), key=str)


@pytest.mark.parametrize("order", [1, -1])
def test_tied_records_follow_the_reference(order: int) -> None:
    """
    Two on-track records with the same start and end: the one ranked higher on the remaining
    fields reports (status 2, not on track, ranks above 1), in either input order, as the
    reference says.
    """
    records = {k: v[::order] for k, v in _TIED_RECORDS.items()}
    result = eligibility(columns(records), YEAR, as_of=dt.date(2024, 6, 20), **_RECORD_BASED)
    expected = reference(records, _RECORD_BASED)
    assert {Ineligibility.ONTRACK_NOT_ON_TRACK} == expected["S1"][0]
    assert expected["S1"][0] == {r.code for r in result.reasons(0)}


def _split_k12(data: Any, n_parts: int, seed: int) -> list[tuple[Any, Any]]:
    """Each student with every record of theirs in a random partition; unlinked records anywhere."""
    import numpy as np

    rng = np.random.default_rng(seed)
    part = rng.integers(0, n_parts, data.n_students)
    links = {
        "enrollments": data.enrollment_student,
        "participations": data.participation_student,
        "marks": data.mark_student,
        "ontrack_records": data.ontrack_student,
        "addresses": data.address_student,
    }
    of_rows = {
        name: np.where(link >= 0, part[np.maximum(link, 0)], rng.integers(0, n_parts, len(link)))
        for name, link in links.items()
    }
    out = []
    for p in range(n_parts):
        rows = np.flatnonzero(part == p)
        tables = {name: getattr(data, name).take(of_rows[name] == p) for name in links}
        out.append((K12Columns.from_tables(data.students.take(rows), **tables), rows))
    return out


@given(k12_data(), ontrack_options, as_of_dates, st.integers(1, 16), st.integers(0, 2**32 - 1))
def test_partials_combine_to_the_whole(
    records: dict[str, list[Any]], options: dict[str, Any], as_of: dt.date, n_parts: int, seed: int
) -> None:
    """
    Split by student into 1-16 partitions, the combined partials equal the single-process
    eligibility: students, reported, the count of each reason and every explanation row.
    """
    data = columns(records)
    expected = eligibility(data, YEAR, as_of=as_of, **options)
    query = EligibilityQuery(year=YEAR, as_of=as_of, **options)

    actual = query.combine(
        [query.partial(part, student_rows=rows) for part, rows in _split_k12(data, n_parts, seed)]
    )

    assert (len(expected), expected.n_reported) == (actual.n_students, actual.n_reported)
    assert expected.counts() == actual.counts
    assert expected.explanations().to_arrow().to_pylist() == actual.explanations.to_pylist()


class TestOnePartition:
    def test_eligibility_is_the_query_evaluation(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """eligibility() builds the query and evaluates the whole input with it, once."""
        evaluated: list[int] = []
        evaluate = EligibilityQuery.evaluate

        def spy(self: EligibilityQuery, data: K12Columns) -> Eligibility:
            evaluated.append(data.n_students)
            return evaluate(self, data)

        monkeypatch.setattr(EligibilityQuery, "evaluate", spy)
        data = synthetic_k12(30, seed=1)
        eligibility(data, YEAR, as_of=dt.date(2024, 6, 20))

        assert [30] == evaluated

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [({"year": "2023"}, "2023"), ({"snapshot_date": dt.date(2025, 1, 6)}, "snapshot_date")],
    )
    def test_query_checks_every_argument(self, kwargs: dict[str, Any], message: str) -> None:
        """The query refuses a bad year or a snapshot outside it when made, as eligibility() does."""
        args: dict[str, Any] = {"year": YEAR, "as_of": dt.date(2024, 6, 20), **kwargs}
        with pytest.raises(InvalidArgumentError, match=message):
            EligibilityQuery(**args)
        with pytest.raises(InvalidArgumentError, match=message):
            eligibility(synthetic_k12(3, seed=1), **args)
