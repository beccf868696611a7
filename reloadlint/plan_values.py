"""The plan's "values made by the old version" section (the RL6 findings).

A queued task message, a pickle, a JSON row or a stored enum value was made
by the running version and is read by the new one whether the process
reloads or restarts; so these findings never change the verdict. The plan
lists each with what must happen before or during the deploy: drain a queue,
keep accepting the old shape, or migrate the stored values
(:data:`reloadlint.rules._old_values.REMEDY`, one per rule).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from reloadlint.diagnostics import Diagnostic
from reloadlint.rules._old_values import REMEDY


@dataclass(frozen=True)
class OldValue:
    code: str
    message: str
    what_to_do: str
    path: str | None = None
    line: int | None = None
    column: int | None = None


def old_values(
    findings: Iterable[Diagnostic], codes: frozenset[str], repo_path: Callable[[str], str]
) -> list[OldValue]:
    """One entry per finding of a rule in ``codes`` (plan role ``old-values``), in file order."""
    found = sorted((d for d in findings if d.code in codes), key=lambda d: d.sort_key)
    return [
        OldValue(
            d.code,
            d.message,
            REMEDY.get(d.code, "make the new version accept the values the old one stored"),
            repo_path(d.path),
            d.location.row,
            d.location.column,
        )
        for d in found
    ]
