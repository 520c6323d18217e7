"""The ``edoutcomes`` command line: one subcommand per job, ``--help`` on each."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from .errors import EdOutcomesError, InvalidInputError

__all__ = ["main"]

#: Modules that each define ``register(subparsers)``; their subcommand sets ``func(args) -> int``.
_COMMANDS = (
    "edoutcomes._commands.demo",
    "edoutcomes._commands.cohort_query",
    "edoutcomes._commands.request",
    "edoutcomes._commands.read_detail",
    "edoutcomes._commands.match",
    "edoutcomes._commands.ontrack",
    "edoutcomes._commands.hs_report",
    "edoutcomes._commands.readiness",
)


class _Parser(argparse.ArgumentParser):
    """argparse with exit code 2 and a one-line message on bad arguments (no usage text)."""

    def error(self, message: str) -> NoReturn:
        """Print ``prog: error: message`` on one line and exit 2 (``--help`` shows the usage)."""
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())}\n")


def build_parser() -> argparse.ArgumentParser:
    """The full parser, every subcommand registered."""
    from ._commands import EXIT_CODES, HelpFormatter

    parser = _Parser(
        prog="edoutcomes",
        description="Student outcome reports from rosters and records.",
        epilog="'edoutcomes COMMAND --help' describes a command, with an example.\n" + EXIT_CODES,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_version())
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _COMMANDS:
        importlib.import_module(module).register(subparsers)
    for name, sub in subparsers.choices.items():
        if sub.epilog is None:  # the demo: it reads nothing and writes nothing
            sub.epilog = f"example:\n  edoutcomes {name} --students 500 --seed 7\n\n{EXIT_CODES}"
            sub.formatter_class = HelpFormatter
    return parser


def _version() -> str:
    from . import __version__

    return f"edoutcomes {__version__}"


def main(argv: Sequence[str] | None = None) -> int:
    """
    Run the command line; returns the exit code (2 for a user error, with a one-line message).

    Examples:
        >>> import contextlib, io, tempfile
        >>> out = io.StringIO()
        >>> with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        ...     main(["--version"])
        >>> out.getvalue()
        'edoutcomes 0.1.0\\n'
        >>> with tempfile.TemporaryDirectory() as tmp:  # a user error: a one-line message on stderr
        ...     main(["read-detail", f"{tmp}/missing.csv", "--out", f"{tmp}/out"])
        2
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    from ._commands import CommandError, summarise_findings, write_findings

    try:
        return int(args.func(args))
    except CommandError as exc:
        print(f"edoutcomes {args.command}: error: {exc}", file=sys.stderr)
        return exc.code
    except InvalidInputError as exc:
        write_findings(exc.findings, getattr(args, "findings", None))
        if len(exc.findings) == 1:  # one cause, one line
            finding = exc.findings[0]
            where = f"{finding.file}: " if finding.file else ""
            print(f"edoutcomes {args.command}: error: {where}{finding.message}", file=sys.stderr)
            return 1
        n = len(exc.findings)
        print(
            f"edoutcomes {args.command}: error: {n} findings in the input stopped the work:",
            file=sys.stderr,
        )
        summarise_findings(exc.findings)
        return 1
    except (EdOutcomesError, OSError) as exc:
        print(f"edoutcomes {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _one_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
