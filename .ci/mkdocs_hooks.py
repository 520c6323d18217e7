"""MkDocs hooks for the documentation site (mkdocs.yml: ``hooks``)."""

from __future__ import annotations

import re
from typing import Any

# A page fences a block the test suite must not run as ```python no-run (tests/test_docs.py);
# GitHub highlights it as Python, but Markdown's fences take one word, so the site drops the marker.
_NO_RUN = re.compile(r"^(\s*```+\s*\w+) no-run\s*$", flags=re.M)


def on_page_markdown(markdown: str, **_: Any) -> str:
    """The page with ``no-run`` taken off its fences."""
    return _NO_RUN.sub(r"\1", markdown)
