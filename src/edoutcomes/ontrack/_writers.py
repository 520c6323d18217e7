"""The extract's own writers: the submission CSV and the fixed-width file, from the layout."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO, Any, TypeVar

from .._kernel._csv import write_rows
from .._kernel._values import spreadsheet_safe
from ..errors import InvalidArgumentError
from ._eligibility import Explanations
from ._extract import OnTrackExtract

__all__ = ["write_explanations_csv", "write_ontrack_csv", "write_ontrack_fixed"]

R = TypeVar("R")


def _check(report: Any, kind: type[R], format: str) -> R:
    if not isinstance(report, kind):
        msg = f"format {format!r} writes {kind.__name__}, not {type(report).__name__}"
        raise InvalidArgumentError(msg)
    return report


def _write_text_csv(header: Sequence[str], rows: Iterable[Sequence[str]], out: IO[bytes]) -> None:
    # The values are already the file's strings: the library's one CSV writer quotes them
    # and writes a batch of rows at a time.
    write_rows(out, rows, header=header)


def _extract(report: Any, format: str) -> OnTrackExtract:
    return _check(report, OnTrackExtract, format)


def write_ontrack_csv(report: Any, out: IO[bytes], /) -> None:
    """
    Write the extract as the state's submission CSV: a header row of the short names, then one row per student.

    Raises:
        InvalidArgumentError: If *report* is not an :class:`OnTrackExtract`.

    Examples:
        >>> import datetime as dt, io
        >>> from edoutcomes.ontrack import build_extract, eligibility
        >>> from edoutcomes.synth import synthetic_k12
        >>> result = eligibility(synthetic_k12(40, seed=1), "2023-24", as_of=dt.date(2024, 6, 30))
        >>> out = io.BytesIO()
        >>> write_ontrack_csv(build_extract(result), out)
        >>> lines = out.getvalue().decode().splitlines()
        >>> len(lines), lines[0].split(",")[:2]
        (7, ['ChkDigitStdntID', 'DistStdntID'])
    """
    extract = _extract(report, "oregon-ontrack-csv")
    _write_text_csv(extract.columns, extract.rows(), out)


def write_ontrack_fixed(report: Any, out: IO[bytes], /) -> None:
    """
    Write the extract as fixed-width UTF-8 records, each field filled to its layout width.

    Widths count characters. Fillers take their layout width (0 in the default layout).

    Raises:
        InvalidArgumentError: If *report* is not an :class:`OnTrackExtract`.

    Examples:
        >>> import datetime as dt, io
        >>> from edoutcomes.ontrack import build_extract, eligibility
        >>> from edoutcomes.synth import synthetic_k12
        >>> result = eligibility(synthetic_k12(40, seed=1), "2023-24", as_of=dt.date(2024, 6, 30))
        >>> extract = build_extract(result)
        >>> out = io.BytesIO()
        >>> write_ontrack_fixed(extract, out)
        >>> {len(line) for line in out.getvalue().decode().splitlines()}, extract.layout.width
        ({416}, 416)
    """
    extract = _extract(report, "oregon-ontrack-fixed")
    for line in extract.fixed_lines():
        out.write(line.encode("utf-8") + b"\n")


def write_explanations_csv(report: Any, out: IO[bytes], /) -> None:
    """
    Write the explanations (one row per student: reported Y/N, credits, reasons) as CSV, column-wise.

    The generic ``csv`` writer gives the same file; this one formats whole columns at once.

    Raises:
        InvalidArgumentError: If *report* is not :class:`Explanations`.

    Examples:
        >>> import datetime as dt, io
        >>> from edoutcomes.ontrack import eligibility
        >>> from edoutcomes.synth import synthetic_k12
        >>> result = eligibility(synthetic_k12(40, seed=1), "2023-24", as_of=dt.date(2024, 6, 30))
        >>> out = io.BytesIO()
        >>> write_explanations_csv(result.explanations(), out)
        >>> for line in out.getvalue().decode().splitlines()[:2]:
        ...     print(line)
        student_id,ssid,reported,credits,threshold,reasons,details
        D0000001,3638315768,N,10.0,6.0,excluded_enrollments_only,every enrollment is excluded: no-show
    """
    explanations = _check(report, Explanations, "oregon-ontrack-explanations")
    # A file for people: formula-looking values are guarded, as the generic csv writer does.
    rows = ([spreadsheet_safe(v) for v in row] for row in explanations.text_rows())
    _write_text_csv(explanations.columns, rows, out)
