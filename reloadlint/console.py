"""What the command line says and how it ends: exit codes, the one-line
error, messages on stderr, colour.

Shared by every front end that talks to the user (the CLI, the plan printer,
fix application), so none of them reaches into another for these.
"""

from __future__ import annotations

import os
import sys

import click

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class CommandError(Exception):
    """A problem to report in one line with exit code 2."""


def say(text: str) -> None:
    """Write a message to stderr, terminal-safe: paths in it come from the user
    or the tree, and an escape sequence or bidi override in a file name must
    not reach the terminal raw (see :mod:`reloadlint.output.sanitize`)."""
    lines = text.split("\n")
    if not all(line.isascii() and line.isprintable() for line in lines):
        from reloadlint.output import sanitize

        text = "\n".join(sanitize.message(line) for line in lines)
    click.echo(text, err=True)


def use_color(*, to_file: bool) -> bool:
    """Colour on a terminal, never in a file; ``NO_COLOR`` and ``FORCE_COLOR`` decide first."""
    if to_file or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()
