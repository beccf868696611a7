"""Upgrade mode: the base revision (what the running process loaded) next to
the working tree (what a deploy would load).

The base version is read straight from git (one ``ls-tree``, one
``cat-file --batch`` for every blob) and summarised with the same code as the
working tree; the two are compared summary by summary, never as text, so
whitespace-, comment- and docstring-only edits are not changes.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reloadlint.basesource import BaseSource, ChangeSet
from reloadlint.discovery import DEFAULT_EXCLUDES
from reloadlint.ignore_patterns import compile_excludes, matches
from reloadlint.naming import Tree, tree_names
from reloadlint.project import ProjectModel
from reloadlint.safeio import FileTooLarge, read_limited
from reloadlint.scope import application_excludes
from reloadlint.source import MAX_FILE_BYTES, read_bytes
from reloadlint.summary import definition_names
from reloadlint.summary.model import ModuleSummary
from reloadlint.upgrade_base import base_summaries, fingerprint_the_rest, repo_relative

if TYPE_CHECKING:
    from reloadlint.config import Settings
    from reloadlint.request import FileEntry, LintRequest

DEPENDENCY_FILES = (
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "Pipfile",
    "Pipfile.lock",
    "poetry.lock",
    "uv.lock",
    "pdm.lock",
)
DEPENDENCY_PATTERNS = ("requirements", "constraints")
NATIVE_SUFFIXES = (".so", ".pyd", ".dll", ".dylib", ".pyx", ".pxd", ".c", ".cc", ".cpp", ".h")
INTERPRETER_PINS = (".python-version", "runtime.txt", ".tool-versions")


@dataclass(frozen=True)
class NonPythonChange:
    """A changed file that is not a Python module.

    ``kind`` is dependencies, native, interpreter or data."""

    kind: str
    path: str  # repo-relative posix path (the new path for renames)
    status: str  # added, deleted, modified, renamed
    detail: str = ""  # dependencies: what changed in the requirement set


@dataclass
class Upgrade:
    """The base version's project next to the working tree's, and what changed between them."""

    #: the base as the user named it (``HEAD~1``), and exactly which version it is
    rev: str
    commit: str
    #: the directory both versions' paths are relative to (the repository's top level)
    repo: Path
    base: ProjectModel
    changes: ChangeSet
    #: where the base's files come from (its sources' hashes in a plan are read from it)
    source: BaseSource = field(repr=False)
    #: module name -> "changed" | "added" | "removed"
    status: dict[str, str] = field(default_factory=dict)
    #: removed module -> the module its file was renamed to (git rename detection)
    renamed_to: dict[str, str] = field(default_factory=dict)
    other_changes: list[NonPythonChange] = field(default_factory=list)
    #: repo-relative posix paths of every file that changed (any kind)
    changed_paths: frozenset[str] = frozenset()
    #: module -> (base path, working-tree path), both repo-relative: its file moved
    #: (``app/db.py`` -> ``src/app/db.py``) while its dotted name stayed
    moved: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: what the run reports on stderr (base files over the size limit)
    warnings: list[str] = field(default_factory=list)
    #: whether a repo-relative path is outside what a plan upgrades (``plan-exclude``)
    plan_excluded: Callable[[str], bool] = field(default=lambda path: False, repr=False)
    #: ``repo`` resolved once (a plan asks for thousands of repo-relative paths)
    _resolved: Path | None = field(default=None, init=False, repr=False, compare=False)
    #: working-tree modules summarised without fingerprints: each is its own base
    #: version (the same summary), so no comparison needs them (see :func:`build`)
    unfingerprinted: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    _definitions: dict[str, frozenset[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def old(self, module: str) -> ModuleSummary | None:
        return self.base.modules.get(module)

    def definitions(self, module: ModuleSummary) -> Collection[str]:
        """The qualified names of every function and class of a working-tree module
        (the keys of its ``def_fingerprints``), read again from its file when it was
        summarised without fingerprints."""
        if module.name not in self.unfingerprinted:
            return module.def_fingerprints
        found = self._definitions.get(module.name)
        if found is None:
            found = self._definitions[module.name] = definition_names(read_bytes(Path(module.path)))
        return found

    def changed_modules(self) -> list[str]:
        return sorted(
            name for name, status in self.status.items() if status in ("changed", "added")
        )

    def removed_modules(self) -> list[str]:
        return sorted(name for name, status in self.status.items() if status == "removed")

    def repo_path(self, path: str) -> str:
        """A working-tree path (as displayed) as a repo-relative posix path.

        Raises ValueError for a path outside the repository."""
        if self._resolved is None:
            self._resolved = self.repo.resolve()
        relative = repo_relative(os.path.abspath(path), self._resolved)
        if relative is None:
            raise ValueError(f"{path} is not in the repository {self.repo}")
        return relative

    def display_path(self, repo_path: str) -> str:
        """A repo-relative path as the user sees paths (relative to the working directory)."""
        absolute = self.repo / repo_path
        try:
            return os.path.relpath(absolute)
        except ValueError:
            return str(absolute)


def build(
    request: LintRequest,
    entries: list[FileEntry],
    project: ProjectModel,
    plain: frozenset[str] = frozenset(),
) -> Upgrade:
    """Read the base version (``request.base``) and compare it with the working tree's project.

    ``plain``: the display paths of the files summarised without fingerprints
    (:func:`reloadlint.upgrade_base.unchanged_paths`). Fingerprints only tell a module's
    two versions apart: one whose base version is its own summary needs none. Every
    other module gets them here before anything compares (a file the change set missed:
    one git ignores, or a module whose name differs from its base file's)."""
    source = request.base
    assert source is not None  # upgrade mode
    located = source.locate()
    repo, changes = located.root, located.changes
    tree = source.files()
    scope = _scope_dirs(repo, entries, request.paths)
    linted = _linted_files(repo, entries)
    excluded = _exclusion(request.settings, repo)
    base_files = {
        path: sha
        for path, sha in tree.items()
        if path.endswith(".py")
        and _in_scope(path, scope)
        and _in_project(path, repo, linted, excluded)
    }
    base_files.update(_moved_away(tree, base_files, entries, repo, request.settings, excluded))
    # The working tree's size limit holds for the base too: a huge blob is never read.
    blobs = source.read(base_files.values(), max_size=MAX_FILE_BYTES)
    too_large = sorted(path for path, sha in base_files.items() if sha not in blobs)
    for path in too_large:
        del base_files[path]
    names = _base_module_names(base_files, tree, repo, request.settings)
    summaries, reused = base_summaries(request, project, base_files, blobs, names)
    unfingerprinted = fingerprint_the_rest(project, entries, plain, reused)
    settings = request.settings
    base = ProjectModel(
        summaries, reloadable=settings.reloadable, not_reloadable=settings.not_reloadable
    )
    upgrade = Upgrade(
        rev=source.name,
        commit=located.ident,
        repo=repo,
        base=base,
        changes=changes,
        source=source,
        unfingerprinted=unfingerprinted,
    )
    limit = MAX_FILE_BYTES // 2**20
    upgrade.warnings = [
        f"{path} in {source.name}: over the {limit} MB limit; not analysed" for path in too_large
    ]
    upgrade.changed_paths = frozenset(
        [
            *changes.added,
            *changes.deleted,
            *changes.modified,
            *(new for _, new in changes.renamed),
            *(old for old, _ in changes.renamed),
        ]
    )
    errors: list[str] = []
    upgrade.plan_excluded = _exclusion(settings, repo, plan_excludes(settings), errors)
    upgrade.warnings += [f"plan-exclude: {error}" for error in errors]
    _compare(upgrade, project, {entry.name for entry in entries})
    upgrade.other_changes = _non_python_changes(changes, scope)
    dependencies = _dependency_change(source, tree, upgrade.changed_paths, _roots(settings, repo))
    if dependencies is not None:
        upgrade.other_changes.insert(0, dependencies)
    return upgrade


def cache_key(source: BaseSource) -> str:
    """What the base version adds to a run's findings cache key.

    The base's identity fixes every base file; the working tree's Python
    files are in the key already (their content hashes), so what is left is
    the list of changes and the current content of the changed files that
    are not Python modules (``pyproject.toml``, configuration files).
    """
    from reloadlint import cache

    located = source.locate()
    repo, changes = located.root, located.changes
    parts = [str(repo.resolve()), located.ident]
    parts += [f"A {p}" for p in changes.added] + [f"D {p}" for p in changes.deleted]
    parts += [f"M {p}" for p in changes.modified] + [f"R {a} {b}" for a, b in changes.renamed]
    for path in sorted({*changes.added, *changes.modified, *(new for _, new in changes.renamed)}):
        parts.append(f"{path} {_changed_file_state(repo / path)}")
    return cache.hash_parts(parts)


def _changed_file_state(path: Path) -> str:
    """What a changed file adds to the key: its content hash, a link's target, or, for
    a file over the size limit, a FIFO or a device, what ``lstat`` says (never read)."""
    from reloadlint import cache

    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            return f"link {os.readlink(path)!r}"
        return cache.content_digest(read_limited(path, MAX_FILE_BYTES, follow_symlinks=False))
    except FileTooLarge:
        return f"large {info.st_size} {info.st_mtime_ns} {info.st_ino}"
    except OSError as error:
        return f"unreadable {error.errno}"


def _moved_away(
    tree: dict[str, str],
    base_files: dict[str, str],
    entries: list[FileEntry],
    repo: Path,
    settings: Settings,
    excluded: Callable[[str], bool],
) -> dict[str, str]:
    """Base files outside the working tree's scope, gone from disk, whose module name a
    working-tree module has: the same module, moved (``app/`` -> ``src/app/``).

    Without them the moved modules would look new, and a plan would reload what it
    cannot (see :attr:`Upgrade.moved`)."""
    gone = {
        path: sha
        for path, sha in tree.items()
        if path.endswith(".py")
        and path not in base_files
        and not excluded(path)
        and not os.path.isfile(repo / path)
    }
    if not gone:
        return {}
    current = {entry.name for entry in entries}
    named = {name for name, _ in _base_module_names(base_files, tree, repo, settings).values()}
    found = _base_module_names(gone, tree, repo, settings)
    return {
        path: sha
        for path, sha in gone.items()
        if path in found and found[path][0] in current and found[path][0] not in named
    }


def _scope_dirs(repo: Path, entries: Iterable[FileEntry], paths: Iterable[Path]) -> list[str]:
    """Repo-relative directories whose base-version modules belong to the project."""
    dirs: set[str | None] = set()
    root = repo.resolve()
    seen: set[str] = set()
    for entry in entries:
        # The source root of every module: the package chain's parent directory.
        depth = entry.name.count(".") + (1 if entry.is_package else 0)
        directory = os.path.dirname(os.path.abspath(entry.path))
        for _ in range(depth):
            directory = os.path.dirname(directory)
        if directory not in seen:
            seen.add(directory)
            dirs.add(repo_relative(directory, root))
    for path in paths:
        absolute = Path(os.path.abspath(path))
        dirs.add(repo_relative(absolute if absolute.suffix != ".py" else absolute.parent, root))
    return sorted(d for d in dirs if d is not None)


def _in_scope(path: str, scope: list[str]) -> bool:
    return any(d == "" or path == d or path.startswith(d + "/") for d in scope)


def _linted_files(repo: Path, entries: Iterable[FileEntry]) -> frozenset[str]:
    """Repo-relative paths of the working tree's project files."""
    root = repo.resolve()
    found = set()
    for entry in entries:
        relative = repo_relative(os.path.abspath(entry.path), root)
        if relative is not None:
            found.add(relative)
    return frozenset(found)


#: What is not the application: one definition for plans and tree mode.
plan_excludes = application_excludes


def _exclusion(
    settings: Settings,
    repo: Path,
    patterns: list[str] | None = None,
    errors: list[str] | None = None,
) -> Callable[[str], bool]:
    """Whether a repo-relative path is excluded by ``patterns`` (by default
    ``exclude``/``extend-exclude``), gitignore patterns relative to the configuration's
    directory.

    The working tree's files were filtered by discovery; a base file that is
    gone from disk must be filtered the same way, or every deleted file of an
    excluded directory (``tests/``, ``build/``) would look like a removed module.
    """
    if patterns is None:
        exclude = settings.exclude if settings.exclude is not None else DEFAULT_EXCLUDES
        patterns = [*exclude, *settings.extend_exclude]
    # Compiled as discovery compiles them (invalid patterns were reported by its walk):
    # a repository's pattern cannot make the matching backtrack (ignore_patterns.risky).
    spec = compile_excludes(patterns, [] if errors is None else errors) if patterns else None
    if spec is None:
        return lambda path: False
    anchor = repo_relative(settings.root.resolve(), repo.resolve())

    #: candidate -> matched: a plan asks about every module, and their directories repeat
    seen: dict[str, bool] = {}

    def matched(candidate: str) -> bool:
        found = seen.get(candidate)
        if found is None:
            found = seen[candidate] = matches(spec, candidate)
        return found

    def excluded(path: str) -> bool:
        if anchor is None or not _under(path, anchor):
            relative = posixpath.basename(path)
        else:
            relative = path[len(anchor) + 1 :] if anchor else path
        parts = relative.split("/")
        candidates = ["/".join(parts[:i]) + "/" for i in range(1, len(parts))] + [relative]
        return any(matched(candidate) for candidate in candidates)

    return excluded


def _in_project(
    path: str, repo: Path, linted: frozenset[str], excluded: Callable[[str], bool]
) -> bool:
    """Whether a base file belongs to the project the working tree's lint sees.

    A file still on disk counts when discovery found it (so excludes,
    ``.gitignore`` and source roots apply exactly as to the working tree); a
    file gone from disk (deleted or renamed) when no exclude pattern drops it.
    """
    if path in linted:
        return True
    return not os.path.isfile(os.path.join(repo, path)) and not excluded(path)


def _base_module_names(
    base_files: dict[str, str], tree: dict[str, str], repo: Path, settings: Settings
) -> dict[str, tuple[str, bool]]:
    """Dotted names of the base version's files, by the rule that names the working
    tree's (:mod:`reloadlint.naming`), applied to the base tree."""
    src = _configured_dirs(settings, settings.src, repo)
    namespace = set(_configured_dirs(settings, settings.namespace_packages, repo)) - {""}
    return tree_names(base_files, Tree(tree), src, namespace)


def _configured_dirs(settings: Settings, dirs: Iterable[str], repo: Path) -> list[str]:
    """Configured directories (relative to the config file) as repo-relative paths."""
    root = repo.resolve()
    found = (repo_relative((settings.root / d).resolve(), root) for d in dirs)
    return [d for d in found if d is not None]


def _under(path: str, root: str) -> bool:
    return root == "" or path.startswith(root + "/")


def _compare(upgrade: Upgrade, project: ProjectModel, present: set[str]) -> None:
    """Fill ``status`` and ``renamed_to``; ``present`` names every module file of the
    working tree, including those that failed to parse (the project model lacks them)."""
    base = upgrade.base.modules
    new = project.modules
    root = upgrade.repo.resolve()
    #: every working-tree module by repo-relative path (the first of two wins), made once:
    #: matching each rename against every module was quadratic (3,000 renames: minutes)
    by_repo_path: dict[str, ModuleSummary] = {}
    for name, summary in new.items():
        now = repo_relative(os.path.abspath(summary.path), root)
        if now is not None:
            by_repo_path.setdefault(now, summary)
        old = base.get(name)
        if old is None:
            upgrade.status[name] = "added"
            continue
        if old.fingerprint != summary.fingerprint:
            upgrade.status[name] = "changed"
        if now is not None and source_root(now, name) != source_root(old.path, name):
            upgrade.moved[name] = (old.path, now)
    base_by_path = {m.path: m.name for m in base.values()}
    for name in base:
        if name not in new:
            # A file that no longer parses is a broken change (RL9xx), not a removal.
            upgrade.status[name] = "changed" if name in present else "removed"
    for old_path, new_path in upgrade.changes.renamed:
        old_name = base_by_path.get(old_path)
        if old_name is None or upgrade.status.get(old_name) != "removed":
            continue
        new_module = by_repo_path.get(new_path)
        if new_module is not None:
            upgrade.renamed_to[old_name] = new_module.name


def source_root(path: str, name: str) -> str:
    """The directory a module's dotted name starts from: ``src`` for ``src/app/db.py``
    (``app.db``) and ``src/app/db/__init__.py`` alike (a module that became a package
    did not move)."""
    directory = posixpath.dirname(path)
    levels = name.count(".") + (1 if posixpath.basename(path) == "__init__.py" else 0)
    for _ in range(levels):
        directory = posixpath.dirname(directory)
    return directory


def _non_python_changes(changes: ChangeSet, scope: list[str]) -> list[NonPythonChange]:
    found = []
    entries = [
        *((p, "added") for p in changes.added),
        *((p, "deleted") for p in changes.deleted),
        *((p, "modified") for p in changes.modified),
        *((new, "renamed") for _, new in changes.renamed),
    ]
    for path, status in entries:
        if path.endswith(".py"):
            continue
        kind = classify(path)
        if kind == "dependencies":
            continue  # the requirement sets are compared instead (_dependency_change)
        if kind == "native" and not _in_scope(path, scope):
            continue
        found.append(NonPythonChange(kind, path, status))
    return sorted(found, key=lambda c: (c.kind, c.path))


def _roots(settings: Settings, repo: Path) -> list[str]:
    """Directories whose packaging files declare the project's requirements: the
    repository's root and the configuration's directory."""
    anchor = repo_relative(settings.root.resolve(), repo.resolve())
    return sorted({"", anchor} - {None})  # type: ignore[arg-type]


def _dependency_change(
    source: BaseSource, tree: dict[str, str], changed: frozenset[str], roots: list[str]
) -> NonPythonChange | None:
    """A change of the runtime requirement set (see :mod:`reloadlint.dependencies`)."""
    from reloadlint import dependencies

    repo = source.locate().root
    if not any(dependencies.is_source(path, roots) for path in changed):
        return None
    on_disk = [
        f"{root}/{entry.name}" if root else entry.name
        for root in roots
        for entry in _scandir(repo / root)
    ]
    candidates = sorted({p for p in [*tree, *on_disk] if dependencies.is_source(p, roots)}, key=str)
    shas = [tree[p] for p in candidates if p in tree]
    old_blobs = source.read(shas, max_size=MAX_FILE_BYTES)  # larger: left out
    found = dependencies.compare(
        lambda path: old_blobs.get(tree[path]) if path in tree else None,
        lambda path: _read_small_file(repo, path),
        candidates,
        set(changed),
    )
    if found is None:
        return None
    status = "modified" if found.path in tree else "added"
    return NonPythonChange("dependencies", found.path, status, found.describe())


def _scandir(directory: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as entries:
            return [entry for entry in entries if entry.is_file(follow_symlinks=False)]
    except OSError:
        return []


def _read_small_file(repo: Path, path: str) -> bytes | None:
    """A working-tree packaging file's bytes: a regular file (no symbolic link) within the
    size limit, else None (compared as absent)."""
    try:
        return read_limited(repo / path, MAX_FILE_BYTES, follow_symlinks=False)
    except OSError:  # NotRegularFile and FileTooLarge are OSErrors too
        return None


def classify(path: str) -> str:
    name = posixpath.basename(path)
    if (
        name in DEPENDENCY_FILES
        or name.endswith(".lock")
        or (name.endswith(".txt") and name.startswith(DEPENDENCY_PATTERNS))
    ):
        return "dependencies"
    if name in INTERPRETER_PINS:
        return "interpreter"
    if name.endswith(NATIVE_SUFFIXES) or ".so." in name:
        return "native"
    return "data"
