"""
Consent-gated release: which students' rows a report for one recipient and purpose may carry.

A student is released on day D to recipient R for purpose P only under a consent with that
purpose, that recipient (exactly), granted on or before D and not revoked by D (a revocation
before its grant counts as revoked; a blank grant never qualifies). A FERPA block on the
student or any of their marks wins over every consent. The control lines say how many were
requested, released and withheld, one count: a block cannot be told from a missing consent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, ClassVar

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from .._kernel._arrow import ArrowExport, summary_html, summary_repr
from .._kernel._days import day
from ..errors import InvalidArgumentError
from ..model import MISSING_DAY, ConsentPurpose, ConsentScope
from ._engine import Readiness
from ._report import (
    IndicatorTable,
    ReadinessTable,
    Status,
    indicators,
    readiness_table,
    student_status,
)

__all__ = [
    "ControlTable",
    "Release",
    "blocked",
    "check_release",
    "release",
    "release_name",
    "released_rows",
]


def blocked(result: Readiness) -> NDArray[np.bool_]:
    """
    Students with a FERPA block on their own row or on any of their marks (read as given).

    Examples:
        >>> from edoutcomes.model import K12Columns, K12Student
        >>> from edoutcomes.readiness import evaluate
        >>> data = K12Columns.from_records([K12Student("K1"), K12Student("K2", ferpa_block=True)])
        >>> blocked(evaluate(data, dt.date(2025, 7, 15))).tolist()
        [False, True]
    """
    data = result.data
    n = data.n_students
    own = data.students.data["ferpa_block"] == 1
    marks = (data.marks.data["ferpa_block"] == 1) & (data.mark_student >= 0)
    out: NDArray[np.bool_] = own | (np.bincount(data.mark_student[marks], minlength=n) > 0)
    return out


def _consented(
    result: Readiness, recipient: str, purpose: ConsentPurpose, on: dt.date
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """(a qualifying consent, a qualifying consent of the eligibility scope) per student."""
    data = result.data
    n = data.n_students
    consents = data.consents
    stu = data.consent_student
    recipients = consents.categories["recipient_id"].tolist()
    code = recipients.index(recipient) if recipient in recipients else -2
    granted = consents.data["granted_date"]
    revoked = consents.data["revoked_date"]
    today = day(on)
    valid = (
        (stu >= 0)
        & (consents.data["recipient_id"] == code)
        & (consents.data["purpose"] == purpose.code)
        & (granted != MISSING_DAY)
        & (granted <= today)
        & ((revoked == MISSING_DAY) | ((revoked > today) & (revoked >= granted)))
    )
    wide = valid & (consents.data["scope"] == ConsentScope.ACADEMIC_AND_ELIGIBILITY.code)
    return (
        np.bincount(stu[valid], minlength=n) > 0,
        np.bincount(stu[wide], minlength=n) > 0,
    )


@frozen(eq=False)
class Release:
    """
    A report addressed to one recipient for one purpose on one day.

    Attributes:
        released: Student rows released, in input order.
        sensitive: For each released row, whether ``foster_youth`` and ``social_services`` show.
        requested: Students asked for (every student of the data).
        students: The released rows of ``readiness.csv`` (plus the two sensitive columns).
        indicators: The aggregates, every student counted, suppression forced on.

    Examples:
        >>> from edoutcomes.readiness import evaluate
        >>> from edoutcomes.synth import synthetic_readiness
        >>> result = evaluate(synthetic_readiness(40, seed=1), dt.date(2025, 7, 15))
        >>> shared = release(result, "CSAC", "financial_aid")
        >>> shared
        Release(recipient=CSAC, purpose=financial_aid, on=2025-07-15, requested=40, released=10, withheld=30)
        >>> shared.students.name, shared.students.columns[-2:], shared.indicators.suppress_below
        ('readiness_release_CSAC_financial_aid', ('foster_youth', 'social_services'), 10)
    """

    recipient: str
    purpose: ConsentPurpose
    on: dt.date
    released: NDArray[np.int64]
    sensitive: NDArray[np.bool_]
    requested: int
    students: ReadinessTable
    indicators: IndicatorTable

    def _summary(self) -> dict[str, object]:
        return {
            "recipient": self.recipient,
            "purpose": self.purpose.value,
            "on": self.on.isoformat(),
            "requested": self.requested,
            "released": len(self.released),
            "withheld": self.withheld,
        }

    def __repr__(self) -> str:
        return summary_repr(self, **self._summary())

    def _repr_html_(self) -> str:
        return summary_html("Readiness release", self._summary())

    def to_arrow(self) -> Any:
        """The released students' table as Arrow (the indicators have their own)."""
        return self.students.to_arrow()

    def to_pandas(self) -> Any:
        """The released students' table as a ``pandas.DataFrame`` (needs pandas)."""
        return self.students.to_pandas()

    @property
    def withheld(self) -> int:
        """Students not released, for whatever reason (one count, never why)."""
        return self.requested - len(self.released)

    def control(self) -> ControlTable:
        """The control lines: requested, released, withheld."""
        return ControlTable(self)


@frozen(eq=False, repr=False)
class ControlTable(ArrowExport):
    """
    The release's control lines as a report table.

    Examples:
        >>> from edoutcomes.readiness import evaluate
        >>> from edoutcomes.synth import synthetic_readiness
        >>> result = evaluate(synthetic_readiness(40, seed=1), dt.date(2025, 7, 15))
        >>> control = release(result, "001312", "college_application").control()
        >>> control.columns
        ('recipient_id', 'purpose', 'report_date', 'line', 'students')
        >>> [(line, n) for *_, line, n in control.rows()]
        [('requested', 40), ('released', 4), ('withheld', 36)]
    """

    _html_rows: ClassVar[bool] = True

    release: Release
    name: str = "readiness_release_control"
    columns: tuple[str, ...] = ("recipient_id", "purpose", "report_date", "line", "students")

    def rows(self) -> Iterator[tuple[object, ...]]:
        """``requested``, ``released``, ``withheld``."""
        r = self.release
        head = (r.recipient, r.purpose.value, r.on)
        yield (*head, "requested", r.requested)
        yield (*head, "released", len(r.released))
        yield (*head, "withheld", r.withheld)


def release(
    result: Readiness,
    recipient: str,
    purpose: ConsentPurpose | str,
    *,
    on: dt.date | None = None,
    status: Status | None = None,
    suppress_below: int = 10,
    attributes: tuple[str, ...] = (),
) -> Release:
    """
    The rows a report for *recipient* and *purpose* may carry on *on* (default: ``as_of``).

    Raises:
        InvalidArgumentError: If *purpose* is not a consent purpose, *recipient* is blank, or
            *suppress_below* is below 1 (suppression cannot be turned off for a recipient).

    Examples:
        >>> from edoutcomes.readiness import evaluate
        >>> from edoutcomes.synth import synthetic_readiness
        >>> result = evaluate(synthetic_readiness(40, seed=1), dt.date(2025, 7, 15))
        >>> shared = release(result, "CSAC", "financial_aid")
        >>> len(shared.released), shared.withheld
        (10, 30)
        >>> len(release(result, "CSAC", "financial_aid", on=dt.date(2024, 6, 1)).released)
        3
    """
    code = check_release(recipient, purpose, suppress_below)
    on = result.as_of if on is None else on
    status = status or student_status(result)
    rows, sensitive = released_rows(result, recipient, code, on)
    name = release_name(recipient, code)
    table = readiness_table(result, status, rows=rows, sensitive=sensitive, name=name)
    aggregates = indicators(
        result,
        status,
        attributes=attributes,
        suppress_below=suppress_below,
        name=f"{name}_indicators",
    )
    return Release(recipient, code, on, rows, sensitive, len(result), table, aggregates)


def check_release(
    recipient: object, purpose: ConsentPurpose | str, suppress_below: object
) -> ConsentPurpose:
    """
    The consent purpose of a release to *recipient*, its arguments checked.

    Raises:
        InvalidArgumentError: As :func:`release` says.
    """
    code = ConsentPurpose.parse(purpose) if isinstance(purpose, str) else purpose
    if not isinstance(code, ConsentPurpose) or code is ConsentPurpose.UNKNOWN:
        msg = f"purpose={purpose!r} is not one of {', '.join(p.value for p in ConsentPurpose if p is not ConsentPurpose.UNKNOWN)}"
        raise InvalidArgumentError(msg)
    if not isinstance(recipient, str) or not recipient.strip():
        msg = "recipient must be a non-blank institution code (or CSAC)"
        raise InvalidArgumentError(msg)
    if (
        isinstance(suppress_below, bool)
        or not isinstance(suppress_below, int)
        or suppress_below < 1
    ):
        msg = f"suppress_below={suppress_below!r} must be a whole number of at least 1 in a recipient's report"
        raise InvalidArgumentError(msg)
    return code


def released_rows(
    result: Readiness, recipient: str, purpose: ConsentPurpose, on: dt.date
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """The student rows released (a valid consent, no block) and whether each shows the sensitive columns."""
    consented, wide = _consented(result, recipient.strip(), purpose, on)
    ok = consented & ~blocked(result)
    rows = np.flatnonzero(ok).astype(np.int64)
    return rows, wide[rows]


def release_name(recipient: str, purpose: ConsentPurpose) -> str:
    """The released table's name: ``readiness_release_<recipient>_<purpose>``."""
    return f"readiness_release_{_safe(recipient)}_{purpose.value}"


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text.strip())
