"""Subcommands of the edoutcomes command line (private)."""
