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
    run_key: str | None = None,
) -> list[Diagnostic]:
    """``diagnostics`` with ``fix`` filled in where a fix applies.

    Only files with fixable findings are read, each once, and all of a file's
    fixes come from one parse (:mod:`reloadlint.fixes.batch`), files in
    ``jobs`` worker processes (:mod:`reloadlint.fixes.parallel`; None: one per
    core), unless ``cache_dir`` has them from an earlier run; a finding whose
    fix turns out not to apply loses its ``fixable`` mark.

    ``run_key``: a key that fixes every file's content and name and the findings
    (an incremental run's, :class:`reloadlint.incremental.State`). The whole run's fixes
    are kept under it too: a warm run, whose findings are the last run's, then decodes
    them at once instead of every module's summary (the names other modules use from
    each are part of a file's key) and every file with a fixable finding.
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
    whole, total = "", sum(len(indexes) for indexes in wanted.values())
    if run_key is not None and wanted:
        # The style comes from configuration files no run key covers: asked again.
        styles = (f"{p}\0{style_of(p, roots) if roots else UNLIMITED}" for p in wanted)
        whole = "run:" + FixesCache.key(run_key, "", ()) + FixesCache.key("", list(styles), ())
        known = stored.get(whole, total)
        if known is not None:
            return _attached(diagnostics, wanted, known)
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
    every = [fix for path in wanted for fix in fixes_of[path]]
    if whole:
        stored.put(whole, every)
    stored.save()
    return _attached(diagnostics, wanted, every)


def _attached(
    diagnostics: list[Diagnostic], wanted: dict[str, list[int]], fixes: list[Fix | None]
) -> list[Diagnostic]:
    """``diagnostics`` with ``fixes`` (one for each index of ``wanted``, in its order)."""
    out = list(diagnostics)
    found = iter(fixes)
    for indexes in wanted.values():
        for index in indexes:
            fix = next(found)
            out[index] = dataclasses.replace(diagnostics[index], fix=fix, fixable=fix is not None)
    return out


def _read(path: str) -> str | None:
    try:
        return read_limited(path, MAX_FILE_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
