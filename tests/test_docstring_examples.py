"""
Every public name has a docstring with a runnable example, and every example in ``src/`` runs.

A public name is one a package lists in ``__all__``. A function, class or enum needs its *own*
docstring (``inspect.getdoc`` would hand back a base class's), and a constant, which has no
``__doc__`` of its own, an attribute docstring: the string literal right after its assignment
in the module that defines it (mkdocstrings shows it, and ``src/conftest.py`` runs its
examples). An example is a ``>>>`` line that is not ``+SKIP``ped.

The doctests themselves run as part of the suite: ``--doctest-modules`` over ``src/``
(pyproject's ``testpaths``), with ``src/conftest.py``.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import importlib.util
import inspect
import itertools
import os
import pkgutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import edoutcomes

#: The packages whose every ``__all__`` name must have a docstring with an example.
#: Add a package here once its names all have one.
DOCUMENTED_PACKAGES: list[str] = [
    "edoutcomes",
    "edoutcomes.cli",
    "edoutcomes.cohort",
    "edoutcomes.dask",
    "edoutcomes.errors",
    "edoutcomes.formats",
    "edoutcomes.formats.canonical",
    "edoutcomes.formats.cohort_report",
    "edoutcomes.formats.csv",
    "edoutcomes.formats.detail",
    "edoutcomes.formats.fixed",
    "edoutcomes.formats.html",
    "edoutcomes.formats.intake",
    "edoutcomes.formats.json",
    "edoutcomes.formats.request",
    "edoutcomes.formats.xml",
    "edoutcomes.highschool",
    "edoutcomes.match",
    "edoutcomes.model",
    "edoutcomes.ontrack",
    "edoutcomes.readiness",
    "edoutcomes.spark",
    "edoutcomes.synth",
]
#: Public modules whose examples are still being written: move each to the list above when done.
PENDING_PACKAGES: set[str] = set()

SRC = Path(edoutcomes.__file__).resolve().parent.parent
PARSER = doctest.DocTestParser()


def _has_example(docstring: str | None) -> bool:
    if not docstring:
        return False
    examples = PARSER.get_examples(inspect.cleandoc(docstring))
    return any(not example.options.get(doctest.SKIP, False) for example in examples)


def _imported_from(tree: ast.Module, name: str, package: str) -> tuple[str, str] | None:
    """(module, original name) that a ``from X import name`` at the top of *tree* names."""
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom):
            for alias in statement.names:
                if (alias.asname or alias.name) == name:
                    relative = "." * statement.level + (statement.module or "")
                    return importlib.util.resolve_name(relative, package), alias.name
    return None


def attribute_docstring(module: ModuleType, name: str, _depth: int = 0) -> str | None:
    """
    The docstring after ``name = ...`` in the module that defines *name*, following imports.
    """
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        return None
    tree = ast.parse(source)
    body = tree.body
    for statement, following in zip(body, [*body[1:], None], strict=True):
        targets = (
            statement.targets
            if isinstance(statement, ast.Assign)
            else [statement.target]
            if isinstance(statement, ast.AnnAssign)
            else []
        )
        if any(isinstance(target, ast.Name) and target.id == name for target in targets):
            if (
                isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                return following.value.value
            return None
    package = module.__name__ if hasattr(module, "__path__") else module.__package__ or ""
    origin = _imported_from(tree, name, package)
    if origin is None or _depth > 10:
        return None
    return attribute_docstring(importlib.import_module(origin[0]), origin[1], _depth + 1)


def own_docstring(module: ModuleType, name: str) -> str | None:
    """The docstring *name* of *module* has itself (not its type's, not a base class's)."""
    value = getattr(module, name)
    if inspect.ismodule(value) or inspect.isclass(value):
        doc = vars(value).get("__doc__")
        return doc if isinstance(doc, str) else None
    if inspect.isroutine(value):
        return value.__doc__
    return attribute_docstring(module, name)


def missing_examples(package: str) -> list[str]:
    """The names in *package*'s ``__all__`` whose own docstring has no runnable example."""
    module = importlib.import_module(package)
    return [name for name in module.__all__ if not _has_example(own_docstring(module, name))]


@pytest.mark.parametrize("package", DOCUMENTED_PACKAGES)
def test_public_names_have_examples(package: str) -> None:
    """
    Every name the package exports has a docstring with a ``>>>`` example that runs.
    """
    assert [] == missing_examples(package)


def _public_modules() -> set[str]:
    """Every module of the library whose dotted name has no ``_`` part and that has ``__all__``."""
    names = {"edoutcomes"}
    for info in pkgutil.walk_packages(edoutcomes.__path__, "edoutcomes."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.add(info.name)
    return {name for name in names if hasattr(importlib.import_module(name), "__all__")}


def test_every_public_module_is_checked() -> None:
    """
    Every public module is in DOCUMENTED_PACKAGES or, for now, PENDING_PACKAGES (never both):
    a new public module cannot escape the check.
    """
    documented = set(DOCUMENTED_PACKAGES)

    assert set() == documented & PENDING_PACKAGES
    assert _public_modules() == documented | PENDING_PACKAGES


def test_documented_packages_are_public() -> None:
    """
    The list names real packages with an ``__all__`` (a typo would check nothing).
    """
    for package in DOCUMENTED_PACKAGES:
        assert isinstance(importlib.import_module(package).__all__, list | tuple)


FAKE = {
    "__init__.py": '''
        """A fake package."""
        from ._impl import DOCUMENTED, UNDOCUMENTED, Base, Child, Color, Plain, good, no_example, no_doc, skipped

        __all__ = ["DOCUMENTED", "LOCAL", "UNDOCUMENTED", "Base", "Child", "Color", "Plain", "good",
                   "no_doc", "no_example", "skipped"]

        LOCAL = 3
        """Documented here.

        >>> LOCAL
        3
        """
    ''',
    "_impl.py": '''
        import enum

        DOCUMENTED = (1, 2)
        """A documented constant.

        Examples:
            >>> len(DOCUMENTED)
            2
        """
        UNDOCUMENTED = {"a": 1}

        class Base:
            """A base class.

            >>> Base()  # doctest: +ELLIPSIS
            <...>
            """

        class Child(Base):
            pass

        class Color(enum.Enum):
            RED = "r"

        class Plain:
            """A class without an example."""

        def good():
            """
            Examples:
                >>> good()
                1
            """
            return 1

        def no_example():
            """Only words."""

        def no_doc():
            pass

        def skipped():
            """
            >>> skipped()  # doctest: +SKIP
            """

        def outer():
            def inner():
                """Doctest never sees a nested function.

                >>> 1 + 1
                2
                """
            return inner

        class Holder:
            value = 1
            """Nor a class attribute's docstring.

            >>> Holder.value
            1
            """
    ''',
}


@pytest.fixture
def fake_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    root = tmp_path / "fake_docstrings_pkg"
    root.mkdir()
    for filename, text in FAKE.items():
        (root / filename).write_text(textwrap.dedent(text), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield root.name
    for name in [m for m in sys.modules if m.startswith(root.name)]:
        del sys.modules[name]


def test_checker_finds_what_is_missing(fake_package: str) -> None:
    """
    The check names each undocumented kind: a constant without an attribute docstring, a class
    that only inherits one, an enum, a class or function without an example, a skipped example.
    """
    expected = ["UNDOCUMENTED", "Child", "Color", "Plain", "no_doc", "no_example", "skipped"]

    assert expected == missing_examples(fake_package)


def test_checker_is_not_fooled_by_the_type_docstring() -> None:
    """
    A constant's ``__doc__`` is its type's (``inspect.getdoc`` finds one): that does not count.
    """
    module = ModuleType("fake_constant")
    module.VALUE = {"a": 1}  # type: ignore[attr-defined]  # a fake module's attribute
    module.__all__ = ["VALUE"]  # type: ignore[attr-defined]

    assert inspect.getdoc(module.VALUE)  # type: ignore[attr-defined]
    assert None is own_docstring(module, "VALUE")


def _attribute_docstrings(path: Path) -> Iterator[tuple[str, ast.Constant]]:
    """(name, string literal) of each module-level ``NAME = ...`` followed by a string in *path*."""
    body = ast.parse(path.read_text(encoding="utf-8")).body
    for statement, following in itertools.pairwise(body):
        target = (
            statement.targets[0]
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1
            else statement.target
            if isinstance(statement, ast.AnnAssign)
            else None
        )
        if (
            isinstance(target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            yield target.id, following.value


def _stranded_examples(module: ModuleType, path: Path) -> list[int]:
    """The lines of the string literals of *path* with a ``>>>`` example that the suite does not run."""
    run = {
        inspect.cleandoc(test.docstring)
        for test in doctest.DocTestFinder().find(module, module.__name__)
        if test.docstring and test.examples
    }
    run |= {inspect.cleandoc(literal.value) for _, literal in _attribute_docstrings(path)}
    return sorted(
        node.lineno
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and PARSER.get_examples(node.value)
        and inspect.cleandoc(node.value) not in run
    )


def test_stranded_examples_are_found(fake_package: str) -> None:
    """
    An example doctest cannot see (in a nested function, a class attribute) is reported.
    """
    module = importlib.import_module(f"{fake_package}._impl")
    path = Path(module.__file__ or "")
    lines = path.read_text(encoding="utf-8").splitlines()
    expected = [
        n
        for n, line in enumerate(lines, 1)
        if "Doctest never sees" in line or "Nor a class" in line
    ]

    assert expected == _stranded_examples(module, path)


def _source_modules() -> Iterator[tuple[str, Path]]:
    yield "edoutcomes", Path(edoutcomes.__file__).resolve()
    for info in pkgutil.walk_packages(edoutcomes.__path__, "edoutcomes."):
        spec = importlib.util.find_spec(info.name)
        if spec is not None and spec.origin:
            yield info.name, Path(spec.origin).resolve()


def test_every_example_in_src_runs() -> None:
    """
    Every ``>>>`` line in ``src/edoutcomes`` is in a docstring the suite runs (none is stranded
    where doctest cannot see it, e.g. in a comment, a nested function or a class attribute).
    """
    stranded = []
    for name, path in _source_modules():
        stray = _stranded_examples(importlib.import_module(name), path)
        stranded += [f"{path.relative_to(SRC)}:{line}" for line in stray]

    assert [] == stranded


def test_attribute_docstrings_are_collected() -> None:
    """
    ``src/conftest.py`` collects every attribute docstring with an example as an item ``module.NAME``.
    """
    expected = {
        f"{path.relative_to(SRC.parent)}::{name}.{attribute}"
        for name, path in _source_modules()
        for attribute, literal in _attribute_docstrings(path)
        if PARSER.get_examples(literal.value)
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            *sorted({str(SRC / key.split("::")[0].removeprefix("src/")) for key in expected}),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=SRC.parent,
        env=env,
        check=False,
    )
    collected = {line.strip() for line in out.stdout.splitlines()}

    assert expected, "no attribute docstring with an example: this test would check nothing"
    assert set() == expected - collected, out.stdout[-3000:] + out.stderr[-3000:]
