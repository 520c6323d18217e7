"""
Every script of examples/ runs as a user runs it, and every how-to guide has one.

A script runs in its own Python process, in a scratch folder (its temporary files too), as
``python examples/NN_name.py``. A script that needs an optional extra runs where it is
installed (``pytest -m match`` in the match environment of .ci/run, ``-m dask``, ``-m spark``)
and is skipped elsewhere with the extra's name; run by hand without it, the script itself says
so and stops.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
HOW_TO = ROOT / "docs" / "how-to"

#: Scripts that need an extra: the extra and the modules it installs.
NEEDS = {
    "04_matching.py": ("match", ("rapidfuzz", "jellyfish", "recordlinkage")),
    "20_run_on_a_cluster.py": ("dask", ("distributed", "dask.dataframe")),
    "21_run_on_spark.py": ("spark", ("pyspark",)),
}
# A local cluster or a Spark session takes both cores: those run serially, as their tests do.
SERIAL = {"dask", "spark"}


def scripts() -> list[Path]:
    """The numbered example scripts, in order."""
    return sorted(p for p in EXAMPLES.glob("*.py") if re.match(r"\d\d_", p.name))


def _missing(extra: str, modules: tuple[str, ...]) -> str | None:
    """Why a script that needs *extra* cannot run here, or None."""
    for module in modules:
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            return f"the example needs the {extra!r} extra (pip install 'edoutcomes[{extra}]')"
    if extra == "spark" and shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "the example needs a Java runtime for Spark"
    return None


def _param(script: Path) -> object:
    marks: list[pytest.MarkDecorator] = []
    if script.name in NEEDS:
        extra = NEEDS[script.name][0]
        marks.append(getattr(pytest.mark, extra))
        if extra in SERIAL:
            marks.append(
                pytest.mark.skipif(
                    "PYTEST_XDIST_WORKER" in os.environ,
                    reason=f"runs serially: pytest -m {extra} -p no:xdist",
                )
            )
    return pytest.param(script, id=script.name, marks=marks)


@pytest.mark.parametrize("script", [_param(s) for s in scripts()])
def test_example_runs(script: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    """
    The script runs to the end in a fresh process, in a scratch folder, and prints something.
    """
    if script.name in NEEDS:
        extra, modules = NEEDS[script.name]
        reason = _missing(extra, modules)
        if reason is not None:
            # The extra's CI step selects these (-m spark with CI set): there a skip would hide them.
            if os.environ.get("CI") and extra in (request.config.getoption("markexpr") or ""):
                pytest.fail(f"CI is set, but {reason}", pytrace=False)
            pytest.skip(reason)
    env = {**os.environ, "TMPDIR": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}

    run = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )

    assert 0 == run.returncode, f"{script.name} failed:\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}"
    assert run.stdout.strip(), f"{script.name} printed nothing"


@pytest.mark.parametrize("script", scripts(), ids=lambda p: p.name)
def test_example_opens_as_a_notebook(script: Path) -> None:
    """
    The script is in jupytext's percent format: a Markdown cell with its title first, then cells.
    """
    lines = script.read_text(encoding="utf-8").splitlines()

    assert ["# %% [markdown]"] == lines[:1]
    assert lines[1].startswith("# # "), f"{script.name}: the first cell's first line is its title"
    assert sum(1 for line in lines if line == "# %%") >= 2


@pytest.mark.parametrize("page", sorted(HOW_TO.glob("*.md")), ids=lambda p: p.name)
def test_every_how_to_links_its_example(page: Path) -> None:
    """
    Each how-to guide links to an example script that exists, and the script links back.
    """
    text = page.read_text(encoding="utf-8")
    linked = re.findall(r"\]\(\.\./\.\./examples/(\d\d_\w+\.py)\)", text)

    assert linked, f"docs/how-to/{page.name} links no examples/NN_name.py"
    for name in linked:
        script = EXAMPLES / name
        assert script.is_file(), f"docs/how-to/{page.name} links a missing {name}"
    back = {(EXAMPLES / n).read_text(encoding="utf-8") for n in linked}
    assert any(f"../docs/how-to/{page.name})" in s for s in back), f"no script links {page.name}"


def test_numbers_are_unique() -> None:
    """
    No two scripts share a number, so their order is the order of the site's Examples section.
    """
    numbers = [p.name[:2] for p in scripts()]

    assert sorted(set(numbers)) == numbers


def _hooks() -> object:
    spec = importlib.util.spec_from_file_location("mkdocs_hooks", ROOT / ".ci" / "mkdocs_hooks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_site_renders_a_script(tmp_path: Path) -> None:
    """
    On the site, a script's markdown cells are text, its code cells Python blocks, in order,
    and its links into docs/ point at the pages.
    """
    hooks: object = _hooks()
    script = tmp_path / "07_a_task.py"
    script.write_text(
        "# %% [markdown]\n# # Do a task\n#\n# See [the guide](../docs/how-to/a-task.md).\n\n"
        "# %%\nx = 1\n\n\n# %% [markdown]\n# ## Then\n\n# %%\nprint(x)\n",
        encoding="utf-8",
    )

    page = hooks.render(script)  # type: ignore[attr-defined]

    assert page.startswith("# Do a task\n\nThe script `examples/07_a_task.py`")
    assert "See [the guide](../how-to/a-task.md).\n\n```python\nx = 1\n```\n\n## Then\n\n" in page
    assert page.endswith("```python\nprint(x)\n```\n")
    assert "Do a task" == hooks.title(script.read_text(), "x")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("src_uri", "link", "expected"),
    [
        ("how-to/a.md", "](../../examples/12_x.py)", "](../examples/12_x.md)"),
        ("index.md", "](../examples/00_model.py)", "](examples/00_model.md)"),
        ("how-to/a.md", "](../examples/12_x.py)", "](../examples/12_x.py)"),
    ],
)
def test_links_to_scripts_point_at_their_pages(src_uri: str, link: str, expected: str) -> None:
    """
    A link that reaches examples/NN_name.py from its page goes to the script's page on the site;
    one that does not reach it is left alone.
    """
    hooks: object = _hooks()

    assert f"[s]{expected}" == hooks.example_links(f"[s]{link}", src_uri)  # type: ignore[attr-defined]
