"""The subcommands of the ``edoutcomes`` command line, one module each, and what they share."""

from ._run import EXIT_CODES, CommandError, HelpFormatter, summarise_findings, write_findings

__all__ = ["EXIT_CODES", "CommandError", "HelpFormatter", "summarise_findings", "write_findings"]
