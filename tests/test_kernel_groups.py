"""The kernel's runs of equal keys (edoutcomes._kernel._groups) against plain Python loops."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from edoutcomes._kernel._groups import first_rows, run_ends, run_lengths, run_places, run_starts

#: Two sorted key columns of the same length (small values, so runs are common).
keys = st.integers(0, 40).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 3), min_size=n, max_size=n),
        st.lists(st.integers(0, 2), min_size=n, max_size=n),
    )
)


def reference_runs(rows: list[tuple[int, int]]) -> list[list[int]]:
    """The runs of *rows* (in order) as lists of positions: one run per stretch of equal rows."""
    runs: list[list[int]] = []
    for i, row in enumerate(rows):
        if runs and rows[runs[-1][0]] == row:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def sorted_columns(pair: tuple[list[int], list[int]]) -> tuple[np.ndarray, np.ndarray, list]:
    rows = sorted(zip(*pair, strict=True))
    first = np.array([a for a, _ in rows], dtype=np.int32)
    second = np.array([b for _, b in rows], dtype=np.int64)
    return first, second, rows


@given(keys)
def test_runs_match_the_reference(pair: tuple[list[int], list[int]]) -> None:
    """Starts, ends, places and lengths are those of the runs a loop over the rows finds."""
    first, second, rows = sorted_columns(pair)
    runs = reference_runs(rows)

    starts = run_starts([first, second])

    assert [run[0] for run in runs] == np.flatnonzero(starts).tolist()
    assert [run[-1] for run in runs] == np.flatnonzero(run_ends(starts)).tolist()
    assert [place for run in runs for place in range(len(run))] == run_places(starts).tolist()
    assert [len(run) for run in runs] == run_lengths(starts).tolist()


@given(keys)
def test_one_key_runs_are_coarser(pair: tuple[list[int], list[int]]) -> None:
    """Runs of the first key alone begin only where runs of both keys begin."""
    first, second, _ = sorted_columns(pair)

    both = run_starts([first, second])
    alone = run_starts([first])

    assert not (alone & ~both).any()


@given(st.lists(st.integers(-2, 6), max_size=40))
def test_first_rows_match_the_reference(groups: list[int]) -> None:
    """Each group's first row is the first row a loop meets with it; negative groups take no part."""
    expected = [next((i for i, g in enumerate(groups) if g == group), -1) for group in range(7)]

    actual = first_rows(np.array(groups, dtype=np.int32), 7)

    assert expected == actual.tolist()


def test_empty() -> None:
    """No rows: no runs (and no error)."""
    nothing = np.empty(0, dtype=np.int32)

    starts = run_starts([nothing])

    assert [] == starts.tolist()
    assert [] == run_ends(starts).tolist()
    assert [] == run_places(starts).tolist()
    assert [] == run_lengths(starts).tolist()
    assert [-1, -1] == first_rows(nothing, 2).tolist()
