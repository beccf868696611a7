"""Fixes: libcst codemods that keep formatting and comments.

Each fixer takes the file's source and one diagnostic and returns the new
source, or None when the fix is not provably safe here. Fixes are computed
only when asked for (``--fix``, ``--diff``, or a format that carries edits),
so the lint itself never pays for a libcst parse.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Callable

from reloadlint.diagnostics import Diagnostic, Edit, Fix, Position
from reloadlint.fixes import guard_state, stale_import

Fixer = Callable[[str, Diagnostic, bool], "str | None"]


def _stale_import(source: str, diagnostic: Diagnostic, is_package: bool) -> str | None:
    if not diagnostic.symbol:
        return None
    return stale_import.rewrite(source, diagnostic.location.row, diagnostic.symbol, is_package=is_package)


def _guard_state(source: str, diagnostic: Diagnostic, is_package: bool) -> str | None:
    name = diagnostic.symbol.rpartition(".")[2]
    return guard_state.rewrite(source, diagnostic.location.row, name) if name else None


FIXERS: dict[str, tuple[Fixer, str, str]] = {
    "RL101": (_stale_import, "safe", "Import the module and use the qualified name"),
    "RL102": (_stale_import, "safe", "Import the module and use the qualified name"),
    "RL401": (_guard_state, "safe", "Keep the object across reloads with a `globals()` guard"),
}


def fixed_source(source: str, diagnostic: Diagnostic, *, is_package: bool) -> str | None:
    """The source with this one diagnostic fixed, if a fix applies and the result parses."""
    entry = FIXERS.get(diagnostic.code)
    if entry is None:
        return None
    try:
        new = entry[0](source, diagnostic, is_package)
    except Exception:  # a fixer bug must never cost the user their file or the run
        return None
    if new is None or new == source or not _parses(new):
        return None
    return new


def fix_for(source: str, diagnostic: Diagnostic, *, is_package: bool) -> Fix | None:
    """The fix as edits against ``source`` (for JSON and SARIF output)."""
    new = fixed_source(source, diagnostic, is_package=is_package)
    if new is None:
        return None
    _, applicability, message = FIXERS[diagnostic.code]
    return Fix(applicability, message, edits_between(source, new))  # type: ignore[arg-type]


def _parses(source: str) -> bool:
    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def edits_between(old: str, new: str) -> tuple[Edit, ...]:
    """Whole-line edits that turn ``old`` into ``new``."""
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    edits = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        edits.append(Edit("".join(b[j1:j2]), Position(i1 + 1, 1), Position(i2 + 1, 1)))
    return tuple(edits)


def attach_fixes(diagnostics: list[Diagnostic], summaries: dict) -> list[Diagnostic]:
    """``diagnostics`` with ``fix`` filled in where a fix applies (reads each file once)."""
    import dataclasses
    from pathlib import Path

    sources: dict[str, str | None] = {}
    out = []
    for diagnostic in diagnostics:
        if not diagnostic.fixable or diagnostic.code not in FIXERS:
            out.append(diagnostic)
            continue
        if diagnostic.path not in sources:
            try:
                sources[diagnostic.path] = Path(diagnostic.path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                sources[diagnostic.path] = None
        source = sources[diagnostic.path]
        summary = summaries.get(diagnostic.path)
        fix = None
        if source is not None and summary is not None:
            fix = fix_for(source, diagnostic, is_package=summary.is_package)
        out.append(dataclasses.replace(diagnostic, fix=fix, fixable=fix is not None))
    return out
