"""
List the functions and methods in src/ longer than a limit (80 lines by default).

Usage: ``python .ci/long_functions.py [LIMIT] [--src DIR] [--exclude PACKAGE ...]``. A function's
length runs from its ``def`` line to its last line, docstring and nested functions included
(decorators not). Prints one line per function, longest first, and exits 1 when any is
listed; ``.ci/run`` runs it as the ``long_functions`` step (issue 12, item 4).
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "edoutcomes"


def _length(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines from ``def`` to the end."""
    assert node.end_lineno is not None
    return node.end_lineno - node.lineno + 1


def long_functions(src: Path, limit: int, exclude: set[str]) -> list[tuple[int, str]]:
    """(length, ``path:line name``) of every function under *src* longer than *limit*."""
    found = []
    for path in sorted(src.rglob("*.py")):
        if path.relative_to(src).parts[0] in exclude:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = _length(node)
                if length > limit:
                    where = f"{path.relative_to(src.parent.parent)}:{node.lineno} {node.name}"
                    found.append((length, where))
    return sorted(found, reverse=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("limit", nargs="?", type=int, default=80)
    parser.add_argument("--src", type=Path, default=SRC, help="the package directory to check")
    parser.add_argument("--exclude", nargs="*", default=[], help="packages to leave out")
    args = parser.parse_args()
    found = long_functions(args.src, args.limit, set(args.exclude))
    for length, where in found:
        print(f"{length:4d}  {where}")
    if found:
        print(f"{len(found)} function(s) longer than {args.limit} lines: split them into steps")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
