"""The extract's own writers: the submission CSV and the fixed-width file, from the layout."""

from __future__ import annotations

from typing import IO, Any

from ..errors import InvalidArgumentError
from ..formats import register_writer
from ..formats.csv import write_csv
from ._extract import OnTrackExtract

__all__ = ["write_ontrack_csv", "write_ontrack_fixed"]


def _extract(report: Any, format: str) -> OnTrackExtract:
    if not isinstance(report, OnTrackExtract):
        msg = f"format {format!r} writes OnTrackExtract, not {type(report).__name__}"
        raise InvalidArgumentError(msg)
    return report


@register_writer("oregon-ontrack-csv", accepts=(OnTrackExtract,))
def write_ontrack_csv(report: Any, out: IO[bytes], /) -> None:
    """
    Write the extract as the state's submission CSV: a header row of the short names, then one row per student.

    Raises:
        InvalidArgumentError: If *report* is not an :class:`OnTrackExtract`.
    """
    write_csv(_extract(report, "oregon-ontrack-csv"), out)


@register_writer("oregon-ontrack-fixed", accepts=(OnTrackExtract,))
def write_ontrack_fixed(report: Any, out: IO[bytes], /) -> None:
    """
    Write the extract as fixed-width UTF-8 records, each field filled to its layout width.

    Widths count characters. Fillers take their layout width (0 in the default layout).

    Raises:
        InvalidArgumentError: If *report* is not an :class:`OnTrackExtract`.
    """
    extract = _extract(report, "oregon-ontrack-fixed")
    for line in extract.fixed_lines():
        out.write(line.encode("utf-8") + b"\n")
