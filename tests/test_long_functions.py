"""The `long_functions` step of .ci/run: no function or method in src/ over 80 lines."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / ".ci" / "long_functions.py"


def long_functions(src: Path) -> subprocess.CompletedProcess[str]:
    """Run the CI step's check, as `.ci/run` does, over the package directory *src*."""
    return subprocess.run(
        [sys.executable, str(SCRIPT), "80", "--src", str(src)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the source tree, to plant functions in."""
    shutil.copytree(
        ROOT / "src" / "edoutcomes",
        tmp_path / "src" / "edoutcomes",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return tmp_path / "src" / "edoutcomes"


def plant(src: Path, module: str, text: str) -> None:
    """Add *text* to the module *module* (dotted, under edoutcomes), new or not."""
    path = (src / Path(*module.split("."))).with_suffix(".py")
    before = path.read_text() if path.exists() else '"""Planted by a test."""\n'
    path.write_text(f"{before}\n\n{text}\n")


def function(name: str, lines: int, indent: str = "") -> str:
    """A function *lines* long, ``def`` line and docstring included."""
    body = [f'{indent}    """Planted."""'] + [f"{indent}    x{i} = {i}" for i in range(lines - 3)]
    return "\n".join([f"{indent}def {name}() -> int:", *body, f"{indent}    return 0"])


def test_source_has_no_long_function(copy: Path) -> None:
    """The code as it is passes the check (the copy checks the same files CI checks)."""
    result = long_functions(copy)

    assert 0 == result.returncode, result.stdout
    assert "" == result.stdout


@pytest.mark.parametrize(
    ("module", "text", "where"),
    [
        # A module-level function one line over the limit.
        ("formats._planted", function("planted", 81), "formats/_planted.py:4 planted"),
        # A method, in an existing module.
        (
            "cohort._engine",
            "class Planted:\n" + function("planted", 90, indent="    "),
            " planted",
        ),
        # A function nested in another counts on its own too.
        (
            "_kernel._planted",
            "def outer() -> None:\n" + function("inner", 85, indent="    "),
            "_kernel/_planted.py:5 inner",
        ),
    ],
)
def test_planted_long_function_fails_the_check(
    copy: Path, module: str, text: str, where: str
) -> None:
    """A function over 80 lines, added to a copy of the code, fails the check by name."""
    plant(copy, module, text)

    result = long_functions(copy)

    assert 1 == result.returncode, result.stdout
    assert where in result.stdout
    assert "longer than 80 lines" in result.stdout


def test_eighty_lines_pass(copy: Path) -> None:
    """The limit itself is allowed: an 80-line function passes."""
    plant(copy, "formats._planted", function("planted", 80))
    plant(copy, "formats._planted", function("too_long", 81))

    result = long_functions(copy)

    assert "_planted.py:4 planted" not in result.stdout
    assert "too_long" in result.stdout
