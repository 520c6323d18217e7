"""A synthetic pool of colleges: codes, names, states, types, control, term calendars."""

from __future__ import annotations

import numpy as np
from attrs import frozen
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
    n_others = n_colleges - n_branches
    counts = np.floor(np.array(_TYPE_SHARES) * n_others).astype(int)
    counts[0] += n_others - counts.sum()
    types = [CollegeType.FOUR_YEAR] * n_branches + list(
        rng.permutation(np.repeat(np.arange(3), counts))
    )
    types = [t if isinstance(t, CollegeType) else REAL_TYPES[int(t)] for t in types]

    region_weights = np.array([0.5] + [0.5 / (len(HOME_REGION) - 1)] * (len(HOME_REGION) - 1))
    states_list = list(HOME_REGION) + [s for s in STATES if s not in HOME_REGION]
    taken_institutions = {int(institution_code)}
    taken_names: set[str] = set()
    packed: list[int] = []
    names: list[str] = []
    state: list[int] = []
    control: list[CollegeControl] = []
    weight: list[float] = []
    by_type: dict[CollegeType, list[int]] = {t: [] for t in REAL_TYPES}

    for row, college_type in enumerate(types):
        if row < n_branches:
            packed.append(int(institution_code) * 100 + row)
            campus = "" if row == 0 else f" - {_CAMPUSES[(row - 1) % len(_CAMPUSES)]} CAMPUS"
            names.append(f"{institution_name}{campus}")
            taken_names.add(names[-1])
            state.append(0)
            control.append(CollegeControl.PUBLIC)
            weight.append(1.0)
            continue
        siblings = by_type[college_type]
        if siblings and rng.random() < 0.1:
            # A branch campus of a college already in the pool: same 6 digits, next branch.
            parent = siblings[int(rng.integers(len(siblings)))]
            base = packed[parent] // 100
            branch = 1 + max(p % 100 for p in packed if p // 100 == base)
            packed.append(base * 100 + min(branch, 99))
            name = f"{names[parent].split(' - ')[0]} - {_CAMPUSES[branch % len(_CAMPUSES)]}"
            state.append(state[parent])
            control.append(control[parent])
        else:
            institution = int(rng.integers(1000, 43000))
            while institution in taken_institutions:
                institution = int(rng.integers(1000, 43000))
            taken_institutions.add(institution)
            packed.append(institution * 100)
            patterns = COLLEGE_NAME_PATTERNS[college_type.value]
            place = PLACES[int(rng.integers(len(PLACES)))]
            name = patterns[int(rng.integers(len(patterns)))].format(place=place)
            in_region = rng.random() < (0.6 if college_type is CollegeType.FOUR_YEAR else 0.85)
            state.append(
                int(rng.choice(len(HOME_REGION), p=region_weights))
                if in_region
                else int(rng.integers(len(HOME_REGION), len(states_list)))
            )
            public = rng.random() < _PUBLIC_SHARE[college_type]
            control.append(CollegeControl.PUBLIC if public else CollegeControl.PRIVATE)
        suffix = 2
        unique = name
        while unique in taken_names:
            unique = f"{name} {suffix}"
            suffix += 1
        taken_names.add(unique)
        names.append(unique)
        home = 3.0 if state[-1] == 0 else 1.5 if state[-1] < len(HOME_REGION) else 1.0
        weight.append(float(rng.lognormal(0.0, 1.0)) * home)
        by_type[college_type].append(row)

    n = len(types)
    withholds = rng.random(n) < 0.05
    withholds[:n_branches] = False
    return Colleges(
        packed=np.array(packed, dtype=np.int32),
        names=objects(names),
        state=np.array(state, dtype=np.int32),
        states=objects(states_list),
        type_code=np.array([t.code for t in types], dtype=np.int8),
        control_code=np.array([c.code for c in control], dtype=np.int8),
        weight=np.array(weight, dtype=np.float64),
        begin_offset=rng.integers(-7, 8, n).astype(np.int32),
        end_offset=rng.integers(-5, 6, n).astype(np.int32),
        withholds_status=withholds,
        n_own=n_branches,
    )
