"""Baselines: adopt reloadlint in an existing code base one new finding at a time.

``reloadlint --write-baseline FILE`` records today's findings;
``reloadlint --baseline FILE`` hides them and reports only what is new, plus
the entries that no longer occur (so the file can be trimmed).

A finding is recorded by *what* it is, never *where*: the path (relative to
the baseline file's directory), the rule code, the enclosing definition (the
innermost ``def``/``class`` around it, ``""`` at module level) and the symbol
the rule names (``app.db.connect``), with a count. Line numbers and messages
are left out, so edits that move code, or a reworded message, do not
invalidate the baseline; a second finding of the same kind in the same
function is new because the count goes up.

The file is JSON, versioned, its entries sorted and its layout fixed, so that
rewriting an unchanged baseline gives the same bytes (clean diffs in review).
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reloadlint.confine import ProjectRoots, write_file
from reloadlint.diagnostics import Diagnostic
from reloadlint.safeio import describe, read_limited
from reloadlint.summary.model import ModuleSummary

#: The file format's version; a file of another version is an error, not a guess.
BASELINE_VERSION = 1
#: A baseline larger than this is refused unread (one entry takes about 150 bytes).
MAX_BASELINE_BYTES = 64 * 2**20


class BaselineError(Exception):
    """A baseline file that cannot be read or used; the message names it."""


@dataclass(frozen=True, order=True)
class Key:
    """What a finding is, without where it is."""

    path: str
    code: str
    context: str
    symbol: str

    def describe(self) -> str:
        where = f"in `{self.context}`" if self.context else "at module level"
        what = f" (`{self.symbol}`)" if self.symbol else ""
        return f"{self.path} {self.code} {where}{what}"


@dataclass
class Applied:
    """The findings left after a baseline, and what the baseline no longer matches."""

    shown: list[Diagnostic]
    hidden: int
    #: Entries that occur fewer times than recorded: (key, recorded count, current count).
    stale: list[tuple[Key, int, int]] = field(default_factory=list)


# --------------------------------------------------------------------- context
def enclosing_definition(summary: ModuleSummary | None, row: int) -> str:
    """The qualname of the innermost def/class whose lines contain ``row`` ("" at module level)."""
    if summary is None:
        return ""
    best, best_start = "", 0
    for qualname, start, end in summary.definitions:
        if start <= row <= end and start >= best_start:
            best, best_start = qualname, start
    return best


def fill_context(
    diagnostics: Iterable[Diagnostic], summaries: Mapping[str, ModuleSummary]
) -> list[Diagnostic]:
    """The diagnostics with ``context`` set where the rule left it empty."""
    filled = []
    for diagnostic in diagnostics:
        if not diagnostic.context:
            context = enclosing_definition(summaries.get(diagnostic.path), diagnostic.location.row)
            if context:
                diagnostic = dataclasses.replace(diagnostic, context=context)
        filled.append(diagnostic)
    return filled


# --------------------------------------------------------------------- keys
def relative_path(path: str, base_dir: Path) -> str:
    """``path`` relative to the baseline file's directory, with forward slashes."""
    absolute = os.path.abspath(path)
    try:
        return Path(os.path.relpath(absolute, base_dir)).as_posix()
    except ValueError:  # another drive on Windows
        return Path(absolute).as_posix()


def key_of(diagnostic: Diagnostic, base_dir: Path) -> Key:
    return Key(
        relative_path(diagnostic.path, base_dir),
        diagnostic.code,
        diagnostic.context,
        diagnostic.symbol,
    )


def count(diagnostics: Iterable[Diagnostic], base_dir: Path) -> Counter[Key]:
    return Counter(key_of(d, base_dir) for d in diagnostics)


# --------------------------------------------------------------------- file
def dumps(counts: Mapping[Key, int]) -> str:
    """The baseline file's text: sorted entries, fixed layout, trailing newline."""
    entries = [
        {"path": k.path, "code": k.code, "context": k.context, "symbol": k.symbol, "count": n}
        for k, n in sorted(counts.items())
        if n > 0
    ]
    return (
        json.dumps({"version": BASELINE_VERSION, "findings": entries}, indent=2, ensure_ascii=False)
        + "\n"
    )


def write(
    path: Path, diagnostics: Sequence[Diagnostic], roots: ProjectRoots | None = None
) -> tuple[int, int]:
    """Record ``diagnostics`` in ``path``; returns (findings, entries).

    Written as every output is (:func:`reloadlint.confine.write_file`): a
    baseline shipped as a symbolic link is replaced, not written through.
    ``roots``: the run's project (default: the working directory's).
    """
    counts = count(diagnostics, _base_dir(path))
    try:
        write_file(path, dumps(counts).encode("utf-8"), roots or ProjectRoots.of(Path.cwd()))
    except OSError as error:
        raise BaselineError(f"cannot write baseline {path}: {describe(error)}") from None
    return sum(counts.values()), len(counts)


def load(path: Path) -> Counter[Key]:
    try:
        text = read_limited(path, MAX_BASELINE_BYTES).decode("utf-8")
    except FileNotFoundError:
        raise BaselineError(
            f"baseline file {path} not found (create it with --write-baseline {path})"
        ) from None
    except OSError as error:
        raise BaselineError(f"cannot read baseline {path}: {describe(error)}") from None
    except UnicodeDecodeError as error:
        raise BaselineError(f"cannot read baseline {path}: not UTF-8 ({error.reason})") from None
    try:
        data = json.loads(text)
    except ValueError as error:  # JSONDecodeError, or an integer of thousands of digits
        raise BaselineError(f"baseline {path} is not valid JSON: {error}") from None
    except RecursionError:
        raise BaselineError(f"baseline {path} is nested too deeply") from None
    return _parse(data, path)


def _parse(data: Any, path: Path) -> Counter[Key]:
    if not isinstance(data, dict) or "version" not in data:
        raise BaselineError(f"baseline {path} is not a reloadlint baseline (no `version`)")
    if type(data["version"]) is not int or data["version"] != BASELINE_VERSION:
        raise BaselineError(
            f"baseline {path} has version {data['version']!r}; this reloadlint reads version "
            f"{BASELINE_VERSION} (rewrite it with --write-baseline)"
        )
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f"baseline {path}: `findings` must be a list")
    counts: Counter[Key] = Counter()
    for index, entry in enumerate(entries):
        counts[_entry(entry, f"baseline {path}: findings[{index}]")] += entry["count"]
    return counts


def _entry(entry: Any, where: str) -> Key:
    if not isinstance(entry, dict):
        raise BaselineError(f"{where} must be an object")
    for name in ("path", "code", "context", "symbol"):
        if not isinstance(entry.get(name), str):
            raise BaselineError(f"{where}: `{name}` must be a string")
    if (
        not isinstance(entry.get("count"), int)
        or isinstance(entry["count"], bool)
        or entry["count"] < 1
    ):
        raise BaselineError(f"{where}: `count` must be a positive integer")
    return Key(entry["path"], entry["code"], entry["context"], entry["symbol"])


def _base_dir(path: Path) -> Path:
    return path.resolve().parent


# --------------------------------------------------------------------- use
def apply(
    baseline: Mapping[Key, int],
    diagnostics: Sequence[Diagnostic],
    baseline_path: Path,
    linted: Iterable[str],
) -> Applied:
    """Hide the recorded findings; report the rest and the entries that no longer occur.

    Of several findings with one key, the first ``count`` in file order are
    the recorded ones and any after them are new (which of identical findings
    is "the new one" cannot be known; the count is what matters). Entries are
    judged stale only for files linted in this run, so linting one file does
    not call the rest of the baseline stale.
    """
    base_dir = _base_dir(baseline_path)
    remaining = dict(baseline)
    shown: list[Diagnostic] = []
    seen: Counter[Key] = Counter()
    for diagnostic in sorted(diagnostics, key=lambda d: d.sort_key):
        key = key_of(diagnostic, base_dir)
        seen[key] += 1
        if remaining.get(key, 0) > 0:
            remaining[key] -= 1
        else:
            shown.append(diagnostic)
    scope = {relative_path(path, base_dir) for path in linted}
    stale = [
        (key, recorded, seen[key])
        for key, recorded in sorted(baseline.items())
        if key.path in scope and seen[key] < recorded
    ]
    return Applied(shown, len(diagnostics) - len(shown), stale)
