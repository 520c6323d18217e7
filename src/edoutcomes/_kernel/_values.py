"""
The one value formatter: how a typed value is written in a text file.

Two layouts exist: ``canonical`` (ISO dates ``YYYY-MM-DD``, CIP ``NN.NNNN``), which the
library's own tables and every report use, and ``nsc`` (``YYYYMMDD`` dates, six-digit CIP),
which the clearinghouse's files use. Everything else is the same: blank for None, ``Y``/``N``
for booleans, a code's published value, ``repr`` of a float.

:func:`format_value` formats one value; :func:`column_strings` formats a columnar column once
per distinct value and gives an index per row, so a writer does no Python work per value.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import Any, Literal, cast

import numpy as np
from numpy.typing import NDArray

from ..model import Cip, CollegeCode, Column, Kind
from ._days import MISSING_DAY, date_of

__all__ = [
    "FORMULA_STARTS",
    "Layout",
    "column_strings",
    "first_bytes",
    "format_value",
    "formula_mask",
    "looks_like_formula",
    "spreadsheet_safe",
    "unique_ints",
]

#: Which text form dates and CIP codes take.
Layout = Literal["canonical", "nsc"]
#: First characters that make a spreadsheet run a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")


def looks_like_formula(text: str) -> bool:
    """
    Whether a spreadsheet would run *text* as a formula (a plain number like ``-5`` is not).

    Examples:
        >>> [looks_like_formula(v) for v in ("=SUM(A1)", "@cmd", "-5", "+1.5", "-", "Lee", "\\tx")]
        [True, True, False, False, True, False, True]
    """
    return text.startswith(FORMULA_STARTS) and _PLAIN_NUMBER.fullmatch(text) is None


def first_bytes(strings: Any) -> NDArray[np.uint8]:
    """
    The first byte of each string of a pyarrow string array (0 for an empty string).

    Examples:
        >>> import pyarrow as pa
        >>> first_bytes(pa.array(["ab", "", "=x"])).tolist()
        [97, 0, 61]
    """
    first = np.zeros(len(strings), dtype=np.uint8)
    _, offsets, data = strings.buffers()
    if data is None or not len(strings):
        return first
    start = strings.offset
    bounds = np.frombuffer(offsets, dtype=np.int32)[start : start + len(strings) + 1]
    present = bounds[1:] > bounds[:-1]
    first[present] = np.frombuffer(data, dtype=np.uint8)[bounds[:-1][present]]
    return first


def formula_mask(values: Any) -> NDArray[np.bool_]:
    """
    :func:`looks_like_formula` for each of many strings (a numpy or pyarrow array), in Arrow.

    Only the strings whose first byte is a formula start are matched against the number
    pattern, so a column of ordinary values costs one look at each first byte.

    Examples:
        >>> formula_mask(np.array(["=1", "-5", "x", "@a"], dtype=object)).tolist()
        [True, False, False, True]
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    strings = values if isinstance(values, pa.Array) else pa.array(values, type=pa.string())
    if not pa.types.is_string(strings.type) or strings.null_count:
        strings = strings.cast(pa.string()).fill_null("")
    flagged = np.zeros(len(strings), dtype=bool)
    first = first_bytes(strings)
    starts = np.isin(first, np.frombuffer("".join(FORMULA_STARTS).encode(), dtype=np.uint8))
    if not starts.any():
        return flagged
    candidates = np.flatnonzero(starts)
    number = pc.match_substring_regex(strings.take(pa.array(candidates)), _PLAIN_NUMBER.pattern)
    flagged[candidates] = ~number.to_numpy(zero_copy_only=False)
    return flagged


def spreadsheet_safe(text: str) -> str:
    """
    *text* as a CSV for people writes it: a formula-looking value gets a leading ``'``.

    Examples:
        >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("-5"), spreadsheet_safe("Lee")
        ("'=HYPERLINK(1)", '-5', 'Lee')
    """
    return "'" + text if looks_like_formula(text) else text


def format_value(value: object, *, layout: Layout = "canonical") -> str:
    """
    A typed value as text: ISO (or ``YYYYMMDD``) dates, codes, ``Y``/``N``, blank for None.

    Examples:
        >>> [format_value(v) for v in (None, True, dt.date(2024, 1, 2), 3, 1.5)]
        ['', 'Y', '2024-01-02', '3', '1.5']
        >>> [format_value(v, layout="nsc") for v in (dt.date(2007, 8, 27), Cip.parse("9.0401"))]
        ['20070827', '090401']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%Y%m%d") if layout == "nsc" else value.isoformat()
    if isinstance(value, Cip):
        return f"{value.packed:06d}" if layout == "nsc" else str(value)
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, float | np.floating):
        return repr(float(value))
    return str(value)


def unique_ints(values: NDArray[Any]) -> tuple[NDArray[Any], NDArray[np.int64]]:
    """Sorted distinct integers and the index of each value: by a direct table when the range is small."""
    if len(values) == 0 or values.dtype.kind not in "iu":
        return np.unique(values, return_inverse=True)
    low = int(values.min())
    span = int(values.max()) - low + 1
    if span > max(1 << 20, 4 * len(values)):
        # A wide range (college codes): hash in Arrow, then sort only the distinct values.
        import pyarrow as pa
        import pyarrow.compute as pc

        encoded = pc.dictionary_encode(pa.array(values))
        distinct = encoded.dictionary.to_numpy()
        order = np.argsort(distinct, kind="stable")
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        return distinct[order], rank[encoded.indices.to_numpy()]
    offsets = values.astype(np.int64) - low
    present = np.zeros(span, dtype=bool)
    present[offsets] = True
    distinct = np.flatnonzero(present)
    table = np.empty(span, dtype=np.int64)
    table[distinct] = np.arange(len(distinct))
    return (distinct + low).astype(values.dtype), table[offsets]


def column_strings(
    column: Column,
    data: NDArray[Any],
    categories: NDArray[np.object_] | None,
    *,
    layout: Layout = "canonical",
) -> tuple[list[str], NDArray[np.int32]]:
    """
    One columnar column as its distinct written strings and an index per row (-1: blank).

    Examples:
        >>> from edoutcomes.model import ENROLLMENTS
        >>> strings, codes = column_strings(ENROLLMENTS["begin_date"], np.array([13381, MISSING_DAY, 13381], np.int32), None, layout="nsc")
        >>> strings, codes.tolist()
        (['20060821'], [0, -1, 0])
    """
    kind = column.kind
    if kind is Kind.TEXT:
        assert categories is not None
        return [str(c) for c in categories.tolist()], data.astype(np.int32, copy=False)
    if kind is Kind.CODE:
        assert column.codes is not None
        return [str(m.value) for m in column.codes.by_code()], data.astype(np.int32, copy=False)
    if kind is Kind.BOOL:
        return ["N", "Y"], data.astype(np.int32, copy=False)
    missing = (
        np.isnan(data)
        if kind is Kind.NUMBER
        else data == (MISSING_DAY if kind is Kind.DATE else -1)
    )
    if kind is not Kind.DATE:
        missing |= data < 0 if kind is not Kind.NUMBER else missing
    present = ~missing
    if kind is Kind.NUMBER:
        unique, inverse = np.unique(data[present], return_inverse=True)
    else:
        unique, inverse = unique_ints(data[present])
    values = unique.tolist()
    strings: list[str]
    if kind is Kind.DATE:
        form = "%Y%m%d" if layout == "nsc" else "%Y-%m-%d"
        strings = [date_of(int(d)).strftime(form) for d in values]
    elif kind is Kind.NUMBER:
        strings = [repr(float(v)) for v in values]
    elif kind is Kind.COLLEGE_CODE:
        strings = [str(CollegeCode.unpack(int(v))) for v in values]
    elif kind is Kind.CIP:
        strings = [f"{int(v):06d}" if layout == "nsc" else str(Cip.unpack(int(v))) for v in values]
    else:  # pragma: no cover - every Kind is handled above
        msg = f"column {column.name!r} of kind {kind} has no text form"
        raise AssertionError(msg)
    codes = np.full(len(data), -1, dtype=np.int32)
    codes[present] = inverse
    return strings, cast(NDArray[np.int32], codes)
