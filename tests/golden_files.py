"""Golden files: compare written bytes with the committed file under ``tests/golden/``."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"


def assert_golden(name: str, actual: bytes) -> None:
    """
    Check *actual* against ``tests/golden/<name>``.

    Set ``EDOUTCOMES_REGENERATE_GOLDEN=1`` to rewrite the file instead (then review the diff).
    """
    path = GOLDEN / name
    if os.environ.get("EDOUTCOMES_REGENERATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual)
    expected = path.read_bytes()
    assert expected == actual, f"{name} differs from the golden file"
