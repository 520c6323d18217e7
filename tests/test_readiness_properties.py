"""The vectorised readiness engine against the per-student reference, on random transcripts."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st
from readiness_reference import as_records, expected, near_complete, ref_marks

from edoutcomes.model import K12Columns, K12Student
from edoutcomes.readiness import AgReason, Options, evaluate

AS_OF = dt.date(2026, 7, 15)


def _reasons(bits: int) -> set[str]:
    return {r.code for r in AgReason if bits & r}


@given(st.lists(ref_marks() | near_complete(), min_size=1, max_size=4), st.sampled_from([2, 4]))
def test_engine_agrees_with_the_reference(transcripts: list[list], cap10: int) -> None:
    """a-g years, reasons, 11-before-12, uncleared D/F, the five GPAs and pace: all as the rules say."""
    students = [
        K12Student(f"S{i}", grade9_entry_date=dt.date(2021, 8, 20)) for i in range(len(transcripts))
    ]
    # Interleave the students' marks (each student's in their order: ties and duplicates go by
    # row), so no result depends on a student's rows being together.
    per_student = [as_records(f"S{i}", t) for i, t in enumerate(transcripts)]
    records = [r for k in range(25) for rows in per_student for r in rows[k : k + 1]]
    data = K12Columns.from_records(students, marks=records)

    result = evaluate(data, AS_OF, Options(csu_grade10_honors_cap=cap10))

    for i, marks in enumerate(transcripts):
        want = expected(marks, cap10=cap10)
        got_years = [Fraction(int(x), 2) for x in result.years[i]]
        assert want.years == got_years
        assert want.uc_reasons == _reasons(int(result.uc_reasons[i]))
        assert want.csu_reasons == _reasons(int(result.csu_reasons[i]))
        assert want.before12 == Fraction(int(result.credit_before_12[i]), 2)
        assert want.uncleared == int(result.uncleared[i])
        got_gpas = {
            "uc_unweighted": int(result.uc_unweighted[i]),
            "uc_capped": int(result.uc_capped[i]),
            "uc_fully_weighted": int(result.uc_fully_weighted[i]),
            "csu": int(result.csu_gpa[i]),
            "calgrant": int(result.calgrant_gpa[i]),
            "grades": int(result.gpa_grades[i]),
            "honors": int(result.honors_points[i]),
        }
        assert want.gpas == got_gpas
        assert want.on_track == result.on_track[i].tolist()


@given(st.lists(near_complete(), min_size=1, max_size=3))
def test_near_complete_transcripts_meet_or_say_why(transcripts: list[list]) -> None:
    """Met exactly when there is no reason; the missing years are what the areas lack."""
    students = [
        K12Student(f"S{i}", grade9_entry_date=dt.date(2021, 8, 20)) for i in range(len(transcripts))
    ]
    records = [r for i, t in enumerate(transcripts) for r in as_records(f"S{i}", t)]
    result = evaluate(K12Columns.from_records(students, marks=records), AS_OF)

    for i, marks in enumerate(transcripts):
        want = expected(marks)
        assert (not want.uc_reasons) == bool(result.uc_met[i])
        assert (not want.csu_reasons) == bool(result.csu_met[i])
        assert all(int(x) >= 0 for x in result.missing[i])


_RESULT_ARRAYS = (
    "years",
    "uc_reasons",
    "csu_reasons",
    "credit_before_12",
    "uncleared",
    "uc_unweighted",
    "uc_capped",
    "uc_fully_weighted",
    "csu_gpa",
    "calgrant_gpa",
    "gpa_grades",
    "calgrant_grades",
    "honors_points",
    "on_track",
    "college_courses",
    "school",
    "ignored_repeats",
    "short_college",
)


@given(st.integers(1, 400), st.integers(0, 2**16))
def test_blocks_of_students_give_the_same_results(block: int, seed: int) -> None:
    """The engine works a block of students at a time: any block size, any row order, same results."""
    import attrs
    import numpy as np
    import pytest

    from edoutcomes.readiness import _engine
    from edoutcomes.synth import synthetic_readiness

    data = synthetic_readiness(60, seed=seed % 7, as_of=AS_OF)
    whole = evaluate(data, AS_OF)
    # The students' rows interleaved at random, each student's rows in their order.
    n = data.marks.n_rows
    student = data.mark_student
    rng = np.random.default_rng(seed)
    spots = np.lexsort((np.arange(n), student[rng.permutation(n)]))
    order = np.empty(n, dtype=np.int64)
    order[spots] = np.lexsort((np.arange(n), student))
    grouped = np.argsort(student, kind="stable")

    def reordered(rows: np.ndarray) -> K12Columns:
        return attrs.evolve(data, marks=data.marks.take(rows), mark_student=student[rows])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_engine, "_BLOCK_MARKS", block)
        results = [
            (np.arange(n), evaluate(data, AS_OF)),
            (order, evaluate(reordered(order), AS_OF)),
            (grouped, evaluate(reordered(grouped), AS_OF)),
        ]
    for rows, result in results:
        for name in _RESULT_ARRAYS:
            want = getattr(whole, name)
            if name in ("ignored_repeats", "short_college"):
                want = want[rows]
            assert np.array_equal(want, getattr(result, name)), name


@given(st.integers(0, 10_000))
def test_course_list_table_agrees_with_the_search(seed: int) -> None:
    """The (school, course, school year) lookup table finds the entry the sorted search finds."""
    import numpy as np
    import pytest

    from edoutcomes.readiness import _prepare
    from edoutcomes.synth import synthetic_readiness

    data = synthetic_readiness(40, seed=seed, as_of=AS_OF)
    dense = _prepare.prepare_marks(data, AS_OF)
    assert dense.on_list.any()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_prepare, "_LIST_DENSE_LIMIT", 0)
        searched = _prepare.prepare_marks(data, AS_OF)
    for name in ("area", "list_honors", "on_list", "honors"):
        assert np.array_equal(getattr(dense, name), getattr(searched, name)), name
