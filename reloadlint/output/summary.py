"""The closing summary and ``--statistics`` tables, worded as ruff words them
so users moving between the two tools read the same sentences."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from reloadlint.diagnostics import Diagnostic
from reloadlint.output.base import printable


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def summary_line(
    diagnostics: Sequence[Diagnostic], *, files_with_findings: int, fixable: int, scope: str = ""
) -> str:
    """``Found 3 problems in 2 files.`` (plus a ``[*] N fixable`` line when
    some are fixable) or ``All checks passed!``; no trailing newline.
    ``scope``: which modules were treated as reloadable (``885 of 1,020 modules
    reloadable, by default``), added as a sentence of its own: what was checked
    decides what "found" means.

    The counts of files and fixable findings are passed in because the caller
    knows them after baselines and fix settings have been applied.
    """
    checked = f" {scope[0].upper()}{scope[1:]}." if scope else ""
    if not diagnostics:
        return "All checks passed!" + checked
    found = (
        f"Found {_plural(len(diagnostics), 'problem')} in {_plural(files_with_findings, 'file')}."
        + checked
    )
    if fixable:
        return f"{found}\n[*] {fixable} fixable with the `--fix` option."
    return found


def with_summary(text: str, summary: str, *, blank_line: bool) -> str:
    """The findings then the summary line; in the full format a blank line between
    them, as between its findings (ruff's layout)."""
    if not text:
        return summary + "\n"
    if not text.endswith("\n"):
        text += "\n"
    return f"{text}\n{summary}\n" if blank_line else f"{text}{summary}\n"


@dataclass(frozen=True)
class _Statistic:
    code: str
    name: str
    count: int
    fixable_count: int


def _statistics(diagnostics: Sequence[Diagnostic]) -> list[_Statistic]:
    """Counts per code, most frequent first, ties by code."""
    by_code: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        by_code.setdefault(diagnostic.code, []).append(diagnostic)
    stats = [
        _Statistic(
            code=code,
            name=min(d.name for d in group),
            count=len(group),
            fixable_count=sum(d.fixable for d in group),
        )
        for code, group in by_code.items()
    ]
    return sorted(stats, key=lambda s: (-s.count, s.code))


def statistics(diagnostics: Sequence[Diagnostic]) -> str:
    """ruff's ``--statistics`` table: count, code, ``[*]`` when any finding of
    that code is fixable (the column appears only when something is), name."""
    stats = _statistics(diagnostics)
    if not stats:
        return ""
    count_width = max(len(str(s.count)) for s in stats)
    code_width = max(len(s.code) for s in stats)
    any_fixable = any(s.fixable_count for s in stats)
    lines = []
    for s in stats:
        marker = ("[*] " if s.fixable_count else "[ ] ") if any_fixable else ""
        lines.append(
            f"{s.count:>{count_width}}\t{s.code:<{code_width}}\t{marker}{printable(s.name)}"
        )
    return "\n".join(lines) + "\n"


def statistics_json(diagnostics: Sequence[Diagnostic]) -> str:
    """The statistics as a JSON array (``--statistics --output-format json``)."""
    rows = [
        {
            "code": s.code,
            "name": printable(s.name),
            "count": s.count,
            "fixable": s.fixable_count > 0,
            "fixable_count": s.fixable_count,
        }
        for s in _statistics(diagnostics)
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
