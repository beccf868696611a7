"""``--fix`` and ``--diff``: apply fixes file by file, never losing code.

A file is rewritten only if it is unchanged on disk since it was read, only
with a result that parses, and atomically (a temporary file renamed into
place), so an interrupted run leaves either the old or the new file.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

from reloadlint.confine import ProjectRoots
from reloadlint.console import say
from reloadlint.engine import RunResult, lint
from reloadlint.fixes import FixContext, fix_spec, fixed_file
from reloadlint.fixes.exports import kept_for, kept_names
from reloadlint.fixes.style import style_of
from reloadlint.output import sanitize
from reloadlint.request import LintRequest
from reloadlint.safeio import describe, read_limited, write_atomic
from reloadlint.source import MAX_FILE_BYTES

#: Re-lint and fix again until nothing changes (a fix can enable another).
_MAX_PASSES = 5


def apply_fixes(
    request: LintRequest, result: RunResult, *, unsafe: bool, diff_only: bool
) -> tuple[RunResult, int]:
    """Fix (or, with ``diff_only``, print the diff of) every fixable finding.

    Returns the findings that remain and how many files were rewritten (or shown)."""
    fixed: set[str] = set()
    only: set[str] | None = None
    for _ in range(_MAX_PASSES):
        changed = _one_pass(result, request.roots, unsafe=unsafe, diff_only=diff_only, only=only)
        fixed.update(changed)
        if not changed or diff_only:
            break
        result = lint(request)
        # A fix changes only its own file's findings: a file it did not rewrite
        # was fixed as far as it goes (what is left was refused, and is again).
        only = set(changed)
    return result, len(fixed)


def _one_pass(
    result: RunResult,
    roots: ProjectRoots,
    *,
    unsafe: bool,
    diff_only: bool,
    only: set[str] | None = None,
) -> list[str]:
    """Fix (or show) every file once (``only``: those files); returns the files
    rewritten (or shown)."""
    by_path = defaultdict(list)
    for diagnostic in result.diagnostics:
        if only is not None and diagnostic.path not in only:
            continue
        spec = fix_spec(diagnostic.code)
        if spec is not None and (spec.applicability == "safe" or unsafe):
            by_path[diagnostic.path].append(diagnostic)
    changed: list[str] = []
    kept = kept_names(result.summaries.values()) if by_path else {}
    for path, diagnostics in sorted(by_path.items()):
        summary = result.summaries.get(path)
        try:
            data = read_limited(path, MAX_FILE_BYTES)
        except OSError:
            continue
        if summary is None or hashlib.blake2b(data, digest_size=16).hexdigest() != summary.digest:
            say(f"reloadlint: warning: {path} changed since it was read; not fixed")
            continue
        try:
            original = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        context = FixContext(
            summary.is_package, summary.name, style_of(path, roots), kept_for(kept, summary)
        )
        text = fixed_file(original, diagnostics, context)
        if text is None or text == original:
            continue
        if diff_only:
            diff = difflib.unified_diff(_lines(original), _lines(text), f"a/{path}", f"b/{path}")
            # For reading: text from the file never reaches the terminal raw.
            sys.stdout.write("".join(map(sanitize.diff_line, diff)))
            changed.append(path)
        elif _write_or_warn(Path(path), text, expected=data, roots=roots):
            changed.append(path)
    return changed


#: A line with its ending, as Python counts lines: only CR, LF and CRLF end one
#: (``str.splitlines`` also splits at form feeds and other separators).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str) -> list[str]:
    return _LINE.findall(text)


def _write_or_warn(path: Path, text: str, *, expected: bytes, roots: ProjectRoots) -> bool:
    """Write the fixed file; a file that cannot be written, changed meanwhile, or
    that resolves out of the project is left alone, with a warning.

    A symbolic link inside the project is followed (the link stays, the file
    it points to is fixed) only when that file is inside the project too;
    the write itself is :func:`reloadlint.safeio.write_atomic`'s (atomic,
    mode, owner and hard links kept, a read-only file left alone).
    """
    real = os.path.realpath(path)
    if not roots.contains_real(real):
        say(
            f"reloadlint: warning: {path} resolves to {real}, outside the project "
            f"({roots.describe()}); not fixed"
        )
        return False
    try:
        written = write_atomic(real, text.encode("utf-8"), expected=expected)
    except OSError as error:
        say(f"reloadlint: warning: cannot write {path}: {describe(error)}; not fixed")
        return False
    if not written:
        say(f"reloadlint: warning: {path} changed while being fixed; not fixed")
    return written
