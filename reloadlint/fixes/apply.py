"""``--fix`` and ``--diff``: apply fixes file by file, never losing code.

A file is rewritten only if it is unchanged on disk since it was read, only
with a result that parses, and atomically (a temporary file renamed into
place), so an interrupted run leaves either the old or the new file.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from reloadlint.console import say
from reloadlint.engine import RunResult, lint
from reloadlint.fixes import FIXERS, fixed_source
from reloadlint.request import LintRequest

#: Re-lint and fix again until nothing changes (a fix can enable another).
_MAX_PASSES = 5


def apply_fixes(
    request: LintRequest, result: RunResult, *, unsafe: bool, diff_only: bool
) -> tuple[RunResult, int]:
    """Fix (or, with ``diff_only``, print the diff of) every fixable finding.

    Returns the findings that remain and how many file rewrites were made (or shown)."""
    total = 0
    for _ in range(_MAX_PASSES):
        changed = _one_pass(result, unsafe=unsafe, diff_only=diff_only)
        total += changed
        if not changed or diff_only:
            break
        result = lint(request)
    return result, total


def _one_pass(result: RunResult, *, unsafe: bool, diff_only: bool) -> int:
    by_path = defaultdict(list)
    for diagnostic in result.diagnostics:
        entry = FIXERS.get(diagnostic.code)
        if entry and (entry[1] == "safe" or unsafe):
            by_path[diagnostic.path].append(diagnostic)
    changed = 0
    for path, diagnostics in sorted(by_path.items()):
        summary = result.summaries.get(path)
        try:
            data = Path(path).read_bytes()
        except OSError:
            continue
        if summary is None or hashlib.blake2b(data, digest_size=16).hexdigest() != summary.digest:
            say(f"reloadlint: warning: {path} changed since it was read; not fixed")
            continue
        try:
            original = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        text = original
        for diagnostic in sorted(diagnostics, key=lambda d: (-d.location.row, -d.location.column)):
            new = fixed_source(text, diagnostic, is_package=summary.is_package)
            if new is not None:
                text = new
        if text == original:
            continue
        if diff_only:
            diff = difflib.unified_diff(
                original.splitlines(True), text.splitlines(True), f"a/{path}", f"b/{path}"
            )
            sys.stdout.write("".join(diff))
            changed += 1
        elif _write_or_warn(Path(path), text, expected=data):
            changed += 1
    return changed


def _write_or_warn(path: Path, text: str, *, expected: bytes) -> bool:
    """Write the fixed file; a file that cannot be written, or changed meanwhile, is left alone."""
    try:
        written = _write_atomically(path, text, expected=expected)
    except OSError as error:
        reason = error.strerror or error
        say(f"reloadlint: warning: cannot write {path}: {reason}; not fixed")
        return False
    if not written:
        say(f"reloadlint: warning: {path} changed while being fixed; not fixed")
    return written


def _write_atomically(path: Path, text: str, *, expected: bytes) -> bool:
    """Replace the file with ``text`` unless its content is no longer ``expected``.

    The new text goes to a temporary file next to the real one (a symbolic
    link is followed: the link stays, its target is fixed) and is renamed over
    it, so a crash leaves the old or the new file, never half of one. The file
    is read again just before the rename: an editor's save during the fix wins.
    """
    path = Path(os.path.realpath(path))
    mode = path.stat().st_mode
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".reloadlint", dir=path.parent
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.chmod(temporary, mode)
        if path.read_bytes() != expected:
            os.unlink(temporary)
            return False
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return True
