"""
The matching tests need the ``match`` extra: without it they are skipped, and say why.

Each matching test module starts with ``pytest.importorskip(module, reason=MATCH_EXTRA_MISSING)``.
"""

from __future__ import annotations

#: The skip reason of every matching test when the extra is missing.
MATCH_EXTRA_MISSING = (
    "the 'match' extra is not installed, so the matching tests are skipped "
    "(install it with: pip install -e '.[test,match]')"
)
