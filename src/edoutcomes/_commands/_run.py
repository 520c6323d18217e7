"""
What every subcommand's run shares: stopping with one line, checked paths, dates said, progress, findings, summary.

A command stops with :class:`CommandError`: exit 1 when the input stopped the work (a missing column,
an empty students file, errors in rows), exit 2 for a usage problem (a missing file, an
output that exists, a date before another). Either way the message is one line.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import re
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from .._kernel._findings import FileStatus, Finding
from ..errors import EdOutcomesError

__all__ = [
    "BAR_DELAY",
    "BAR_INTERVAL",
    "EXIT_CODES",
    "INPUT",
    "USAGE",
    "AsOfAction",
    "CommandError",
    "HelpFormatter",
    "RunSummary",
    "add_as_of",
    "add_findings_option",
    "add_force",
    "check_before",
    "check_file",
    "check_inputs",
    "check_out_dir",
    "check_out_file",
    "plain",
    "progress",
    "require_as_of",
    "settle_findings",
    "stop_on_errors",
    "summarise_findings",
    "timestamp_arg",
    "today",
    "write_findings",
]

#: Exit code: findings in the input stopped the work.
INPUT = 1
#: Exit code: the command line asks for something that cannot be done.
USAGE = 2

EXIT_CODES = "exit codes: 0 done, 1 findings in the input stopped the work, 2 usage error"


class CommandError(EdOutcomesError):
    """CommandError the command with a one-line message and an exit code (1 input, 2 usage)."""

    def __init__(self, message: str, code: int = USAGE) -> None:
        self.code = code
        super().__init__(" ".join(message.split()))


# --------------------------------------------------------------------------------------------
# Dates: never from the clock unless asked for, always said
# --------------------------------------------------------------------------------------------


def today() -> dt.date:
    """The local date: only when the user asks for it (``--as-of today``) or for file dates."""
    return dt.datetime.now(dt.UTC).astimezone().date()


class AsOfAction(argparse.Action):
    """``--as-of YYYY-MM-DD`` or ``--as-of today``; sets ``as_of`` and ``as_of_said``."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        text = str(values).strip()
        if text.lower() == "today":
            setattr(namespace, self.dest, today())
            namespace.as_of_said = "today's date, as --as-of today asked"
            return
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            parser.error(f"argument {option_string}: {text!r} is not a date (YYYY-MM-DD or today)")
        setattr(namespace, self.dest, day)
        namespace.as_of_said = "given"


def add_as_of(parser: argparse.ArgumentParser, what: str, *, optional: str | None = None) -> None:
    """
    Add ``--as-of``: required (checked by :func:`require_as_of`) unless *optional* says its default.

    It is checked after the paths, so a missing file is named first.
    """
    tail = f" (default: {optional})" if optional else " (required; 'today' for today's date)"
    parser.add_argument(
        "--as-of",
        action=AsOfAction,
        default=None,
        metavar="YYYY-MM-DD|today",
        help=f"{what}{tail}",
    )
    parser.set_defaults(as_of_said=None)


def require_as_of(args: argparse.Namespace, why: str) -> dt.date:
    """The ``--as-of`` date, or :class:`CommandError` (exit 2) saying why it is needed."""
    if args.as_of is None:
        msg = f"--as-of is required: {why}; give a date (YYYY-MM-DD) or --as-of today"
        raise CommandError(msg)
    day: dt.date = args.as_of
    return day


def said(day: dt.date | None, how: str) -> str:
    """``2013-02-20 (given)``: a date and where it came from."""
    return f"{day.isoformat()} ({how})" if day is not None else f"none ({how})"


def check_before(earlier: dt.date, later: dt.date, *, first: str, second: str) -> None:
    """:class:`CommandError` (exit 2) when *later* is before *earlier*."""
    if later < earlier:
        msg = f"{second} {later.isoformat()} is before {first} {earlier.isoformat()}"
        raise CommandError(msg)


# --------------------------------------------------------------------------------------------
# Paths
# --------------------------------------------------------------------------------------------


def check_file(path: str | Path | None, option: str) -> Path | None:
    """The input file of *option*, or :class:`CommandError` (exit 2) if it is missing or a directory."""
    if path is None:
        return None
    file = Path(path)
    if file.is_dir():
        msg = f"{option} {file} is a directory; give the file itself"
        raise CommandError(msg)
    if not file.exists():
        msg = f"{option} {file}: No such file"
        raise CommandError(msg)
    return file


def check_out_dir(path: str | Path, option: str = "--out") -> Path:
    """The output folder of *option*, or :class:`CommandError` (exit 2) if a file is in its place."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        msg = f"{option} {folder} is a file, not a folder; give a folder to write into"
        raise CommandError(msg)
    return folder


def check_out_file(path: str | Path, *, force: bool, option: str = "--out") -> Path:
    """An output file: :class:`CommandError` (exit 2) for a folder in its place or, without *force*, an existing file."""
    file = Path(path)
    if file.is_dir():
        msg = f"{option} {file} is a folder; give a file name"
        raise CommandError(msg)
    if file.exists() and not force:
        msg = f"{file} already exists; give --force to overwrite it"
        raise CommandError(msg)
    return file


def add_force(parser: argparse.ArgumentParser) -> None:
    """Add ``--force``."""
    parser.add_argument(
        "--force", action="store_true", help="overwrite output files that already exist"
    )


# --------------------------------------------------------------------------------------------
# Findings: summarised by kind, all of them in --findings FILE
# --------------------------------------------------------------------------------------------


def add_findings_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--findings FILE``."""
    parser.add_argument(
        "--findings",
        type=Path,
        metavar="FILE.csv",
        help="write every finding (file, row, column, kind, message; no personal value) to this CSV",
    )


_NUMBER = re.compile(r"\d+")
# Request-file checks name the student by id ("student 'S1': ..."); the row says which.
_STUDENT_ID = re.compile(r"\bstudent '(?:[^'\\]|\\.)*'")


def plain(message: str) -> str:
    """
    *message* without a student's id: the command line never prints or writes one.

    Examples:
        >>> plain("student 'S1': ssn left blank (a CO inquiry)")
        'the student: ssn left blank (a CO inquiry)'
    """
    return _STUDENT_ID.sub("the student", message)


def _kind(finding: Finding) -> tuple[str, str, str, str]:
    return (
        finding.file or "",
        str(finding.severity),
        finding.column or "",
        _NUMBER.sub("#", plain(finding.message)),
    )


def summarise_findings(
    findings: Sequence[Finding], *, stream: IO[str] | None = None, rows_shown: int = 3
) -> None:
    """Print one line per kind of finding: its count and first rows (values never shown)."""
    out = stream or sys.stderr
    groups: dict[tuple[str, str, str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault(_kind(finding), []).append(finding)
    for (file, severity, column, _), group in groups.items():
        rows = [f.row for f in group if f.row is not None]
        where = f"{file}: " if file else ""
        col = f"column {column}: " if column else ""
        shown = ", ".join(str(r) for r in rows[:rows_shown])
        more = ", ..." if len(rows) > rows_shown else ""
        at = f" ({'rows' if len(rows) > 1 else 'row'} {shown}{more})" if rows else ""
        print(f"  {where}{len(group)} x {severity}: {col}{plain(group[0].message)}{at}", file=out)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def write_findings(findings: Iterable[Finding], path: Path | None) -> Path | None:
    """Write every finding to *path* (CSV: file, row, column, kind, message); values are left out."""
    if path is None:
        return None
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["file", "row", "column", "kind", "message"])
        for f in findings:
            writer.writerow(
                [
                    f.file or "",
                    "" if f.row is None else f.row,
                    f.column or "",
                    f.severity,
                    plain(f.message),
                ]
            )
    return path


# --------------------------------------------------------------------------------------------
# Progress and the run summary
# --------------------------------------------------------------------------------------------


#: A bar is drawn once its step has taken this long (seconds): short steps stay quiet.
BAR_DELAY = 2.0
#: The least time between two redraws of a bar (seconds).
BAR_INTERVAL = 0.5


@contextlib.contextmanager
def progress(
    total: int | None, what: str, *, unit: str = "rows", counts_rows: bool = True
) -> Iterator[Any]:
    """
    A tqdm bar on stderr for one step, drawn only when stderr is a terminal (never in captured output).

    With *counts_rows*, the rows the library's readers, engines and writers report as done
    inside the block advance the bar (:func:`edoutcomes._kernel._progress.counting_rows`); a
    step done in one call advances it with ``bar.update(n)`` when the call returns. A bar
    appears once its step has taken :data:`BAR_DELAY` seconds, its clock then ticks even while
    one long call runs, and it is cleared when the step ends.
    """
    from tqdm import tqdm

    from .._kernel._progress import counting_rows

    stream = sys.stderr
    bar = tqdm(
        total=total,
        desc=what,
        unit=f" {unit}",
        unit_scale=total is None or total >= 10_000,  # 1.2M rows, but 3/8 files
        file=stream,
        disable=not stream.isatty(),
        leave=False,
        dynamic_ncols=True,
        delay=BAR_DELAY,
        mininterval=BAR_INTERVAL,
    )
    with contextlib.ExitStack() as stack:
        stack.enter_context(bar)
        if not bar.disable:
            if counts_rows:
                stack.enter_context(counting_rows(bar.update))
            stack.enter_context(_ticking(bar))
        yield bar


@contextlib.contextmanager
def _ticking(bar: Any) -> Iterator[None]:
    """Redraw *bar* every :data:`BAR_INTERVAL` once :data:`BAR_DELAY` has passed (its clock ticks)."""
    stop = threading.Event()
    start = time.perf_counter()

    def tick() -> None:
        while not stop.wait(BAR_INTERVAL):
            if time.perf_counter() - start >= BAR_DELAY:
                bar.refresh()

    thread = threading.Thread(target=tick, name="edoutcomes-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _size(nbytes: int) -> str:
    size = float(nbytes)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{nbytes} bytes"  # pragma: no cover - the loop always returns


class RunSummary:
    """
    The end of a run: rows per file, what was found, the files written with their sizes, the time.

    Examples:
        >>> import io
        >>> summary = RunSummary("demo", stream=io.StringIO())
        >>> summary.dates(("report date", dt.date(2013, 2, 20), "given"))
        >>> summary.stream.getvalue()
        'report date: 2013-02-20 (given)\\n'
    """

    def __init__(self, command: str, *, stream: IO[str] | None = None) -> None:
        self.command = command
        self.stream = stream or sys.stdout
        self.start = time.perf_counter()
        self.statuses: list[FileStatus] = []
        self.written: list[Path] = []
        self.found: list[str] = []

    def dates(self, *dates: tuple[str, dt.date | None, str]) -> None:
        """Print each date used and where it came from."""
        for label, day, how in dates:
            print(f"{label}: {said(day, how)}", file=self.stream)

    def read(self, *statuses: FileStatus) -> None:
        """Record files read."""
        self.statuses.extend(statuses)

    def wrote(self, *paths: Path | str | None) -> None:
        """Record files written (None: no file, as when no ``--findings`` file is given)."""
        self.written.extend(Path(p) for p in paths if p is not None)

    def finish(self) -> None:
        """Print the summary."""
        out = self.stream
        for status in self.statuses:
            name = status.file or "<input>"
            print(
                f"read {name}: {status.rows_read} rows, {status.rows_accepted} accepted, "
                f"{status.rows_rejected} rejected",
                file=out,
            )
        for line in self.found:
            print(line, file=out)
        for path in self.written:
            size = path.stat().st_size if path.exists() else 0
            print(f"wrote {path} ({_size(size)})", file=out)
        print(f"done in {time.perf_counter() - self.start:.1f} s", file=out)


def stop_on_errors(
    findings: Sequence[Finding], *, findings_file: Path | None, lenient: bool
) -> None:
    """Before the work: with errors and without *lenient*, write, summarise and stop (exit 1)."""
    if not lenient and any(f.is_error for f in findings):
        settle_findings(findings, findings_file=findings_file, lenient=False)


def settle_findings(
    findings: Sequence[Finding],
    *,
    findings_file: Path | None,
    lenient: bool | None,
    what: str = "the input",
) -> Path | None:
    """
    Write every finding to *findings_file*, summarise them by kind on stderr, and stop (exit 1)
    on errors unless *lenient* (None: errors never stop, they are reported only).

    Returns the findings file written (None without one), for the run summary.
    """
    written = write_findings(findings, findings_file)
    if not findings:
        return written
    errors = sum(f.is_error for f in findings)
    print(
        f"{_count(len(findings), 'finding')} in {what} "
        f"({_count(errors, 'error')}, {_count(len(findings) - errors, 'warning')})"
        + (f", all of them in {written}" if written else "; --findings FILE writes all of them")
        + ":",
        file=sys.stderr,
    )
    summarise_findings(findings)
    if errors and lenient is False:
        msg = (
            f"{_count(errors, 'error')} in {what} stopped the work; fix the rows, "
            "or give --lenient to go on without them"
        )
        raise CommandError(msg, INPUT)
    return written


def check_inputs(args: argparse.Namespace, *options: str) -> None:
    """:func:`check_file` on each of *options* given (``--students`` -> ``args.students``)."""
    for option in options:
        check_file(getattr(args, option.lstrip("-").replace("-", "_"), None), option)


def timestamp_arg(text: str) -> dt.datetime:
    """``YYYYMMDDHHMM`` on the command line (argparse ``type=``), as the file names carry it."""
    try:
        # Only the digits matter (they go into file names as given): the zone is nominal.
        return dt.datetime.strptime(f"{text}+0000", "%Y%m%d%H%M%z")
    except ValueError:
        msg = f"{text!r} is not a time stamp (YYYYMMDDHHMM)"
        raise argparse.ArgumentTypeError(msg) from None


class HelpFormatter(argparse.HelpFormatter):
    """Wraps the description's paragraphs; keeps example blocks (indented lines) as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        blocks = []
        for block in text.split("\n\n"):
            lines = block.splitlines()
            if any(line.startswith("  ") for line in lines):
                blocks.append("\n".join(indent + line for line in lines))
            else:
                blocks.append(super()._fill_text(block, width, indent))
        return "\n\n".join(blocks)
