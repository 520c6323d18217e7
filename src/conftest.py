"""
The doctests of ``src/`` (``--doctest-modules``): attribute docstrings too, and extras respected.

pytest's doctest plugin runs the examples of every module, class and function docstring.
This file adds two things:

- the examples in *attribute docstrings* (the string literal right after a module-level
  assignment, which mkdocstrings shows under the constant) run as well, as items named
  ``module.NAME``;
- the doctests of a package that needs an extra (``edoutcomes.match``, ``.dask``, ``.spark``)
  carry that extra's marker, so ``pytest -m match`` (and the ``dask``/``spark`` steps of
  ``.ci/run``) run them, and are skipped, saying which extra, when it is not installed.
  Cluster doctests (dask, spark) run serially, as their tests do: skipped under pytest-xdist.
"""

from __future__ import annotations

import ast
import contextlib
import doctest
import importlib
import importlib.metadata
import io
import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent

#: The packages whose doctests need an extra, and that extra (= the marker of their tests).
EXTRA_PACKAGES = {
    "edoutcomes.match": "match",
    "edoutcomes.dask": "dask",
    "edoutcomes.spark": "spark",
}
#: The extras whose tests run serially (``-p no:xdist``): they start a cluster.
SERIAL = frozenset({"dask", "spark"})
#: The flags of every doctest here (pyproject's ``doctest_optionflags`` says the same).
OPTIONFLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _module_name(path: Path) -> str | None:
    """The dotted name of a source file under ``src/edoutcomes``, or None."""
    try:
        parts = path.resolve().relative_to(SRC).with_suffix("").parts
    except ValueError:
        return None
    if not parts or parts[0] != "edoutcomes":
        return None
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _extra_of(module: str) -> str | None:
    for package, extra in EXTRA_PACKAGES.items():
        if module == package or module.startswith(package + "."):
            return extra
    return None


def missing_distributions(extra: str) -> list[str]:
    """The distributions of *extra* (from edoutcomes' own metadata) that are not installed."""
    missing = []
    for requirement in importlib.metadata.requires("edoutcomes") or ():
        spec, _, marker = requirement.partition(";")
        if re.search(rf"""extra\s*==\s*["']{re.escape(extra)}["']""", marker):
            name = re.match(r"[A-Za-z0-9._-]+", spec.strip())
            try:
                importlib.metadata.distribution(name.group() if name else spec)
            except importlib.metadata.PackageNotFoundError:
                missing.append(name.group() if name else spec)
    return missing


def attribute_docstrings(tree: ast.Module) -> Iterator[tuple[str, str, int]]:
    """(name, docstring, 0-based line) of every module-level attribute docstring in *tree*."""
    body = tree.body
    for statement, following in itertools.pairwise(body):
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
        elif isinstance(statement, ast.AnnAssign):
            target = statement.target
        else:
            continue
        if (
            isinstance(target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            yield target.id, following.value.value, following.lineno - 1


class AttributeDoctest(pytest.Item):
    """The examples of one attribute docstring, run in the globals of its module."""

    def __init__(self, *, test: doctest.DocTest, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]  # pytest's own keywords
        self.test = test

    def runtest(self) -> None:
        report = io.StringIO()
        runner = doctest.DocTestRunner(optionflags=OPTIONFLAGS)
        self.test.globs = importlib.import_module(self.test.name.rpartition(".")[0]).__dict__.copy()
        runner.run(self.test, out=report.write, clear_globs=True)
        if runner.failures:
            raise AttributeDoctestError(report.getvalue())

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: object = None
    ) -> str:
        if isinstance(excinfo.value, AttributeDoctestError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, self.test.lineno, f"[attribute doctest] {self.name}"


class AttributeDoctestError(AssertionError):
    """An attribute docstring's example did not give its output (the message is doctest's report)."""


class AttributeDoctests(pytest.File):
    """The attribute docstrings with examples of one module of ``src/edoutcomes``."""

    def collect(self) -> Iterator[AttributeDoctest]:
        module = _module_name(self.path)
        if module is None:
            return
        parser = doctest.DocTestParser()
        tree = ast.parse(self.path.read_text(encoding="utf-8"))
        for name, docstring, lineno in attribute_docstrings(tree):
            qualified = f"{module}.{name}"
            test = parser.get_doctest(docstring, {}, qualified, str(self.path), lineno)
            if test.examples:
                yield AttributeDoctest.from_parent(self, name=qualified, test=test)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> AttributeDoctests | None:
    module = _module_name(file_path) if file_path.suffix == ".py" else None
    if module is None or not parent.config.getoption("doctestmodules", False):
        return None
    # Import the module the normal way first: pytest's importlib mode would otherwise load a
    # second copy of a module not imported yet (edoutcomes.errors run alone), whose classes
    # are not the ones the library raises, so ``except InvalidRecordError`` would miss.
    with contextlib.suppress(ImportError):  # pytest reports it when it imports the module
        importlib.import_module(module)
    return AttributeDoctests.from_parent(parent, path=file_path)


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    missing: dict[str, list[str]] = {}
    for item in items:
        module = _module_name(item.path)
        extra = _extra_of(module) if module else None
        if extra is None:  # src/ holds doctests only: every item here is one
            continue
        item.add_marker(getattr(pytest.mark, extra))
        if extra not in missing:
            missing[extra] = missing_distributions(extra)
        if missing[extra]:
            reason = f"the {extra!r} extra is not installed ({', '.join(missing[extra])}): pip install -e '.[test,{extra}]'"
            item.add_marker(pytest.mark.skip(reason=reason))
        elif extra in SERIAL and "PYTEST_XDIST_WORKER" in os.environ:
            item.add_marker(
                pytest.mark.skip(
                    reason=f"a {extra} doctest runs serially: pytest -m {extra} -p no:xdist"
                )
            )
