"""The pipeline every front end shares.

collect the files (and name each module) -> summarise each (one parse per
file) -> build the project model -> run the enabled rules -> drop suppressed
findings. Each step is a function of :mod:`reloadlint.steps`.

The files the user named are reported; the rest of the project (found from
their source roots) is summarised so that cross-module questions get real
answers even when pre-commit passes a single file.

Two shortcuts skip steps whose inputs did not change: a run whose every
input is the same as a recent run's reuses its findings (the findings cache
of :mod:`reloadlint.cache`), and a tree-mode run re-checks only the modules
whose findings may have changed (:mod:`reloadlint.incremental`). Upgrade mode
(``request.base``) adds the base version next to the project
(:mod:`reloadlint.upgrade`).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from reloadlint import cache, collector, incremental, progress, steps
from reloadlint.project import ProjectModel
from reloadlint.request import FileEntry, LintRequest
from reloadlint.selection import PerFileIgnores
from reloadlint.steps import RunResult, UsageError

if TYPE_CHECKING:
    from reloadlint.basesource import BaseSource
    from reloadlint.upgrade import Upgrade

__all__ = ["RunResult", "UsageError", "lint"]


@collector.paused()  # the run's data is acyclic: see reloadlint/collector.py
def lint(request: LintRequest) -> RunResult:
    """Lint; in upgrade mode (``request.base``), also compare with the base version."""
    settings = request.settings
    directory = cache.CacheDir.for_settings(
        settings.root, settings.cache_dir, enabled=request.use_cache
    )
    codes = steps.selected_codes(request)
    per_file = PerFileIgnores(settings.per_file_ignores, settings.root)
    entries, warnings = (
        request.collected if request.collected is not None else steps.collect_files(request)
    )
    store = cache.SummaryCache(directory)
    # Upgrade mode and plans need the project model itself, not only findings.
    reuse = directory.enabled and not request.whole_project
    # A buffer from stdin is not the file on disk incremental mode keeps state for.
    if reuse and request.base is None and request.stdin is None and incremental.applies(codes):
        result = incremental.lint(request, codes, per_file, entries, directory, store)
    else:
        result = _lint(request, codes, per_file, entries, directory, store, reuse=reuse)
    result.warnings = warnings + result.warnings
    result.cache, result.roots = directory, request.roots
    result.scope = functools.partial(steps.reloadable_scope, entries, settings)
    return result


def _lint(
    request: LintRequest,
    codes: frozenset[str],
    per_file: PerFileIgnores,
    entries: list[FileEntry],
    directory: cache.CacheDir,
    store: cache.SummaryCache,
    *,
    reuse: bool,
) -> RunResult:
    """Every step, unless the findings cache knows the answer (``reuse``)."""
    settings, fingerprints = request.settings, request.base is not None
    data = steps.read_files(entries, request.stdin)
    findings, run_key = cache.FindingsCache(directory), None
    if reuse:
        base = _upgrade_key(request.base) if request.base is not None else ""
        run_key = steps.run_key(request, codes, entries, [steps.content(b) for b in data], base)
        cached = findings.get(run_key)
        if cached is not None:
            by_path = {entry.display: blob for entry, blob in zip(entries, data, strict=True)}
            return RunResult(
                diagnostics=cached,
                files=sorted(e.display for e in entries if e.target),
                summaries=steps.lazy_summaries(
                    entries, by_path.__getitem__, store, fingerprints=fingerprints
                ),
                codes=codes,
                run_key=run_key,  # fixes every file and the findings: their fixes too
            )
    # Upgrade mode: a file the base has byte for byte is its own base version, and every
    # comparison of its fingerprints would compare them with themselves: made without.
    plain = _unchanged(request.base, entries) if request.base is not None else frozenset()
    progress.start("summarising files", len(entries))
    results = steps.summarize_entries(
        entries, fingerprints=fingerprints, jobs=request.jobs, cache=store, data=data, plain=plain
    )
    del data  # every file's bytes: the summaries are all the rest of the run needs
    summaries = {path: summary for path, (summary, _) in results.items()}
    project = steps.build_project(
        [summary for summary, error in results.values() if error is None], settings
    )
    target_paths = {e.display for e in entries if e.target or request.whole_project}
    targets = [summaries[p] for p in sorted(target_paths) if results[p][1] is None]
    upgrade = _upgrade(request, entries, project, plain) if request.base is not None else None
    found = steps.run_rules(project, targets, settings, codes, upgrade=upgrade)
    found.extend(steps.input_errors(results, target_paths))
    diagnostics = steps.filter_diagnostics(found, summaries, codes, per_file)
    if run_key is not None:
        findings.put(run_key, diagnostics)
    return RunResult(
        diagnostics=diagnostics,
        files=sorted(target_paths),
        summaries=summaries,
        warnings=list(upgrade.warnings) if upgrade is not None else [],
        project=project,
        upgrade=upgrade,
        codes=codes,
        run_key=run_key,
    )


def _upgrade_key(base: BaseSource) -> str:
    from reloadlint import upgrade  # upgrade mode only: tree mode never imports it

    return upgrade.cache_key(base)


def _unchanged(base: BaseSource, entries: list[FileEntry]) -> frozenset[str]:
    from reloadlint import upgrade_base

    return upgrade_base.unchanged_paths(base, entries)


def _upgrade(
    request: LintRequest, entries: list[FileEntry], project: ProjectModel, plain: frozenset[str]
) -> Upgrade:
    from reloadlint import upgrade

    return upgrade.build(request, entries, project, plain)
