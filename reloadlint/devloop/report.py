"""What ``reloadlint run`` itself says: one line per event on stderr, each starting
with ``reloadlint run:`` so that it stands apart from the program's own output
(which reaches the terminal untouched). Restart reasons and syntax errors are
printed in the lint's concise format, ``path:line:column: CODE message``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from reloadlint.diagnostics import Diagnostic
from reloadlint.output.sanitize import message as one_line
from reloadlint.plan_model import Reason

PREFIX = "reloadlint run:"


def say(text: str) -> None:
    """One line of the supervisor's (control characters from file names shown visibly)."""
    click.echo(f"{PREFIX} {one_line(text)}", err=True)


def finding(path: str | None, line: int | None, column: int | None, code: str, text: str) -> None:
    """A finding in the lint's concise format."""
    where = f"{one_line(path)}:{line or 1}:{column or 1}: " if path else ""
    click.echo(f"{where}{code} {one_line(text)}", err=True)


def restart_reasons(reasons: Sequence[Reason], root: Path) -> None:
    for reason in reasons:
        finding(_shown(reason.path, root), reason.line, reason.column, reason.code, reason.message)
    count = len(reasons)
    say(f"restart needed: {count} reason{'s' if count != 1 else ''} above")


def broken(errors: Sequence[Diagnostic]) -> None:
    for error in errors:
        finding(error.path, error.location.row, error.location.column, error.code, error.message)
    say("nothing applied until the files above parse")


def refused(problems: Sequence[str]) -> None:
    say("the runtime refused the plan, nothing was changed:")
    for problem in problems:
        say(f"  - {problem}")


def applied(message: dict[str, Any], seconds: float) -> None:
    """The one line a hot plan gets: what was reloaded and migrated, and how long
    the change took from the end of the burst of saves to the new code."""
    reloaded = [str(name) for name in message.get("reloaded") or []]
    text = f"hot: reloaded {', '.join(reloaded) or 'nothing (not imported yet)'}"
    migrated = message.get("migrated") or []
    if migrated:
        parts = [f"{name} {old!r} -> {new!r} ({count} instance{'s' if count != 1 else ''})"
                 for name, old, new, count in migrated]  # fmt: skip
        text += "; migrated " + ", ".join(parts)
    say(f"{text} in {seconds * 1000:.0f} ms")
    for problem in message.get("problems") or []:
        say(f"  problem: {problem}")


def _shown(path: str | None, root: Path) -> str | None:
    """A repo-relative path of a plan, as the user sees paths (relative to the working
    directory when it is below it)."""
    if path is None:
        return None
    absolute = root / path
    try:
        return os.path.relpath(absolute)
    except ValueError:
        return str(absolute)
