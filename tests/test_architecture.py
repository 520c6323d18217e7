"""The layers of docs/explanation/architecture.md, as import-linter checks them in CI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(
    not LINT_IMPORTS.exists(), reason="import-linter (the lint extra) is not installed"
)


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run the project's contracts over the ``edoutcomes`` package found under *root*/src."""
    # A wide console, so no contract name is wrapped over two lines.
    env = {**os.environ, "PYTHONPATH": str(root / "src"), "COLUMNS": "500"}
    return subprocess.run(
        [str(LINT_IMPORTS), str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the source tree, to plant imports in."""
    shutil.copytree(
        ROOT / "src" / "edoutcomes",
        tmp_path / "src" / "edoutcomes",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return tmp_path


def plant(root: Path, module: str, line: str) -> None:
    """Add the import *line* to the module *module* (dotted, under edoutcomes), new or not."""
    path = (root / "src" / "edoutcomes" / Path(*module.split("."))).with_suffix(".py")
    text = path.read_text() if path.exists() else '"""Planted by a test."""\n'
    path.write_text(f"{text}\n{line}\n")


def test_source_keeps_every_contract(copy: Path) -> None:
    """The code as it is keeps every contract (the copy checks the same files CI checks)."""
    result = lint_imports(copy)

    assert 0 == result.returncode, result.stdout
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # A package reaching into another's private module.
        (
            "highschool._planted",
            "from ..cohort._engine import run",
            "No package imports another package's private modules",
        ),
        # One engine importing another, even through its public face.
        ("ontrack._planted", "from ..cohort import cohort_query", "Engines side by side"),
        # A reader importing an engine: the readers sit below the engines.
        ("formats.canonical", "from ..highschool import high_school_outcomes", "Layers"),
        # An engine importing the formats facade, which imports every writer.
        ("readiness._planted", "from ..formats import write", "Layers"),
    ],
)
def test_planted_import_breaks_a_contract(
    copy: Path, module: str, line: str, contract: str
) -> None:
    """Each kind of forbidden import, added to a copy of the code, fails the check by name."""
    plant(copy, module, line)

    result = lint_imports(copy)

    assert 1 == result.returncode, result.stdout
    broken = result.stdout.split("Broken contracts", 1)[1]
    assert contract in broken
    assert f"edoutcomes.{module}" in broken


def test_kernel_modules_are_shared(copy: Path) -> None:
    """The kernel is the one private package every package may import, module by module."""
    plant(copy, "match._planted", "from .._kernel._days import day")

    result = lint_imports(copy)

    assert 0 == result.returncode, result.stdout


def test_no_top_level_private_modules() -> None:
    """Shared private code lives in the kernel: the package has no top-level `_module.py`."""
    top = sorted(
        p.name for p in (ROOT / "src" / "edoutcomes").glob("_*.py") if p.name != "__init__.py"
    )

    assert [] == top
