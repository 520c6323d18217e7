"""A demo writer plugin: any report table as tab-separated values under a ``# name`` line."""

from __future__ import annotations

from typing import IO, Any

from edoutcomes.formats import as_table
from edoutcomes.formats.csv import format_value

__all__ = ["write_tsv"]


def write_tsv(report: Any, out: IO[bytes], /) -> None:
    """Write *report* as a title line and tab-separated rows."""
    table = as_table(report)
    lines = [f"# {table.name}", "\t".join(table.columns)]
    lines += ["\t".join(format_value(v) for v in row) for row in table.rows()]
    out.write(("\n".join(lines) + "\n").encode("utf-8"))
