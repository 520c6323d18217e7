"""Optional dependencies: imported lazily, with an error that names the extra to install."""

from __future__ import annotations

import importlib
from types import ModuleType

from ..errors import MissingExtraError

__all__ = ["require"]


def require(module: str, *, feature: str, extra: str) -> ModuleType:
    """
    Import *module*, or raise :class:`MissingExtraError` naming ``pip install 'edoutcomes[extra]'``.

    Examples:
        >>> require("math", feature="arithmetic", extra="none").sqrt(4.0)
        2.0
    """
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtraError(feature, extra, module) from exc
