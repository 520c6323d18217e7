"""College readiness split by student: the combined partials equal the single-process outputs."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_highschool_partials import plain

from edoutcomes.errors import InvalidArgumentError
from edoutcomes.model import K12Columns
from edoutcomes.readiness import (
    ReadinessQuery,
    calgrant_table,
    cleanup_findings,
    evaluate,
    indicators,
    readiness_table,
    release,
    student_status,
    write_readiness,
)
from edoutcomes.synth import synthetic_readiness

AS_OF = dt.date(2025, 7, 15)
#: The per-student tables readiness reads, with the link of each row to its student.
PER_STUDENT = {
    "marks": "mark_student",
    "student_status": "status_student",
    "consents": "consent_student",
    "reported_gpas": "gpa_student",
    "other_source": "other_student",
}


def split_k12(
    data: K12Columns, n_parts: int, seed: int, *, fresh: bool
) -> list[tuple[K12Columns, np.ndarray, dict[str, np.ndarray]]]:
    """Each student (with every record) in a random partition, the whole course list in each."""
    rng = np.random.default_rng(seed)
    part = rng.integers(0, n_parts, data.n_students)
    links = {}
    for name, link in PER_STUDENT.items():
        student = getattr(data, link)
        orphan = rng.integers(0, n_parts, len(student))
        links[name] = np.where(
            student >= 0, part[np.maximum(student, 0)] if len(part) else 0, orphan
        )
    out = []
    for p in range(n_parts):
        s = np.flatnonzero(part == p)
        rows = {name: np.flatnonzero(links[name] == p) for name in PER_STUDENT}
        tables = {name: getattr(data, name).take(r) for name, r in rows.items()}
        tables["course_list"] = data.course_list
        if fresh:
            sub = K12Columns.from_arrow(
                plain(data.students.take(s).to_arrow()),
                **{name: plain(t.to_arrow()) for name, t in tables.items()},
            )
        else:
            sub = K12Columns.from_tables(data.students.take(s), **tables)
        out.append((sub, s, rows))
    return out


class TestCombine:
    # Each example evaluates up to 16 partitions of a district: fewer examples than the profile.
    @settings(max_examples=12)
    @given(st.integers(1, 16), st.integers(0, 2**32 - 1), st.integers(1, 90),
           st.sampled_from([None, 1, 3, 10]), st.sampled_from([(), ("gender",), ("gender", "hispanic")]),
           st.booleans())  # fmt: skip
    def test_equals_single_process(
        self,
        n_parts: int,
        seed: int,
        n_students: int,
        below: int | None,
        attributes: tuple[str, ...],
        fresh: bool,
    ) -> None:
        """
        For any split by student into 1-16 partitions, combine of the partials equals the
        single-process outputs: readiness and Cal Grant tables row for row, the indicators
        cell for cell (suppression after the sum), the clean-up findings with their rows.
        """
        data = synthetic_readiness(n_students, seed=seed % 11, as_of=AS_OF)
        result = evaluate(data, AS_OF)
        status = student_status(result)
        query = ReadinessQuery(as_of=AS_OF, attributes=attributes, suppress_below=below)
        partials = [
            pickle.loads(pickle.dumps(query.partial(sub, student_rows=s, rows=rows)))
            for sub, s, rows in split_k12(data, n_parts, seed, fresh=fresh)
        ]
        actual = query.combine(partials)

        assert readiness_table(result, status).to_arrow().to_pylist() == actual.table.to_pylist()
        assert calgrant_table(result, status).to_arrow().to_pylist() == actual.calgrant.to_pylist()
        want = indicators(result, status, attributes=attributes, suppress_below=below)
        assert want.keys == actual.indicators.keys
        assert np.array_equal(want.counts, actual.indicators.counts)
        assert np.array_equal(want.reasons, actual.indicators.reasons)
        assert list(want.rows()) == list(actual.indicators.rows())
        assert cleanup_findings(result).findings == actual.findings.findings
        assert len(result) == actual.n_students

    def test_run_is_one_partition(self) -> None:
        """run() is combine of the one partial of the whole data, and equals one process."""
        data = synthetic_readiness(80, seed=3, as_of=AS_OF)
        result = evaluate(data, AS_OF)

        actual = ReadinessQuery(as_of=AS_OF).run(data)

        assert list(indicators(result).rows()) == list(actual.indicators.rows())
        assert cleanup_findings(result).findings == actual.findings.findings
        assert readiness_table(result).to_arrow().equals(actual.table)


class TestQueryObject:
    def test_pickles(self) -> None:
        """The query survives pickle (a cluster ships it) and compares equal."""
        query = ReadinessQuery(as_of=AS_OF, attributes=["gender"], suppress_below=None)

        assert query == pickle.loads(pickle.dumps(query))
        assert query.attributes == ("gender",)

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"as_of": dt.datetime(2025, 7, 15, tzinfo=dt.UTC)}, "as_of"),
            ({"suppress_below": 0}, "suppress_below"),
            ({"options": {}}, "options"),
        ],
    )
    def test_bad_arguments(self, kwargs: dict[str, object], message: str) -> None:
        """A bad argument is refused when the query is made, naming it."""
        with pytest.raises(InvalidArgumentError, match=message):
            ReadinessQuery(**{"as_of": AS_OF, **kwargs})  # type: ignore[arg-type]

    def test_combine_refuses_nothing_and_strangers(self) -> None:
        """No partials, or partials broken down by other attributes, are refused."""
        data = synthetic_readiness(10, seed=1, as_of=AS_OF)
        query = ReadinessQuery(as_of=AS_OF)
        other = ReadinessQuery(as_of=AS_OF, attributes=["gender"])
        with pytest.raises(InvalidArgumentError, match="empty"):
            query.combine([])
        with pytest.raises(InvalidArgumentError, match="indicator columns"):
            query.combine([query.partial(data), other.partial(data)])

    def test_row_numbers_must_fit(self) -> None:
        """Row numbers of another length than the partition's rows are refused, naming them."""
        data = synthetic_readiness(10, seed=1, as_of=AS_OF)
        query = ReadinessQuery(as_of=AS_OF)
        with pytest.raises(InvalidArgumentError, match="student_rows"):
            query.partial(data, student_rows=[3])
        with pytest.raises(InvalidArgumentError, match="marks"):
            query.partial(data, rows={"marks": [1]})


class TestRelease:
    # Each example evaluates up to 16 partitions of a district: fewer examples than the profile.
    @settings(max_examples=12)
    @given(st.integers(1, 16), st.integers(0, 2**32 - 1), st.integers(1, 90),
           st.sampled_from([None, 1, 3, 10]), st.sampled_from([(), ("gender",)]), st.booleans(),
           st.sampled_from([None, dt.date(2025, 3, 1), dt.date(2024, 9, 1)]))  # fmt: skip
    def test_equals_single_process(
        self,
        n_parts: int,
        seed: int,
        n_students: int,
        below: int | None,
        attributes: tuple[str, ...],
        fresh: bool,
        on: dt.date | None,
    ) -> None:
        """
        For any split by student into 1-16 partitions, the release to a recipient for a
        purpose (consents valid on the day, FERPA blocks winning) equals the single-process
        ``release``: the released students in input order, which show the sensitive
        columns, their rows, the control lines and the always-suppressed indicators.
        """
        data = synthetic_readiness(n_students, seed=seed % 11, as_of=AS_OF)
        result = evaluate(data, AS_OF)
        query = ReadinessQuery(
            as_of=AS_OF,
            attributes=attributes,
            suppress_below=below,
            recipient="CSAC",
            purpose="financial_aid",
            on=on,
        )
        partials = [
            pickle.loads(pickle.dumps(query.partial(sub, student_rows=s, rows=rows)))
            for sub, s, rows in split_k12(data, n_parts, seed, fresh=fresh)
        ]
        actual = query.combine(partials).release
        want = release(
            result,
            "CSAC",
            "financial_aid",
            on=on,
            suppress_below=below or 10,
            attributes=attributes,
        )

        assert actual is not None
        assert want.released.tolist() == actual.released.tolist()
        assert want.sensitive.tolist() == actual.sensitive.tolist()
        assert (want.recipient, want.purpose, want.on, want.requested, want.withheld) == (
            actual.recipient,
            actual.purpose,
            actual.on,
            actual.requested,
            actual.withheld,
        )
        assert (want.students.name, want.students.columns) == (
            actual.students.name,
            actual.students.columns,
        )
        assert list(want.students.rows()) == list(actual.students.rows())
        assert list(want.control().rows()) == list(actual.control().rows())
        assert want.indicators.name == actual.indicators.name
        assert list(want.indicators.rows()) == list(actual.indicators.rows())

    def test_some_are_released_some_withheld(self) -> None:
        """The synthetic district has students released and withheld (the test above can fail)."""
        data = synthetic_readiness(300, seed=5, as_of=AS_OF)
        query = ReadinessQuery(as_of=AS_OF, recipient="CSAC", purpose="financial_aid")

        shared = query.run(data).release

        assert shared is not None
        assert 0 < len(shared.released) < shared.requested
        assert shared.sensitive.any()

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"recipient": "CSAC"}, "both recipient and purpose"),
            ({"purpose": "financial_aid"}, "both recipient and purpose"),
            ({"recipient": " ", "purpose": "financial_aid"}, "recipient"),
            ({"recipient": "CSAC", "purpose": "lunch"}, "purpose"),
            ({"recipient": "CSAC", "purpose": "financial_aid", "on": "2025-01-01"}, "on"),
        ],
    )
    def test_bad_release_arguments(self, kwargs: dict[str, object], message: str) -> None:
        """A release's bad argument is refused when the query is made, naming it."""
        with pytest.raises(InvalidArgumentError, match=message):
            ReadinessQuery(as_of=AS_OF, **kwargs)  # type: ignore[arg-type]

    def test_combine_refuses_partials_without_release(self) -> None:
        """Partials of a query without a recipient cannot make a release."""
        data = synthetic_readiness(10, seed=1, as_of=AS_OF)
        query = ReadinessQuery(as_of=AS_OF, recipient="CSAC", purpose="financial_aid")

        with pytest.raises(InvalidArgumentError, match="no released rows"):
            query.combine([ReadinessQuery(as_of=AS_OF).partial(data)])
        assert ReadinessQuery(as_of=AS_OF).run(data).release is None


def test_write_readiness_writes_the_building_blocks(tmp_path: Path) -> None:
    """
    ``write_readiness`` (the query's combine of the one partial) writes byte for byte what
    the building blocks write: the tables, indicators, findings and a release's files.
    """
    from edoutcomes._kernel._writers import write

    data = synthetic_readiness(200, seed=6, as_of=AS_OF)
    result = evaluate(data, AS_OF)
    written, findings, shared = write_readiness(
        result, tmp_path / "query", recipient="CSAC", purpose="financial_aid", attributes=["gender"]
    )
    status = student_status(result)
    direct = release(result, "CSAC", "financial_aid", attributes=("gender",))
    blocks = {
        "readiness.csv": readiness_table(result, status),
        "readiness_indicators.csv": indicators(result, status, attributes=["gender"]),
        "readiness_findings.csv": cleanup_findings(result),
        "calgrant_gpa.csv": calgrant_table(result, status),
        f"{direct.students.name}.csv": direct.students,
        f"{direct.students.name}_control.csv": direct.control(),
        f"{direct.students.name}_indicators.csv": direct.indicators,
    }
    (tmp_path / "direct").mkdir()
    for name, table in blocks.items():
        write(table, tmp_path / "direct" / name, "csv")

    assert list(blocks) == [p.name for p in written]
    for path in written:
        assert (tmp_path / "direct" / path.name).read_bytes() == path.read_bytes()
    assert findings.findings == cleanup_findings(result).findings
    assert shared is not None
    assert shared.released.tolist() == direct.released.tolist()
