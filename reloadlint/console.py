"""What the command line says and how it ends: exit codes, the one-line
error, messages on stderr, colour.

Shared by every front end that talks to the user (the CLI, the plan printer,
fix application), so none of them reaches into another for these.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

import click

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

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


class TerminalProgress:
    """The run's progress (:mod:`reloadlint.progress`) as a bar on stderr, drawn
    with click's progress bar: only on a terminal, only once the run has taken
    :data:`DELAY` seconds (a quick run, the common case, prints nothing), and
    erased when the run ends, so the findings that follow start on a clean line.

    One bar for the whole run: each stage resets its label, length and position.
    """

    #: Seconds before the bar appears.
    DELAY = 1.0

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream, self.clock = stream, clock
        self.started = clock()
        self.label, self.total, self.done = "", 0, 0
        self.bar: ProgressBar[int] | None = None

    @classmethod
    def for_stderr(cls) -> TerminalProgress | None:
        """A bar when stderr is a terminal (and not a dumb one); None otherwise."""
        stream = sys.stderr
        if stream is None or not stream.isatty() or os.environ.get("TERM") == "dumb":
            return None
        return cls(stream)

    def start(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, total, 0
        if self.bar is not None:
            self.bar.label, self.bar.length, self.bar.pos = label, max(total, 1), 0
            self.bar.finished = False
            self.bar.render_progress()
        else:
            self._show()

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        if self.bar is not None:
            self.bar.update(steps)
        else:
            self._show()

    def _show(self) -> None:
        """Draw the bar the first time the run is found to have taken :data:`DELAY`."""
        if self.clock() - self.started < self.DELAY:
            return
        self.bar = click.progressbar(
            length=max(self.total, 1),
            label=self.label,
            file=self.stream,
            show_pos=True,
            show_eta=False,
            bar_template="reloadlint: %(label)s [%(bar)s] %(info)s",
        )
        self.bar.pos = self.done
        self.bar.render_progress()

    def close(self) -> None:
        if self.bar is not None:
            # Erase the bar's line (and show the cursor again: the bar hides it).
            self.stream.write("\r\x1b[2K\x1b[?25h")
            self.stream.flush()
            self.bar = None
