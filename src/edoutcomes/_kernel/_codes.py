"""
Coded enums: the code sets of the files, as enums whose values are the published codes.

Each member also carries an explicit stored code: the small number the columnar view keeps
for it (``int8``), written beside the member (``FOUR_YEAR = "4", 0``). Reordering the members
never changes what a stored number means, and engines look members up by code through
:meth:`Coded.by_code`, never by their position in the enum.
"""

from __future__ import annotations

import enum
from typing import Any, Self

import numpy as np
from numpy.typing import NDArray

from ..errors import InvalidArgumentError

__all__ = ["Coded"]

#: Members by stored code, per code set, built (and checked) on first use.
_BY_CODE: dict[type[Any], tuple[Any, ...]] = {}


class Coded(enum.StrEnum):
    """
    A code set: ``parse`` accepts the code and known spellings, else the UNKNOWN member.

    Examples:
        >>> class Light(Coded):
        ...     RED = "R", 0
        ...     GREEN = "G", 1
        ...     UNKNOWN = "unknown", 2
        >>> Light("G").code, Light.by_code()[0], Light.from_code(1)
        (1, <Light.RED: 'R'>, <Light.GREEN: 'G'>)
        >>> Light.codes([Light.GREEN, None]).tolist()
        [1, -1]
    """

    _value_: str
    _code: int

    def __new__(cls, value: str, code: int = -1) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member._code = code
        return member

    @property
    def code(self) -> int:
        """The number the columnar view stores for this member (written beside it)."""
        return self._code

    @classmethod
    def by_code(cls) -> tuple[Self, ...]:
        """
        The members indexed by stored code: ``by_code()[m.code] is m``.

        Raises:
            TypeError: If the codes are not 0, 1, ... with one member each (a definition error).
        """
        table = _BY_CODE.get(cls)
        if table is None:
            members = sorted(cls, key=lambda m: m.code)
            if [m.code for m in members] != list(range(len(members))):
                msg = f"{cls.__name__}: stored codes must be 0..{len(members) - 1}, one per member"
                raise TypeError(msg)
            table = _BY_CODE[cls] = tuple(members)
        return table

    @classmethod
    def from_code(cls, code: int) -> Self:
        """The member stored as *code*."""
        if not 0 <= code < len(cls.by_code()):
            msg = f"{code=} is not a stored {cls.__name__} code"
            raise InvalidArgumentError(msg)
        return cls.by_code()[code]

    @classmethod
    def codes(cls, members: Any) -> NDArray[np.int8]:
        """The stored codes (``int8``) of *members*, -1 for None."""
        return np.array([-1 if m is None else cls(m).code for m in members], dtype=np.int8)

    @classmethod
    def _aliases(cls) -> dict[str, str]:
        return {}

    @classmethod
    def parse(cls, text: str) -> Self:
        """Map a code as files spell it to its member; unknown codes give ``UNKNOWN``."""
        raw = text.strip()
        try:
            return cls(raw)
        except ValueError:
            pass
        folded = raw.upper()
        for member in cls:
            if member.value.upper() == folded:
                return member
        alias = cls._aliases().get(folded)
        if alias is not None:
            return cls(alias)
        return cls("unknown")
