"""A synthetic pool of colleges: codes, names, states, types, control, term calendars."""

from __future__ import annotations

import numpy as np
from attrs import evolve, frozen
from numpy.typing import NDArray

from ..model import CollegeControl, CollegeType
from ._arrays import draw, objects
from ._names import COLLEGE_NAME_PATTERNS, HOME_REGION, PLACES, STATES

__all__ = ["REAL_TYPES", "Colleges", "make_colleges"]

REAL_TYPES = (CollegeType.FOUR_YEAR, CollegeType.TWO_YEAR, CollegeType.LESS_THAN_TWO_YEAR)
_TYPE_SHARES = (0.45, 0.38, 0.17)
_PUBLIC_SHARE = {
    CollegeType.FOUR_YEAR: 0.45,
    CollegeType.TWO_YEAR: 0.9,
    CollegeType.LESS_THAN_TWO_YEAR: 0.2,
}
_CAMPUSES = ("NORTH", "SOUTH", "EAST", "WEST", "DOWNTOWN", "ONLINE", "CENTRAL")
#: The home region's states first (the submitting institution's state is the first of them).
_STATES = (*HOME_REGION, *(s for s in STATES if s not in HOME_REGION))
_REGION_WEIGHTS = np.array([0.5] + [0.5 / (len(HOME_REGION) - 1)] * (len(HOME_REGION) - 1))


@frozen(eq=False)
class Colleges:
    """
    The college pool, one row per college code; row 0 is the submitting institution.

    Rows ``0 .. n_own - 1`` are the submitting institution's branches.
    """

    packed: NDArray[np.int32]
    names: NDArray[np.object_]
    #: Index into ``states``.
    state: NDArray[np.int32]
    states: NDArray[np.object_]
    #: The stored ``CollegeType`` code.
    type_code: NDArray[np.int8]
    #: The stored ``CollegeControl`` code.
    control_code: NDArray[np.int8]
    #: Relative chance of being picked, among colleges of one type.
    weight: NDArray[np.float64]
    #: Day offsets of this college's term calendar against the base calendar.
    begin_offset: NDArray[np.int32]
    end_offset: NDArray[np.int32]
    #: Colleges that withhold every enrollment status (blank status).
    withholds_status: NDArray[np.bool_]
    n_own: int

    def __len__(self) -> int:
        return len(self.packed)

    def of_type(self, college_type: CollegeType) -> NDArray[np.intp]:
        """Rows of colleges of *college_type*, excluding the submitting institution's."""
        rows = np.flatnonzero(self.type_code == college_type.code)
        return rows[rows >= self.n_own]

    def pick(
        self, rng: np.random.Generator, college_type: CollegeType, size: int
    ) -> NDArray[np.int32]:
        """Draw *size* colleges of *college_type* (not the submitting institution), by weight."""
        rows = self.of_type(college_type)
        return rows[draw(rng, self.weight[rows], size)].astype(np.int32)


@frozen
class _College:
    """One college of the pool being drawn."""

    packed: int
    name: str
    state: int
    control: CollegeControl


@frozen(eq=False)
class _Drawn:
    """The colleges drawn so far (growing), their weights, and the codes and names taken."""

    colleges: list[_College]
    weight: list[float]
    by_type: dict[CollegeType, list[int]]
    institutions: set[int]
    names: set[str]


def make_colleges(
    rng: np.random.Generator,
    n_colleges: int,
    *,
    institution_code: str,
    institution_name: str,
    n_branches: int = 3,
) -> Colleges:
    """
    Build a pool of *n_colleges* college codes, the submitting institution's branches first.

    Loops here run over colleges (hundreds), never over students or records.
    """
    types = _types(rng, n_colleges, n_branches)
    drawn = _Drawn([], [], {t: [] for t in REAL_TYPES}, {int(institution_code)}, set())
    for row in range(n_branches):
        campus = "" if row == 0 else f" - {_CAMPUSES[(row - 1) % len(_CAMPUSES)]} CAMPUS"
        own = _College(
            int(institution_code) * 100 + row,
            f"{institution_name}{campus}",
            0,
            CollegeControl.PUBLIC,
        )
        drawn.colleges.append(own)
        drawn.names.add(own.name)
        drawn.weight.append(1.0)
    for row in range(n_branches, len(types)):
        college_type = types[row]
        siblings = drawn.by_type[college_type]
        if siblings and rng.random() < 0.1:
            college = _branch_campus(rng, drawn, siblings)
        else:
            college = _new_college(rng, drawn, college_type)
        _add(rng, drawn, college)
        drawn.by_type[college_type].append(row)
    return _pool(rng, drawn, types, n_branches)


def _types(rng: np.random.Generator, n_colleges: int, n_branches: int) -> list[CollegeType]:
    """The submitting institution's branches (four-year), then the others by their shares."""
    n_others = n_colleges - n_branches
    counts = np.floor(np.array(_TYPE_SHARES) * n_others).astype(int)
    counts[0] += n_others - counts.sum()
    others = rng.permutation(np.repeat(np.arange(3), counts))
    return [CollegeType.FOUR_YEAR] * n_branches + [REAL_TYPES[int(t)] for t in others]


def _branch_campus(rng: np.random.Generator, drawn: _Drawn, siblings: list[int]) -> _College:
    """A branch campus of a college already in the pool: same 6 digits, next branch."""
    parent = drawn.colleges[siblings[int(rng.integers(len(siblings)))]]
    base = parent.packed // 100
    branch = 1 + max(c.packed % 100 for c in drawn.colleges if c.packed // 100 == base)
    name = f"{parent.name.split(' - ')[0]} - {_CAMPUSES[branch % len(_CAMPUSES)]}"
    return _College(base * 100 + min(branch, 99), name, parent.state, parent.control)


def _new_college(rng: np.random.Generator, drawn: _Drawn, college_type: CollegeType) -> _College:
    """A new institution: an unused code, a name of its type's patterns, a state, a control."""
    institution = int(rng.integers(1000, 43000))
    while institution in drawn.institutions:
        institution = int(rng.integers(1000, 43000))
    drawn.institutions.add(institution)
    patterns = COLLEGE_NAME_PATTERNS[college_type.value]
    place = PLACES[int(rng.integers(len(PLACES)))]
    name = patterns[int(rng.integers(len(patterns)))].format(place=place)
    in_region = rng.random() < (0.6 if college_type is CollegeType.FOUR_YEAR else 0.85)
    state = (
        int(rng.choice(len(HOME_REGION), p=_REGION_WEIGHTS))
        if in_region
        else int(rng.integers(len(HOME_REGION), len(_STATES)))
    )
    public = rng.random() < _PUBLIC_SHARE[college_type]
    control = CollegeControl.PUBLIC if public else CollegeControl.PRIVATE
    return _College(institution * 100, name, state, control)


def _add(rng: np.random.Generator, drawn: _Drawn, college: _College) -> None:
    """Add *college* under a name no other college has, with a weight favouring the home state."""
    suffix = 2
    unique = college.name
    while unique in drawn.names:
        unique = f"{college.name} {suffix}"
        suffix += 1
    drawn.names.add(unique)
    drawn.colleges.append(evolve(college, name=unique))
    home = 3.0 if college.state == 0 else 1.5 if college.state < len(HOME_REGION) else 1.0
    drawn.weight.append(float(rng.lognormal(0.0, 1.0)) * home)


def _pool(
    rng: np.random.Generator, drawn: _Drawn, types: list[CollegeType], n_branches: int
) -> Colleges:
    """The drawn colleges as arrays, with term-calendar offsets and status withholding."""
    n = len(types)
    withholds = rng.random(n) < 0.05
    withholds[:n_branches] = False
    colleges = drawn.colleges
    return Colleges(
        packed=np.array([c.packed for c in colleges], dtype=np.int32),
        names=objects([c.name for c in colleges]),
        state=np.array([c.state for c in colleges], dtype=np.int32),
        states=objects(_STATES),
        type_code=np.array([t.code for t in types], dtype=np.int8),
        control_code=np.array([c.control.code for c in colleges], dtype=np.int8),
        weight=np.array(drawn.weight, dtype=np.float64),
        begin_offset=rng.integers(-7, 8, n).astype(np.int32),
        end_offset=rng.integers(-5, 6, n).astype(np.int32),
        withholds_status=withholds,
        n_own=n_branches,
    )
