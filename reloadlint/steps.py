"""The steps of a lint run, one function each: collect the files, read them,
summarise them, build the project model, run the rules, filter the findings.

:func:`reloadlint.engine.lint` runs them in that order; incremental tree mode
(:mod:`reloadlint.incremental`) and the flake8 and pylint plugins
(:mod:`reloadlint.plugin_support`) compose the same steps differently, so
that every front end finds, names, summarises and judges a file alike.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reloadlint import cache, discovery, progress, scope, source, workers
from reloadlint.baseline import fill_context
from reloadlint.boundary import Boundaries
from reloadlint.config import Settings
from reloadlint.confine import ProjectRoots, inside
from reloadlint.context import CheckContext, ProjectContext
from reloadlint.diagnostics import Diagnostic, Position
from reloadlint.naming import Namer
from reloadlint.noqa import suppressed
from reloadlint.project import ContributionStore, ProjectModel, reloadable
from reloadlint.request import FileEntry, LintRequest, StdinBuffer
from reloadlint.rules.base import Rule
from reloadlint.rules.registry import all_rules, rules_by_code
from reloadlint.selection import PerFileIgnores, enabled_codes
from reloadlint.summary import SummaryResult
from reloadlint.summary.model import ModuleSummary

if TYPE_CHECKING:
    from reloadlint.cache import SummaryCache
    from reloadlint.upgrade import Upgrade


class UsageError(Exception):
    """Bad arguments: the CLI prints the message and exits 2."""


@dataclass
class RunResult:
    """What a run found, and what front ends need to report it, fix it or plan from it."""

    diagnostics: list[Diagnostic]
    #: the display paths of the files reported on
    files: list[str]
    #: by display path; a run answered from a cache loads them when first asked for
    summaries: Mapping[str, ModuleSummary] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: None for a run answered from the findings cache
    project: ProjectModel | None = None
    #: upgrade mode: the base version next to the working tree (``reloadlint.upgrade.Upgrade``).
    upgrade: Upgrade | None = None
    #: the rule codes that ran (a plan says which restart-forcing rules were off)
    codes: frozenset[str] = frozenset()
    #: incremental tree mode: the files whose modules were checked (the rest reused
    #: their last findings); None when every file was checked or none needed to be
    checked: list[str] | None = None
    #: the run's cache directory (disabled with ``--no-cache``), for what the
    #: report computes later: fix edits (:func:`reloadlint.fixes.attach.attach_fixes`)
    cache: cache.CacheDir | None = None
    #: where the run may walk and write (outputs, baselines, fixes)
    roots: ProjectRoots | None = None
    #: which modules were treated as reloadable, for the summary line
    #: (:func:`reloadlint.steps.reloadable_scope`, asked only when that line is printed:
    #: it matches every module against ``plan-exclude``)
    scope: Callable[[], str] | None = None
    #: the files that may hold a malformed noqa directive, whose warnings the
    #: report reads them again for; None: every reported file (the file index says
    #: which files mention ``noqa``, :mod:`reloadlint.fileindex`)
    noqa_paths: list[str] | None = None
    #: a key fixing every file's content and name, the settings and so the findings
    #: (incremental tree mode's, or the findings cache's in upgrade mode): the report
    #: keeps the run's fix edits under it
    run_key: str | None = None


# ---------------------------------------------------------------- select and collect


def selected_codes(request: LintRequest) -> frozenset[str]:
    """The codes of the rules the run checks: the request's, else the settings' selection."""
    if request.codes is not None:
        return request.codes
    settings = request.settings
    return enabled_codes(
        settings.select,
        settings.extend_select,
        settings.ignore,
        upgrade=request.base is not None,
        reloader=settings.reloader,
    )


def make_finder(settings: Settings, confine: ProjectRoots) -> discovery.Finder:
    """The file finder of the settings' excludes, kept inside ``confine``."""
    exclude = settings.exclude if settings.exclude is not None else discovery.DEFAULT_EXCLUDES
    return discovery.Finder(
        exclude=exclude,
        extend_exclude=settings.extend_exclude,
        respect_gitignore=settings.respect_gitignore,
        root=settings.root,
        confine=confine,
    )


def make_namer(settings: Settings) -> Namer:
    return Namer(
        tuple(settings.root / s for s in settings.src),
        tuple(settings.root / s for s in settings.namespace_packages),
    )


@dataclass
class Collected:
    """The files of a run and what decided them (``--show-settings`` prints it)."""

    #: the reported files and the rest of their project, each with its module name
    entries: list[FileEntry]
    warnings: list[str]
    #: the directories walked for the rest of the project (real paths)
    walked: list[Path]
    #: the project roots of the reported files (:mod:`reloadlint.boundary`)
    project_roots: list[str]


def collect_files(request: LintRequest) -> tuple[list[FileEntry], list[str]]:
    """The reported files and the rest of their project, each with its module name."""
    collected = collect(request)
    return collected.entries, collected.warnings


def collect(request: LintRequest) -> Collected:
    """:func:`collect_files`, with the directories walked and the project roots."""
    settings = request.settings
    finder = make_finder(settings, request.roots)
    if request.stdin is not None:
        found = _stdin_target(request, finder)
    else:
        found = finder.discover(list(request.paths), force_exclude=request.force_exclude)
    if found.errors:
        raise UsageError(found.errors[0])
    namer = make_namer(settings)
    entries: dict[str, FileEntry] = {}
    bounds = Boundaries()
    limits: set[str] = set()
    for path in found.sources:
        if request.stdin is not None and request.stdin.path is None:
            entries[STDIN_DISPLAY] = FileEntry(path, STDIN_DISPLAY, "stdin", False, True)
            continue  # no file name, so no project to judge it against: linted alone
        entry = make_entry(path, namer, target=True)
        if entry is not None:
            entries[namer.key(path)] = entry
            limits.add(_project_walk(namer, path, bounds))
    walked = source_roots(request.roots, map(Path, limits), settings)
    if walked:
        rest = finder.discover(walked, force_exclude=True)
        for path in rest.sources:
            key = namer.key(path)
            if key not in entries:
                entry = make_entry(relative(path), namer, target=False)
                if entry is not None:
                    entries[key] = entry
    ordered = sorted(entries.values(), key=lambda e: e.display)
    warnings = found.warnings + unmatched_settings(settings, ordered)
    return Collected(ordered, warnings, walked, sorted(limits))


def project_walk(namer: Namer, path: Path, bounds: Boundaries) -> Path:
    """The directory walked for the rest of ``path``'s project: its project root
    (:mod:`reloadlint.boundary`), the same for every front end and every set of
    files named."""
    return Path(_project_walk(namer, path, bounds))


def _project_walk(namer: Namer, path: Path, bounds: Boundaries) -> str:
    """:func:`project_walk` as a string (a run asks it of every file it reports)."""
    return bounds.walk(os.path.dirname(namer.key(path)), str(namer.root_of(path)))


def _stdin_target(request: LintRequest, finder: discovery.Finder) -> discovery.DiscoveryResult:
    """The file a buffer from stdin stands for: its path, whether or not it is on disk
    yet (an unsaved buffer); none when ``--force-exclude`` excludes it."""
    assert request.stdin is not None
    path = request.stdin.path
    if path is None:
        return discovery.DiscoveryResult(files=[Path(STDIN_DISPLAY)])
    if request.force_exclude and path.exists():
        found = finder.discover([path], force_exclude=True)
        return discovery.DiscoveryResult(files=found.files, warnings=found.warnings)
    return discovery.DiscoveryResult(files=[path])


#: How a buffer read from stdin without a file name is shown (as ruff and flake8 show it).
STDIN_DISPLAY = "-"


def unmatched_settings(settings: Settings, entries: Sequence[FileEntry]) -> list[str]:
    """A ``reloadable``/``not-reloadable`` pattern that matches no module of the project,
    or a ``src`` folder that holds none, is a warning: a typo there would otherwise
    make a run that checks nothing look clean."""
    if not (settings.reloadable or settings.not_reloadable or settings.src):
        return []
    where = _setting_prefix(settings)
    names = {entry.name for entry in entries}
    warnings = []
    for key, globs in (
        ("reloadable", settings.reloadable),
        ("not-reloadable", settings.not_reloadable),
    ):
        for glob in globs:
            if not any(fnmatch.fnmatchcase(name, glob) for name in names):
                warnings.append(
                    f"{where}{key}` pattern {glob!r} matches no module of the project "
                    f"({len(names)} module(s) found)"
                )
    files = [os.path.abspath(entry.path) for entry in entries]
    for folder in settings.src:
        directory = os.path.abspath(settings.root / folder)
        if not any(inside(file, directory) for file in files):
            warnings.append(f"{where}src` folder {folder!r} holds no module that was found")
    return warnings


def _setting_prefix(settings: Settings) -> str:
    """How a warning names a setting: with its file and table when it came from one."""
    if settings.source is None:
        return "`"
    table = "tool.reloadlint." if settings.source.name == "pyproject.toml" else ""
    return f"{settings.source}: `{table}"


def source_roots(confined: ProjectRoots, found: Iterable[Path], settings: Settings) -> list[Path]:
    """The directories to walk for the rest of the project: the source roots of
    the files found (each kept inside its file's project root, see
    :mod:`reloadlint.boundary`) and the configured ``src``, kept inside the
    project (see :meth:`reloadlint.confine.ProjectRoots.walkable`)."""
    wanted = {*found, *((settings.root / s).resolve() for s in settings.src)}
    return sorted({Path(walked) for root in wanted for walked in confined.walkable(root)})


def relative(path: Path) -> Path:
    """``path`` relative to the working directory (as it is displayed), when it can be."""
    try:
        return Path(os.path.relpath(path))
    except ValueError:  # another drive on Windows
        return path


def make_entry(path: Path, namer: Namer, *, target: bool) -> FileEntry | None:
    """``path`` with its module name; None for a file that is not a module."""
    try:
        named = namer.name(path)
    except OSError:
        return None
    if named is None:
        return None
    return FileEntry(path, discovery.display_path(path), named.name, named.is_package, target)


# ---------------------------------------------------------------- read and summarise


def read_files(
    entries: Sequence[FileEntry], stdin: StdinBuffer | None = None
) -> list[bytes | source.SourceError]:
    """Each file's bytes; with ``stdin``, the reported file's are the buffer's."""
    if stdin is not None:
        return [stdin.data if e.target else source.read_bytes(e.path) for e in entries]
    return [source.read_bytes(entry.path) for entry in entries]


def summarize_entries(
    entries: Sequence[FileEntry],
    *,
    fingerprints: bool = False,
    jobs: int | None = 1,
    cache: SummaryCache | None = None,
    data: Sequence[bytes | source.SourceError] | None = None,
    plain: Container[str] = frozenset(),
) -> dict[str, SummaryResult]:
    """Summaries keyed by display path (one parse per file), from ``cache`` where it
    has them, the rest made by ``jobs`` worker processes (None: one per core).

    ``data``: the files' bytes, when the caller has read them already; ``plain``: the
    display paths summarised without fingerprints even with ``fingerprints``.
    """
    blobs = data if data is not None else read_files(entries)
    work = [
        workers.Job(
            blob,
            entry.display,
            entry.name,
            entry.is_package,
            fingerprints and entry.display not in plain,
        )
        for entry, blob in zip(entries, blobs, strict=True)
    ]
    results = workers.summarize_cached(work, jobs, cache)
    return {entry.display: result for entry, result in zip(entries, results, strict=True)}


def lazy_summaries(
    entries: Sequence[FileEntry],
    blob: Callable[[str], bytes | source.SourceError],
    store: SummaryCache,
    *,
    fingerprints: bool = False,
) -> Mapping[str, ModuleSummary]:
    """Summaries by display path, each made (or taken from ``store``) when first asked for;
    ``blob``: a file's bytes by display path."""
    by_path = {entry.display: entry for entry in entries}

    def load(path: str) -> ModuleSummary:
        return summarize_entries(
            [by_path[path]], fingerprints=fingerprints, cache=store, data=[blob(path)]
        )[path][0]

    return cache.LazySummaries(dict.fromkeys(by_path, ""), load)


# ---------------------------------------------------------------- project and rules


def build_project(
    modules: Iterable[ModuleSummary] | Mapping[str, ModuleSummary],
    settings: Settings,
    contributions: ContributionStore | None = None,
    paths: Mapping[str, str] | None = None,
) -> ProjectModel:
    """The project model of ``modules`` (the first of two claiming one name wins);
    ``contributions``: incremental tree mode's reused project-index parts; ``paths``:
    module name -> file, for ``modules`` given as a lazy mapping (what is a test is
    decided by the path, :mod:`reloadlint.scope`)."""
    if paths is None:
        summaries = modules.values() if isinstance(modules, Mapping) else modules
        modules = list(summaries)
        paths = {summary.name: summary.path for summary in reversed(modules)}
    return ProjectModel(
        modules,
        reloadable=settings.reloadable,
        not_reloadable=settings.not_reloadable,
        contributions=contributions,
        outside=scope.outside_modules(paths.items(), settings),
    )


def reloadable_scope(entries: Sequence[FileEntry], settings: Settings) -> str:
    """Which modules the run treated as reloadable, for the summary line:
    ``885 of 1,020 modules reloadable, by default (not tests, docs, examples)`` or
    ``7 of 885 modules reloadable (reloadable = ["plugins.*"])``."""
    names = {entry.name: entry.display for entry in reversed(entries) if entry.name}
    outside = scope.outside_modules(names.items(), settings)
    count = sum(
        reloadable(name, settings.reloadable, settings.not_reloadable, outside) for name in names
    )
    found = f"{count:,} of {len(names):,} modules reloadable"
    if settings.reloadable:
        return f"{found} (reloadable = {list(settings.reloadable)})"
    if outside:
        return f"{found}, by default (not tests, docs, examples)"
    return f"{found}, by default"


def run_rules(
    project: ProjectModel,
    targets: Iterable[ModuleSummary],
    settings: Settings,
    codes: frozenset[str],
    *,
    upgrade: Upgrade | None = None,
) -> list[Diagnostic]:
    """Every finding of the rules of ``codes`` in ``targets`` (before noqa and ignores)."""
    shared = ProjectContext(project, settings, upgrade=upgrade)
    rules: list[Rule] = [rule() for rule in all_rules() if rule.code in codes]
    targets = list(targets)
    progress.start("applying rules", len(rules))
    # Tests, docs and examples are checked only by the rules that matter there.
    application = [module for module in targets if project.is_application(module.name)]
    for rule in rules:
        shared.rule = type(rule)
        for module in targets if rule.outside_application else application:
            rule.check(CheckContext(module, shared))
        rule.check_project(shared)
        progress.advance()
    return shared.found


def input_errors(results: Mapping[str, SummaryResult], targets: set[str]) -> list[Diagnostic]:
    """RL9xx findings for files that could not be analysed."""
    found = []
    codes = rules_by_code()
    for path, (_, error) in results.items():
        if error is None or path not in targets:
            continue
        rule = codes.get(error.code)
        found.append(
            Diagnostic(
                code=error.code,
                name=rule.name if rule else "input-error",
                message=error.message,
                path=path,
                location=Position(error.line, error.column),
                end_location=Position(error.line, error.column),
                noqa_row=None,
            )
        )
    return found


def filter_diagnostics(
    diagnostics: Iterable[Diagnostic],
    summaries: Mapping[str, ModuleSummary],
    codes: frozenset[str],
    per_file: PerFileIgnores,
) -> list[Diagnostic]:
    """The findings that stand: selected, not suppressed (``# noqa``, per-file ignores),
    each once, in report order, with their enclosing definition filled in."""
    kept = []
    for diagnostic in diagnostics:
        if diagnostic.code not in codes:
            continue
        summary = summaries.get(diagnostic.path)
        if summary is not None:
            if summary.file_noqa:
                continue
            if suppressed(summary.noqa, diagnostic.location.row, diagnostic.code):
                continue
        if diagnostic.code in per_file.ignored(diagnostic.path):
            continue
        kept.append(diagnostic)
    unique = {(d.path, d.location, d.code, d.message): d for d in kept}
    # ``context`` (the enclosing def/class) keys baselines and output fingerprints.
    return sorted(fill_context(unique.values(), summaries), key=lambda d: d.sort_key)


# ---------------------------------------------------------------- what a run depends on


def content(blob: bytes | str | source.SourceError) -> str:
    """A file's part of a run key: its content digest, or why it could not be read."""
    if isinstance(blob, bytes):
        return cache.content_digest(blob)
    return blob if isinstance(blob, str) else f"error:{blob}"


def settings_key(request: LintRequest, codes: frozenset[str]) -> list[str]:
    """What every file's findings depend on: reloadlint itself, the working directory
    (paths are printed relative to it), the settings that change findings, the rules."""
    settings = dataclasses.replace(request.settings, output_format="", cache_dir="")
    return [cache.stamp(), os.getcwd(), repr(settings), ",".join(sorted(codes))]


def run_key(
    request: LintRequest,
    codes: frozenset[str],
    entries: Sequence[FileEntry],
    contents: Sequence[str],
    base: str = "",
) -> str:
    """What a run's findings depend on (see :mod:`reloadlint.cache`); ``contents``:
    each file's :func:`content`; ``base``: upgrade mode's part."""
    parts = [*settings_key(request, codes), f"base={base}"]
    for entry, digest in zip(entries, contents, strict=True):
        parts.append(f"{entry.display}\0{entry.name}\0{entry.is_package}\0{entry.target}\0{digest}")
    return cache.hash_parts(parts)
