"""
An obviously-correct, per-student reading of college-readiness.md sections 1-3, with exact fractions.

One student at a time, one mark at a time, straight from the rules: the vectorised engine is
checked against it on random transcripts. Also the Hypothesis strategy of those transcripts,
built to hit the edges (repeats before and after the window, validation, summers, honors caps,
college courses, C-, pass/no-pass, equal term ends, grade 7-8 courses, several languages).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from fractions import Fraction
from typing import Any, NamedTuple

from hypothesis import strategies as st

REQUIRED = {"a": 2, "b": 4, "c": 3, "d": 2, "e": 2, "f": 1, "g": 1}
AREAS = "abcdefg"
_POINTS = {"A": 4, "B": 3, "C": 2, "D": 1, "F": 0}


class RefMark(NamedTuple):
    row: int
    course: str
    repeat_of: str | None
    segment: str | None
    grade: int
    term: str
    end: dt.date
    letter: str
    area: str | None
    level: int | None
    language: str | None
    discipline: str | None
    honors: bool
    college: bool
    units: float | None
    quarter: bool
    hs_accepted: bool
    academic: bool


def undupe(marks: list[RefMark]) -> list[RefMark]:
    """Rule 5.3: a later mark of the same course, school year, term and segment is not counted."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for m in marks:
        key = (m.course, m.grade, m.term, m.segment)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def letter(m: RefMark) -> str | None:
    """A-F without the modifier; None for P NP CR NC I W IP."""
    head = m.letter[0]
    return head if head in "ABCDF" and m.letter not in ("CR",) else None


def passing(m: RefMark) -> bool:
    return letter(m) in ("A", "B", "C")


def resolve(marks: list[RefMark], keep: Any, *, latest: bool = False) -> list[RefMark]:
    """Rule 1.5: the counted attempt of each course slot among the A-F marks *keep* accepts."""
    slots: dict[tuple[str, str | None], list[RefMark]] = defaultdict(list)
    for m in marks:
        if letter(m) is not None and keep(m):
            slots[(m.repeat_of or m.course, m.segment)].append(m)
    chosen = []
    for attempts in slots.values():
        attempts.sort(key=lambda m: (m.end, m.row))
        if latest or not passing(attempts[0]):
            chosen.append(attempts[-1])
        else:
            chosen.append(attempts[0])
    return chosen


def years(m: RefMark) -> Fraction:
    if m.college:
        enough = (m.units or 0) >= (4 if m.quarter else 3)
        return Fraction(1) if enough else Fraction(0)
    return Fraction(1) if m.term == "year" else Fraction(1, 2)


def capable(m: RefMark) -> bool:
    if m.area is None:
        return False
    return m.grade >= 9 or (m.grade in (7, 8) and m.area in "ce" and m.hs_accepted)


def _validated(marks: list[RefMark]) -> tuple[Fraction, Fraction, int | None]:
    """(passed years, credit, highest level) of one sequence (c, or one e language)."""
    passed = sum((years(m) for m in marks), Fraction(0))
    levelled = [m for m in marks if m.level is not None and m.level >= 1]
    unlevelled = passed - sum((years(m) for m in levelled), Fraction(0))
    if not levelled:
        return passed, passed, None
    top = max(m.level for m in levelled if m.level is not None)
    at_top = sum((years(m) for m in levelled if m.level == top), Fraction(0))
    all_levelled = sum((years(m) for m in levelled), Fraction(0))
    return passed, max((top - 1) + at_top, all_levelled) + unlevelled, top


class Credit(NamedTuple):
    credit: dict[str, Fraction]
    capped: Fraction
    uncleared: int
    disciplines: dict[str, Fraction]


def credit(chosen: list[RefMark]) -> Credit:
    earned = [m for m in chosen if capable(m) and passing(m) and years(m) > 0]
    passed = {a: sum((years(m) for m in earned if m.area == a), Fraction(0)) for a in AREAS}
    total = dict(passed)
    roll = Fraction(0)
    for a in "abdf":
        roll += max(passed[a] - REQUIRED[a], Fraction(0))
    c_passed, c_credit, c_top = _validated([m for m in earned if m.area == "c"])
    total["c"] = c_credit
    roll += min(c_passed, max(c_credit - 3, Fraction(0)))
    by_language: dict[str | None, list[RefMark]] = defaultdict(list)
    for m in earned:
        if m.area == "e":
            by_language[m.language].append(m)
    tops: dict[str | None, int | None] = {}
    results = []
    for language, group in by_language.items():
        p, c, top = _validated(group)
        tops[language] = top
        results.append((c, -p, p))
    if results:
        best = max(results)
        total["e"] = best[0]
        roll += min(best[2], max(best[0] - 2, Fraction(0))) + (passed["e"] - best[2])
    else:
        total["e"] = Fraction(0)
    total["g"] = passed["g"] + roll
    capped = sum((min(total[a], Fraction(REQUIRED[a])) for a in AREAS), Fraction(0))
    uncleared = 0
    for m in chosen:
        if not capable(m) or letter(m) not in ("D", "F"):
            continue
        if m.area == "c" and m.level is not None and c_top is not None and m.level < c_top:
            continue
        top = tops.get(m.language)
        if m.area == "e" and m.level is not None and top is not None and m.level < top:
            continue
        uncleared += 1
    disciplines: dict[str, Fraction] = defaultdict(Fraction)
    for m in earned:
        if m.discipline is None:
            continue
        a_disc = m.discipline in ("world_history", "us_history", "civics", "social_science")
        if (m.area == "a" and a_disc) or (m.area == "d" and not a_disc):
            disciplines[m.discipline] += years(m)
    return Credit(total, capped, uncleared, disciplines)


class Expected(NamedTuple):
    years: list[Fraction]
    uc_reasons: set[str]
    csu_reasons: set[str]
    before12: Fraction
    uncleared: int
    gpas: dict[str, int]
    on_track: list[int]


def _trunc(num: int, den: int) -> int:
    return -1 if den == 0 else (Fraction(100 * num, den)).__floor__()


def _half_up(num: int, den: int) -> int:
    return -1 if den == 0 else (Fraction(100 * num, den) + Fraction(1, 2)).__floor__()


def expected(
    marks: list[RefMark], *, cap10: int = 2, due: tuple[bool, bool, bool] = (True,) * 3
) -> Expected:
    """Everything the engine computes for one student, from the rules."""
    marks = undupe(marks)
    full = credit(resolve(marks, lambda m: True))
    before = credit(resolve(marks, lambda m: m.grade <= 11))
    reasons = {f"area_{a}" for a in AREAS if full.credit[a] < REQUIRED[a]}
    d = full.disciplines
    has_a = any(m.area == "a" and m.discipline is not None for m in marks)
    has_d = any(m.area == "d" and m.discipline is not None for m in marks)
    half = Fraction(1, 2)
    if has_a and (d["us_history"] < half or d["us_history"] + min(d["civics"], half) < 1):
        reasons.add("a_us_history")
    uc = set(reasons)
    csu = set(reasons)
    if has_a and d["world_history"] < 1:
        uc.add("a_world_history")
    if has_d and sum(d[x] >= 1 for x in ("biology", "chemistry", "physics")) < 2:
        uc.add("d_two_disciplines")
    if has_d and (d["biology"] < 1 or d["chemistry"] + d["physics"] + d["earth_space"] < 1):
        csu.add("d_biological_physical")
    if before.capped < 11:
        uc.add("uc_11_before_12")

    window = []
    for m in resolve(marks, lambda m: m.grade <= 11):
        in_window = 10 <= m.grade <= 11 or (m.term == "summer" and m.grade == 9)
        if m.area is not None and in_window:
            window.append(m)
    uc_p = uc_g = csu_p = csu_g = h10 = h11 = c10 = c11 = 0
    for m in window:
        pts = _POINTS[letter(m) or "F"]
        sem = 2 if m.term == "year" else 1
        g_uc = 1 if m.college else sem
        g_csu = 2 if m.college else sem
        uc_p += pts * g_uc
        uc_g += g_uc
        csu_p += pts * g_csu
        csu_g += g_csu
        if passing(m) and (m.honors or m.college):
            tenth = m.grade <= 10
            h10 += g_uc if tenth else 0
            h11 += 0 if tenth else g_uc
            c10 += g_csu if tenth else 0
            c11 += 0 if tenth else g_csu
    cg_p = cg_g = 0
    for m in resolve(marks, lambda m: m.grade <= 11, latest=True):
        if m.academic and 10 <= m.grade <= 11:
            weight = 2 if m.term == "year" else 1
            cg_p += _POINTS[letter(m) or "F"] * weight
            cg_g += weight
    gpas = {
        "uc_unweighted": _trunc(uc_p, uc_g),
        "uc_capped": _trunc(uc_p + min(min(h10, 4) + h11, 8), uc_g),
        "uc_fully_weighted": _trunc(uc_p + h10 + h11, uc_g),
        "csu": _trunc(csu_p + min(min(c10, cap10) + c11, 8), csu_g),
        "calgrant": _half_up(cg_p, cg_g),
        "grades": uc_g,
        "honors": h10 + h11,
    }
    on_track = []
    for k, (grade, need) in enumerate(((9, 4), (10, 8), (11, 11))):
        if not due[k]:
            on_track.append(-1)
            continue
        pace = credit(resolve(marks, lambda m, g=grade: m.grade <= g))
        on_track.append(int(pace.capped >= need and pace.uncleared == 0))
    return Expected(
        [full.credit[a] for a in AREAS], uc, csu, before.capped, full.uncleared, gpas, on_track
    )


# --- the strategy -------------------------------------------------------------------------

_COURSES = {
    # course: (area, level, language, discipline)
    "HIST": ("a", None, None, "world_history"),
    "USH": ("a", None, None, "us_history"),
    "CIV": ("a", None, None, "civics"),
    "ENG": ("b", None, None, None),
    "ALG1": ("c", 1, None, None),
    "GEO": ("c", 2, None, None),
    "ALG2": ("c", 3, None, None),
    "STAT": ("c", None, None, None),
    "BIO": ("d", None, None, "biology"),
    "CHEM": ("d", None, None, "chemistry"),
    "EARTH": ("d", None, None, "earth_space"),
    "SPAN1": ("e", 1, "spanish", None),
    "SPAN2": ("e", 2, "spanish", None),
    "SPAN3": ("e", 3, "spanish", None),
    "FREN1": ("e", 1, "french", None),
    "FREN2": ("e", 2, "french", None),
    "ART": ("f", None, None, None),
    "PSY": ("g", None, None, None),
    "PE": (None, None, None, None),
}
_LETTERS = ("A", "A-", "B+", "B", "C+", "C", "C-", "D+", "D", "F", "P", "NP", "CR", "W", "I")
_ENDS = {"fall": (1, 20), "spring": (6, 10), "year": (6, 10), "summer": (8, 5)}


@st.composite
def ref_marks(draw: Any, *, max_marks: int = 24) -> list[RefMark]:
    """One student's transcript (grade 9 entered in 2021-22), rows numbered in input order."""
    n = draw(st.integers(0, max_marks))
    out: list[RefMark] = []
    for row in range(n):
        course = draw(st.sampled_from(sorted(_COURSES)))
        area, level, language, discipline = _COURSES[course]
        if draw(st.integers(0, 9)) == 0:
            area = draw(st.sampled_from([None, *AREAS]))
        term = draw(st.sampled_from(["fall", "spring", "year", "summer"]))
        grade = draw(st.integers(7, 12))
        month, day = _ENDS[term]
        start = 2021 + grade - 9
        end = dt.date(start if term == "summer" else start + 1, month, day)
        # Equal term ends are common (ties go by row); a few days' shift reorders attempts.
        end += dt.timedelta(days=draw(st.sampled_from([0, 0, 0, 1, -1])))
        college = draw(st.integers(0, 7)) == 0
        out.append(
            RefMark(
                row=row,
                course=course,
                repeat_of=draw(st.sampled_from([None] * 6 + ["ALG1", "ENG"])),
                segment=draw(st.sampled_from([None, None, "1", "2"])),
                grade=grade,
                term=term,
                end=end,
                letter=draw(st.sampled_from(_LETTERS)),
                area=area,
                level=level,
                language=language,
                discipline=discipline,
                honors=draw(st.booleans()),
                college=college,
                units=draw(st.sampled_from([2.0, 3.0, 4.0, 5.0])) if college else None,
                quarter=draw(st.booleans()),
                hs_accepted=draw(st.booleans()),
                academic=course != "PE" or draw(st.booleans()),
            )
        )
    return out


def as_records(student: str, marks: list[RefMark]) -> list[Any]:
    """The transcript as TranscriptMark records (the engine's input)."""
    from edoutcomes.model import (
        AgArea,
        AgDiscipline,
        CourseKind,
        HonorsType,
        LetterGrade,
        TermKind,
        TranscriptMark,
        UnitType,
    )

    out = []
    for m in marks:
        start = 2021 + m.grade - 9
        out.append(
            TranscriptMark(
                student,
                m.course,
                m.end,
                0.5,
                school_year=f"{start}-{(start + 1) % 100:02d}",
                grade_level=str(m.grade),
                school_id="S1",
                term_kind=TermKind(m.term),
                letter_grade=LetterGrade(m.letter),
                ag_area=None if m.area is None else AgArea(m.area),
                ag_discipline=None if m.discipline is None else AgDiscipline(m.discipline),
                language=m.language,
                sequence_level=None if m.level is None else float(m.level),
                honors_type=HonorsType.AP if m.honors else None,
                is_college_course=m.college or None,
                college_units=m.units,
                college_unit_type=(UnitType.QUARTER if m.quarter else None) if m.college else None,
                hs_accepted=m.hs_accepted,
                course_segment=m.segment,
                repeat_of=m.repeat_of,
                course_kind=None if m.academic else CourseKind.PE,
            )
        )
    return out


_PLAN = (
    ("HIST", 10, "year"),
    ("USH", 11, "year"),
    ("CIV", 12, "fall"),
    ("ENG", 9, "year"),
    ("ENG", 10, "year"),
    ("ENG", 11, "year"),
    ("ENG", 12, "year"),
    ("ALG1", 9, "year"),
    ("GEO", 10, "year"),
    ("ALG2", 11, "year"),
    ("BIO", 9, "year"),
    ("CHEM", 10, "year"),
    ("SPAN1", 9, "year"),
    ("SPAN2", 10, "year"),
    ("ART", 11, "year"),
    ("PSY", 12, "year"),
)


@st.composite
def near_complete(draw: Any) -> list[RefMark]:
    """A transcript that meets a-g or nearly: the plan with some grades, grade levels and courses changed, plus random marks."""
    out: list[RefMark] = []
    for course, grade, term in _PLAN:
        if draw(st.integers(0, 40)) == 0:
            continue
        area, level, language, discipline = _COURSES[course]
        grade = draw(st.sampled_from([grade] * 30 + [grade + 1 if grade < 12 else 12, 8]))
        month, day = _ENDS[term]
        out.append(
            RefMark(
                row=len(out),
                course=f"{course}{grade}" if course == "ENG" else course,
                repeat_of=None,
                segment=None,
                grade=grade,
                term=term,
                end=dt.date(2021 + grade - 9 + 1, month, day),
                letter=draw(st.sampled_from(["A", "B", "C-", "B+", "C"] * 8 + ["D", "F", "P"])),
                area=area,
                level=level,
                language=language,
                discipline=discipline,
                honors=draw(st.booleans()),
                college=False,
                units=None,
                quarter=False,
                hs_accepted=draw(st.booleans()),
                academic=True,
            )
        )
    extra = draw(ref_marks(max_marks=6))
    return out + [m._replace(row=len(out) + m.row) for m in extra]
