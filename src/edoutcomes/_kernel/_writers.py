"""
The writer registry: the built-ins in one declarative table, third parties through entry points.

Nothing registers as a side effect of an import: a built-in writer's module is imported
when its format is first used, so engines, readers and writers all reach the registry
without importing one another (docs/explanation/architecture.md).
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any, Protocol, runtime_checkable

from ..errors import EdOutcomesError, InvalidArgumentError, UnknownFormatError

__all__ = [
    "BUILTIN_WRITERS",
    "ENTRY_POINT_GROUP",
    "ReportTable",
    "Writer",
    "accepted_types",
    "as_table",
    "available",
    "get_writer",
    "register_writer",
    "write",
]

ENTRY_POINT_GROUP = "edoutcomes.writers"
"""
Third-party writers register under this entry-point group.

Examples:
    >>> ENTRY_POINT_GROUP
    'edoutcomes.writers'
"""


@runtime_checkable
class ReportTable(Protocol):
    """
    What every report can turn itself into: a name, column names and typed rows.

    Reports implement it directly, or give one through ``as_table()``. A report with a
    fixed-width layout also has a ``layout`` attribute (a
    :class:`~edoutcomes.formats.fixed.FixedWidthLayout`).

    Examples:
        >>> from edoutcomes.formats import RowTable
        >>> isinstance(RowTable("counts", ("year", "n"), [("2016-17", 3)]), ReportTable)
        True
    """

    @property
    def name(self) -> str:
        """The table's name (the HTML and XML writers show it; the JSON writer keeps it)."""
        ...

    @property
    def columns(self) -> Sequence[str]:
        """The column names, in order."""
        ...

    def rows(self) -> Iterable[Sequence[object]]:
        """The rows, each with one typed value per column (dates, numbers, codes, None)."""
        ...


class Writer(Protocol):
    """
    Writes one report to a binary stream.

    Examples:
        >>> import io
        >>> from edoutcomes.formats import RowTable, get_writer
        >>> writer = get_writer("csv")  # a Writer: (report, binary stream) -> None
        >>> out = io.BytesIO()
        >>> writer(RowTable("t", ("a",), [(1,)]), out)
        >>> out.getvalue()
        b'a\\n1\\n'
    """

    def __call__(self, report: Any, out: IO[bytes], /) -> None: ...


#: The library's own writers: format name -> (``module:function``, the ``module:Class`` report
#: types it accepts; empty: any report that is or gives a table). Modules are relative to the
#: package, so a vendored copy under another name still finds them.
BUILTIN_WRITERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "csv": (".formats.csv:write_csv", ()),
    "csv-plain": (".formats.csv:write_plain_csv", ()),
    "fixed-width": (".formats.fixed:write_fixed", ()),
    "html": (".formats.html:write_html", ()),
    "json": (".formats.json:write_json", ()),
    "nsc-aggregate": (".formats.cohort_report:write_aggregate", (".cohort:CohortQueryResult",)),
    "nsc-control": (".formats.cohort_report:write_control", (".cohort:ControlReport",)),
    "nsc-detail": (".formats.detail:write_detail", (".cohort:DetailReport",)),
    "nsc-hs-detail": (".formats.detail:write_high_school_detail", (".cohort:DetailReport",)),
    "nsc-hs-graduates": (
        ".formats.request:write_high_school_graduates",
        (".formats.request:HighSchoolGraduates",),
    ),
    "nsc-request": (".formats.request:write_college_request", (".formats.request:CollegeRequest",)),
    "nsc-request-fixed": (
        ".formats.request:write_college_request_fixed",
        (".formats.request:CollegeRequest",),
    ),
    "oregon-ontrack-csv": (".ontrack:write_ontrack_csv", (".ontrack:OnTrackExtract",)),
    "oregon-ontrack-explanations": (".ontrack:write_explanations_csv", (".ontrack:Explanations",)),
    "oregon-ontrack-fixed": (".ontrack:write_ontrack_fixed", (".ontrack:OnTrackExtract",)),
    "xml": (".formats.xml:write_xml", ()),
}
#: The package the table's modules are relative to (``edoutcomes``, or a vendored name).
_ROOT = __package__.rpartition(".")[0] if __package__ else "edoutcomes"

_WRITERS: dict[str, Writer] = {}
_ACCEPTS: dict[str, tuple[type, ...] | None] = {}
#: Third-party writers found but not yet imported: a broken plugin only fails when it is used.
_PENDING: dict[str, importlib.metadata.EntryPoint] = {}


def register_writer(
    name: str, *, accepts: tuple[type, ...] | None = None, replace: bool = False
) -> Callable[[Writer], Writer]:
    """
    Register a writer under *name* (a decorator); duplicate names are refused.

    A layout-specific writer names the report types it *accepts*; :func:`write` refuses
    any other report with a message naming both. A third-party writer states the same
    through an ``accepts`` attribute on the function its entry point loads.

    Args:
        name: The format name, e.g. ``"csv"``.
        accepts: Report types the writer takes (None: any report that is or gives a table).
        replace: Allow replacing an existing writer of the same name.

    Raises:
        InvalidArgumentError: If *name* is taken and *replace* is false.

    Examples:
        >>> @register_writer("doctest-lines", accepts=(list,))
        ... def write_lines(report, out, /):
        ...     out.write("".join(f"{x}\\n" for x in report).encode())
        >>> import io
        >>> buffer = io.BytesIO()
        >>> write([1, 2], buffer, "doctest-lines")
        >>> buffer.getvalue()
        b'1\\n2\\n'
        >>> write("text", buffer, "doctest-lines")
        Traceback (most recent call last):
        ...
        edoutcomes.errors.InvalidArgumentError: format 'doctest-lines' writes list, not str
        >>> _unregister("doctest-lines")
    """

    def decorator(writer: Writer) -> Writer:
        taken = name in _WRITERS or name in _PENDING or name in BUILTIN_WRITERS
        if taken and not replace:
            msg = f"a writer is already registered for format {name!r}"
            raise InvalidArgumentError(msg)
        _PENDING.pop(name, None)
        _WRITERS[name] = writer
        _ACCEPTS[name] = accepts
        return writer

    return decorator


def _unregister(name: str) -> None:
    """Forget the writer *name* (for tests and doctests)."""
    _WRITERS.pop(name, None)
    _ACCEPTS.pop(name, None)
    _PENDING.pop(name, None)


def _load(target: str) -> Any:
    """The object a ``module:name`` entry of :data:`BUILTIN_WRITERS` names (imported now)."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module, package=_ROOT), name)


@functools.cache
def _load_entry_points() -> None:
    # On first use, not at import: importing stays cheap and vendored copies still work.
    # A plugin never shadows a built-in writer.
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name not in _WRITERS and ep.name not in BUILTIN_WRITERS:
            _PENDING.setdefault(ep.name, ep)


def _rescan() -> None:
    """Look for entry points again (after installing a plugin in a running process)."""
    _load_entry_points.cache_clear()
    _load_entry_points()


def _resolve(name: str) -> Writer:
    _load_entry_points()
    if name in _WRITERS:
        return _WRITERS[name]
    if name in BUILTIN_WRITERS:
        target, types = BUILTIN_WRITERS[name]
        _WRITERS[name] = _load(target)
        _ACCEPTS[name] = tuple(_load(t) for t in types) or None
        return _WRITERS[name]
    ep = _PENDING.get(name)
    if ep is None:
        raise UnknownFormatError(name, {*_WRITERS, *_PENDING, *BUILTIN_WRITERS})
    try:
        writer = ep.load()
    except Exception as exc:
        msg = f"the writer plugin {name!r} ({ep.value}) failed to load: {exc}"
        raise EdOutcomesError(msg) from exc
    if not callable(writer):
        msg = f"the writer plugin {name!r} ({ep.value}) is not callable"
        raise EdOutcomesError(msg)
    del _PENDING[name]
    accepts = getattr(writer, "accepts", None)
    _WRITERS[name] = writer
    _ACCEPTS[name] = tuple(accepts) if accepts is not None else None
    return _WRITERS[name]


def available() -> list[str]:
    """
    The names of every writer installed: built-in and third-party.

    Neither built-in nor third-party writers are imported to be listed.

    Examples:
        >>> from edoutcomes.formats import available
        >>> {"csv", "json", "xml", "html", "fixed-width"} <= set(available())
        True
        >>> {"nsc-aggregate", "oregon-ontrack-csv"} <= set(available())
        True
    """
    _load_entry_points()
    return sorted({*_WRITERS, *_PENDING, *BUILTIN_WRITERS})


def get_writer(name: str) -> Writer:
    """
    The writer registered as *name* (a third-party writer is imported now).

    Raises:
        UnknownFormatError: If no writer has that name; the message lists the known ones.
        EdOutcomesError: If a third-party writer cannot be imported.

    Examples:
        >>> from edoutcomes.formats import get_writer
        >>> get_writer("csv").__name__
        'write_csv'
    """
    return _resolve(name)


def accepted_types(name: str) -> tuple[type, ...] | None:
    """
    The report types the writer *name* accepts (None: any report that gives a table).

    Examples:
        >>> from edoutcomes.formats import accepted_types
        >>> accepted_types("csv") is None
        True
    """
    _resolve(name)
    return _ACCEPTS.get(name)


def write(report: Any, destination: IO[bytes] | str | Path, format: str) -> None:
    """
    Write *report* in *format* to a binary stream or a path.

    Raises:
        UnknownFormatError: If no writer has that name.
        InvalidArgumentError: If the writer does not accept this kind of report.

    Examples:
        >>> import io
        >>> from edoutcomes.formats import RowTable
        >>> buffer = io.BytesIO()
        >>> write(RowTable("t", ("a", "b"), [(1, None)]), buffer, "csv")
        >>> buffer.getvalue()
        b'a,b\\n1,\\n'
    """
    writer = _resolve(format)
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
    """
    The :class:`ReportTable` of *report* (itself, or what its ``as_table()`` gives).

    Raises:
        InvalidArgumentError: If *report* neither is a table nor gives one.

    Examples:
        >>> from edoutcomes.formats import RowTable
        >>> table = RowTable("counts", ("year", "n"), [("2016-17", 3)])
        >>> as_table(table) is table
        True
        >>> as_table(42)
        Traceback (most recent call last):
        ...
        edoutcomes.errors.InvalidArgumentError: int is not a report table and has no as_table()
    """
    if hasattr(report, "as_table"):
        return report.as_table()  # type: ignore[no-any-return]
    if isinstance(report, ReportTable):
        return report
    msg = f"{type(report).__name__} is not a report table and has no as_table()"
    raise InvalidArgumentError(msg)
