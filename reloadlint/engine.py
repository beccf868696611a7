"""The pipeline every front end shares.

discover files -> name them -> summarise each (one parse per file) -> build
the project model -> run the enabled rules -> drop suppressed findings.

The files the user named are reported; the rest of the project (found from
their source roots) is summarised so that cross-module questions get real
answers even when pre-commit passes a single file.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reloadlint import cache, discovery, fileindex, incremental, source, workers
from reloadlint.baseline import fill_context
from reloadlint.config import Settings
from reloadlint.confine import ProjectRoots
from reloadlint.context import CheckContext, ProjectContext
from reloadlint.diagnostics import Diagnostic, Position
from reloadlint.naming import Namer
from reloadlint.noqa import suppressed
from reloadlint.project import ProjectModel
from reloadlint.request import FileEntry, LintRequest
from reloadlint.rules.base import Rule
from reloadlint.rules.registry import all_rules, rules_by_code
from reloadlint.selection import PerFileIgnores, enabled_codes
from reloadlint.summary.model import ModuleSummary

if TYPE_CHECKING:
    from reloadlint.basesource import BaseSource
    from reloadlint.cache import SummaryCache
    from reloadlint.upgrade import Upgrade


class UsageError(Exception):
    """Bad arguments: the CLI prints the message and exits 2."""


@dataclass
class RunResult:
    diagnostics: list[Diagnostic]
    files: list[str]
    #: by display path; a run answered from a cache loads them when first asked for
    summaries: Mapping[str, ModuleSummary] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    project: ProjectModel | None = None
    #: upgrade mode: the base revision next to the working tree (``reloadlint.upgrade.Upgrade``).
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


def collect_files(request: LintRequest) -> tuple[list[FileEntry], list[str]]:
    """The reported files and the rest of their project, each with its module name."""
    settings = request.settings
    exclude = settings.exclude if settings.exclude is not None else discovery.DEFAULT_EXCLUDES
    finder = discovery.Finder(
        exclude=exclude,
        extend_exclude=settings.extend_exclude,
        respect_gitignore=settings.respect_gitignore,
        root=settings.root,
        confine=request.roots,
    )
    found = finder.discover(list(request.paths), force_exclude=request.force_exclude)
    if found.errors:
        raise UsageError(found.errors[0])
    namer = make_namer(settings)
    entries: dict[str, FileEntry] = {}
    roots: set[Path] = set()
    for path in found.sources:
        entry = _entry(path, namer, target=True)
        if entry is not None:
            entries[namer.key(path)] = entry
            roots.add(namer.root_of(path))
    project_roots = source_roots(request.roots, roots, settings)
    if project_roots:
        rest = finder.discover(project_roots, force_exclude=True)
        for path in rest.sources:
            key = namer.key(path)
            if key not in entries:
                entry = _entry(_relative(path), namer, target=False)
                if entry is not None:
                    entries[key] = entry
    return sorted(entries.values(), key=lambda e: e.display), found.warnings


def source_roots(confined: ProjectRoots, found: Iterable[Path], settings: Settings) -> list[Path]:
    """The directories to walk for the rest of the project: the source roots of
    the files found and the configured ``src``, kept inside the project (see
    :meth:`reloadlint.confine.ProjectRoots.walkable`)."""
    wanted = {*found, *((settings.root / s).resolve() for s in settings.src)}
    return sorted({Path(walked) for root in wanted for walked in confined.walkable(root)})


def make_namer(settings: Settings) -> Namer:
    return Namer(
        tuple(settings.root / s for s in settings.src),
        tuple(settings.root / s for s in settings.namespace_packages),
    )


def _relative(path: Path) -> Path:
    try:
        return Path(os.path.relpath(path))
    except ValueError:
        return path


def _entry(path: Path, namer: Namer, *, target: bool) -> FileEntry | None:
    try:
        named = namer.name(path)
    except OSError:
        return None
    if named is None:
        return None
    return FileEntry(path, discovery.display_path(path), named.name, named.is_package, target)


def summarize_entries(
    entries: Sequence[FileEntry],
    *,
    fingerprints: bool = False,
    jobs: int | None = 1,
    cache: SummaryCache | None = None,
    data: Sequence[bytes | source.SourceError] | None = None,
) -> dict[str, tuple[ModuleSummary, source.SourceError | None]]:
    """Summaries keyed by display path (one parse per file), from ``cache`` where it
    has them, the rest made by ``jobs`` worker processes (None: one per core).

    ``data``: the files' bytes, when the caller has read them already.
    """
    blobs = data if data is not None else [source.read_bytes(entry.path) for entry in entries]
    work = [
        workers.Job(blob, entry.display, entry.name, entry.is_package, fingerprints)
        for entry, blob in zip(entries, blobs, strict=True)
    ]
    results = workers.summarize_cached(work, jobs, cache)
    return {entry.display: result for entry, result in zip(entries, results, strict=True)}


def _run_key(
    request: LintRequest,
    codes: frozenset[str],
    entries: Sequence[FileEntry],
    contents: Sequence[str],
    base: str = "",
) -> str:
    """What a run's findings depend on (see :mod:`reloadlint.cache`); ``contents``:
    each file's :func:`_content`; ``base``: upgrade mode's part."""
    settings = dataclasses.replace(request.settings, output_format="", cache_dir="")
    parts = [cache.stamp(), os.getcwd(), repr(settings), ",".join(sorted(codes)), f"base={base}"]
    for entry, content in zip(entries, contents, strict=True):
        parts.append(
            f"{entry.display}\0{entry.name}\0{entry.is_package}\0{entry.target}\0{content}"
        )
    return cache.hash_parts(parts)


def _content(blob: bytes | str | source.SourceError) -> str:
    """A file's part of a run key: its content digest, or why it could not be read."""
    if isinstance(blob, bytes):
        return cache.content_digest(blob)
    return blob if isinstance(blob, str) else f"error:{blob}"


def _cached_run(
    entries: Sequence[FileEntry],
    data: Sequence[bytes | source.SourceError],
    store: SummaryCache,
    *,
    fingerprints: bool,
) -> Mapping[str, ModuleSummary]:
    """The summaries of a run answered from the findings cache: loaded only when asked for."""
    by_path = {entry.display: blob for entry, blob in zip(entries, data, strict=True)}
    return _lazy_summaries(entries, by_path.__getitem__, store, fingerprints=fingerprints)


def _lazy_summaries(
    entries: Sequence[FileEntry],
    blob: Callable[[str], bytes | source.SourceError],
    store: SummaryCache,
    *,
    fingerprints: bool = False,
) -> Mapping[str, ModuleSummary]:
    """Summaries by display path, each made (or taken from ``store``) when first asked for."""
    by_path = {entry.display: entry for entry in entries}

    def load(path: str) -> ModuleSummary:
        return summarize_entries(
            [by_path[path]], fingerprints=fingerprints, cache=store, data=[blob(path)]
        )[path][0]

    return cache.LazySummaries(dict.fromkeys(by_path, ""), load)


def run_rules(
    project: ProjectModel,
    targets: Iterable[ModuleSummary],
    settings: Settings,
    codes: frozenset[str],
    *,
    upgrade: Upgrade | None = None,
) -> list[Diagnostic]:
    shared = ProjectContext(project, settings, upgrade=upgrade)
    rules: list[Rule] = [rule() for rule in all_rules() if rule.code in codes]
    targets = list(targets)
    for rule in rules:
        shared.rule = type(rule)
        for module in targets:
            rule.check(CheckContext(module, shared))
        rule.check_project(shared)
    return shared.found


def input_errors(
    results: dict[str, tuple[ModuleSummary, source.SourceError | None]], targets: set[str]
) -> list[Diagnostic]:
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


def lint(request: LintRequest) -> RunResult:
    """Lint; in upgrade mode (``request.base``), also compare with the base version."""
    directory = cache.CacheDir.for_settings(
        request.settings.root, request.settings.cache_dir, enabled=request.use_cache
    )
    result = _lint(request, directory)
    result.cache, result.roots = directory, request.roots
    return result


def _lint(request: LintRequest, directory: cache.CacheDir) -> RunResult:
    settings = request.settings
    codes = (
        request.codes
        if request.codes is not None
        else enabled_codes(
            settings.select,
            settings.extend_select,
            settings.ignore,
            upgrade=request.base is not None,
        )
    )
    per_file = PerFileIgnores(settings.per_file_ignores, settings.root)
    entries, warnings = collect_files(request)
    store, findings = cache.SummaryCache(directory), cache.FindingsCache(directory)
    # Upgrade mode and plans need the project model itself, not only findings.
    reuse = directory.enabled and not request.whole_project
    if reuse and request.base is None and _incremental_codes(codes):
        result = _lint_incremental(request, codes, per_file, entries, directory, store)
        result.warnings = warnings
        return result
    data = [source.read_bytes(entry.path) for entry in entries]
    run_key = None
    if reuse:
        base = _upgrade_key(request.base) if request.base is not None else ""
        run_key = _run_key(request, codes, entries, [_content(blob) for blob in data], base)
    cached = findings.get(run_key) if run_key is not None else None
    if cached is not None:
        files = sorted(e.display for e in entries if e.target)
        lazy = _cached_run(entries, data, store, fingerprints=request.base is not None)
        return RunResult(cached, files, lazy, warnings, None, None, codes)
    results = summarize_entries(
        entries, fingerprints=request.base is not None, jobs=request.jobs, cache=store, data=data
    )
    summaries = {path: summary for path, (summary, _) in results.items()}
    modules = [summary for summary, error in results.values() if error is None]
    project = ProjectModel(
        modules, reloadable=settings.reloadable, not_reloadable=settings.not_reloadable
    )
    target_paths = {e.display for e in entries if e.target or request.whole_project}
    targets = [summaries[p] for p in sorted(target_paths) if results[p][1] is None]
    upgrade = _upgrade(request, entries, project) if request.base is not None else None
    warnings.extend(getattr(upgrade, "warnings", ()))
    found = run_rules(project, targets, settings, codes, upgrade=upgrade)
    found.extend(input_errors(results, target_paths))
    diagnostics = filter_diagnostics(found, summaries, codes, per_file)
    if run_key is not None:
        findings.put(run_key, diagnostics)
    return RunResult(
        diagnostics, sorted(target_paths), summaries, warnings, project, upgrade, codes
    )


def _upgrade_key(base: BaseSource) -> str:
    from reloadlint import upgrade  # imported only in upgrade mode

    return upgrade.cache_key(base)


def _upgrade(request: LintRequest, entries: list[FileEntry], project: ProjectModel) -> Upgrade:
    from reloadlint import upgrade

    return upgrade.build(request, entries, project)


# ---------------------------------------------------------------- incremental tree mode


def _incremental_codes(codes: frozenset[str]) -> bool:
    """Whether these rules can run module by module (none looks at the whole project at once)."""
    return not any(
        rule.check_project is not Rule.check_project for rule in all_rules() if rule.code in codes
    )


def _lint_incremental(
    request: LintRequest,
    codes: frozenset[str],
    per_file: PerFileIgnores,
    entries: Sequence[FileEntry],
    directory: cache.CacheDir,
    store: SummaryCache,
) -> RunResult:
    """Tree mode reusing the findings of every module whose inputs did not change
    (see :mod:`reloadlint.incremental`); a run whose inputs are all unchanged
    only decodes the last run's findings, and files whose ``stat`` did not
    change are not even read (:mod:`reloadlint.fileindex`)."""
    settings = request.settings
    index = fileindex.FileIndex(directory)
    contents: dict[str, str | source.SourceError] = {}
    read: dict[str, bytes] = {}
    for entry in entries:
        content, data = index.content(entry.path)
        contents[entry.display] = content
        if data is not None:
            read[entry.display] = data
    index.save()
    by_path = {entry.display: entry for entry in entries}

    def blob(path: str) -> bytes | source.SourceError:
        """The file's bytes (read now if the index answered for it)."""
        found = read.get(path)
        return found if found is not None else source.read_bytes(by_path[path].path)

    run_key = _run_key(request, codes, entries, [_content(contents[e.display]) for e in entries])
    target_paths = {e.display for e in entries if e.target}
    # Files by what they are, not how this run names them (`app/x.py`, `/repo/app/x.py`).
    ident = {e.display: os.path.abspath(e.path) for e in entries}
    state = incremental.State.read(directory.read(incremental.PACK))
    if (
        state is not None
        and state.run_key == run_key
        and all(ident[p] in state.rows for p in target_paths)
    ):
        found = [d for path in sorted(target_paths) for d in state.findings(ident[path], path)]
        lazy = _lazy_summaries(entries, blob, store)
        return RunResult(found, sorted(target_paths), lazy, [], None, None, codes, [])

    keys_by_path: dict[str, str] = {}
    pending: list[FileEntry] = []
    for entry in entries:
        content = contents[entry.display]
        if isinstance(content, str):
            key = cache.summary_key(content, entry.name, entry.is_package, False)
            keys_by_path[entry.display] = key
            if store.has(key) or store.has(f"{key[:-1]}1"):  # fingerprints: upgrade mode's
                continue
        pending.append(entry)
    # Files not in the summary cache (new, changed, or that could not be read or parsed).
    results = summarize_entries(
        pending, jobs=request.jobs, cache=store, data=[blob(e.display) for e in pending]
    )
    errors = {path: result for path, result in results.items() if result[1] is not None}

    def load(path: str) -> ModuleSummary:
        return summarize_entries([by_path[path]], cache=store, data=[blob(path)])[path][0]

    ok = [e for e in entries if e.display not in errors]
    summaries = cache.LazySummaries(
        dict.fromkeys(e.display for e in ok), load,
        {path: summary for path, (summary, error) in results.items() if error is None},
    )  # fmt: skip
    names: dict[str, str] = {}
    for entry in ok:  # the first of two files claiming one name wins, as in ProjectModel
        names.setdefault(entry.name, entry.display)
    keys = {name: keys_by_path[path] for name, path in names.items()}
    state_key = cache.hash_parts(
        [
            cache.stamp(),
            os.getcwd(),
            repr(dataclasses.replace(settings, output_format="", cache_dir="")),
            ",".join(sorted(codes)),
            *(
                f"{name}\0{ident[path]}\0{by_path[path].is_package}"
                for name, path in sorted(names.items())
            ),
        ]
    )  # fmt: skip
    if state is None or state.key != state_key:
        state = incremental.State(state_key)
    state.load_records()
    fresh = incremental.State(state_key, run_key)
    contributions = incremental.Contributions(state, fresh, keys)
    by_name = cache.LazySummaries(dict.fromkeys(names), lambda name: summaries[names[name]])
    project = ProjectModel(
        by_name,
        reloadable=settings.reloadable,
        not_reloadable=settings.not_reloadable,
        contributions=contributions,
    )
    dependencies = contributions.dependencies = incremental.Dependencies(project, keys, by_name)
    rules: list[Rule] = [rule() for rule in all_rules() if rule.code in codes]

    def check(summary: ModuleSummary) -> list[Diagnostic]:
        shared = ProjectContext(project, settings)
        for rule in rules:
            shared.rule = type(rule)
            rule.check(CheckContext(summary, shared))
        return filter_diagnostics(shared.found, summaries, codes, per_file)

    targets = sorted((path, ident[path]) for path in target_paths if path not in errors)
    checked = incremental.check_modules(
        project, dependencies, targets, summaries, check, state, fresh, keys_by_path
    )
    placeholders = {path: summary for path, (summary, _) in errors.items()}
    unreadable: dict[str, list[Diagnostic]] = {}
    for diagnostic in filter_diagnostics(
        input_errors(errors, target_paths), placeholders, codes, per_file
    ):
        unreadable.setdefault(diagnostic.path, []).append(diagnostic)
    for path, diagnostics in unreadable.items():
        fresh.set_findings(ident[path], diagnostics)
    fresh.keep(state, files=ident.values(), modules=names.keys())
    directory.write(incremental.PACK, fresh.payload())
    found = [d for path in sorted(target_paths) for d in fresh.findings(ident[path], path)]
    return RunResult(found, sorted(target_paths), summaries, [], project, None, codes, checked)
