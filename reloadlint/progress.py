"""How far a run has got, for whoever wants to show it.

The engine's steps announce a stage (``start``: summarising 885 files, checking
12 rules) and its progress (``advance``); the command line shows that on a
terminal (:class:`reloadlint.console.TerminalProgress`). A leaf module with one
process-wide reporter, so that the steps deep in the pipeline (the worker pool
among them) report without every signature in between carrying it: when no
front end is listening (the plugins, the tests, a pipe), every call is a no-op.

Only the parent process reports: a forked worker inherits the reporter but
never calls it (the pool reports a batch when its result comes back).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class Reporter(Protocol):
    def start(self, label: str, total: int) -> None:
        """A new stage of ``total`` steps begins (the previous one is over)."""

    def advance(self, steps: int = 1) -> None:
        """``steps`` more steps of the current stage are done."""

    def close(self) -> None:
        """The run is over: take back whatever was shown."""


_reporter: Reporter | None = None


@contextmanager
def reporting(reporter: Reporter | None) -> Iterator[None]:
    """Send the stages of the run inside the block to ``reporter`` (None: to nobody)."""
    global _reporter
    previous, _reporter = _reporter, reporter
    try:
        yield
    finally:
        _reporter = previous
        if reporter is not None:
            reporter.close()


def start(label: str, total: int) -> None:
    if _reporter is not None:
        _reporter.start(label, total)


def advance(steps: int = 1) -> None:
    if _reporter is not None and steps:
        _reporter.advance(steps)
