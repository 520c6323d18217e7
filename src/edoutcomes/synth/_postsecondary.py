"""
Synthetic postsecondary records: enrollment terms and degrees, simulated term by term.

Every student is a small state machine (waiting to start, enrolled, stopped out, left,
deceased) at one college in one programme (certificate, associate, bachelor, master).
The loop runs over terms (a few dozen); each step updates every student at once with
numpy, so a million students take seconds. Records are collected in chunks (one student
at most once per chunk) and laid out student by student at the end with a counting sort.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np
from attrs import field, frozen
from attrs.validators import ge, instance_of, le
from numpy.typing import NDArray

from .._kernel._days import anniversaries, civil_days, civil_parts
from .._kernel._days import day as day_number
from ..model import ClassLevel, CollegeType, EnrollmentStatus, FerpaBlock
from ._arrays import draw
from ._colleges import REAL_TYPES, Colleges
from ._names import ASSOCIATE_TITLES, BACHELOR_TITLES, CERTIFICATE_TITLES, MAJORS, MASTER_TITLES

__all__ = ["CohortShape", "Records", "simulate"]


def _rate(default: float) -> Any:
    return field(default=default, validator=[instance_of(float), ge(0.0), le(1.0)])


@frozen
class CohortShape:
    """
    The knobs of the synthetic cohort: shares of students and per-term chances.

    The defaults give about 9 enrollment terms and 0.7 degrees per submitted student over
    the default six academic years. More terms per student: raise ``summer``,
    ``concurrent`` or ``persistence``, or move ``as_of`` later; fewer: the reverse.

    Examples:
        >>> CohortShape(not_found=0.2).not_found
        0.2
    """

    #: Students with no record at all.
    not_found: float = _rate(0.10)
    #: Students whose only records are dual-enrollment terms before the search date.
    pre_search_only: float = _rate(0.03)
    #: Other students with dual-enrollment terms (at a 2-year college) before the search date.
    dual_enrollment: float = _rate(0.08)
    #: Students whose first college is the submitting institution (one of its branches).
    submitting_share: float = _rate(0.40)
    #: Students who start a term or more after the first fall.
    delayed_entry: float = _rate(0.12)
    #: Chance that an enrolled student also takes a summer term.
    summer: float = _rate(0.45)
    #: Chance per term of a second, concurrent enrollment at a 2-year college.
    concurrent: float = _rate(0.04)
    #: Scales down the per-term chances of dropping out and stopping out (1.0: never leave).
    persistence: float = _rate(0.65)
    #: Chance per term of stopping out (before ``persistence``); stop-outs may come back.
    stop_out: float = _rate(0.06)
    #: Chance per term that a stopped-out student comes back.
    return_rate: float = _rate(0.30)
    #: Chance per term of transferring to another college without a degree.
    transfer: float = _rate(0.04)
    #: Chance that an associate-degree graduate transfers to a 4-year college.
    associate_transfer: float = _rate(0.45)
    #: Chance that a bachelor's graduate goes on to a master's programme.
    graduate_school: float = _rate(0.30)
    #: Students with a FERPA block of their own on all their records at one college.
    student_block: float = _rate(0.01)
    #: Students whose records at one college are all blocked by that school.
    school_block: float = _rate(0.005)
    #: Share of records moved onto an edge: an anniversary of the search date, or Feb 29.
    edge_cases: float = _rate(0.005)


class _Stage(enum.IntEnum):
    WAITING = 0
    ENROLLED = 1
    STOPPED = 2
    LEFT = 3
    DECEASED = 4


class _Program(enum.IntEnum):
    CERTIFICATE = 0
    ASSOCIATE = 1
    BACHELOR = 2
    MASTER = 3


class _Slot(enum.IntEnum):
    FALL = 0
    SPRING = 1
    SUMMER = 2


#: Term-equivalents a programme takes (a full-time semester is 1).
_NEED = np.array([2.0, 4.0, 8.0, 3.0], dtype=np.float32)
_PROGRAM_OF_TYPE = np.array(
    [_Program.BACHELOR, _Program.ASSOCIATE, _Program.CERTIFICATE], dtype=np.int8
)
_FOUR, _TWO, _LESS = (
    CollegeType.FOUR_YEAR.code,
    CollegeType.TWO_YEAR.code,
    CollegeType.LESS_THAN_TWO_YEAR.code,
)
assert (_FOUR, _TWO, _LESS) == (0, 1, 2)

_STATUS = {member: np.int8(member.code) for member in EnrollmentStatus}
_S = EnrollmentStatus
_DRAWN_STATUSES = np.array(
    [
        _STATUS[s]
        for s in (
            _S.FULL_TIME,
            _S.THREE_QUARTER_TIME,
            _S.HALF_TIME,
            _S.LESS_THAN_HALF_TIME,
            _S.WITHDRAWN,
            _S.LEAVE_OF_ABSENCE,
            _S.WITHHELD,
        )
    ],
    dtype=np.int8,
)
# Chances of F, Q, H, L, W, A and blank (withheld) for each kind of term.
_FULL_TIME_P = (0.86, 0.035, 0.03, 0.01, 0.03, 0.005, 0.03)
_PART_TIME_P = (0.22, 0.14, 0.33, 0.18, 0.06, 0.01, 0.06)
_SUMMER_P = (0.30, 0.10, 0.30, 0.20, 0.05, 0.0, 0.05)
_LIGHT_P = (0.0, 0.0, 0.35, 0.55, 0.05, 0.0, 0.05)
_DECEASED_RATE = 0.0002
_CREDIT = np.zeros(len(_STATUS), dtype=np.float32)
for _status, _credit in {
    _S.FULL_TIME: 1.0,
    _S.THREE_QUARTER_TIME: 0.75,
    _S.HALF_TIME: 0.5,
    _S.LESS_THAN_HALF_TIME: 0.25,
    _S.WITHHELD: 0.8,
}.items():
    _CREDIT[_STATUS[_status]] = _credit
_LEAVING = np.zeros(len(_STATUS), dtype=np.float32)
_LEAVING[[_STATUS[_S.WITHDRAWN], _STATUS[_S.LEAVE_OF_ABSENCE]]] = 1.0

_LEVEL = {member: np.int8(member.code) for member in ClassLevel}
_FOUR_YEAR_LEVELS = np.array(
    [
        _LEVEL[x]
        for x in (ClassLevel.FRESHMAN, ClassLevel.SOPHOMORE, ClassLevel.JUNIOR, ClassLevel.SENIOR)
    ],
    dtype=np.int8,
)
_FERPA = {member: np.int8(member.code) for member in FerpaBlock}

#: Per-term dropout chance by college type (before ``persistence`` and the student's risk).
_DROPOUT = np.array([0.05, 0.10, 0.12], dtype=np.float32)
#: Where transfers go, by the type of the college they leave: rows 4-year, 2-year, L.
_TRANSFER_TO = np.array([[0.6, 0.35, 0.05], [0.6, 0.3, 0.1], [0.2, 0.5, 0.3]])
_RETURN_TO = (0.35, 0.55, 0.10)
_GRADUATE = 0.8
_OWN_SHARE_OF_TRANSFERS = 0.12

# Base calendar (month, day) of each slot's begin and end; colleges shift it by a few days.
_CALENDAR = {
    _Slot.FALL: ((8, 22), (12, 14)),
    _Slot.SPRING: ((1, 11), (5, 7)),
    _Slot.SUMMER: ((5, 20), (8, 7)),
}

ENROLLMENT_FIELDS: dict[str, type[np.generic]] = {
    "student": np.int32,
    "college": np.int32,
    "begin": np.int32,
    "end": np.int32,
    "status": np.int8,
    "level": np.int8,
    "major_1": np.int32,
    "major_2": np.int32,
}
DEGREE_FIELDS: dict[str, type[np.generic]] = {
    "student": np.int32,
    "college": np.int32,
    "award": np.int32,
    "title": np.int32,
    "major_1": np.int32,
    "major_2": np.int32,
    "major_3": np.int32,
    "major_4": np.int32,
}


def _titles() -> tuple[tuple[str, ...], list[tuple[NDArray[np.int32], NDArray[np.float64]]]]:
    names: list[str] = []
    per_program = []
    for table in (CERTIFICATE_TITLES, ASSOCIATE_TITLES, BACHELOR_TITLES, MASTER_TITLES):
        codes = []
        for title, _ in table:
            if title and title not in names:
                names.append(title)
            codes.append(names.index(title) if title else -1)
        weights = np.array([w for _, w in table], dtype=np.float64)
        per_program.append((np.array(codes, dtype=np.int32), weights))
    return tuple(names), per_program


#: Distinct non-blank degree titles (the ``degree_title`` categories) and, per programme,
#: the codes (-1 blank) and weights to draw from.
TITLES, _TITLE_DRAWS = _titles()


@frozen(eq=False)
class Records:
    """Enrollment and degree rows as raw arrays, grouped by student, in date order."""

    enrollments: Mapping[str, NDArray[Any]]
    degrees: Mapping[str, NDArray[Any]]
    #: FERPA block codes (``FerpaBlock`` stored codes) of each record.
    enrollment_ferpa: NDArray[np.int8]
    degree_ferpa: NDArray[np.int8]


class _Chunks:
    """Record chunks in time order; ``finish`` lays them out student by student."""

    def __init__(self, fields: Mapping[str, type[np.generic]]) -> None:
        self.fields = fields
        self.chunks: list[dict[str, NDArray[Any]]] = []

    def add(self, keep: NDArray[np.bool_] | None = None, **columns: NDArray[Any]) -> None:
        if keep is not None:
            columns = {name: array[keep] for name, array in columns.items()}
        if len(columns["student"]):
            self.chunks.append(columns)

    def finish(self, n_students: int) -> tuple[dict[str, NDArray[Any]], NDArray[np.int64]]:
        """The rows grouped by student (chronological within each), and each student's count."""
        counts = np.zeros(n_students, dtype=np.int64)
        for chunk in self.chunks:
            counts[chunk["student"]] += 1
        filled = np.cumsum(counts) - counts
        total = int(counts.sum())
        out = {name: np.empty(total, dtype=dtype) for name, dtype in self.fields.items()}
        while self.chunks:
            # A student is at most once per chunk, so the scatter below never collides.
            chunk = self.chunks.pop(0)
            positions = filled[chunk["student"]]
            for name, array in chunk.items():
                out[name][positions] = array
            filled[chunk["student"]] += 1
        return out, counts


@frozen
class _Term:
    slot: _Slot
    year: int
    begin: int
    end: int


def _terms(search_date: dt.date, as_of: dt.date) -> Iterator[_Term]:
    """The base terms from the fall before the first fall after the search date, up to *as_of*."""
    first_fall = search_date.year + (search_date > dt.date(search_date.year, 12, 1))
    year = -1
    while True:
        for slot in _Slot:
            calendar_year = first_fall + year + (slot is not _Slot.FALL)
            (bm, bd), (em, ed) = _CALENDAR[slot]
            begin = dt.date(calendar_year, bm, bd)
            if begin > as_of:
                return
            yield _Term(slot, year, day_number(begin), day_number(dt.date(calendar_year, em, ed)))
        year += 1


class _Simulation:
    """The per-student state and the rules that move it on, one term at a time."""

    def __init__(
        self,
        rng: np.random.Generator,
        colleges: Colleges,
        *,
        risk: NDArray[np.float32],
        full_time: NDArray[np.bool_],
        shape: CohortShape,
        as_of_day: int,
    ) -> None:
        self.rng = rng
        self.colleges = colleges
        self.shape = shape
        self.as_of_day = as_of_day
        self.risk = risk
        self.full_time = full_time
        n = self.n = len(risk)
        self.enrollments = _Chunks(ENROLLMENT_FIELDS)
        self.degrees = _Chunks(DEGREE_FIELDS)

        found = rng.random(n) >= shape.not_found
        self.pre_only = found & (rng.random(n) < shape.pre_search_only)
        self.dual = self.pre_only | (found & (rng.random(n) < shape.dual_enrollment))
        starts = found & ~self.pre_only
        self.stage = np.where(starts, _Stage.WAITING, _Stage.LEFT).astype(np.int8)
        first_kind = draw(
            rng,
            [
                shape.submitting_share,
                (1 - shape.submitting_share) * 0.42,
                (1 - shape.submitting_share) * 0.48,
                (1 - shape.submitting_share) * 0.10,
            ],
            n,
        )
        self.own_start = starts & (first_kind == 0)
        self.college = np.zeros(n, dtype=np.int32)
        own_weights = np.r_[0.85, np.full(colleges.n_own - 1, 0.15 / max(colleges.n_own - 1, 1))]
        self.college[first_kind == 0] = draw(rng, own_weights, int((first_kind == 0).sum()))
        for kind, college_type in enumerate(REAL_TYPES, 1):
            rows = first_kind == kind
            self.college[rows] = colleges.pick(rng, college_type, int(rows.sum()))
        self.dual_college = colleges.pick(rng, CollegeType.TWO_YEAR, n)
        ctype = colleges.type_code[self.college]
        self.program = _PROGRAM_OF_TYPE[ctype]
        certificate_seekers = (ctype == _TWO) & (rng.random(n) < 0.15)
        self.program[certificate_seekers] = _Program.CERTIFICATE
        self.credits = np.zeros(n, dtype=np.float32)
        self.stretch = rng.uniform(0.9, 1.15, n).astype(np.float32)
        self.start_slot = np.zeros(n, dtype=np.int16)
        delayed = rng.random(n) < shape.delayed_entry
        self.start_slot[delayed] = rng.choice(
            np.array([1, 2, 3, 4, 6], dtype=np.int16),
            size=int(delayed.sum()),
            p=[0.45, 0.3, 0.1, 0.1, 0.05],
        )

        # Majors: one per kind of college, a possible change of mind, a possible second major.
        weights = np.array([m[2:] for m in MAJORS], dtype=np.float64)
        self.major = np.stack([draw(rng, weights[:, t], n) for t in range(3)]).astype(np.int32)
        later_major = draw(rng, weights[:, 0], n).astype(np.int32)
        self.major_change = np.where(rng.random(n) < 0.15, later_major, -1).astype(np.int32)
        self.undeclared = rng.random(n) < 0.3
        self.second_major = np.where(rng.random(n) < 0.04, draw(rng, weights[:, 0], n), -1).astype(
            np.int32
        )

    # --- one term ---------------------------------------------------------------------------

    def step(self, term: _Term, main_index: int) -> int:
        """Simulate *term*; returns the index of the next main (fall or spring) term."""
        if term.year < 0:
            self._before_search(term)
            return main_index
        if term.slot is _Slot.SUMMER:
            self._summer(term)
            return main_index
        self._main(term, main_index)
        return main_index + 1

    def _before_search(self, term: _Term) -> None:
        rng = self.rng
        if term.slot is _Slot.SUMMER:
            bridge = np.flatnonzero(self.own_start & (rng.random(self.n) < 0.05))
            self._enroll(term, bridge, self.college[bridge], _SUMMER_P, first_year=True)
            return
        rows = np.flatnonzero(self.dual & (rng.random(self.n) < 0.75))
        self._enroll(term, rows, self.dual_college[rows], _LIGHT_P, dual=True)

    def _summer(self, term: _Term) -> None:
        rng = self.rng
        enrolled = self.stage == _Stage.ENROLLED
        rows = np.flatnonzero(enrolled & (rng.random(self.n) < self.shape.summer))
        status = self._enroll(term, rows, self.college[rows], _SUMMER_P)
        self.credits[rows] += 0.5 * _CREDIT[status]
        swirl = np.flatnonzero(
            enrolled
            & (self.colleges.type_code[self.college] == _FOUR)
            & (rng.random(self.n) < self.shape.concurrent)
        )
        elsewhere = self.colleges.pick(rng, CollegeType.TWO_YEAR, len(swirl))
        self._enroll(term, swirl, elsewhere, _LIGHT_P, dual=True)

    def _main(self, term: _Term, main_index: int) -> None:
        rng, n, shape = self.rng, self.n, self.shape
        entering = (self.stage == _Stage.WAITING) & (self.start_slot == main_index)
        self.stage[entering] = _Stage.ENROLLED
        returning = np.flatnonzero(
            (self.stage == _Stage.STOPPED) & (rng.random(n) < shape.return_rate)
        )
        self.stage[returning] = _Stage.ENROLLED
        switching = returning[rng.random(len(returning)) < 0.45]
        self._move(switching, draw(rng, _RETURN_TO, len(switching)))

        rows = np.flatnonzero(self.stage == _Stage.ENROLLED)
        status = self._enroll(term, rows, self.college[rows], None, first_year=main_index < 2)
        before = self.credits[rows]
        self.credits[rows] += _CREDIT[status]
        alive = status != _STATUS[_S.DECEASED]
        self.stage[rows[~alive]] = _Stage.DECEASED
        ctype = self.colleges.type_code[self.college[rows]]

        # A certificate on the way to an associate degree, for a few 2-year students.
        on_the_way = (
            alive
            & (ctype == _TWO)
            & (self.program[rows] == _Program.ASSOCIATE)
            & (before < 2.0)
            & (self.credits[rows] >= 2.0)
            & (rng.random(len(rows)) < 0.12)
        )
        self._award(term, rows[on_the_way], _Program.CERTIFICATE)

        need = _NEED[self.program[rows]] * self.stretch[rows]
        graduating = alive & (self.credits[rows] >= need) & (rng.random(len(rows)) < _GRADUATE)
        graduates = rows[graduating]
        self._award(term, graduates, self.program[graduates])
        self._after_degree(graduates)

        staying = alive & ~graduating
        rest, ctype = rows[staying], ctype[staying]
        leaving = _LEAVING[status[staying]]
        scale = (1.0 - shape.persistence) * self.risk[rest] * (1.0 + 3.0 * leaving)
        p_drop = _DROPOUT[ctype] * scale
        p_stop = shape.stop_out * scale
        draw_ = rng.random(len(rest))
        dropping = draw_ < p_drop
        stopping = ~dropping & (draw_ < p_drop + p_stop)
        moving = ~dropping & ~stopping & (draw_ < p_drop + p_stop + shape.transfer)
        self.stage[rest[dropping]] = _Stage.LEFT
        self.stage[rest[stopping]] = _Stage.STOPPED
        movers = rest[moving]
        cumulative = np.cumsum(_TRANSFER_TO[ctype[moving]], axis=1)
        new_type = (rng.random(len(movers))[:, None] > cumulative).sum(axis=1)
        self._move(movers, np.minimum(new_type, 2))

        concurrent = rows[alive & (rng.random(len(rows)) < shape.concurrent)]
        elsewhere = self.colleges.pick(rng, CollegeType.TWO_YEAR, len(concurrent))
        self._enroll(term, concurrent, elsewhere, _LIGHT_P, dual=True)

    # --- records ----------------------------------------------------------------------------

    def _enroll(
        self,
        term: _Term,
        rows: NDArray[np.intp],
        college: NDArray[np.int32],
        probabilities: Sequence[float] | None,
        *,
        first_year: bool = False,
        dual: bool = False,
    ) -> NDArray[np.int8]:
        """Emit one term record per student in *rows*; returns their statuses."""
        rng, colleges = self.rng, self.colleges
        k = len(rows)
        if probabilities is None:
            status = np.where(
                self.full_time[rows],
                _DRAWN_STATUSES[draw(rng, _FULL_TIME_P, k)],
                _DRAWN_STATUSES[draw(rng, _PART_TIME_P, k)],
            ).astype(np.int8)
            status[rng.random(k) < _DECEASED_RATE] = _STATUS[_S.DECEASED]
        else:
            status = _DRAWN_STATUSES[draw(rng, probabilities, k)]
        status[colleges.withholds_status[college]] = _STATUS[_S.WITHHELD]
        begin = term.begin + colleges.begin_offset[college]
        end = term.end + colleges.end_offset[college]
        withdrew = status == _STATUS[_S.WITHDRAWN]
        end[withdrew] = np.minimum(
            end[withdrew], begin[withdrew] + rng.integers(10, 70, k)[withdrew]
        )
        ctype = colleges.type_code[college]
        if dual:
            level = np.where(rng.random(k) < 0.5, _LEVEL[ClassLevel.UNSPECIFIED_UNDERGRADUATE], -1)
            major_1 = np.where(rng.random(k) < 0.3, self.major[_TWO, rows], -1)
            major_2 = np.full(k, -1, dtype=np.int32)
        else:
            level = self._class_level(rows)
            major_1, major_2 = self._majors(rows, ctype, first_year)
        self.enrollments.add(
            begin <= self.as_of_day,
            student=rows.astype(np.int32),
            college=college.astype(np.int32),
            begin=begin,
            end=end,
            status=status,
            level=level.astype(np.int8),
            major_1=major_1.astype(np.int32),
            major_2=major_2.astype(np.int32),
        )
        return status

    def _class_level(self, rows: NDArray[np.intp]) -> NDArray[np.int8]:
        rng, k = self.rng, len(rows)
        credits = self.credits[rows]
        u = rng.random(k)
        code = _LEVEL
        # One candidate level per programme (rows in _Program order), then each row's own.
        candidates = np.stack(
            [
                np.where(
                    u < 0.7,
                    code[ClassLevel.CERTIFICATE],
                    code[ClassLevel.UNSPECIFIED_UNDERGRADUATE],
                ),
                np.where(
                    u < 0.15,
                    code[ClassLevel.UNSPECIFIED_UNDERGRADUATE],
                    np.where(credits < 2, code[ClassLevel.FRESHMAN], code[ClassLevel.SOPHOMORE]),
                ),
                _FOUR_YEAR_LEVELS[np.clip((credits // 2).astype(np.intp), 0, 3)],
                np.where(u < 0.75, code[ClassLevel.MASTERS], code[ClassLevel.UNSPECIFIED_GRADUATE]),
            ]
        )
        level = candidates[self.program[rows], np.arange(k)].astype(np.int8)
        level[rng.random(k) < 0.08] = -1
        return level

    def _majors(
        self, rows: NDArray[np.intp], ctype: NDArray[np.int8], first_year: bool
    ) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
        rng, k = self.rng, len(rows)
        kind = np.minimum(ctype, 2)
        major_1 = self.major[kind, rows]
        credits = self.credits[rows]
        changed = (kind == _FOUR) & (self.major_change[rows] >= 0) & (credits >= 3)
        major_1[changed] = self.major_change[rows][changed]
        if first_year:
            major_1[self.undeclared[rows] & (kind == _FOUR)] = -1
        major_1[rng.random(k) < 0.05] = -1
        major_2 = np.where((kind == _FOUR) & (credits >= 2), self.second_major[rows], -1)
        return major_1, major_2.astype(np.int32)

    def _award(
        self,
        term: _Term,
        rows: NDArray[np.intp],
        program: NDArray[np.int8] | _Program,
    ) -> None:
        rng, k = self.rng, len(rows)
        if k == 0:
            return
        program = np.broadcast_to(np.asarray(program, dtype=np.int8), (k,))
        college = self.college[rows]
        end = term.end + self.colleges.end_offset[college]
        award = end + np.where(rng.random(k) < 0.3, 0, rng.integers(1, 15, k))
        title = np.empty(k, dtype=np.int32)
        for p, (codes, weights) in enumerate(_TITLE_DRAWS):
            of_p = program == p
            title[of_p] = codes[draw(rng, weights, int(of_p.sum()))]
        kind = np.minimum(self.colleges.type_code[college], 2)
        major_1 = self.major[kind, rows]
        changed = (kind == _FOUR) & (self.major_change[rows] >= 0)
        major_1[changed] = self.major_change[rows][changed]
        major_1[rng.random(k) < 0.06] = -1
        major_2 = np.where(kind == _FOUR, self.second_major[rows], -1)
        n_majors = len(MAJORS)
        major_3 = np.where(rng.random(k) < 0.004, rng.integers(0, n_majors, k), -1)
        major_4 = np.where((major_3 >= 0) & (rng.random(k) < 0.3), rng.integers(0, n_majors, k), -1)
        self.degrees.add(
            award <= self.as_of_day,
            student=rows.astype(np.int32),
            college=college.astype(np.int32),
            award=award.astype(np.int32),
            title=title,
            major_1=major_1.astype(np.int32),
            major_2=major_2.astype(np.int32),
            major_3=major_3.astype(np.int32),
            major_4=major_4.astype(np.int32),
        )

    # --- moves ------------------------------------------------------------------------------

    def _after_degree(self, rows: NDArray[np.intp]) -> None:
        rng, shape = self.rng, self.shape
        program = self.program[rows]
        chance = rng.random(len(rows))
        self.stage[rows] = _Stage.LEFT
        # Certificate holders may go on to an associate degree at a 2-year college.
        onward = rows[(program == _Program.CERTIFICATE) & (chance < 0.3)]
        self.stage[onward] = _Stage.ENROLLED
        at_two = self.colleges.type_code[self.college[onward]] == _TWO
        self._move(onward[~at_two], np.full(int((~at_two).sum()), _TWO))
        self.program[onward] = _Program.ASSOCIATE
        self.credits[onward] = 1.0
        # Associate graduates transfer to a 4-year college.
        transfer = rows[(program == _Program.ASSOCIATE) & (chance < shape.associate_transfer)]
        self.stage[transfer] = _Stage.ENROLLED
        self._move(transfer, np.full(len(transfer), _FOUR))
        self.credits[transfer] = 3.5
        # Bachelor's graduates go on to a master's, often where they are.
        masters = rows[(program == _Program.BACHELOR) & (chance < shape.graduate_school)]
        self.stage[masters] = _Stage.ENROLLED
        elsewhere = masters[rng.random(len(masters)) < 0.45]
        self._move(elsewhere, np.full(len(elsewhere), _FOUR))
        self.program[masters] = _Program.MASTER
        self.credits[masters] = 0.0

    def _move(self, rows: NDArray[np.intp], new_type: NDArray[np.integer[Any]]) -> None:
        """Move *rows* to a new college of *new_type* (type codes), adjusting programme and credits."""
        rng, colleges = self.rng, self.colleges
        for t, college_type in enumerate(REAL_TYPES):
            movers = rows[new_type == t]
            picked = colleges.pick(rng, college_type, len(movers))
            if t == _FOUR:
                own = rng.random(len(movers)) < _OWN_SHARE_OF_TRANSFERS
                picked[own] = 0
            self.college[movers] = picked
            keep_master = self.program[movers] == _Program.MASTER
            self.program[movers] = np.where(keep_master, _Program.MASTER, _PROGRAM_OF_TYPE[t])
            need = _NEED[self.program[movers]]
            self.credits[movers] = np.minimum(self.credits[movers] * 0.75, need * 0.6)


def simulate(
    rng: np.random.Generator,
    colleges: Colleges,
    *,
    risk: NDArray[np.float32],
    full_time: NDArray[np.bool_],
    search_date: dt.date,
    as_of: dt.date,
    shape: CohortShape,
) -> Records:
    """Simulate every student's terms and degrees from the year before *search_date* to *as_of*."""
    simulation = _Simulation(
        rng,
        colleges,
        risk=risk,
        full_time=full_time,
        shape=shape,
        as_of_day=day_number(as_of),
    )
    main_index = 0
    for term in _terms(search_date, as_of):
        main_index = simulation.step(term, main_index)
    n = simulation.n
    enrollments, enrollment_counts = simulation.enrollments.finish(n)
    degrees, _ = simulation.degrees.finish(n)
    _edges(rng, enrollments, degrees, search_date=search_date, as_of=as_of, rate=shape.edge_cases)
    enrollment_ferpa, degree_ferpa = _ferpa(
        rng, enrollments, degrees, enrollment_counts, len(colleges), shape
    )
    return Records(enrollments, degrees, enrollment_ferpa, degree_ferpa)


def _edges(
    rng: np.random.Generator,
    enrollments: dict[str, NDArray[Any]],
    degrees: dict[str, NDArray[Any]],
    *,
    search_date: dt.date,
    as_of: dt.date,
    rate: float,
) -> None:
    """Move a few records onto the edges the engines must get right."""
    years = as_of.year - search_date.year + 3
    edges = anniversaries(search_date, range(-2, years))
    begin, end = enrollments["begin"], enrollments["end"]
    # Terms that end exactly on the search date or an anniversary (early withdrawals, long summers).
    rows = _some(rng, len(begin), rate)
    following = edges[np.searchsorted(edges, begin[rows], side="left")]
    close = following - begin[rows] <= 120
    end[rows[close]] = following[close]
    # Short winter terms that end on Feb 29.
    rows = _some(rng, len(begin), 4 * rate)
    year, month = _year_month(begin[rows])
    leap = (month == 1) & (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    end[rows[leap]] = _feb_29(year[leap])
    # Degrees awarded on an anniversary of the search date, or on Feb 29.
    award = degrees["award"]
    rows = _some(rng, len(award), 2 * rate)
    award[rows] = edges[np.searchsorted(edges, award[rows], side="right") - 1]
    rows = _some(rng, len(award), 8 * rate)
    year, month = _year_month(award[rows])
    leap = (month <= 6) & (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    award[rows[leap]] = _feb_29(year[leap])


def _some(rng: np.random.Generator, n: int, rate: float) -> NDArray[np.int64]:
    return rng.integers(0, n, rng.binomial(n, min(rate, 1.0))) if n else np.zeros(0, np.int64)


def _year_month(days: NDArray[np.int32]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    year, month, _ = civil_parts(days)
    return year, month


def _feb_29(years: NDArray[np.int64]) -> NDArray[np.int32]:
    return civil_days(years, 2, 29).astype(np.int32)


def _ferpa(
    rng: np.random.Generator,
    enrollments: Mapping[str, NDArray[Any]],
    degrees: Mapping[str, NDArray[Any]],
    counts: NDArray[np.int64],
    n_colleges: int,
    shape: CohortShape,
) -> tuple[NDArray[np.int8], NDArray[np.int8]]:
    """Block all of a few students' records at one of their colleges, by student or by school."""
    n = len(counts)
    starts = np.cumsum(counts) - counts
    enrollment_ferpa = np.full(len(enrollments["student"]), _FERPA[FerpaBlock.NONE], np.int8)
    degree_ferpa = np.full(len(degrees["student"]), _FERPA[FerpaBlock.NONE], np.int8)
    for block, rate in (
        (FerpaBlock.STUDENT, shape.student_block),
        (FerpaBlock.SCHOOL, shape.school_block),
    ):
        chosen = np.flatnonzero((counts > 0) & (rng.random(n) < rate))
        record = starts[chosen] + (rng.random(len(chosen)) * counts[chosen]).astype(np.int64)
        blocked_college = np.full(n, -1, dtype=np.int32)
        blocked_college[chosen] = enrollments["college"][record]
        for records, ferpa in ((enrollments, enrollment_ferpa), (degrees, degree_ferpa)):
            hit = blocked_college[records["student"]] == records["college"]
            ferpa[hit] = _FERPA[block]
    return enrollment_ferpa, degree_ferpa
