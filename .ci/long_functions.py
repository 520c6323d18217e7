"""
List the functions in src/ longer than a limit (80 lines by default), docstrings not counted.

Usage: ``python .ci/long_functions.py [LIMIT] [--exclude PACKAGE ...]``. Prints one line per
function, longest first, and exits 1 when any is listed, so it can become a CI step once
every package is under the limit (issue 12, item 4).
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "edoutcomes"


def _length(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines from ``def`` to the end, less the docstring's."""
    assert node.end_lineno is not None
    lines = node.end_lineno - node.lineno + 1
    first = node.body[0]
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
        and first.end_lineno is not None
    ):
        lines -= first.end_lineno - first.lineno + 1
    return lines


def long_functions(limit: int, exclude: set[str]) -> list[tuple[int, str]]:
    """(length, ``path:line name``) of every function longer than *limit*."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path.relative_to(SRC).parts[0] in exclude:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = _length(node)
                if length > limit:
                    where = f"{path.relative_to(SRC.parent.parent)}:{node.lineno} {node.name}"
                    found.append((length, where))
    return sorted(found, reverse=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("limit", nargs="?", type=int, default=80)
    parser.add_argument("--exclude", nargs="*", default=[], help="packages to leave out")
    args = parser.parse_args()
    found = long_functions(args.limit, set(args.exclude))
    for length, where in found:
        print(f"{length:4d}  {where}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
