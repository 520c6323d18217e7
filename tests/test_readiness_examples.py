"""The worked examples of college-readiness.md, one test each."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from readiness_helpers import data, mark, student

from edoutcomes.readiness import AgReason, Options, evaluate

AS_OF = dt.date(2025, 7, 15)


def _course(course: str, grade: int, letters: tuple[str, str], area: str, **kw: Any) -> list[Any]:
    return [
        mark("S1", course, grade, "fall", letters[0], area, course_segment="1", **kw),
        mark("S1", course, grade, "spring", letters[1], area, course_segment="2", **kw),
    ]


def sample(*, honors_chemistry: bool = False, honors_english: bool = False) -> list[Any]:
    """18 window grades, 61 points, honors h10 = 2, h11 = 4."""
    eng10 = {"honors_type": "UC_HONORS"} if honors_english else {}
    chem = {"honors_type": "UC_HONORS"} if honors_chemistry else {}
    return [
        *_course("ENG10", 10, ("A", "A"), "b", **eng10),
        *_course("HIST10", 10, ("A", "A"), "a"),
        *_course("CHEM", 10, ("B", "B"), "d", **chem),
        *_course("ALG2", 10, ("B", "B"), "c"),
        *_course("SPAN2", 10, ("A", "A"), "e", honors_type="UC_HONORS"),
        *_course("ENG11", 11, ("A", "B"), "b", honors_type="AP"),
        *_course("USH", 11, ("B", "B"), "a", honors_type="AP"),
        *_course("PRECALC", 11, ("A", "C"), "c"),
        *_course("PHYS", 11, ("C", "A"), "d"),
    ]


def gpas(marks: list[Any], **options: Any) -> dict[str, Any]:
    result = evaluate(data([student()], marks), AS_OF, Options(**options))
    return {
        "uc_unweighted": int(result.uc_unweighted[0]),
        "uc_capped": int(result.uc_capped[0]),
        "uc_fully_weighted": int(result.uc_fully_weighted[0]),
        "csu": int(result.csu_gpa[0]),
        "calgrant": int(result.calgrant_gpa[0]),
        "grades": int(result.gpa_grades[0]),
        "honors": int(result.honors_points[0]),
    }


class TestGpaWorkedExamples:
    def test_sample_transcript(self) -> None:
        """61/18 = 3.3888 -> UC 3.38 (truncated); capped 67/18 -> 3.72; CSU 3.72; Cal Grant 3.39 (rounded)."""
        got = gpas(sample())

        assert (338, 372, 372, 339, 18, 6) == (
            got["uc_unweighted"],
            got["uc_capped"],
            got["csu"],
            got["calgrant"],
            got["grades"],
            got["honors"],
        )

    def test_grade10_honors_chemistry(self) -> None:
        """h10 = 4: UC capped 69/18 -> 3.83; CSU (2 + 4) 67/18 -> 3.72."""
        got = gpas(sample(honors_chemistry=True))

        assert (383, 372) == (got["uc_capped"], got["csu"])

    def test_plus_honors_english_10(self) -> None:
        """h10 = 6: UC fully weighted 71/18 -> 3.94 (capped stays at 69/18)."""
        got = gpas(sample(honors_chemistry=True, honors_english=True))

        assert (394, 383) == (got["uc_fully_weighted"], got["uc_capped"])

    def test_college_course_in_grade_11(self) -> None:
        """A 3-unit college A: UC 65/19 -> 3.42, capped 72/19 -> 3.78; CSU 77/20 = 3.85."""
        college = mark(
            "S1", "ENGL1A", 11, "fall", "A", "b", is_college_course=True, college_units=3.0
        )
        got = gpas([*sample(), college])

        assert (342, 378, 385) == (got["uc_unweighted"], got["uc_capped"], got["csu"])

    def test_csu_grade10_cap_of_four_is_a_parameter(self) -> None:
        """The other reading of CSU's grade-10 cap (4): (61 + 4 + 4) / 18 -> 3.83."""
        assert 383 == gpas(sample(honors_chemistry=True), csu_grade10_honors_cap=4)["csu"]


class TestGpaRepeats:
    def test_grade9_d_retaken_in_grade10_counts_the_retake(self) -> None:
        marks = [mark("S1", "GEO", 9, "year", "D", "c"), mark("S1", "GEO", 10, "year", "A", "c")]

        assert 400 == gpas(marks)["uc_unweighted"]

    def test_grade10_f_retaken_in_grade12_keeps_the_f(self) -> None:
        marks = [
            mark("S1", "GEO", 10, "year", "F", "c"),
            mark("S1", "ENG", 10, "year", "A", "b"),
            mark("S1", "GEO", 12, "year", "A", "c"),
        ]

        assert 200 == gpas(marks)["uc_unweighted"]

    def test_a_c_is_never_replaced(self) -> None:
        marks = [mark("S1", "GEO", 10, "year", "C", "c"), mark("S1", "GEO", 11, "year", "A", "c")]

        assert 200 == gpas(marks)["uc_unweighted"]

    def test_no_window_grades_is_blank(self) -> None:
        assert -1 == gpas([mark("S1", "ENG9", 9, "year", "A", "b")])["uc_unweighted"]


def full_ag(**changes: Any) -> list[Any]:
    """A transcript meeting a-g for both systems, grades 9-12, year-long courses."""
    plan = [
        ("WH", 10, "a", {"ag_discipline": "world_history"}),
        ("USH", 11, "a", {"ag_discipline": "us_history"}),
        ("ENG9", 9, "b", {}),
        ("ENG10", 10, "b", {}),
        ("ENG11", 11, "b", {}),
        ("ENG12", 12, "b", {}),
        ("ALG1", 9, "c", {"sequence_level": 1.0}),
        ("GEO", 10, "c", {"sequence_level": 2.0}),
        ("ALG2", 11, "c", {"sequence_level": 3.0}),
        ("BIO", 9, "d", {"ag_discipline": "biology"}),
        ("CHEM", 10, "d", {"ag_discipline": "chemistry"}),
        ("SPAN1", 9, "e", {"sequence_level": 1.0, "language": "spanish"}),
        ("SPAN2", 10, "e", {"sequence_level": 2.0, "language": "spanish"}),
        ("ART", 11, "f", {}),
        ("ECON", 12, "g", {}),
    ]
    out = []
    for course, grade, area, kw in plan:
        kw = {**kw, **changes.get(course, {})}
        letter = kw.pop("letter", "B")
        grade = kw.pop("grade", grade)
        out.append(mark("S1", course, grade, "year", letter, area, **kw))
    return out


def ag(marks: list[Any]) -> Any:
    return evaluate(data([student()], marks), AS_OF)


class TestAgRules:
    def test_complete_transcript_meets_both(self) -> None:
        result = ag(full_ag())

        assert (True, True, 0) == (
            bool(result.uc_met[0]),
            bool(result.csu_met[0]),
            int(result.uc_reasons[0]),
        )
        assert [4, 8, 6, 4, 4, 2, 2] == result.years[0].tolist()

    def test_c_minus_meets_both(self) -> None:
        result = ag(full_ag(ALG2={"letter": "C-"}))

        assert (True, True) == (bool(result.uc_met[0]), bool(result.csu_met[0]))

    def test_d_is_not_passing_and_reports_the_area(self) -> None:
        result = ag(full_ag(ART={"letter": "D"}))

        assert AgReason.AREA_F == result.csu_reasons[0]
        assert 1 == result.uncleared[0]

    def test_validation_clears_a_lower_level_d(self) -> None:
        """Algebra 1 D, Geometry and Algebra 2 passed: c credit = 2 + 1 = 3 years."""
        result = ag(full_ag(ALG1={"letter": "D"}))

        assert (6, 0, True) == (
            int(result.years[0, 2]),
            int(result.uncleared[0]),
            bool(result.uc_met[0]),
        )

    def test_extra_years_roll_over_into_g(self) -> None:
        marks = [m for m in full_ag() if m.course_id != "ECON"]
        marks.append(mark("S1", "PHYS", 11, "year", "A", "d", ag_discipline="physics"))

        result = ag(marks)

        assert (2, True) == (int(result.years[0, 6]), bool(result.uc_met[0]))

    def test_validated_years_never_roll_over(self) -> None:
        """Algebra 2 alone validates two years; nothing beyond the three rolls into g."""
        marks = [m for m in full_ag() if m.course_id not in ("ECON", "ALG1", "GEO")]

        result = ag(marks)

        assert (6, 0) == (int(result.years[0, 2]), int(result.years[0, 6]))

    def test_us_history_sub_rule(self) -> None:
        result = ag(full_ag(USH={"ag_discipline": "world_history"}))

        assert AgReason.A_US_HISTORY & result.uc_reasons[0]
        assert AgReason.A_US_HISTORY & result.csu_reasons[0]

    def test_science_sub_rules_differ(self) -> None:
        """Biology and earth science: CSU's bio + physical is met, UC's two of bio/chem/phys is not."""
        result = ag(full_ag(CHEM={"ag_discipline": "earth_space"}))

        assert (False, True) == (bool(result.uc_met[0]), bool(result.csu_met[0]))
        assert AgReason.D_TWO_DISCIPLINES == result.uc_reasons[0]

    def test_uc_11_before_12(self) -> None:
        """Five years left for grade 12: UC's 11-before-12 fails, CSU has no such rule."""
        moved = {c: {"grade": 12} for c in ("ENG11", "ALG2", "ART", "USH", "CHEM")}
        result = ag(full_ag(**moved))

        assert (AgReason.UC_11_BEFORE_12, 0) == (
            int(result.uc_reasons[0]),
            int(result.csu_reasons[0]),
        )

    def test_first_pass_stands(self) -> None:
        marks = [*full_ag(), mark("S1", "ART", 12, "year", "F", "f")]

        result = ag(marks)

        assert (True, 0) == (bool(result.uc_met[0]), int(result.uncleared[0]))
        assert 1 == int(result.ignored_repeats.sum())

    def test_latest_attempt_counts_after_a_fail(self) -> None:
        marks = [*full_ag(ART={"letter": "F"}), mark("S1", "ART", 12, "year", "A", "f")]

        assert (True, 0) == (bool(ag(marks).uc_met[0]), int(ag(marks).uncleared[0]))

    def test_grade8_counts_only_accepted_c_and_e(self) -> None:
        marks = [
            mark("S1", "ALG1", 8, "year", "A", "c", hs_accepted=True),
            mark("S1", "ENG8", 8, "year", "A", "b", hs_accepted=True),
            mark("S1", "SPAN1", 8, "year", "A", "e"),
        ]

        assert [0, 0, 2, 0, 0, 0, 0] == ag(marks).years[0].tolist()

    def test_short_college_course_gives_no_years(self) -> None:
        marks = [mark("S1", "PSY", 12, "fall", "A", "g", is_college_course=True, college_units=2.0)]

        result = ag(marks)

        assert (0, 1) == (int(result.years[0, 6]), int(result.short_college.sum()))

    @pytest.mark.parametrize(
        ("as_of", "expected"), [(dt.date(2022, 6, 30), -1), (dt.date(2022, 7, 1), 1)]
    )
    def test_on_track_blank_until_the_year_is_over(self, as_of: dt.date, expected: int) -> None:
        marks = [m for m in full_ag() if m.grade_level == "9"]

        result = evaluate(data([student()], marks), as_of)

        assert expected == result.on_track[0, 0]

    def test_class_year(self) -> None:
        """Entry in 2021-22 -> class of 2025."""
        assert 2025 == ag(full_ag()).class_year[0]
