"""Secondary suppression, vectorised, against the sequential reference on random grids."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from suppression_reference import (
    reference_highschool_relations,
    reference_readiness_relations,
    reference_suppress,
)

from edoutcomes._kernel._suppression import Relation, Relations, Suppression, suppress
from edoutcomes.errors import InvalidArgumentError
from edoutcomes.highschool._grid import _relations as highschool_relations
from edoutcomes.readiness._report import _relations as readiness_relations

counts = st.one_of(st.just(-1), st.integers(0, 14), st.integers(0, 60))


@st.composite
def loose_cases(draw: st.DrawFn) -> tuple[np.ndarray, list[Relation], int]:
    """Any cells in any relations: shared cells, repeats, totals among the parts, remainders."""
    n = draw(st.integers(1, 24))
    values = np.array(draw(st.lists(counts, min_size=n, max_size=n)), dtype=np.int64)
    cell = st.integers(0, n - 1)
    relation = st.builds(
        Relation,
        cell,
        st.lists(cell, max_size=7).map(tuple),
        st.one_of(st.just(0), st.just(0), st.integers(-3, 5)),
    )
    return values, draw(st.lists(relation, max_size=20)), draw(st.integers(1, 12))


@st.composite
def table_cases(draw: st.DrawFn) -> tuple[np.ndarray, list[Relation], int]:
    """A table with row and column totals (and the grand total), its relations in any order."""
    rows, cols = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    body = np.array(
        draw(st.lists(st.integers(0, 30), min_size=rows * cols, max_size=rows * cols))
    ).reshape(rows, cols)
    grid = np.zeros((rows + 1, cols + 1), dtype=np.int64)
    grid[:rows, :cols] = body
    grid[rows, :cols] = body.sum(axis=0)
    grid[:, cols] = grid[:, :cols].sum(axis=1)
    missing = draw(st.lists(st.integers(0, grid.size - 1), max_size=3))
    grid.ravel()[missing] = -1
    idx = np.arange(grid.size).reshape(grid.shape)
    relations = [
        Relation(int(idx[r, cols]), tuple(idx[r, :cols].tolist())) for r in range(rows + 1)
    ]
    relations += [
        Relation(int(idx[rows, c]), tuple(idx[:rows, c].tolist())) for c in range(cols + 1)
    ]
    return grid, draw(st.permutations(relations)), draw(st.integers(1, 15))


class TestAgainstReference:
    @given(st.one_of(loose_cases(), table_cases()))
    def test_same_reasons(self, case: tuple[np.ndarray, list[Relation], int]) -> None:
        """
        Every cell gets the reason the sequential sweeps give it, from Relation objects or the layout.
        """
        values, relations, below = case
        expected = reference_suppress(values, relations, below=below)

        assert expected.tolist() == suppress(values, relations, below=below).tolist()
        assert expected.tolist() == suppress(values, Relations.of(relations), below=below).tolist()

    @given(loose_cases())
    def test_layout_round_trip(self, case: tuple[np.ndarray, list[Relation], int]) -> None:
        """
        The layout keeps every relation, in order; take and concat keep them too.
        """
        _, relations, _ = case
        layout = Relations.of(relations)
        half = len(relations) // 2

        assert tuple(relations) == layout.relations()
        assert tuple(relations[::-1]) == layout.take(np.arange(len(relations))[::-1]).relations()
        joined = Relations.concat(
            [layout.take(np.arange(half)), layout.take(np.arange(half, len(relations)))]
        )
        assert tuple(relations) == joined.relations()


class TestEdges:
    def test_cascade_across_sweeps(self) -> None:
        """
        A hide late in a sweep reaches an earlier relation on the next sweep.
        """
        values = np.array([30, 10, 20, 30, 2, 28])
        relations = [Relation(0, (1, 2)), Relation(3, (4, 5)), Relation(1, (4,))]
        expected = reference_suppress(values, relations, below=5)

        assert Suppression.SECONDARY in expected
        assert expected.tolist() == suppress(values, relations, below=5).tolist()

    def test_block(self) -> None:
        """
        A block is its totals, each followed by its row of parts.
        """
        layout = Relations.block([0, 4], [[1, 2, 3], [5, 6, 7]], [0, 1])

        assert (Relation(0, (1, 2, 3)), Relation(4, (5, 6, 7), 1)) == layout.relations()

    @pytest.mark.parametrize("cell", [5, 99])
    def test_cell_outside_the_grid(self, cell: int) -> None:
        """
        A relation naming a cell outside the grid is refused by name, not an IndexError.
        """
        with pytest.raises(InvalidArgumentError, match="outside the grid"):
            suppress(np.zeros(5, dtype=np.int64), [Relation(0, (cell,))], below=3)

    def test_negative_cell(self) -> None:
        """
        A negative cell is refused (it would wrap around to the end of the grid).
        """
        with pytest.raises(InvalidArgumentError):
            Relations.of([Relation(-1, (0,))])

    def test_no_relations(self) -> None:
        """
        Without relations only primary suppression applies.
        """
        assert [1, 0, 0] == suppress(np.array([1, 7, -1]), [], below=3).tolist()


def _highschool_measures(n_years: int) -> list[str]:
    done = f"completed_{n_years}yr"
    splits = ("4yr", "2yr", "lt2yr", "public", "private", "in_state", "out_of_state")
    prefixes = ("enrolled_fall", "enrolled_year1", "persisted", "retained", done)
    return [
        "graduates",
        *prefixes,
        *(f"{p}_{s}" for p in prefixes for s in splits),
        f"{done}_4year",
        f"{done}_2year",
        *(f"first_degree_in_year_{k}" for k in range(n_years + 1)),
    ]


class TestBuilders:
    @given(
        st.integers(1, 4),
        st.integers(1, 4),
        st.integers(1, 4),
        st.booleans(),
        st.randoms(use_true_random=False),
    )
    def test_highschool_grid(
        self, n_hs: int, n_cls: int, n_years: int, total_column: bool, rng: random.Random
    ) -> None:
        """
        The high-school grid's relations are today's, one by one, in the same order.
        """
        measures = _highschool_measures(n_years)
        rng.shuffle(measures)
        shape = (n_hs, n_cls, len(measures))
        counts = np.array([rng.randint(-1, 20) for _ in range(math.prod(shape))]).reshape(shape)

        expected = reference_highschool_relations(
            shape, tuple(measures), counts, n_years=n_years, total_column=total_column
        )
        actual = highschool_relations(
            shape, tuple(measures), counts, n_years=n_years, total_column=total_column
        )
        assert tuple(expected) == actual.relations()

    @given(
        st.lists(st.integers(1, 4), min_size=1, max_size=4), st.integers(0, 4), st.integers(0, 4)
    )
    def test_readiness_indicators(self, n_values: list[int], n_s: int, n_c: int) -> None:
        """
        The readiness indicators' relations are today's, one by one, in the same order.
        """
        n_values = [1, *n_values]  # the ALL block first, one value
        sizes = [(n_s + 1) * (n_c + 1) * n_v for n_v in n_values]
        offsets = np.cumsum([0, *sizes]).tolist()[:-1]
        blocks = [("a", ["v"] * n_v, np.empty(0, np.int64)) for n_v in n_values]

        expected = reference_readiness_relations(n_values, offsets, n_s, n_c)
        assert tuple(expected) == readiness_relations(blocks, offsets, n_s, n_c).relations()
