"""Writing the readiness outputs into one folder (CSV, through the generic writer)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..model import ConsentPurpose
from ._cleanup import CleanupTable
from ._engine import Readiness
from ._release import Release

__all__ = ["write_readiness"]


def write_readiness(
    result: Readiness,
    out: str | Path,
    *,
    recipient: str | None = None,
    purpose: ConsentPurpose | str | None = None,
    attributes: Sequence[str] = (),
    suppress_below: int | None = 10,
    rows: Mapping[str, NDArray[np.int32]] | None = None,
) -> tuple[list[Path], CleanupTable, Release | None]:
    """
    Write ``readiness.csv``, ``readiness_indicators.csv``, ``readiness_findings.csv``,
    ``calgrant_gpa.csv`` and, for a *recipient* and *purpose*, the release's rows, control
    lines and (always suppressed) indicators.

    Args:
        result: The engine's result.
        out: The folder (made if missing).
        recipient: The institution code (or ``CSAC``) a release is addressed to.
        purpose: The release's consent purpose (with *recipient*).
        attributes: Student columns the indicators break down by.
        suppress_below: The indicators' small-cell threshold (None: off; a release's
            indicators use 10 when this is None).
        rows: Spreadsheet rows per table, for the findings (``ReadinessRead.rows``).

    Returns:
        The files written, the findings, and the release (None without a recipient).

    Examples:
        >>> import datetime as dt, tempfile
        >>> from edoutcomes.readiness import evaluate
        >>> from edoutcomes.synth import synthetic_readiness
        >>> result = evaluate(synthetic_readiness(40, seed=1), dt.date(2025, 7, 15))
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     paths, findings, shared = write_readiness(result, folder, recipient="CSAC",
        ...                                               purpose="financial_aid")
        ...     [path.name for path in paths]
        ['readiness.csv', 'readiness_indicators.csv', 'readiness_findings.csv', 'calgrant_gpa.csv', 'readiness_release_CSAC_financial_aid.csv', 'readiness_release_CSAC_financial_aid_control.csv', 'readiness_release_CSAC_financial_aid_indicators.csv']
        >>> len(findings), len(shared.released)
        (27, 10)
    """
    from ._query import ReadinessQuery

    both = recipient is not None and purpose is not None
    query = ReadinessQuery(
        as_of=result.as_of,
        options=result.options,
        attributes=tuple(attributes),
        suppress_below=suppress_below,
        recipient=recipient if both else None,
        purpose=purpose if both else None,
    )
    # The one-partition case of the query: what a cluster writes from its partials.
    combined = query.combine([query.partial_of_result(result, sheet=rows)])
    return combined.write(out), combined.findings, combined.release
