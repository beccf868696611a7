"""Upgrade mode's base summaries, made as cheaply as they can be.

A base file with the working tree's bytes and module name reuses the working
tree's summary (only its path differs); the others come from the summary
cache or the worker processes. A working-tree file the base has byte for byte
at the same path (:func:`unchanged_paths`, from the base's change set) is its
own base version: every comparison of its fingerprints would compare them with
themselves, so it is summarised without them (they were 40 % of upgrade mode's
summarising with a tenth of 1,000 modules renamed). :func:`fingerprint_the_rest`
adds them to any such file the base did not have after all (one git ignores, a
module whose name differs from its base file's) before anything compares.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from reloadlint.basesource import BaseSource
from reloadlint.project import ProjectModel
from reloadlint.source import read_bytes
from reloadlint.summary import add_fingerprints
from reloadlint.summary.model import ModuleSummary

if TYPE_CHECKING:
    from reloadlint.request import FileEntry, LintRequest


def unchanged_paths(source: BaseSource, entries: Iterable[FileEntry]) -> frozenset[str]:
    """The display paths of the files the base's change set leaves out: the base has
    them byte for byte at the same path (or, for a file git ignores, not at all:
    :func:`fingerprint_the_rest` then adds its fingerprints after all)."""
    located = source.locate()
    changes = located.changes
    changed = {*changes.added, *changes.modified, *(new for _, new in changes.renamed)}
    root = located.root.resolve()
    found = []
    for entry in entries:
        relative = repo_relative(os.path.abspath(entry.path), root)
        if relative is not None and relative not in changed:
            found.append(entry.display)
    return frozenset(found)


#: repo-relative path -> (a working-tree summary, its copy as the base's at that path)
_BASE_COPIES: dict[str, tuple[ModuleSummary, ModuleSummary]] = {}


def base_summaries(
    request: LintRequest,
    project: ProjectModel,
    base_files: dict[str, str],
    blobs: dict[str, bytes],
    names: dict[str, tuple[str, bool]],
) -> tuple[list[ModuleSummary], set[str]]:
    """The base version's module summaries, made as cheaply as they can be, and the
    names of the working-tree modules whose summaries they reuse.

    Most base files are byte for byte the working tree's: such a module's
    summary is the working tree's, only its path differs. The others come
    from the summary cache, keyed by the blob's content hash, or are
    summarised by the worker processes.
    """
    from reloadlint import cache, workers

    summaries: list[ModuleSummary] = []
    reused: set[str] = set()
    jobs: list[workers.Job] = []
    # A process that plans again and again keeps its summaries (cache.keep_decoded_summaries):
    # the unchanged modules are the same objects each time, and so are their copies here.
    copies = _BASE_COPIES if cache.SummaryCache.decoded is not None else {}
    for path, sha in sorted(base_files.items()):
        named = names.get(path)
        if named is None:
            continue
        data = blobs[sha]
        current = project.modules.get(named[0])
        if (
            current is not None
            and current.is_package == named[1]
            and current.digest == cache.content_digest(data)
        ):
            made = copies.get(path)
            if made is None or made[0] is not current:
                made = copies[path] = current, dataclasses.replace(current, path=path)
            summaries.append(made[1])
            reused.add(named[0])
        else:
            jobs.append(workers.Job(data, path, named[0], named[1], fingerprints=True))
    settings = request.settings
    store = cache.SummaryCache(
        cache.CacheDir.for_settings(settings.root, settings.cache_dir, enabled=request.use_cache)
    )
    results = workers.summarize_cached(jobs, request.jobs, store)
    summaries.extend(summary for summary, error in results if error is None)
    return sorted(summaries, key=lambda summary: summary.path), reused


def fingerprint_the_rest(
    project: ProjectModel, entries: Iterable[FileEntry], plain: frozenset[str], reused: set[str]
) -> frozenset[str]:
    """Add fingerprints to each module summarised without them that is not its own base
    version after all; the names of those left without them."""
    left = set()
    for entry in entries:
        if entry.display not in plain:
            continue
        summary = project.modules.get(entry.name)
        if summary is None or summary.path != entry.display:
            continue
        if entry.name in reused:
            left.add(entry.name)
            continue
        data = read_bytes(entry.path)
        if isinstance(data, bytes):
            add_fingerprints(summary, data)
    return frozenset(left)


def repo_relative(path: Path | str, root: Path) -> str | None:
    """``path`` (absolute, normalised) relative to the resolved repository root, as a
    posix path.

    When the working directory is reached through a symbolic link, absolute
    paths carry the link while git's top level is the real path: the
    directory part is resolved too (not the file's own name, which may be a
    link into another place).
    """
    if os.sep == "/":  # the common case in string operations: a plan asks thousands of times
        text, top = os.fspath(path), os.fspath(root)
        if text == top:
            return ""
        prefix = top if top.endswith("/") else top + "/"
        if text.startswith(prefix):
            return text[len(prefix) :]
    path = Path(path)
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        try:
            real = Path(os.path.realpath(path.parent)) / path.name
            relative = real.relative_to(root).as_posix()
        except ValueError:
            return None
    return "" if relative == "." else relative
