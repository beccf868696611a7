"""What the flake8 and pylint plugins share: lint the one file a host tool
hands over, against a project model built once per run.

Host tools call a plugin once per file, but cross-module rules need the whole
project. The first file of a project (its project root found as the CLI finds
it, :func:`reloadlint.steps.project_walk`) summarises every module under that
root; later files of the same project reuse the summaries. The cache is
module-level, so each process of a parallel run (``flake8 -j``, ``pylint -j``)
builds its own, and front ends call :func:`new_run` when a run starts so that
a process running the host tool twice never lints against files as they were
the first time.

The file itself is summarised from what the host tool read (which is what it
reports positions against: a file, stdin, an editor buffer) and stands in for
the version on disk in the project model.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import tokenize
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reloadlint import discovery, steps
from reloadlint.boundary import Boundaries
from reloadlint.config import Settings, check_paths, find_config, load
from reloadlint.confine import ProjectRoots
from reloadlint.diagnostics import Diagnostic
from reloadlint.project import ProjectModel
from reloadlint.request import FileEntry
from reloadlint.selection import PerFileIgnores
from reloadlint.summary import SummaryResult


@dataclass(frozen=True)
class PluginOptions:
    """The ``--reloadlint-...`` options a host tool passes on (empty: use the config file)."""

    config: str | None = None
    reloadable: tuple[str, ...] = ()
    not_reloadable: tuple[str, ...] = ()
    src: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()


@dataclass
class _Project:
    """Every module under some source roots, summarised from disk."""

    results: dict[str, SummaryResult]  # resolved path -> summary and error
    model: ProjectModel


_projects: dict[tuple[str, tuple[str, ...]], _Project] = {}
_settings: dict[tuple[PluginOptions, str, str], Settings] = {}
_last: tuple[tuple[object, ...], list[Diagnostic]] | None = None
#: How many projects this process has summarised (tests check the cache with it).
stats = {"projects_built": 0}


def new_run() -> None:
    """Forget every cached project and setting: the files may have changed since."""
    global _last
    _projects.clear()
    _settings.clear()
    _last = None


def settings_for(options: PluginOptions, path: Path) -> Settings:
    """The settings the CLI would use for ``path`` run from here, plus the host's overrides.

    As in the CLI: an explicit config file, else the nearest one above the
    working directory, else the nearest one above the file.
    """
    directory = path.resolve().parent
    key = (options, os.getcwd(), str(directory))
    if key not in _settings:
        if options.config:
            config: Path | None = Path(options.config)
        else:
            config = find_config(Path.cwd()) or find_config(directory)
        settings = load(config)
        overrides: dict[str, object] = {}
        if options.reloadable:
            overrides["reloadable"] = options.reloadable
        if options.not_reloadable:
            overrides["not_reloadable"] = options.not_reloadable
        if options.src:
            overrides["src"] = options.src
        settings = settings.with_overrides(**overrides)
        if options.src:  # from the host tool's configuration: kept in the project too
            check_paths(settings, "`--reloadlint-", "`")
        _settings[key] = settings
    return _settings[key]


def encode_lines(lines: Sequence[str]) -> bytes:
    """Bytes for lines a host tool decoded, in the encoding their coding cookie names.

    (Encoding as UTF-8 under a ``latin-1`` cookie would make the summariser
    decode the text differently from what the host tool reports against.)
    """
    text = "".join(lines)
    head = iter(line.encode("utf-8", "surrogateescape") for line in lines[:2])
    try:
        encoding, _ = tokenize.detect_encoding(lambda: next(head, b""))
        return text.encode(encoding)
    except (SyntaxError, LookupError, UnicodeEncodeError):
        return text.encode("utf-8", "surrogateescape")


def lint_file(
    path: Path,
    data: bytes,
    settings: Settings,
    codes: frozenset[str],
    *,
    apply_noqa: bool,
    module_name: str = "",
) -> list[Diagnostic]:
    """The findings in one file, whose current contents are ``data``.

    ``module_name`` is the host tool's name for the module, used only when
    reloadlint cannot name the file itself. ``apply_noqa=False`` leaves
    ``# noqa`` comments to the host tool (flake8 applies them itself, and
    honours ``--disable-noqa``); the file-wide ``# reloadlint: noqa`` and
    per-file ignores always apply.
    """
    global _last
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    memo_key = (str(path.resolve()), digest, repr(settings), codes, apply_noqa)
    if _last is not None and _last[0] == memo_key:
        return list(_last[1])
    found = _lint(
        path, data, digest, settings, codes, apply_noqa=apply_noqa, module_name=module_name
    )
    _last = (memo_key, found)
    return list(found)


def _lint(
    path: Path,
    data: bytes,
    digest: str,
    settings: Settings,
    codes: frozenset[str],
    *,
    apply_noqa: bool,
    module_name: str,
) -> list[Diagnostic]:
    namer = steps.make_namer(settings)
    confined = ProjectRoots.of(settings.root, [path])
    walked = steps.project_walk(namer, path, Boundaries())
    roots = [str(root) for root in steps.source_roots(confined, [walked], settings)]
    project = _project(settings, tuple(roots), confined)
    display = discovery.display_path(steps.relative(path))
    resolved = str(path.resolve())
    cached = project.results.get(resolved)
    if cached is not None and cached[0].digest == digest and cached[0].path == display:
        summary, error = cached
        model = project.model
    else:
        named = namer.name(path)
        name, is_package = (
            (named.name, named.is_package) if named else (module_name or path.stem, False)
        )
        entry = FileEntry(path, display, name, is_package, target=True)
        summary, error = steps.summarize_entries([entry], data=[data])[display]
        model = _model(settings, {**project.results, resolved: (summary, error)})
    found = steps.run_rules(model, [summary] if error is None else [], settings, codes)
    found.extend(steps.input_errors({display: (summary, error)}, {display}))
    shown = summary if apply_noqa else dataclasses.replace(summary, noqa={})
    per_file = PerFileIgnores(settings.per_file_ignores, settings.root)
    return steps.filter_diagnostics(found, {display: shown}, codes, per_file)


def _project(settings: Settings, roots: tuple[str, ...], confined: ProjectRoots) -> _Project:
    key = (repr(settings), roots)
    if key not in _projects:
        _projects[key] = _build(settings, roots, confined)
    return _projects[key]


def _build(settings: Settings, roots: tuple[str, ...], confined: ProjectRoots) -> _Project:
    """Summarise every module under ``roots``, found and named as the CLI does."""
    stats["projects_built"] += 1
    finder = steps.make_finder(settings, confined)
    walked = [Path(root) for root in roots if os.path.isdir(root)]
    found = finder.discover(walked, force_exclude=True)
    namer = steps.make_namer(settings)
    entries = [
        entry
        for path in found.sources
        if (entry := steps.make_entry(steps.relative(path), namer, target=False)) is not None
    ]
    results = steps.summarize_entries(entries)
    by_file = {str(entry.path.resolve()): results[entry.display] for entry in entries}
    return _Project(by_file, _model(settings, by_file))


def _model(settings: Settings, results: dict[str, SummaryResult]) -> ProjectModel:
    # The engine's order: by display path (the first of two files claiming a name wins).
    ordered = sorted(results.values(), key=lambda result: result[0].path)
    return steps.build_project([summary for summary, error in ordered if error is None], settings)
