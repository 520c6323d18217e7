"""The degree kind of each degree record, through the degree-title table the specs share."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..model import DEGREE_TITLES, CollegeType, DegreeTitleTable, Table

__all__ = ["degree_kind_codes"]

_TYPES = CollegeType.by_code()


def degree_kind_codes(
    degrees: Table, degree_titles: DegreeTitleTable = DEGREE_TITLES
) -> NDArray[np.int8]:
    """
    The :class:`DegreeKind` of each degree, as its stored ``int8`` code.

    Each distinct (title, college type) pair is classified once by *degree_titles* (every
    pair of the title categories, into a lookup table, when there are few; else only the
    pairs that occur), then the kinds are gathered back to the records.

    Examples:
        >>> import datetime as dt
        >>> from edoutcomes.model import CollegeCode, DegreeKind, DegreeRecord
        >>> table = Table.from_records("degrees", [
        ...     DegreeRecord("1", CollegeCode.parse("001817-00"), dt.date(2005, 5, 1), degree_title="AA"),
        ...     DegreeRecord("2", CollegeCode.parse("001817-00"), dt.date(2005, 5, 1),
        ...                  college_type=CollegeType.FOUR_YEAR)])
        >>> [DegreeKind.from_code(k) for k in degree_kind_codes(table)]
        [<DegreeKind.TWO_YEAR: '2-year'>, <DegreeKind.FOUR_YEAR: '4-year'>]
    """
    titles = degrees.data["degree_title"]
    ctypes = degrees.data["college_type"]
    categories = degrees.categories["degree_title"].tolist()
    width = len(_TYPES) + 1
    # Index = (title code + 1) * width + (type code + 1), so missing (-1) is slot 0 of each.
    if (len(categories) + 1) * width <= max(len(titles), 4096):
        # Few distinct titles: classify every (title, type) pair once into a lookup table.
        pairs = range((len(categories) + 1) * width)
        codes = None
    else:
        # Many titles (free text): classify only the pairs that occur.
        keys = (titles.astype(np.int64) + 1) * width + (ctypes.astype(np.int64) + 1)
        distinct, inverse = np.unique(keys, return_inverse=True)
        pairs, codes = distinct.tolist(), inverse.ravel()
    table = np.empty(len(pairs), dtype=np.int8)
    for i, pair in enumerate(pairs):
        title_code, type_code = divmod(pair, width)
        title = categories[title_code - 1] if title_code else None
        college_type = _TYPES[type_code - 1] if type_code else None
        table[i] = degree_titles.kind(title, college_type).code
    if codes is None:
        key = titles + np.int32(1)
        key *= width
        key += ctypes + np.int8(1)
        out: NDArray[np.int8] = table[key]
    else:
        out = table[codes]
    return out
