"""The plan of ``reloadlint run``: from the sources the program loaded to the files on disk.

The same analysis as ``reloadlint --plan --base REV``, with another base: not
a git revision but what the process compiled, as its agent recorded it
(:mod:`reloadlint.devloop.agent`), given to upgrade mode as a
:class:`~reloadlint.devloop.loadedbase.LoadedSources`. The program's
``__main__`` (``python app.py``, ``python -m app.main``) is never
reloadable: a change to it means restart (its code already ran).
"""

from __future__ import annotations

import base64
import dataclasses
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reloadlint import cache, dependencies, plan, plan_facts, steps, upgrade
from reloadlint.config import Settings
from reloadlint.devloop.loadedbase import LoadedSources
from reloadlint.diagnostics import Diagnostic
from reloadlint.engine import lint
from reloadlint.output import plan_json
from reloadlint.plan_model import Plan, Reason
from reloadlint.profiles import Reloader
from reloadlint.request import FileEntry, LintRequest
from reloadlint.safeio import read_limited
from reloadlint.selection import enabled_codes
from reloadlint.source import MAX_FILE_BYTES

#: The reloader profile plans are judged under (docs/reloaders.md): reloadlint's runtime.
PROFILE: Reloader = "runtime"


@dataclass(frozen=True)
class Loaded:
    """One source the program compiled, as its agent reported it."""

    module: str  # the name it was imported under (``__main__`` for a script)
    path: str  # real path
    relative: str | None  # the path relative to the project's root; None: outside it
    data: bytes
    main: bool  # it runs as the program's ``__main__``


@dataclass
class Outcome:
    """What to do about the files on disk now.

    ``kind``: ``unchanged`` (nothing to reload), ``hot`` (send ``document``),
    ``restart`` (``reasons`` say why) or ``broken`` (``errors``: files that do not
    parse; nothing is applied until they do)."""

    kind: str
    plan: Plan | None = None
    document: dict[str, Any] | None = None
    reasons: list[Reason] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)


class Planner:
    """Plans for one project; :meth:`new_process` when the program (re)starts."""

    def __init__(self, settings: Settings, *, jobs: int | None = None) -> None:
        self.settings = settings
        self.root = settings.root.resolve()
        self.jobs = jobs
        self.loaded: dict[str, Loaded] = {}
        #: repo-relative path -> added | deleted | modified, non-Python files since the base
        self.other_files: dict[str, str] = {}
        self.requirements: dict[str, bytes | None] = {}
        #: the project's Python files (repo-relative), found again after a file is added,
        #: deleted or a non-Python file (an exclude, a .gitignore) changes
        self._on_disk: frozenset[str] | None = None
        #: what discovery found when ``_on_disk`` was listed (reused by every plan until then)
        self._collected: tuple[list[FileEntry], list[str]] | None = None
        #: loaded files found unchanged on disk, by stat (see LoadedSources.same)
        self._same: dict[str, tuple[int, int, int]] = {}
        cache.keep_decoded_summaries()  # one plan per save: each summary is decoded once

    # -- what the process has -----------------------------------------------------------

    def new_process(self) -> None:
        """A new program process: nothing loaded yet; requirement files as they are now."""
        self.loaded.clear()
        self.other_files.clear()
        self._same.clear()
        self.requirements = self._requirement_files()

    def record(self, items: Iterable[dict[str, Any]]) -> None:
        """Sources the agent reports the process compiled (a reload reports them again)."""
        for item in items:
            try:
                data = base64.b64decode(str(item["source"]), validate=True)
                path = os.path.realpath(str(item["path"]))
                module = str(item["module"])
            except (KeyError, ValueError, TypeError):
                continue
            main = bool(item.get("main"))
            relative = self._relative(path)
            self.loaded[path] = Loaded(module, path, relative, data, main)
            if relative is not None:
                self._same.pop(relative, None)  # compared with the bytes loaded now

    def note_changed_files(self, paths: Iterable[tuple[str, str]]) -> None:
        """Files the watcher saw change: ``(status, absolute path)``; the non-Python ones
        are remembered (requirement files are compared by content instead)."""
        for status, path in paths:
            relative = self._relative(path)
            if relative is None:
                continue
            known = self._on_disk is not None and relative in self._on_disk
            # A save that replaces the file (written beside it, renamed over it) is an
            # "added" file the listing already has: only a new or removed module, or a
            # file that may change what discovery finds, needs the project listed again.
            if (
                not relative.endswith(".py")
                or status == "deleted"
                or not (status == "modified" or known)
            ):
                self._on_disk = None
            if relative.endswith(".py"):
                continue
            previous = self.other_files.get(relative)
            if previous == "added" and status == "deleted":
                del self.other_files[relative]
            elif previous != "added":
                self.other_files[relative] = status

    def applied(self) -> None:
        """A hot plan ran: the files it covered count as re-read."""
        self.other_files.clear()

    # -- the plan -----------------------------------------------------------------------

    def plan(self) -> Outcome:
        settings = self._settings()
        request = LintRequest(
            paths=[_shown_root(self.root)],
            settings=settings,
            # As `--plan` reads them: every rule the plan needs, whatever the profile.
            codes=enabled_codes(
                settings.select,
                settings.extend_select,
                settings.ignore,
                upgrade=True,
                reloader=None,
            ),
            jobs=self.jobs,
            whole_project=True,
        )
        request.base = self.base(request)
        request.collected = self._collected
        result = lint(request)
        blocking, _ = plan_facts.unloadable(result)
        if blocking:
            return Outcome("broken", errors=blocking)
        built = plan.build(result)
        if not built.modules and built.verdict == "hot":
            return Outcome("unchanged", built)
        if built.verdict == "restart":
            return Outcome("restart", built, reasons=built.restart_reasons)
        return Outcome("hot", built, plan_json.document(built))

    def base(self, request: LintRequest) -> LoadedSources:
        """The sources the process loaded, as upgrade mode's base."""
        if self._on_disk is None:
            self._collected = entries, _ = steps.collect_files(request)
            found = (self._relative(os.path.realpath(entry.path)) for entry in entries)
            self._on_disk = frozenset(path for path in found if path is not None)
        loaded = {item.relative: item.data for item in self.loaded.values() if item.relative}
        return LoadedSources(
            self.root,
            loaded,
            self._on_disk,
            self.requirements,
            self._requirement_files,
            self.other_files,
            self._same,
        )

    def _settings(self) -> Settings:
        """The project's settings for a plan: judged under the ``runtime`` reloader profile
        (reloadlint's runtime applies it, whatever ``reloader`` the project configures, as
        for ``--plan``), with the program's ``__main__`` not reloadable."""
        settings = self.settings.with_overrides(reloader=PROFILE)
        mains = sorted({self._name_of(item) for item in self.loaded.values() if item.main} - {""})
        if not mains:
            return settings
        return dataclasses.replace(settings, not_reloadable=(*settings.not_reloadable, *mains))

    def _name_of(self, item: Loaded) -> str:
        try:
            named = steps.make_namer(self.settings).name(Path(item.path))
        except OSError:
            return ""
        return named.name if named is not None else ""

    def _requirement_files(self) -> dict[str, bytes | None]:
        """The requirement files (:mod:`reloadlint.dependencies`) as they are now."""
        roots = upgrade._roots(self.settings, self.root)
        return {
            path: _read(self.root / path)
            for root in roots
            for path in _listdir(self.root, root)
            if dependencies.is_source(path, roots)
        }

    def _relative(self, path: str) -> str | None:
        real = os.path.realpath(path)
        try:
            return Path(real).relative_to(self.root).as_posix()
        except ValueError:
            return None


def _listdir(root: Path, directory: str) -> list[str]:
    try:
        names = sorted(entry.name for entry in os.scandir(root / directory) if entry.is_file())
    except OSError:
        return []
    return [f"{directory}/{name}" if directory else name for name in names]


def _read(path: Path) -> bytes | None:
    try:
        return read_limited(path, MAX_FILE_BYTES, follow_symlinks=False)
    except OSError:
        return None


def _shown_root(root: Path) -> Path:
    """The project root as the lint is given it: relative to the working directory when
    it can be, so that findings show paths as ``reloadlint`` shows them."""
    try:
        return Path(os.path.relpath(root))
    except ValueError:
        return root
