"""The public API: every exported name exists, ``__all__`` is sorted, importing stays cheap."""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys
from types import ModuleType

import pytest


def _public_packages() -> list[str]:
    import edoutcomes

    names = ["edoutcomes"]
    for info in pkgutil.iter_modules(edoutcomes.__path__, "edoutcomes."):
        if info.ispkg and not info.name.rsplit(".", 1)[1].startswith("_"):
            try:
                # The match package may need its extra; check it wherever it imports.
                importlib.import_module(info.name)
            except ImportError:
                continue
            names.append(info.name)
    return names


PACKAGES = _public_packages()
EXPECTED = {"cohort", "formats", "highschool", "model", "ontrack", "synth"}

HEAVY = ("pandas", "recordlinkage")


def _module(name: str) -> ModuleType:
    return importlib.import_module(name)


def test_packages_found() -> None:
    """
    The public subpackages are all found (and checked below).
    """
    assert EXPECTED <= {name.rsplit(".", 1)[-1] for name in PACKAGES}


@pytest.mark.parametrize("name", PACKAGES)
def test_all_names_exist(name: str) -> None:
    """
    Every name a package lists in ``__all__`` can be got from it.
    """
    module = _module(name)

    missing = [item for item in module.__all__ if not hasattr(module, item)]

    assert [] == missing


@pytest.mark.parametrize("name", PACKAGES)
def test_all_sorted_and_unique(name: str) -> None:
    """
    ``__all__`` is sorted (as ruff's RUF022 sorts it: constants, classes, then functions) and has no twins.
    """
    names = list(_module(name).__all__)

    def key(item: str) -> tuple[int, list[tuple[int, str]]]:
        kind = 0 if item.isupper() else 1 if item[:1].isupper() else 2
        natural = [(int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"(\d+)", item)]
        return kind, natural

    assert sorted(names, key=key) == names
    assert len(set(names)) == len(names)


def _loaded_after(statement: str) -> list[str]:
    code = f"import sys\n{statement}\nprint(','.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    modules = set(out.stdout.strip().split(","))
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


@pytest.mark.parametrize(
    "statement",
    [
        "import edoutcomes",
        "import edoutcomes.model",
        "import edoutcomes.formats",
        "import edoutcomes.cohort",
        "import edoutcomes.cli",
    ],
)
def test_import_leaves_heavy_dependencies_unloaded(statement: str) -> None:
    """
    Importing the library (in a fresh interpreter) loads neither pandas nor recordlinkage.
    """
    assert [] == _loaded_after(statement)


def test_version() -> None:
    """
    The package states its version, the same as the installed distribution's.
    """
    from importlib.metadata import version

    import edoutcomes

    assert version("edoutcomes") == edoutcomes.__version__
