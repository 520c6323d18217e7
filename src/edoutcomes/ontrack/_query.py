"""
On-track eligibility as a query object: partials per partition of students, combined exactly.

Eligibility is decided per student from that student's own records, so a district's data
split by student gives partials whose counts add up and whose explanation rows, put back
in the input's student order, are the single-process report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from .._kernel._days import check_date
from .._kernel._rows import k12_columns_of_arrow, partition_rows
from ..errors import InvalidArgumentError
from ..model import K12Columns, SchoolYear
from ._eligibility import (
    DEFAULT_REQUIRED_CREDITS,
    CreditWindow,
    Eligibility,
    Ineligibility,
    OnTrackOptions,
    Rule,
    evaluate_students,
    settings,
)

__all__ = ["CombinedEligibility", "EligibilityPartial", "EligibilityQuery"]


@frozen(eq=False)
class EligibilityPartial:
    """
    One partition's share: students, reported students, students per reason, explanation rows.

    Attributes:
        counts: int64 (2 + number of reasons,): students, reported, then each
            :class:`Ineligibility` in its order.
        explanations: The partition's explanation rows (a ``pyarrow.Table``), or None
            when summarised without them.
        keys: Each explanation row's global position in the input's students.

    Examples:
        >>> from edoutcomes.synth import synthetic_k12
        >>> query = EligibilityQuery(year="2023-24", as_of=dt.date(2024, 6, 30))
        >>> part = query.partial(synthetic_k12(40, seed=1), student_rows=range(100, 140))
        >>> part.counts[:2].tolist(), part.explanations.num_rows, part.keys[:3].tolist()
        ([40, 6], 40, [100, 101, 102])
    """

    counts: NDArray[np.int64]
    explanations: Any = field(repr=False)
    keys: NDArray[np.int64] = field(repr=False)


@frozen(eq=False)
class CombinedEligibility:
    """
    Eligibility combined from partials.

    Attributes:
        n_students: Students of the whole input.
        n_reported: Students reported.
        counts: How many students have each reason (a student may have several), as
            :meth:`Eligibility.counts` gives it.
        explanations: The explanations report as a ``pyarrow.Table``, in the input's
            student order (equal to ``eligibility(...).explanations().to_arrow()``), or
            None when the partials carry none.

    Examples:
        >>> from edoutcomes.synth import synthetic_k12
        >>> data = synthetic_k12(40, seed=1)
        >>> query = EligibilityQuery(year="2023-24", as_of=dt.date(2024, 6, 30))
        >>> combined = query.combine([query.partial(data)])
        >>> combined.n_students, combined.n_reported, combined.counts[Ineligibility.NOT_IN_COHORT]
        (40, 6, 30)
        >>> combined.explanations.equals(query.evaluate(data).explanations().to_arrow())
        True
    """

    n_students: int
    n_reported: int
    counts: dict[Ineligibility, int]
    explanations: Any = field(repr=False)


@frozen
class EligibilityQuery:
    """
    The arguments of :func:`~edoutcomes.ontrack.eligibility`, to run on partitions of students.

    Frozen and picklable. A partition holds some students with every record of theirs.
    Every argument is checked here, once: :func:`~edoutcomes.ontrack.eligibility` builds
    this query and evaluates the whole input with it (:meth:`evaluate`), the partial of
    a partition is the same evaluation summarised.

    Examples:
        >>> from edoutcomes.model import K12Student, SchoolEnrollment
        >>> d = dt.date
        >>> query = EligibilityQuery(year="2023-24", as_of=d(2024, 6, 20))
        >>> part = K12Columns.from_records([K12Student("D1", ssid="5161928722",
        ...     grade9_entry_date=d(2023, 9, 5))],
        ...     enrollments=[SchoolEnrollment("D1", "2063", "4512", d(2023, 9, 5))])
        >>> result = query.combine([query.partial(part, student_rows=[0])])
        >>> result.n_students, result.n_reported
        (1, 0)
    """

    year: SchoolYear | str
    as_of: dt.date
    rule: Rule | str = Rule.EARNED_CREDIT
    snapshot_date: dt.date | None = None
    credit_window: CreditWindow | str = CreditWindow.SCHOOL_YEAR
    required_credits: float = DEFAULT_REQUIRED_CREDITS
    transfer_credit: bool = True
    credit_recovery: bool = True
    pre_grade9_credit: bool = True

    def __attrs_post_init__(self) -> None:
        check_date("as_of", self.as_of)
        self._settings()

    def _settings(self) -> tuple[SchoolYear, OnTrackOptions]:
        """The reporting school year and the options, checked."""
        options = OnTrackOptions(**self._options())
        return settings(self.year, options), options

    def _options(self) -> dict[str, Any]:
        """The options of :func:`~edoutcomes.ontrack.eligibility`, by name."""
        return {
            "rule": self.rule,
            "snapshot_date": self.snapshot_date,
            "credit_window": self.credit_window,
            "required_credits": self.required_credits,
            "transfer_credit": self.transfer_credit,
            "credit_recovery": self.credit_recovery,
            "pre_grade9_credit": self.pre_grade9_credit,
        }

    def evaluate(self, data: K12Columns) -> Eligibility:
        """
        Every student's eligibility in *data* (one partition, or the whole input).

        :func:`~edoutcomes.ontrack.eligibility` is this query's evaluation of the whole
        input; :meth:`partial` summarises the evaluation of one partition.

        Raises:
            InvalidArgumentError: If *data* is not a :class:`~edoutcomes.model.K12Columns`.
        """
        year, options = self._settings()
        return evaluate_students(data, year, self.as_of, options)

    def partial(self, data: K12Columns, *, student_rows: Any = None) -> EligibilityPartial:
        """
        Evaluate one partition of students.

        Args:
            data: The partition's K-12 view (each student with all of their records).
            student_rows: Each student's global position in the input (0-based); it orders
                the combined explanations. Defaults to 0 .. n-1 (one partition).
        """
        keys = partition_rows(student_rows, data.n_students, "student_rows", unit="students")
        return self.summarise(self.evaluate(data), student_rows=keys)

    def summarise(
        self, result: Eligibility, *, student_rows: Any = None, explanations: bool = True
    ) -> EligibilityPartial:
        """
        The partial of one partition from its evaluation (:meth:`evaluate`).

        Args:
            result: The partition's eligibility.
            student_rows: As for :meth:`partial`.
            explanations: Whether the partial carries the explanation rows; a cluster that
                writes each partition's explanations where it is
                (``edoutcomes.dask.ontrack_eligibility(..., out=...)``) sends only counts.

        Examples:
            >>> from edoutcomes.model import K12Student
            >>> query = EligibilityQuery(year="2023-24", as_of=dt.date(2024, 6, 20))
            >>> result = query.evaluate(K12Columns.from_records([K12Student("D1")]))
            >>> part = query.summarise(result, student_rows=[5], explanations=False)
            >>> part.counts[:2].tolist(), part.explanations, part.keys.tolist()
            ([1, 0], None, [5])
        """
        n = len(result)
        keys = partition_rows(student_rows, n, "student_rows", unit="students")
        by_reason = result.counts()
        counts = np.array(
            [n, result.n_reported, *(by_reason[r] for r in Ineligibility)], dtype=np.int64
        )
        rows = result.explanations().to_arrow() if explanations else None
        return EligibilityPartial(counts, rows, keys)

    def partial_of_arrow(self, students: Any = None, **tables: Any) -> EligibilityPartial:
        """
        The partial of one partition given as Arrow tables: the partition function of a cluster.

        *students* and the K-12 *tables* by name (``enrollments=``, ``marks=`` ...; None or
        left out when the partition has none) have the canonical columns and a ``row``
        column, each row's 0-based position in the whole input; a ``bucket`` column is
        ignored. Dask (``edoutcomes.dask``) and Spark (``edoutcomes.spark``) call it.

        Raises:
            InvalidArgumentError: If a table has no ``row`` column.
        """
        data, rows = k12_columns_of_arrow(students, **tables)
        return self.partial(data, student_rows=rows)

    def combine(self, partials: Sequence[EligibilityPartial]) -> CombinedEligibility:
        """
        The whole input's eligibility from the partials of every partition.

        Raises:
            InvalidArgumentError: If there are no partials.
        """
        import pyarrow as pa

        if not partials:
            msg = "partials is empty: give the partial of every partition (at least one)"
            raise InvalidArgumentError(msg)
        counts = np.stack([p.counts for p in partials]).sum(axis=0).tolist()
        explanations = None
        if any(p.explanations is not None for p in partials):
            if any(p.explanations is None for p in partials):
                msg = "some partials have no explanation rows (summarised with explanations=False)"
                raise InvalidArgumentError(msg)
            # An empty partition infers null columns: promote them to the others' types.
            table = pa.concat_tables([p.explanations for p in partials], promote_options="default")
            order = pa.array(np.argsort(np.concatenate([p.keys for p in partials]), kind="stable"))
            explanations = table.take(order).combine_chunks()
        return CombinedEligibility(
            n_students=counts[0],
            n_reported=counts[1],
            counts=dict(zip(Ineligibility, counts[2:], strict=True)),
            explanations=explanations,
        )
