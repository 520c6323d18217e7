"""
A report's cells as the trends page shows them, built a column at a time.

Each cell of a report becomes a pair ``(value written, text shown)``: the value as the
report's file writes it (``format_value`` of :attr:`Cell.shown`), and the page's text
(``54.1%``, ``1,234``, ``*``, ``n/a`` or an en dash). The pairs are computed with numpy per
column of the report's grid and formatted once per distinct value; the page's embedded JSON
is joined from them in one pass, never one Python object per cell.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from .._kernel._suppression import Suppression
from ._reports import OutcomeReport
from ._trends_render import RowView

__all__ = ["ShownCells", "percent", "shown_cells", "tables_json"]

#: The pairs that do not depend on a value, by key (a cell's key is below ``_FIRST``).
_FIXED: tuple[tuple[str, str], ...] = (
    ("", "n/a"),  # not available
    ("*", "*"),  # a hidden count
    ("", "*"),  # a rate of a hidden count (blank in the file)
    ("", "\u2013"),  # a rate with no one in its denominator
)
_NA, _HIDDEN, _BLANK_HIDDEN, _NO_DENOMINATOR = range(4)
_FIRST = len(_FIXED)


def _dumps(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def percent(rate: Decimal) -> str:
    return f"{(rate * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def _count_keys(value: NDArray[np.int64], reason: NDArray[np.int8]) -> NDArray[np.int64]:
    """A count's key: fixed for n/a and hidden, else ``_FIRST + 2 * value``."""
    out = np.where(value >= 0, _FIRST + 2 * value, _NA)
    out = np.where((value >= 0) & (reason != Suppression.NONE), _HIDDEN, out)
    blank = (value >= 0) & (reason == Suppression.RATE_OF_HIDDEN)
    return np.where(blank, _BLANK_HIDDEN, out)


def _rate_keys(
    count: NDArray[np.int64],
    denominator: NDArray[np.int64],
    hidden: NDArray[np.bool_],
) -> NDArray[np.int64]:
    """A rate's key: fixed for n/a, hidden and no denominator, else ``_FIRST + 2 * q + 1``."""
    safe = np.maximum(denominator, 1)
    # The report's rate: count / denominator half up to 4 decimals, as an integer q / 10,000.
    q = (2 * count * 10_000 + safe) // (2 * safe)
    out = np.where(denominator > 0, _FIRST + 2 * q + 1, _NO_DENOMINATOR)
    out = np.where(hidden, _BLANK_HIDDEN, out)
    return np.where((count >= 0) & (denominator >= 0), out, _NA)


def _pair(key: int) -> tuple[str, str]:
    """The pair of one distinct key."""
    if key < _FIRST:
        return _FIXED[key]
    value, is_rate = divmod(key - _FIRST, 2)
    if not is_rate:
        return str(value), f"{value:,}"
    shown = Decimal(value).scaleb(-4)
    return str(shown), percent(shown)


@frozen
class ShownCells:
    """
    A report's cells as the page shows them.

    Attributes:
        columns: The report's columns after the keys.
        schools: Each row's high school, rows of one school together (in order of first row).
        years: Each row's class year.
        codes: Per row and column, the index of the cell's pair in *pairs*.
        pairs: The distinct ``(value written, text shown)`` pairs.
    """

    columns: tuple[str, ...]
    schools: tuple[str, ...]
    years: NDArray[np.int64]
    codes: NDArray[np.intp]
    pairs: tuple[tuple[str, str], ...]

    def views(self) -> dict[str, list[RowView]]:
        """Per high school, the rows a chart or table draws."""
        pairs = np.empty(len(self.pairs), dtype=object)
        for i, pair in enumerate(self.pairs):  # one per distinct pair, not per cell
            pairs[i] = pair
        out: dict[str, list[RowView]] = {}
        cells = pairs[self.codes].tolist() if len(self.pairs) else [[] for _ in self.schools]
        for school, year, row in zip(self.schools, self.years.tolist(), cells, strict=True):
            out.setdefault(school, []).append((year, dict(zip(self.columns, row, strict=True))))
        return out


def shown_cells(report: OutcomeReport) -> ShownCells:
    """The cells of *report* as pairs (see :class:`ShownCells`)."""
    grid, rows = report.grid, np.asarray(report.row_index, dtype=np.intp)
    keys = np.empty((len(rows), len(report.specs)), dtype=np.int64)
    for j, spec in enumerate(report.specs):
        c = grid.column(spec[1])
        value, reason = grid.counts[rows, c], grid.reasons[rows, c]
        if spec[0] == "count":
            keys[:, j] = _count_keys(value, reason)
            continue
        d = grid.column(spec[2])
        hidden = (reason != Suppression.NONE) | (grid.reasons[rows, d] != Suppression.NONE)
        keys[:, j] = _rate_keys(value, grid.counts[rows, d], hidden)
    distinct, codes = np.unique(keys, return_inverse=True)
    school_of = [key[0] for key in report.keys]
    years = np.array([key[1] for key in report.keys], dtype=np.int64)
    # Rows of one school together, schools in order of their first row (as the page lists them).
    names, first, inverse = np.unique(school_of, return_index=True, return_inverse=True)
    rank = np.argsort(np.argsort(first))
    order = np.argsort(rank[inverse], kind="stable")
    return ShownCells(
        tuple(report.columns[2:]),
        tuple(str(names[i]) for i in inverse[order]),
        years[order],
        codes.reshape(keys.shape)[order],
        tuple(_pair(int(k)) for k in distinct.tolist()),
    )


def tables_json(cells: ShownCells) -> str:
    """
    The JSON of ``{school: [[year, [[value, text], ...]], ...], ...}`` for *cells*, as
    ``json.dumps(..., separators=(",", ":"), ensure_ascii=False)`` writes it.
    """
    n_rows, n_cols = cells.codes.shape
    if n_rows == 0:
        return "{}"
    pair_json = np.array([_dumps(list(p)) for p in cells.pairs], dtype=object)
    schools = np.array(cells.schools, dtype=object)
    start = np.ones(n_rows, dtype=bool)
    start[1:] = schools[1:] != schools[:-1]
    end = np.ones(n_rows, dtype=bool)
    end[:-1] = start[1:]
    years, year_at = np.unique(cells.years, return_inverse=True)
    year_text = np.array([f"[{y},[" for y in years.tolist()], dtype=object)
    names, name_at = np.unique(schools[start].astype(str), return_inverse=True)
    name_text = np.array([_dumps(str(s)) + ":[" for s in names], dtype=object)
    head = np.full(n_rows, ",", dtype=object)
    head[0] = ""
    head[start] = head[start] + name_text[name_at]
    pieces = np.full((n_rows, 2 * n_cols + 1), ",", dtype=object)
    pieces[:, 0] = head + year_text[year_at]
    pieces[:, 1 : 2 * n_cols : 2] = pair_json[cells.codes]
    pieces[:, 2 * n_cols] = np.where(end, "]]]", "]]")
    return "{" + "".join(pieces.ravel().tolist()) + "}"
