"""The outcome hierarchy: which records count, and what each counts as."""

from __future__ import annotations

import enum

import numpy as np
from numpy.typing import NDArray

from ..errors import InvalidArgumentError, InvalidRecordError
from ..model import (
    CollegeCode,
    CollegeType,
    DegreeKind,
    EnrollmentStatus,
    Institution,
    Table,
)

__all__ = [
    "COUNTED_COLLEGE_TYPES",
    "COUNTED_STATUSES",
    "DISPLAY_ORDER",
    "NO_OUTCOME",
    "Outcome",
    "degree_outcome",
    "degree_priorities",
    "enrollment_outcome",
    "enrollment_priorities",
    "institution_of",
    "is_yours",
]


class Outcome(enum.IntEnum):
    """
    A student's outcome in one academic year; the value *is* the priority (1 wins).

    Examples:
        >>> min(Outcome.RETAINED_SUBMITTING, Outcome.TWO_YEAR_DEGREE_SUBMITTING).label
        '2-year degree from your institution'
        >>> [o.value for o in DISPLAY_ORDER]
        [1, 3, 2, 4, 5, 6, 7]
    """

    FOUR_YEAR_DEGREE_SUBMITTING = 1
    FOUR_YEAR_DEGREE_OTHER = 2
    TWO_YEAR_DEGREE_SUBMITTING = 3
    TWO_YEAR_DEGREE_OTHER = 4
    RETAINED_SUBMITTING = 5
    RETAINED_OTHER_FOUR_YEAR = 6
    RETAINED_OTHER_TWO_YEAR = 7

    @property
    def label(self) -> str:
        """The row label of the clearinghouse report, e.g. '4-year degree from your institution'."""
        return _LABELS[self]

    @property
    def display_order(self) -> int:
        """Position (0-6) of this outcome's row in the printed report (not the priority order)."""
        return DISPLAY_ORDER.index(self)

    @property
    def is_degree(self) -> bool:
        """True for the four degree outcomes (priorities 1-4)."""
        return self <= Outcome.TWO_YEAR_DEGREE_OTHER

    @property
    def is_submitting(self) -> bool:
        """True for the outcomes at the submitting institution (priorities 1, 3 and 5)."""
        return self in (
            Outcome.FOUR_YEAR_DEGREE_SUBMITTING,
            Outcome.TWO_YEAR_DEGREE_SUBMITTING,
            Outcome.RETAINED_SUBMITTING,
        )

    @classmethod
    def from_label(cls, label: str) -> Outcome:
        """The outcome whose report row label is *label* (surrounding blanks and case ignored)."""
        folded = " ".join(label.split()).lower()
        for outcome in cls:
            if outcome.label.lower() == folded:
                return outcome
        msg = f"label={label!r} is not a row of the cohort report"
        raise InvalidArgumentError(msg)


_LABELS = {
    Outcome.FOUR_YEAR_DEGREE_SUBMITTING: "4-year degree from your institution",
    Outcome.FOUR_YEAR_DEGREE_OTHER: "4-year degree from other institution",
    Outcome.TWO_YEAR_DEGREE_SUBMITTING: "2-year degree from your institution",
    Outcome.TWO_YEAR_DEGREE_OTHER: "2-year degree from other institution",
    Outcome.RETAINED_SUBMITTING: "Retained at your institution",
    Outcome.RETAINED_OTHER_FOUR_YEAR: "Retained at other 4-year institution",
    Outcome.RETAINED_OTHER_TWO_YEAR: "Retained at other 2-year institution",
}

DISPLAY_ORDER: tuple[Outcome, ...] = (
    Outcome.FOUR_YEAR_DEGREE_SUBMITTING,
    Outcome.TWO_YEAR_DEGREE_SUBMITTING,
    Outcome.FOUR_YEAR_DEGREE_OTHER,
    Outcome.TWO_YEAR_DEGREE_OTHER,
    Outcome.RETAINED_SUBMITTING,
    Outcome.RETAINED_OTHER_FOUR_YEAR,
    Outcome.RETAINED_OTHER_TWO_YEAR,
)
"""
The order in which the report prints its rows (not the priority order of :class:`Outcome`).

Examples:
    >>> [outcome.label for outcome in DISPLAY_ORDER[:2]]
    ['4-year degree from your institution', '2-year degree from your institution']
"""

#: The ``int8`` the engine stores for "no counting record": worse than every priority.
NO_OUTCOME = 8

COUNTED_STATUSES: frozenset[EnrollmentStatus] = frozenset(
    s for s in EnrollmentStatus if s.is_enrolled
)
"""
Enrollment statuses that count as enrolled (blank = withheld by the school counts).

Examples:
    >>> sorted(status.name for status in COUNTED_STATUSES)
    ['FULL_TIME', 'HALF_TIME', 'LESS_THAN_HALF_TIME', 'THREE_QUARTER_TIME', 'WITHHELD']
"""
COUNTED_COLLEGE_TYPES: frozenset[CollegeType] = frozenset(
    {CollegeType.FOUR_YEAR, CollegeType.TWO_YEAR}
)
"""
College types whose enrollments count (less-than-2-year colleges never do).

Examples:
    >>> CollegeType.TWO_YEAR in COUNTED_COLLEGE_TYPES
    True
    >>> CollegeType.LESS_THAN_TWO_YEAR in COUNTED_COLLEGE_TYPES
    False
"""


def enrollment_outcome(
    status: EnrollmentStatus | None, college_type: CollegeType | None, *, yours: bool
) -> Outcome | None:
    """
    What one enrollment term counts as, or None when it does not count.

    A missing status reads as blank (withheld), which counts.

    Examples:
        >>> enrollment_outcome(EnrollmentStatus.HALF_TIME, CollegeType.TWO_YEAR, yours=False)
        <Outcome.RETAINED_OTHER_TWO_YEAR: 7>
        >>> enrollment_outcome(EnrollmentStatus.WITHDRAWN, CollegeType.FOUR_YEAR, yours=True) is None
        True
    """
    status = EnrollmentStatus.WITHHELD if status is None else status
    if status not in COUNTED_STATUSES or college_type not in COUNTED_COLLEGE_TYPES:
        return None
    if yours:
        return Outcome.RETAINED_SUBMITTING
    if college_type is CollegeType.FOUR_YEAR:
        return Outcome.RETAINED_OTHER_FOUR_YEAR
    return Outcome.RETAINED_OTHER_TWO_YEAR


def degree_outcome(kind: DegreeKind, *, yours: bool) -> Outcome | None:
    """
    What one degree counts as, or None (certificates and unknown titles never count).

    Examples:
        >>> degree_outcome(DegreeKind.FOUR_YEAR, yours=False)
        <Outcome.FOUR_YEAR_DEGREE_OTHER: 2>
        >>> degree_outcome(DegreeKind.CERTIFICATE, yours=True) is None
        True
    """
    if kind is DegreeKind.FOUR_YEAR:
        return Outcome.FOUR_YEAR_DEGREE_SUBMITTING if yours else Outcome.FOUR_YEAR_DEGREE_OTHER
    if kind is DegreeKind.TWO_YEAR:
        return Outcome.TWO_YEAR_DEGREE_SUBMITTING if yours else Outcome.TWO_YEAR_DEGREE_OTHER
    return None


def institution_of(institution: Institution | str, *, exact_branch: bool = False) -> Institution:
    """
    The submitting institution as an :class:`Institution`, from itself or a code string.

    A string is a 6-digit institution code (``"001817"``) or a college code
    (``"001817-05"``); the branch of a college code is kept only with *exact_branch*.
    With *exact_branch* and no branch given, the main campus ``00`` is meant.

    Raises:
        InvalidArgumentError: If the string is neither form, or *institution* is of another type.

    Examples:
        >>> institution_of("001817")
        Institution(codes=('001817',), name='', branch=None)
        >>> institution_of("001817-05", exact_branch=True).branch
        '05'
    """
    if isinstance(institution, Institution):
        if exact_branch and institution.branch is None:
            return Institution(institution.codes, name=institution.name, branch="00")
        return institution
    if not isinstance(institution, str):
        msg = f"institution={institution!r} is neither an Institution nor a code string"
        raise InvalidArgumentError(msg)
    text = institution.strip()
    try:
        if len(text) == 6:
            return Institution(text, branch="00" if exact_branch else None)
        code = CollegeCode.parse(text)
    except InvalidRecordError as exc:
        msg = f"institution={institution!r} is not a 6-digit code or NNNNNN-BB"
        raise InvalidArgumentError(msg) from exc
    return Institution(code.institution, branch=code.branch if exact_branch else None)


def is_yours(packed: NDArray[np.int32], institution: Institution) -> NDArray[np.bool_]:
    """
    Which packed college codes (``NNNNNNBB``, -1 missing) are the submitting institution's.

    Examples:
        >>> codes = np.array([181700, 181705, 999900, -1], dtype=np.int32)
        >>> is_yours(codes, Institution("001817")).tolist()
        [True, True, False, False]
        >>> is_yours(codes, Institution("001817", branch="05")).tolist()
        [False, True, False, False]
    """
    out = np.zeros(len(packed), dtype=bool)
    for code in institution.codes:
        low = int(code) * 100
        if institution.branch is not None:
            out |= packed == low + int(institution.branch)
        else:
            # Every branch: NNNNNN00 .. NNNNNN99, two comparisons instead of a division.
            out |= (packed >= low) & (packed < low + 100)
    return out


_STATUSES = (None, *EnrollmentStatus.by_code())
_ENROLLMENT_TYPES = (None, *CollegeType.by_code())


def _enrollment_table() -> NDArray[np.int8]:
    # Every (status, college type, yours) combination, indexed by (status + 1, type + 1, yours):
    # the columnar view's -1 (missing) is slot 0. Built from enrollment_outcome, the one definition.
    table = np.full((len(_STATUSES), len(_ENROLLMENT_TYPES), 2), NO_OUTCOME, dtype=np.int8)
    for i, status in enumerate(_STATUSES):
        for j, college_type in enumerate(_ENROLLMENT_TYPES):
            for yours in (False, True):
                outcome = enrollment_outcome(status, college_type, yours=yours)
                if outcome is not None:
                    table[i, j, int(yours)] = outcome
    return table.ravel()


_ENROLLMENT_TABLE = _enrollment_table()


def enrollment_priorities(enrollments: Table, yours: NDArray[np.bool_]) -> NDArray[np.int8]:
    """
    The outcome priority (5, 6 or 7) of each enrollment term, :data:`NO_OUTCOME` when it does not count.

    Vectorised: status, college type and "yours" make one small index into a table of
    every combination, so the whole job is a few ``int8`` operations and one gather.
    """
    status = enrollments.data["enrollment_status"]
    ctype = enrollments.data["college_type"]
    # The largest index is 10 * 5 * 2 - 1 = 99, so int8 arithmetic cannot overflow.
    key = status + np.int8(1)
    key *= np.int8(len(_ENROLLMENT_TYPES) * 2)
    key += (ctype + np.int8(1)) * np.int8(2)
    key += yours.view(np.int8)
    out: NDArray[np.int8] = _ENROLLMENT_TABLE[key]
    return out


def degree_priorities(kinds: NDArray[np.int8], yours: NDArray[np.bool_]) -> NDArray[np.int8]:
    """The outcome priority (1-4) of each degree, :data:`NO_OUTCOME` for certificates and unknowns."""
    four = np.int8(DegreeKind.FOUR_YEAR.code)
    two = np.int8(DegreeKind.TWO_YEAR.code)
    out = np.full(len(kinds), NO_OUTCOME, dtype=np.int8)
    out[kinds == four] = Outcome.FOUR_YEAR_DEGREE_OTHER
    out[kinds == two] = Outcome.TWO_YEAR_DEGREE_OTHER
    # Each "from your institution" outcome is one better than its "other institution" twin.
    out[yours & (out < NO_OUTCOME)] -= 1
    return out
