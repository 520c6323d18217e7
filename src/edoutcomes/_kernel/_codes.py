"""Coded enums: the code sets of the files, as enums whose values are the published codes."""

from __future__ import annotations

import enum
from typing import Self

__all__ = ["Coded"]


class Coded(enum.StrEnum):
    """A code set: ``parse`` accepts the code and known spellings, else the UNKNOWN member."""

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
