"""Shared test set-up: Hypothesis profiles, and ``tests/`` on the import path for ``strategies``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import settings

# pytest runs with --import-mode=importlib, which does not put tests/ on sys.path;
# the shared strategies module is imported by name from every test file.
_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

# No deadline in either profile: the machine is shared, and timing belongs in benchmarks/.
settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("ci", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


# The demo writer plugin is a package of its own, installed into a temporary path by the
# plugin tests; collecting it for doctests would import it once for the whole process and
# hide a fresh import from them.
collect_ignore = ["plugins"]
