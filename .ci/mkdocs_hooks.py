"""
MkDocs hooks for the documentation site (mkdocs.yml: ``hooks``).

- ``python no-run`` fences lose their marker (tests/test_docs.py reads it; Markdown does not).
- Every ``examples/NN_name.py`` (a jupytext ``# %%`` script) becomes a page ``examples/NN_name.md``
  of an "Examples" section at the end of the nav: its markdown cells as text, its code cells
  as Python blocks. Nothing is written into docs/; the pages exist only in the built site.
- A link to a script, as GitHub resolves it (``../../examples/NN_name.py`` from a how-to page),
  points at that page on the site; in a script, a link into ``../docs/`` points at the page.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

# A page fences a block the test suite must not run as ```python no-run (tests/test_docs.py);
# GitHub highlights it as Python, but Markdown's fences take one word, so the site drops the marker.
_NO_RUN = re.compile(r"^(\s*```+\s*\w+) no-run\s*$", flags=re.M)

# A Markdown link whose target walks up to examples/NN_name.py.
_SCRIPT_LINK = re.compile(r"\]\(((?:\.\./)+examples/(\d\d_\w+)\.py)\)")
# In a script (examples/), a link into the docs as GitHub and a notebook resolve it.
_DOCS_LINK = re.compile(r"\]\(\.\./docs/")
_CELL = re.compile(r"^# %%(.*)$")
_SECTION = "Examples"


def _examples_dir(config: Any) -> Path:
    return Path(config["config_file_path"]).resolve().parent / "examples"


def scripts(folder: Path) -> list[Path]:
    """The numbered example scripts, in order."""
    return sorted(p for p in folder.glob("*.py") if re.match(r"\d\d_", p.name))


def cells(text: str) -> list[tuple[str, str]]:
    """A percent-format script's cells, ``("markdown" | "code", source)``, empty cells left out."""
    out: list[tuple[str, list[str]]] = [("code", [])]
    for line in text.splitlines():
        marker = _CELL.match(line)
        if marker:
            out.append(("markdown" if "[markdown]" in marker.group(1) else "code", []))
        elif out[-1][0] == "markdown":
            out[-1][1].append(line[2:] if line.startswith("# ") else line.lstrip("#"))
        else:
            out[-1][1].append(line)
    return [(kind, "\n".join(lines).strip("\n")) for kind, lines in out if "".join(lines).strip()]


def title(text: str, fallback: str) -> str:
    """The script's first Markdown heading, or *fallback*."""
    for kind, source in cells(text):
        if kind == "markdown":
            heading = re.search(r"^#\s+(.+)$", source, flags=re.M)
            if heading:
                return heading.group(1).strip()
    return fallback


def render(script: Path) -> str:
    """The Markdown page of one script: markdown cells as text, code cells as Python blocks."""
    text = script.read_text(encoding="utf-8")
    parts: list[str] = []
    for kind, source in cells(text):
        if kind == "markdown":
            parts.append(_DOCS_LINK.sub("](../", source))
        else:
            parts.append(f"```python\n{source}\n```")
    if not parts or not parts[0].startswith("# "):
        parts.insert(0, f"# {script.stem}")
    run = (
        f"The script `examples/{script.name}`: run it with `python examples/{script.name}`, "
        "or open it as a notebook (its `# %%` cells are jupytext's percent format). "
        "The test suite runs it (`tests/test_examples.py`)."
    )
    heading, _, rest = parts[0].partition("\n")
    parts[0] = f"{heading}\n\n{run}\n{rest}".rstrip("\n")
    return "\n\n".join(parts) + "\n"


def example_links(markdown: str, src_uri: str) -> str:
    """*markdown* of the page at *src_uri* with links to ``examples/*.py`` sent to their pages."""
    page_dir = posixpath.dirname(src_uri)

    def send(match: re.Match[str]) -> str:
        target = posixpath.normpath(posixpath.join("docs", page_dir, match.group(1)))
        if target != f"examples/{match.group(2)}.py":
            return match.group(0)
        page = posixpath.relpath(f"examples/{match.group(2)}.md", page_dir or ".")
        return f"]({page})"

    return _SCRIPT_LINK.sub(send, markdown)


def on_config(config: Any, **_: Any) -> Any:
    """An "Examples" section at the end of the nav, a page per script."""
    nav = config["nav"]
    if nav is not None and not any(isinstance(i, dict) and _SECTION in i for i in nav):
        pages = [
            {title(s.read_text(encoding="utf-8"), s.stem): f"examples/{s.stem}.md"}
            for s in scripts(_examples_dir(config))
        ]
        nav.append({_SECTION: pages})
    return config


def on_files(files: Any, config: Any, **_: Any) -> Any:
    """The example pages, generated from the scripts."""
    from mkdocs.structure.files import File

    for script in scripts(_examples_dir(config)):
        files.append(File.generated(config, f"examples/{script.stem}.md", content=render(script)))
    return files


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    """The page with ``no-run`` taken off its fences and links to scripts sent to their pages."""
    return example_links(_NO_RUN.sub(r"\1", markdown), page.file.src_uri)
