"""Fixed-width records: one line cut into its fields (the formats' layouts, the Oregon extract)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from ..errors import InvalidArgumentError

__all__ = ["split_fixed"]


def split_fixed(line: str, widths: Sequence[int], *, layout: str) -> list[str]:
    """
    The characters of each field of one fixed-width record, its line end removed.

    Args:
        line: One record, with or without its line end.
        widths: Each field's width, in order.
        layout: How the error names the layout (``"this layout"``, ``"layout 2023-24"``).

    Raises:
        InvalidArgumentError: If the record is not exactly as long as its fields together.

    Examples:
        >>> split_fixed("D1A7     12\\r\\n", (2, 6, 3), layout="this layout")
        ['D1', 'A7    ', ' 12']
    """
    text = line.rstrip("\r\n")
    width = sum(widths)
    if len(text) != width:
        msg = f"a record of {layout} has {width} characters, not {len(text)}"
        raise InvalidArgumentError(msg)
    ends = itertools.accumulate(widths)
    return [text[end - w : end] for w, end in zip(widths, ends, strict=True)]
