"""Fix edits for the formats that carry them (JSON, JSON Lines, SARIF).

Every fixable finding gets its fix as edits against the file, computed only
when such a format is asked for: the files are read once each, fixed in
worker processes (:mod:`reloadlint.fixes.parallel`) and the results kept in
the fixes cache for the next run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING

from reloadlint.diagnostics import Diagnostic, Fix
from reloadlint.fixes import fix_spec
from reloadlint.safeio import read_limited
from reloadlint.source import MAX_FILE_BYTES

if TYPE_CHECKING:
    from reloadlint.cache import CacheDir
    from reloadlint.confine import ProjectRoots
    from reloadlint.summary.model import ModuleSummary


def attach_fixes(
    diagnostics: list[Diagnostic],
    summaries: Mapping[str, ModuleSummary],
    *,
    jobs: int | None = 1,
    cache_dir: CacheDir | None = None,
    roots: ProjectRoots | None = None,
) -> list[Diagnostic]:
    """``diagnostics`` with ``fix`` filled in where a fix applies.

    Only files with fixable findings are read, each once, and all of a file's
    fixes come from one parse (:mod:`reloadlint.fixes.batch`), files in
    ``jobs`` worker processes (:mod:`reloadlint.fixes.parallel`; None: one per
    core), unless ``cache_dir`` has them from an earlier run; a finding whose
    fix turns out not to apply loses its ``fixable`` mark.
    """
    from reloadlint.cache import CacheDir, FixesCache
    from reloadlint.fixes.exports import kept_for, kept_names
    from reloadlint.fixes.parallel import FileTask, fix_all
    from reloadlint.fixes.style import UNLIMITED, style_of

    wanted: dict[str, list[int]] = {}
    for index, diagnostic in enumerate(diagnostics):
        if diagnostic.fixable and fix_spec(diagnostic.code) is not None:
            wanted.setdefault(diagnostic.path, []).append(index)
    stored = FixesCache(cache_dir if cache_dir is not None else CacheDir(None))
    fixes_of: dict[str, list[Fix | None]] = {}
    tasks: list[tuple[str, str, FileTask]] = []  # path, cache key, task
    kept = kept_names(summaries.values()) if wanted else {}
    for path, indexes in wanted.items():
        summary = summaries.get(path)
        source = _read(path) if summary is not None else None
        if source is None or summary is None:
            fixes_of[path] = [None] * len(indexes)
            continue
        found = tuple(diagnostics[i] for i in indexes)
        style = style_of(path, roots) if roots is not None else UNLIMITED
        keep = kept_for(kept, summary)
        context = f"{summary.is_package}:{summary.name}:{style}:{sorted(keep)}"
        key = FixesCache.key(source, context, found)
        reused = stored.get(key, len(found))
        if reused is not None:
            fixes_of[path] = reused
        else:
            task = FileTask(source, found, summary.is_package, summary.name, style, keep)
            tasks.append((path, key, task))
    for (path, key, _), fixes in zip(tasks, fix_all([t for _, _, t in tasks], jobs), strict=True):
        fixes_of[path] = stored.put(key, fixes)
    stored.save()
    out = list(diagnostics)
    for path, indexes in wanted.items():
        for index, fix in zip(indexes, fixes_of[path], strict=True):
            out[index] = dataclasses.replace(diagnostics[index], fix=fix, fixable=fix is not None)
    return out


def _read(path: str) -> str | None:
    try:
        return read_limited(path, MAX_FILE_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
