"""The writer registry: built-ins registered explicitly, third parties through entry points."""

from __future__ import annotations

import functools
import importlib.metadata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any, Protocol, runtime_checkable

from ..errors import InvalidArgumentError, UnknownFormatError

__all__ = [
    "ENTRY_POINT_GROUP",
    "ReportTable",
    "Writer",
    "available",
    "get_writer",
    "register_writer",
    "write",
]

#: Third-party writers register under this entry-point group.
ENTRY_POINT_GROUP = "edoutcomes.writers"


@runtime_checkable
class ReportTable(Protocol):
    """
    What every report can turn itself into: a name, column names and typed rows.

    Reports implement it directly, or give one through ``as_table()``. A report with a
    fixed-width layout also has a ``layout`` attribute (see :mod:`edoutcomes.formats`).
    """

    @property
    def name(self) -> str: ...

    @property
    def columns(self) -> Sequence[str]: ...

    def rows(self) -> Iterable[Sequence[object]]: ...


class Writer(Protocol):
    """Writes one report to a binary stream."""

    def __call__(self, report: Any, out: IO[bytes], /) -> None: ...


_WRITERS: dict[str, Writer] = {}
_ACCEPTS: dict[str, tuple[type, ...] | None] = {}


def register_writer(
    name: str, *, accepts: tuple[type, ...] | None = None, replace: bool = False
) -> Callable[[Writer], Writer]:
    """
    Register a writer under *name* (a decorator); duplicate names are refused.

    Args:
        name: The format name, e.g. ``"csv"``.
        accepts: Report types the writer takes (None: any report that is or gives a table).
        replace: Allow replacing an existing writer of the same name.

    Raises:
        InvalidArgumentError: If *name* is taken and *replace* is false.
    """

    def decorator(writer: Writer) -> Writer:
        if name in _WRITERS and not replace:
            msg = f"a writer is already registered for format {name!r}"
            raise InvalidArgumentError(msg)
        _WRITERS[name] = writer
        _ACCEPTS[name] = accepts
        return writer

    return decorator


@functools.cache
def _load_entry_points() -> None:
    # On first use, not at import: importing stays cheap and vendored copies still work.
    from .. import formats as _builtins  # noqa: F401  (built-in writers register on import)

    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name not in _WRITERS:
            _WRITERS[ep.name] = ep.load()
            _ACCEPTS[ep.name] = getattr(_WRITERS[ep.name], "accepts", None)


def available() -> list[str]:
    """
    The names of every writer installed: built-in and third-party.

    Examples:
        >>> "csv" in available()
        True
    """
    _load_entry_points()
    return sorted(_WRITERS)


def get_writer(name: str) -> Writer:
    """The writer registered as *name*; :class:`UnknownFormatError` lists the known ones."""
    _load_entry_points()
    try:
        return _WRITERS[name]
    except KeyError:
        raise UnknownFormatError(name, _WRITERS) from None


def write(report: Any, destination: IO[bytes] | str | Path, format: str) -> None:
    """
    Write *report* in *format* to a binary stream or a path.

    Raises:
        UnknownFormatError: If no writer has that name.
        InvalidArgumentError: If the writer does not accept this kind of report.
    """
    writer = get_writer(format)
    accepts = _ACCEPTS.get(format)
    if accepts is not None and not isinstance(report, accepts):
        names = ", ".join(t.__name__ for t in accepts)
        msg = f"format {format!r} writes {names}, not {type(report).__name__}"
        raise InvalidArgumentError(msg)
    if isinstance(destination, str | Path):
        with open(destination, "wb") as out:
            writer(report, out)
    else:
        writer(report, destination)


def as_table(report: Any) -> ReportTable:
    """The :class:`ReportTable` of *report* (itself, or what its ``as_table()`` gives)."""
    if hasattr(report, "as_table"):
        return report.as_table()  # type: ignore[no-any-return]
    if isinstance(report, ReportTable):
        return report
    msg = f"{type(report).__name__} is not a report table and has no as_table()"
    raise InvalidArgumentError(msg)
