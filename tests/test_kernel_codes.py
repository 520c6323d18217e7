"""Coded enums: every code set stores the number written beside each member, not its position."""

from __future__ import annotations

import pytest

import edoutcomes.model as model
from edoutcomes._kernel._codes import Coded
from edoutcomes.errors import InvalidArgumentError

CODE_SETS = sorted(
    (obj for obj in vars(model).values() if isinstance(obj, type) and issubclass(obj, Coded)),
    key=lambda cls: cls.__name__,
)


def test_found_code_sets() -> None:
    """The model's code sets are all coded enums (the list below is not empty by accident)."""
    assert {"CollegeType", "FerpaBlock", "Gender", "LetterGrade"} <= {c.__name__ for c in CODE_SETS}


@pytest.mark.parametrize("codes", CODE_SETS, ids=lambda c: c.__name__)
def test_codes_are_dense_and_looked_up_by_code(codes: type[Coded]) -> None:
    """Each member's stored code is 0..n-1, one per member, and looks the member up again."""
    table = codes.by_code()

    assert list(range(len(table))) == sorted(m.code for m in codes)
    assert all(table[m.code] is m and codes.from_code(m.code) is m for m in codes)


class Reversed(Coded):
    """A code set whose codes run against its definition order."""

    LAST = "z", 2
    MIDDLE = "m", 1
    FIRST = "a", 0


def test_stored_code_is_not_the_position() -> None:
    """Codes follow what is written beside the members, whatever their order in the enum."""
    assert [2, 1, 0, -1] == Reversed.codes([Reversed.LAST, "m", Reversed.FIRST, None]).tolist()
    assert (Reversed.FIRST, Reversed.MIDDLE, Reversed.LAST) == Reversed.by_code()


def test_gaps_are_a_definition_error() -> None:
    """A code set whose codes skip a number is refused on first use."""

    class Gappy(Coded):
        ONE = "1", 0
        THREE = "3", 2

    with pytest.raises(TypeError, match=r"stored codes must be 0\.\.1"):
        Gappy.by_code()


def test_unknown_code_refused() -> None:
    """A number no member is stored as is an argument error."""
    with pytest.raises(InvalidArgumentError, match="not a stored Reversed code"):
        Reversed.from_code(3)
