"""
Rows done, told to whoever listens: readers, engines and writers count, the command line draws.

A reader reports the rows of each record batch it reads, a writer those of each batch it
writes, an engine that works a block of students at a time the students of each block. Nobody
listens unless a caller installs a listener with :func:`counting_rows` (the command line
installs its progress bar's ``update``), so the library itself never prints and a count costs
one context-variable lookup per batch.

The listener is a context variable: it follows the code that installed it, not threads it
did not start, so an engine that fans out to threads reports from the thread that waits.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

__all__ = ["counted", "counting_rows", "rows_done"]

_T = TypeVar("_T")

#: Called with the number of rows just done; None when nobody listens.
_LISTENER: contextvars.ContextVar[Callable[[int], object] | None] = contextvars.ContextVar(
    "edoutcomes_rows_done", default=None
)


def rows_done(n: int) -> None:
    """
    Tell the listener, if any, that *n* more rows are done.

    Examples:
        >>> rows_done(5)  # nobody listens: nothing happens
        >>> seen = []
        >>> with counting_rows(seen.append):
        ...     rows_done(3)
        ...     rows_done(0)
        ...     rows_done(4)
        >>> seen
        [3, 4]
    """
    listener = _LISTENER.get()
    if listener is not None and n > 0:
        listener(n)


@contextlib.contextmanager
def counting_rows(listener: Callable[[int], object]) -> Iterator[None]:
    """Send the rows done inside the block to *listener* (the previous listener comes back after)."""
    token = _LISTENER.set(listener)
    try:
        yield
    finally:
        _LISTENER.reset(token)


def counted(rows: Iterable[_T], *, every: int = 4096) -> Iterator[_T]:
    """
    *rows* as they come, reported as done *every* rows and at the end (a row-by-row reader).

    Examples:
        >>> seen = []
        >>> with counting_rows(seen.append):
        ...     rows = list(counted(range(10), every=4))
        >>> seen, len(rows)
        ([4, 4, 2], 10)
    """
    pending = 0
    for row in rows:
        yield row
        pending += 1
        if pending == every:
            rows_done(pending)
            pending = 0
    rows_done(pending)
