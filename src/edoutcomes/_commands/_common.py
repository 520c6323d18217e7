"""What the subcommands share: argument types, the institution argument, a progress bar."""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import IO

from .._kernel._findings import Finding
from ..model import Institution

__all__ = [
    "Progress",
    "count_arg",
    "date_arg",
    "institution_arg",
    "number_arg",
    "report_findings",
    "today",
]


def date_arg(text: str) -> dt.date:
    """An ISO date on the command line (argparse ``type=``)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"{text!r} is not a date (YYYY-MM-DD)"
        raise argparse.ArgumentTypeError(msg) from None


def count_arg(*, low: int, high: int | None = None) -> Callable[[str], int]:
    """
    A whole number from *low* (to *high*, both included) on the command line (argparse ``type=``).

    Examples:
        >>> count_arg(low=1)("3"), count_arg(low=1, high=8)("8")
        (3, 8)
        >>> count_arg(low=1)("0")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: '0' is not a whole number of at least 1
    """
    wanted = f"of at least {low}" if high is None else f"between {low} and {high}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            msg = f"{text!r} is not a whole number {wanted}"
            raise argparse.ArgumentTypeError(msg)
        return value

    return parse


def number_arg(*, more_than: float, below: float | None = None) -> Callable[[str], float]:
    """
    A finite number above *more_than* (and below *below*) on the command line (argparse ``type=``).

    Examples:
        >>> number_arg(more_than=0, below=1)("0.95")
        0.95
        >>> number_arg(more_than=0, below=1)("1")
        Traceback (most recent call last):
        ...
        argparse.ArgumentTypeError: '1' is not a number between 0 and 1 (both excluded)
    """
    wanted = (
        f"more than {more_than:g}"
        if below is None
        else f"between {more_than:g} and {below:g} (both excluded)"
    )

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value > more_than and (below is None or value < below)):
            msg = f"{text!r} is not a number {wanted}"
            raise argparse.ArgumentTypeError(msg)
        return value

    return parse


def institution_arg(text: str) -> tuple[str, str | None]:
    """``NNNNNN`` or ``NNNNNN-BB`` (argparse ``type=``): the code and the branch, if given."""
    code, _, branch = text.strip().partition("-")
    if not (len(code) == 6 and code.isdigit()) or (
        branch and not (len(branch) == 2 and branch.isdigit())
    ):
        msg = f"{text!r} is not an institution code (NNNNNN or NNNNNN-BB)"
        raise argparse.ArgumentTypeError(msg)
    return code, branch or None


def institution(value: tuple[str, str | None], name: str | None) -> Institution:
    """The submitting institution from ``--institution`` and ``--institution-name``."""
    code, branch = value
    return Institution(code, name=name or "", branch=branch)


def today() -> dt.date:
    """The local date: the command line's default report date (the library never assumes one)."""
    return dt.datetime.now(dt.UTC).astimezone().date()


def report_findings(
    findings: Sequence[Finding], *, stream: IO[str] | None = None, limit: int = 20
) -> None:
    """Print findings to stderr (values of personal columns are already redacted)."""
    out = stream or sys.stderr
    for finding in findings[:limit]:
        print(f"  {finding}", file=out)
    if len(findings) > limit:
        print(f"  ... and {len(findings) - limit} more", file=out)


class Progress:
    """
    A one-line progress bar on stderr, by steps; silent when stderr is not a terminal.

    Examples:
        >>> import io
        >>> with Progress(["read", "write"], stream=io.StringIO()) as bar:
        ...     bar.step("read")
        ...     bar.step("write")
    """

    def __init__(
        self, steps: Sequence[str], *, stream: IO[str] | None = None, enabled: bool | None = None
    ) -> None:
        self.steps = list(steps)
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.done = 0

    def step(self, label: str) -> None:
        """Show that the step *label* is under way."""
        if self.enabled:
            width = 20
            filled = width * self.done // max(len(self.steps), 1)
            bar = "#" * filled + "-" * (width - filled)
            print(
                f"\r[{bar}] {self.done}/{len(self.steps)} {label:<40}",
                end="",
                file=self.stream,
                flush=True,
            )
        self.done += 1

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.enabled:
            print("\r" + " " * 70 + "\r", end="", file=self.stream, flush=True)
