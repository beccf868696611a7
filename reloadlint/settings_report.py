"""What a run would use, for ``--show-settings``: the configuration file, the
project root, the source roots walked, the files, the reloadable modules and
the rules in effect.

Computed by the steps a lint runs (:func:`reloadlint.steps.collect`, the
summaries and :func:`reloadlint.steps.build_project`), never by a second
reading of the settings, so what it shows is what a run does: the reloadable
set is the project model's own answer (:meth:`ProjectModel.is_reloadable`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from reloadlint import cache, steps
from reloadlint.request import LintRequest
from reloadlint.rules.registry import rules_by_code


@dataclass
class SettingsReport:
    config_file: str | None
    project_roots: list[str]
    walked: list[str]
    files_reported: int
    files_in_project: int
    modules: int
    reloadable: list[str]
    reloadable_patterns: tuple[str, ...]
    not_reloadable_patterns: tuple[str, ...]
    reloader: str
    rules: list[tuple[str, str]]
    warnings: list[str]


def gather(request: LintRequest) -> SettingsReport:
    """The settings report of the run ``request`` describes (it summarises the
    project, from the cache where it can, but checks no rule)."""
    settings = request.settings
    collected = steps.collect(request)
    directory = cache.CacheDir.for_settings(
        settings.root, settings.cache_dir, enabled=request.use_cache
    )
    results = steps.summarize_entries(
        collected.entries, jobs=request.jobs, cache=cache.SummaryCache(directory)
    )
    project = steps.build_project(
        [summary for summary, error in results.values() if error is None], settings
    )
    names = sorted(project.module_names())
    registry = rules_by_code()
    return SettingsReport(
        config_file=str(settings.source) if settings.source else None,
        project_roots=collected.project_roots,
        walked=[str(path) for path in collected.walked],
        files_reported=sum(1 for entry in collected.entries if entry.target),
        files_in_project=len(collected.entries),
        modules=len(names),
        reloadable=[name for name in names if project.is_reloadable(name)],
        reloadable_patterns=settings.reloadable,
        not_reloadable_patterns=settings.not_reloadable,
        reloader=settings.reloader,
        rules=[(code, registry[code].name) for code in sorted(steps.selected_codes(request))],
        warnings=collected.warnings,
    )


def render(report: SettingsReport, cwd: str, *, modules: bool = False) -> str:
    """The report as text, one ``key: value`` line per setting (lists indented below);
    ``modules``: name every reloadable module too (``--verbose``)."""

    def shown(path: str) -> str:
        relative = os.path.relpath(path, cwd)
        return path if relative.startswith("..") else relative

    def patterns(globs: tuple[str, ...], default: str) -> str:
        return ", ".join(repr(glob) for glob in globs) if globs else default

    lines = [
        f"configuration file: {report.config_file or 'none (defaults)'}",
        "project root: " + (", ".join(map(shown, report.project_roots)) or "none"),
        "source roots walked: " + (", ".join(map(shown, report.walked)) or "none"),
        f"files: {report.files_reported} reported, {report.files_in_project} in the project",
        f"reloader: {report.reloader}",
        f"reloadable: {len(report.reloadable)} of {report.modules} first-party modules",
        f"  reloadable = {patterns(report.reloadable_patterns, 'every first-party module')}",
        f"  not-reloadable = {patterns(report.not_reloadable_patterns, 'none')}",
        *(f"  {name}" for name in (report.reloadable if modules else ())),
        f"rules in effect: {len(report.rules)}",
        *(f"  {code} {name}" for code, name in report.rules),
    ]
    return "\n".join(lines) + "\n"
