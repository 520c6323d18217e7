"""
Today's secondary suppression and relation builders, kept plain as the reference.

``reference_suppress`` is the sequential reading of the rule (sweeps over the relations in
order, each seeing the cells hidden before it, until a sweep changes nothing), one relation
at a time; the two builders list the high-school grid's and the readiness indicators'
relations one by one. The vectorised kernel and builders are checked against them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from edoutcomes._kernel._suppression import Relation, Suppression


def reference_suppress(
    values: NDArray[np.int64], relations: Sequence[Relation], *, below: int
) -> NDArray[np.int8]:
    """The suppression reason of every cell, one relation at a time."""
    flat = np.asarray(values, dtype=np.int64).ravel()
    reasons = np.zeros(len(flat), dtype=np.int8)
    reasons[(flat >= 0) & (flat < below)] = Suppression.SMALL_COUNT
    cells = [np.array((r.total, *r.parts), dtype=np.intp) for r in relations]
    open_relations = [i for i, r in enumerate(relations) if r.remainder == 0]
    changed = True
    while changed:
        changed = False
        for i in open_relations:
            members = cells[i]
            members = members[flat[members] >= 0]
            hidden = reasons[members] != Suppression.NONE
            if int(hidden.sum()) != 1:
                continue
            shown = members[~hidden]
            if len(shown) == 0:
                continue
            parts = shown[shown != relations[i].total]
            pool = parts if len(parts) else shown
            pick = pool[np.argmin(flat[pool])]
            reasons[pick] = Suppression.SECONDARY
            changed = True
    return reasons.reshape(np.shape(values))


def reference_highschool_relations(
    grid_shape: tuple[int, int, int],
    measures: tuple[str, ...],
    counts: NDArray[np.int64],
    *,
    n_years: int,
    total_column: bool,
) -> list[Relation]:
    """Every additive relation of the high-school grid, one by one."""
    n_hs, n_cls, n_m = grid_shape
    index = {m: i for i, m in enumerate(measures)}

    def cell(h: int, c: int, m: int) -> int:
        return (h * n_cls + c) * n_m + m

    out: list[Relation] = []
    for c in range(n_cls):
        for m in range(n_m):
            out.append(Relation(cell(0, c, m), tuple(cell(h, c, m) for h in range(1, n_hs))))
    if total_column:
        last = n_cls - 1
        for h in range(n_hs):
            for m in range(n_m):
                out.append(Relation(cell(h, last, m), tuple(cell(h, c, m) for c in range(last))))
    splits = (("4yr", "2yr", "lt2yr"), ("public", "private"), ("in_state", "out_of_state"))
    families: list[tuple[str, tuple[str, ...]]] = []
    done = f"completed_{n_years}yr"
    for prefix in ("enrolled_fall", "enrolled_year1", "persisted", "retained", done):
        for family in splits:
            families.append((prefix, tuple(f"{prefix}_{s}" for s in family)))
    families.append((done, (f"{done}_4year", f"{done}_2year")))
    families.append((done, tuple(f"first_degree_in_year_{k}" for k in range(n_years + 1))))
    flat = counts.ravel()
    for h in range(n_hs):
        for c in range(n_cls):
            for total, parts in families:
                t = cell(h, c, index[total])
                ps = tuple(cell(h, c, index[p]) for p in parts)
                if flat[t] < 0:
                    continue
                remainder = int(flat[t] - sum(int(flat[p]) for p in ps if flat[p] >= 0))
                out.append(Relation(t, ps, remainder))
    return out


def reference_readiness_relations(
    n_values: Sequence[int], offsets: Sequence[int], n_s: int, n_c: int
) -> list[Relation]:
    """Totals and parts of the indicators: over schools, classes and an attribute's values."""
    out: list[Relation] = []
    for n_v, offset in zip(n_values, offsets, strict=True):

        def cell(s: int, c: int, v: int, offset: int = offset, n_v: int = n_v) -> int:
            return offset + (s * (n_c + 1) + c) * n_v + v

        for v in range(n_v):
            for c in range(n_c + 1):
                out.append(Relation(cell(n_s, c, v), tuple(cell(s, c, v) for s in range(n_s))))
            for s in range(n_s + 1):
                out.append(Relation(cell(s, n_c, v), tuple(cell(s, c, v) for c in range(n_c))))
        if offset:
            for s in range(n_s + 1):
                for c in range(n_c + 1):
                    total = s * (n_c + 1) + c
                    out.append(Relation(total, tuple(cell(s, c, v) for v in range(n_v))))
    return out
