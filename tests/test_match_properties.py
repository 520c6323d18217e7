"""Matching invariants, the vectorised engines against plain references, recordlinkage interop."""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from match_extra import MATCH_EXTRA_MISSING

pytest.importorskip("rapidfuzz", reason=MATCH_EXTRA_MISSING)
pytest.importorskip("jellyfish", reason=MATCH_EXTRA_MISSING)

from edoutcomes.match import FellegiSunterMatcher, MatchResult, match_students
from edoutcomes.match._blocking import SortedKeys, join
from edoutcomes.match._compare import birth_levels, ssn_levels
from edoutcomes.model import MISSING_DAY, Table, dates_to_days
from edoutcomes.synth import SyntheticMatching, synthetic_matching

pytestmark = pytest.mark.match


@cache
def _data(seed: int) -> SyntheticMatching:
    return synthetic_matching(400, 150, seed=seed)


def _by_id(result: MatchResult) -> dict[str, tuple[str | None, object, object]]:
    return {m.requester_id: (m.person_id, m.match_pass, m.reason) for m in result.matches()}


@settings(max_examples=8)
@given(st.integers(0, 2), st.randoms(use_true_random=False))
def test_invariant_to_row_order(seed: int, random: object) -> None:
    """Shuffling the submitted rows and the store rows changes no student's outcome."""
    data = _data(seed)
    rng = np.random.default_rng(random.randrange(2**32))  # type: ignore[attr-defined]
    left = data.submitted.take(rng.permutation(data.submitted.n_rows))
    right = data.people.take(rng.permutation(data.people.n_rows))

    expected = _by_id(match_students(data.submitted, data.people))
    actual = _by_id(match_students(left, right))

    assert expected == actual


@pytest.mark.parametrize("chunk_size", [1, 7, 10_000])
def test_each_student_exactly_once(chunk_size: int) -> None:
    """Every submitted student appears once, in submission order, whatever the chunk size."""
    data = _data(0)

    result = FellegiSunterMatcher(chunk_size=chunk_size).match(data.submitted, data.people)

    assert data.submitted.text("requester_id").tolist() == result.requester_ids.tolist()
    assert data.submitted.n_rows == len(result.matches())
    assert all((m.person_id is None) != (m.reason is None) for m in result.matches())


def test_chunking_does_not_change_results() -> None:
    """Results are the same whether the submitted rows are processed at once or in chunks."""
    data = _data(1)

    whole = _by_id(FellegiSunterMatcher(chunk_size=10_000).match(data.submitted, data.people))
    chunked = _by_id(FellegiSunterMatcher(chunk_size=13).match(data.submitted, data.people))

    assert whole == chunked


def test_synthetic_quality() -> None:
    """On synthetic students with realistic errors, false matches are rare and recall is high."""
    data = synthetic_matching(3000, 1000, seed=5)

    result = match_students(data.submitted, data.people)

    found, truth = result.person, data.truth
    tp = int(((found >= 0) & (found == truth)).sum())
    fp = int(((found >= 0) & (found != truth)).sum())
    assert fp <= 2
    assert tp >= 0.97 * int((truth >= 0).sum())


# --- the vectorised engines against plain per-pair references ---


def _join_reference(left: list[int], right: list[int], max_block: int) -> set[tuple[int, int]]:
    sizes = {k: right.count(k) for k in set(right)}
    return {
        (i, j)
        for i, a in enumerate(left)
        for j, b in enumerate(right)
        if a >= 0 and a == b and sizes[b] <= max_block
    }


@given(
    st.lists(st.integers(-1, 6), max_size=30),
    st.lists(st.integers(-1, 6), max_size=30),
    st.integers(1, 5),
)
def test_join_matches_reference(left: list[int], right: list[int], max_block: int) -> None:
    """The sort/merge join gives exactly the equal-key pairs of blocks no bigger than the cap."""
    li, ri = join(
        np.array(left, dtype=np.int64),
        SortedKeys.of(np.array(right, dtype=np.int64)),
        max_block=max_block,
    )

    assert _join_reference(left, right, max_block) == set(
        zip(li.tolist(), ri.tolist(), strict=True)
    )


def _birth_reference(a: dt.date | None, b: dt.date | None) -> int:
    if a is None or b is None:
        return -1
    if a == b:
        return 4
    if a.year == b.year and a.month == b.day and a.day == b.month:
        return 3
    x, y = a.strftime("%Y%m%d"), b.strftime("%Y%m%d")
    diff = [k for k in range(8) if x[k] != y[k]]
    if len(diff) == 1:
        return 2 if diff[0] < 4 else 1
    if (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and x[diff[0]] == y[diff[1]]
        and x[diff[1]] == y[diff[0]]
    ):
        return 2 if diff[1] < 4 else 1
    return 0


dates = st.none() | st.dates(dt.date(1950, 1, 1), dt.date(2030, 12, 31))


@given(st.lists(st.tuples(dates, dates), max_size=20))
def test_birth_levels_match_reference(pairs: list[tuple[dt.date | None, dt.date | None]]) -> None:
    """Vectorised birth-date levels equal a plain per-pair reference."""
    a = dates_to_days([p[0] for p in pairs])
    b = dates_to_days([p[1] for p in pairs])

    assert [_birth_reference(x, y) for x, y in pairs] == birth_levels(a, b).tolist()


def _ssn_reference(a: int, b: int) -> int:
    if a < 0 or b < 0:
        return -1
    if a == b:
        return 2
    x, y = f"{a:010d}", f"{b:010d}"
    diff = [k for k in range(10) if x[k] != y[k]]
    near = len(diff) == 1 or (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and x[diff[0]] == y[diff[1]]
        and x[diff[1]] == y[diff[0]]
    )
    return int(near)


ssns = st.just(-1) | st.integers(100_000_000, 999_999_999)


@given(st.lists(st.tuples(ssns, ssns | st.integers(123_456_780, 123_456_799)), max_size=20))
def test_ssn_levels_match_reference(pairs: list[tuple[int, int]]) -> None:
    """Vectorised SSN levels equal a plain per-pair reference."""
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)

    assert [_ssn_reference(x, y) for x, y in pairs] == ssn_levels(a, b).tolist()


def test_missing_birth_is_null_level() -> None:
    """A missing birth date on either side is the null level."""
    a = np.array([MISSING_DAY, 0], dtype=np.int32)
    b = np.array([0, MISSING_DAY], dtype=np.int32)

    assert [-1, -1] == birth_levels(a, b).tolist()


# --- recordlinkage takes the comparison vectors ---


def _pairs_and_truth() -> tuple[object, np.ndarray]:
    data = _data(2)
    pairs = FellegiSunterMatcher().compare(data.submitted, data.people)
    return pairs, data.truth[pairs.submitted] == pairs.person


def test_comparison_frame_has_pair_index() -> None:
    """The comparison vectors are a DataFrame indexed by (submitted, person) rows, one column per field."""
    pytest.importorskip("pandas")
    pairs, _ = _pairs_and_truth()

    frame = pairs.to_pandas()  # type: ignore[attr-defined]

    assert ["submitted", "person"] == list(frame.index.names)
    assert [f.name for f in pairs.fields] == list(frame.columns)  # type: ignore[attr-defined]
    assert len(pairs) == len(frame)  # type: ignore[arg-type]


def test_recordlinkage_ecm_accepts_frame() -> None:
    """recordlinkage's ECM classifier fits the binary comparison vectors and predicts pairs."""
    recordlinkage = pytest.importorskip("recordlinkage", reason=MATCH_EXTRA_MISSING)
    pairs, _ = _pairs_and_truth()
    frame = pairs.to_pandas(binary=True)  # type: ignore[attr-defined]

    links = recordlinkage.ECMClassifier().fit_predict(frame)

    assert set(links.names) == {"submitted", "person"}
    assert 0 < len(links) <= len(frame)


def test_recordlinkage_logistic_regression_accepts_frame() -> None:
    """recordlinkage's logistic regression trains on the level vectors with known links."""
    recordlinkage = pytest.importorskip("recordlinkage", reason=MATCH_EXTRA_MISSING)
    pairs, truth = _pairs_and_truth()
    frame = pairs.to_pandas()  # type: ignore[attr-defined]
    true_links = frame.index[truth]

    classifier = recordlinkage.LogisticRegressionClassifier()
    classifier.fit(frame, true_links)
    predicted = classifier.predict(frame)

    assert len(predicted.intersection(true_links)) >= 0.9 * len(true_links)


def test_table_input_and_objects_agree() -> None:
    """Matching Student objects gives the same result as matching their table."""
    data = _data(0)
    objects = match_students(data.submitted.to_records(), data.people.to_records())

    assert _by_id(match_students(data.submitted, data.people)) == _by_id(objects)
    assert isinstance(data.people, Table)
