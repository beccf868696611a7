"""Find the Python files to lint, the way ruff does, without ever tracebacking.

A linter runs unattended in pre-commit and CI over whatever a repository
contains, so the walk treats every odd thing it meets (symlink loops, broken
links, unreadable or vanishing directories, undecodable names) as something to
report or skip, never as a reason to stop.

Semantics, chosen to match ruff so users need not learn new rules:

- Directories are walked recursively for ``.py`` and ``.pyi`` files; a path
  named on the command line is linted whatever its suffix and even when an
  exclude pattern matches it, unless ``force_exclude`` is set (pre-commit passes
  every staged file by name and relies on it).
- ``exclude`` patterns are gitignore-style: a pattern without a slash matches a
  name at any depth, one with a slash is anchored at ``root`` (the directory of
  the configuration file; the current directory by default). ``exclude``
  replaces the defaults, ``extend_exclude`` adds to them.
- ``.gitignore`` files (nested ones too) and ``.git/info/exclude`` are honoured
  only inside a git work tree, as git and ruff do; git's global excludes file
  is not read. Like ruff, and unlike git, a tracked file that matches a
  ``.gitignore`` pattern is skipped too.
- A directory holding ``pyvenv.cfg`` is a virtual environment and is never
  walked into, whatever its name.
- Symbolic links are followed; each directory is walked once, recognised by
  ``(st_dev, st_ino)``, so link loops and aliases end the walk instead of it.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from pathspec import GitIgnoreSpec, Pattern

__all__ = [
    "DEFAULT_EXCLUDES",
    "PYTHON_SUFFIXES",
    "DiscoveryResult",
    "discover",
    "display_path",
    "is_stub",
]

PYTHON_SUFFIXES = (".py", ".pyi")

# Trailing slashes make every default match directories only: a module called
# ``build.py`` or ``env.py``, or a dotenv file called ``.env``, is not a
# directory and stays unaffected.
DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".git/",
    ".hg/",
    ".svn/",
    ".bzr/",
    ".venv/",
    "venv/",
    "env/",
    ".env/",
    "__pypackages__/",
    "build/",
    "dist/",
    "__pycache__/",
    ".tox/",
    ".nox/",
    ".mypy_cache/",
    ".ruff_cache/",
    ".pytest_cache/",
    ".reloadlint_cache/",
    "node_modules/",
    "site-packages/",
    ".eggs/",
    "*.egg-info/",
)

_VENV_MARKER = "pyvenv.cfg"
_DIR_MARK = "ps_d"  # see _matches_itself


@dataclass
class DiscoveryResult:
    """What to lint, plus what went wrong while finding it.

    ``files`` keeps each path in the form the user gave it (relative paths stay
    relative to the current directory), sorted and without duplicates.
    ``warnings`` are problems the run survives (an unreadable directory, a
    broken link); ``errors`` are bad arguments (a path that does not exist),
    which the CLI reports and exits 2 for.
    """

    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def sources(self) -> list[Path]:
        """Files that run: everything except ``.pyi`` stubs."""
        return [path for path in self.files if not is_stub(path)]

    @property
    def stubs(self) -> list[Path]:
        """``.pyi`` stubs: seen by type checkers, never executed, so runtime rules skip them."""
        return [path for path in self.files if is_stub(path)]


def is_stub(path: Path) -> bool:
    """Whether ``path`` is a type stub, which the interpreter never imports."""
    return path.suffix == ".pyi"


def display_path(path: str | os.PathLike[str]) -> str:
    """Render a path for output even when its name is not valid UTF-8.

    ``os.scandir`` hands undecodable bytes back as lone surrogates, which make
    ``print`` raise ``UnicodeEncodeError``; backslash escapes keep the message
    printable and still recognisable.
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def discover(
    paths: Sequence[Path],
    *,
    exclude: Sequence[str] = DEFAULT_EXCLUDES,
    extend_exclude: Sequence[str] = (),
    respect_gitignore: bool = True,
    force_exclude: bool = False,
    root: Path | None = None,
) -> DiscoveryResult:
    """List the Python files under ``paths``; see the module docstring for the rules.

    ``root`` anchors exclude patterns that contain a slash; pass the directory
    of the configuration file that supplied them (default: the current
    directory).
    """
    result = DiscoveryResult()
    spec = _compile_excludes([*exclude, *extend_exclude], result.errors)
    walker = _Walker(
        excludes=spec,
        root=os.path.abspath(root if root is not None else os.curdir),
        respect_gitignore=respect_gitignore,
        result=result,
        excludes_dirs_only=_dirs_only(spec),
        excluded_names={} if _names_only(spec) else None,
    )
    for path in paths:
        walker.add_argument(os.fspath(path), force_exclude=force_exclude)
    result.files = sorted(walker.found.values())
    return result


class _Ignore(NamedTuple):
    """The patterns of one ignore file, and the repo-relative directory they are relative to."""

    prefix: str  # "" for the repository root, else "a/b/"
    spec: GitIgnoreSpec


class _Dir(NamedTuple):
    """A directory waiting to be listed, with everything needed to filter its children."""

    display: str  # as the user will see it
    abspath: str  # lexical absolute path: the dedup key of its files
    anchor_rel: str  # posix path relative to the exclude anchor ("" for the anchor)
    repo_rel: str | None  # posix path relative to its git work tree, None outside one
    ignores: tuple[_Ignore, ...]


@dataclass
class _Walker:
    excludes: GitIgnoreSpec | None
    root: str
    respect_gitignore: bool
    result: DiscoveryResult
    found: dict[str, Path] = field(default_factory=dict)
    visited: set[tuple[int, int]] = field(default_factory=set)
    #: every exclude pattern ends with ``/`` (the defaults do): no file can match one
    excludes_dirs_only: bool = False
    #: when no exclude pattern has a ``/`` but a trailing one (the defaults), the
    #: verdict depends on the name alone: memoised per (name + "/" for a directory)
    excluded_names: dict[str, bool] | None = None

    # -- command-line arguments -------------------------------------------

    def add_argument(self, arg: str, *, force_exclude: bool) -> None:
        """Add one command-line path: a file is taken as given, a directory is walked."""
        display = os.path.normpath(arg)
        abspath = os.path.abspath(display)
        try:
            st = os.stat(abspath)
        except OSError as exc:
            self.result.errors.append(_missing_path_message(display, abspath, exc))
            return
        is_dir = stat.S_ISDIR(st.st_mode)
        if force_exclude and self._excluded_with_ancestors(abspath, is_dir):
            return
        if is_dir:
            self._walk(self._start_dir(display, abspath))
        elif stat.S_ISREG(st.st_mode):
            self.found.setdefault(abspath, Path(display))
        else:
            self.result.warnings.append(f"skipping {display_path(display)}: not a regular file")

    def _excluded_with_ancestors(self, abspath: str, is_dir: bool) -> bool:
        """``force_exclude``: a named path is dropped when it or a parent matches ``exclude``.

        Only the exclude patterns count, as in ruff: pre-commit names tracked
        files, which ``.gitignore`` does not govern.
        """
        parts = self._anchor_rel(abspath).split("/")
        prefixes = ["/".join(parts[:i]) + "/" for i in range(1, len(parts))]
        last = "/".join(parts) + ("/" if is_dir else "")
        return any(_matches(self.excludes, candidate) for candidate in [*prefixes, last])

    def _anchor_rel(self, abspath: str) -> str:
        """The path exclude patterns see: relative to ``root``, else just the name.

        A path outside ``root`` cannot be matched by anchored patterns, but
        unanchored ones (``build/``) must still apply below it.
        """
        if _is_within(abspath, self.root):
            rel = os.path.relpath(abspath, self.root)
            return "" if rel == os.curdir else _posix(rel)
        return os.path.basename(abspath)

    def _start_dir(self, display: str, abspath: str) -> _Dir:
        """Prepare a named directory, loading the ignore files of its parents in its repo."""
        repo_rel: str | None = None
        ignores: tuple[_Ignore, ...] = ()
        repo = _find_work_tree(abspath) if self.respect_gitignore else None
        if repo is not None:
            rel = os.path.relpath(abspath, repo)
            repo_rel = "" if rel == os.curdir else _posix(rel)
            ignores = self._parent_ignores(repo, repo_rel)
        return _Dir(display, abspath, self._anchor_rel(abspath), repo_rel, ignores)

    def _parent_ignores(self, repo: str, repo_rel: str) -> tuple[_Ignore, ...]:
        """``info/exclude`` plus the ``.gitignore`` of every directory above ``repo_rel``.

        The named directory's own ``.gitignore`` is read when it is listed.
        """
        ignores = list(self._repo_ignores(repo))
        parts = repo_rel.split("/") if repo_rel else []
        for depth in range(len(parts)):
            prefix = "".join(part + "/" for part in parts[:depth])
            path = os.path.join(repo, *parts[:depth], ".gitignore")
            ignore = self._load_ignore_file(path, prefix)
            if ignore is not None:
                ignores.append(ignore)
        return tuple(ignores)

    def _repo_ignores(self, repo: str) -> tuple[_Ignore, ...]:
        """The repository-wide ``info/exclude``, lowest in git's precedence."""
        git_dir = _common_git_dir(repo)
        if git_dir is None:
            return ()
        ignore = self._load_ignore_file(os.path.join(git_dir, "info", "exclude"), "")
        return () if ignore is None else (ignore,)

    # -- the walk -----------------------------------------------------------

    def _walk(self, start: _Dir) -> None:
        """Depth-first, iterative (deep trees must not hit the recursion limit)."""
        stack = [start]
        while stack:
            directory = stack.pop()
            children = self._visit(directory, is_start=directory is start)
            stack.extend(reversed(children))

    def _visit(self, directory: _Dir, *, is_start: bool) -> list[_Dir]:
        """Record the Python files of one directory and return its subdirectories to walk."""
        entries = self._list(directory)
        if entries is None:
            return []
        names = {entry.name for entry in entries}
        if _VENV_MARKER in names and not is_start:
            return []
        directory = self._with_own_ignores(directory, names)
        subdirs: list[_Dir] = []
        for entry in entries:
            subdir = self._visit_entry(directory, entry)
            if subdir is not None:
                subdirs.append(subdir)
        return subdirs

    def _list(self, directory: _Dir) -> list[os.DirEntry[str]] | None:
        """List a directory once, unless it was already walked through another path."""
        try:
            st = os.stat(directory.abspath)
            key = (st.st_dev, st.st_ino)
            if key in self.visited:
                return None
            self.visited.add(key)
            with os.scandir(directory.abspath) as iterator:
                return sorted(iterator, key=lambda entry: entry.name)
        except FileNotFoundError:
            return None  # removed while we walked: nothing left to lint
        except OSError as exc:
            self.result.warnings.append(
                f"cannot read directory {display_path(directory.display)}: {_reason(exc)}"
            )
            return None

    def _with_own_ignores(self, directory: _Dir, names: set[str]) -> _Dir:
        """Apply this directory's ``.gitignore``; a nested repository starts afresh."""
        if not self.respect_gitignore:
            return directory
        if ".git" in names and directory.repo_rel != "":
            # A nested repository (or the first one met below a non-repo start)
            # is its own world: the outer .gitignore files do not reach into it.
            directory = directory._replace(
                repo_rel="", ignores=self._repo_ignores(directory.abspath)
            )
        if directory.repo_rel is None or ".gitignore" not in names:
            return directory
        prefix = directory.repo_rel + "/" if directory.repo_rel else ""
        path = os.path.join(directory.abspath, ".gitignore")
        ignore = self._load_ignore_file(path, prefix)
        if ignore is None:
            return directory
        return directory._replace(ignores=(*directory.ignores, ignore))

    def _visit_entry(self, parent: _Dir, entry: os.DirEntry[str]) -> _Dir | None:
        """Record ``entry`` if it is a Python file to lint; return it if it is a directory."""
        name = entry.name
        try:
            is_dir = entry.is_dir()  # follows symlinks, like is_file below
            is_file = not is_dir and entry.is_file()
        except OSError:  # e.g. ELOOP: a link that points at itself
            is_dir = is_file = False
        is_python = name.endswith(PYTHON_SUFFIXES)
        if not is_dir and not is_python:
            return None
        child = _Dir(
            display=os.path.join(parent.display, name),
            abspath=os.path.join(parent.abspath, name),
            anchor_rel=_join(parent.anchor_rel, name),
            repo_rel=None if parent.repo_rel is None else _join(parent.repo_rel, name),
            ignores=parent.ignores,
        )
        if self._excluded(child, is_dir=is_dir):
            return None
        if is_dir:
            return child
        if is_file:
            self.found.setdefault(child.abspath, Path(child.display))
        elif _is_symlink(entry):
            self.result.warnings.append(
                f"skipping {display_path(child.display)}: broken or looping symbolic link"
            )
        return None

    def _excluded(self, item: _Dir, *, is_dir: bool) -> bool:
        """Whether ``exclude`` patterns or the applicable ignore files drop ``item``."""
        slash = "/" if is_dir else ""
        # Matching costs more than the rest of the walk: skip it where it cannot match,
        # and ask once per name where only the name counts.
        if is_dir or not self.excludes_dirs_only:
            names = self.excluded_names
            if names is None:
                if _matches(self.excludes, item.anchor_rel + slash):
                    return True
            else:
                key = item.anchor_rel.rpartition("/")[2] + slash
                verdict = names.get(key)
                if verdict is None:
                    verdict = names[key] = _matches(self.excludes, key)
                if verdict:
                    return True
        if item.repo_rel is None:
            return False
        # Deeper ignore files take precedence: the first one with an opinion decides.
        for ignore in reversed(item.ignores):
            verdict = _last_match(ignore.spec, item.repo_rel[len(ignore.prefix) :] + slash)
            if verdict is not None:
                return verdict
        return False

    def _load_ignore_file(self, path: str, prefix: str) -> _Ignore | None:
        """Parse one ignore file; unreadable ones are reported and treated as empty."""
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.result.warnings.append(f"cannot read {display_path(path)}: {_reason(exc)}")
            return None
        # surrogateescape keeps patterns for undecodable names matching those names.
        lines = data.decode("utf-8", "surrogateescape").splitlines()
        spec = _compile_lenient(lines)
        return None if spec is None else _Ignore(prefix, spec)


# -- pattern helpers ------------------------------------------------------------


def _compile_excludes(patterns: list[str], errors: list[str]) -> GitIgnoreSpec | None:
    """Compile user exclude patterns; a bad pattern is an error, never an exception."""
    valid: list[str] = []
    for pattern in patterns:
        try:
            GitIgnoreSpec.from_lines([pattern])
        except ValueError as exc:
            errors.append(f"invalid exclude pattern {pattern!r}: {exc}")
        else:
            valid.append(pattern)
    return GitIgnoreSpec.from_lines(valid) if valid else None


def _dirs_only(spec: GitIgnoreSpec | None) -> bool:
    """Whether every excluding pattern of ``spec`` matches directories only (``build/``)."""
    if spec is None:
        return True
    sources = [getattr(pattern, "pattern", None) for pattern in spec.patterns if pattern.include]
    return all(isinstance(source, str) and source.rstrip().endswith("/") for source in sources)


def _names_only(spec: GitIgnoreSpec | None) -> bool:
    """Whether every pattern of ``spec`` matches by name at any depth (no ``/`` but a trailing one)."""
    if spec is None:
        return False
    sources = [getattr(pattern, "pattern", None) for pattern in spec.patterns]
    return all(
        isinstance(source, str) and "/" not in source.strip().rstrip("/") and "\\" not in source
        for source in sources
    )


def _compile_lenient(lines: list[str]) -> GitIgnoreSpec | None:
    """Compile ``.gitignore`` lines, dropping invalid ones as git itself does."""
    try:
        spec = GitIgnoreSpec.from_lines(lines)
    except ValueError:
        spec = GitIgnoreSpec.from_lines(line for line in lines if _is_valid_pattern(line))
    return spec if len(spec) else None


def _is_valid_pattern(line: str) -> bool:
    try:
        GitIgnoreSpec.from_lines([line])
    except ValueError:
        return False
    return True


def _matches(spec: GitIgnoreSpec | None, path: str) -> bool:
    return spec is not None and _last_match(spec, path) is True


def _last_match(spec: GitIgnoreSpec, path: str) -> bool | None:
    """True (ignored), False (re-included by ``!pattern``) or None (no pattern matched).

    The three-way answer lets a nested ``.gitignore`` without an opinion defer
    to its parents. Only patterns that match ``path`` itself count, not ones
    that match a parent directory: the walk has already pruned excluded
    parents, and the parents it has not pruned are ones the user named
    (``reloadlint build/`` or a directory inside a gitignored tree must still
    be linted, as in ruff and git's own directory walk).
    """
    check_file = getattr(spec, "check_file", None)  # pathspec >= 0.12
    if check_file is not None and check_file(path).include is None:
        return None  # the common case, answered by pathspec's fast backend
    verdict: bool | None = None
    for pattern in spec.patterns:
        if pattern.include is not None and _matches_itself(pattern, path):
            verdict = pattern.include
    return verdict


def _matches_itself(pattern: Pattern, path: str) -> bool:
    """Whether ``pattern`` matches ``path`` itself rather than only one of its parents.

    pathspec matches a whole path list, so its gitignore regexes also accept
    every descendant of a matching directory, marking where the directory
    ended with the ``ps_d`` group (its name has been stable since 0.10). A
    match whose directory mark is not the final ``/`` of a directory path
    matched a parent. (``gen/**`` has no mark: it matches what is inside
    ``gen`` itself, as in git.)
    """
    result = pattern.match_file(path)
    if result is None:
        return False
    match = getattr(result, "match", None)
    if not isinstance(match, re.Match):
        return True  # an unknown pathspec: trust its answer
    if _DIR_MARK not in match.re.groupindex or match.group(_DIR_MARK) is None:
        return True
    return match.start(_DIR_MARK) == len(path) - 1


# -- filesystem helpers -----------------------------------------------------------


def _find_work_tree(abspath: str) -> str | None:
    """The nearest enclosing directory holding ``.git`` (a directory, or a file for worktrees)."""
    for directory in _self_and_parents(abspath):
        if os.path.lexists(os.path.join(directory, ".git")):
            return directory
    return None


def _self_and_parents(abspath: str) -> Iterator[str]:
    current = abspath
    while True:
        yield current
        parent = os.path.dirname(current)
        if parent == current:
            return
        current = parent


def _common_git_dir(work_tree: str) -> str | None:
    """The git directory holding ``info/exclude``, following ``.git`` files of worktrees."""
    dot_git = os.path.join(work_tree, ".git")
    if os.path.isdir(dot_git):
        return dot_git
    try:
        with open(dot_git, encoding="utf-8", errors="surrogateescape") as handle:
            first = handle.readline().strip()
    except OSError:
        return None
    if not first.startswith("gitdir:"):
        return None
    git_dir = os.path.join(work_tree, first.removeprefix("gitdir:").strip())
    try:
        with open(os.path.join(git_dir, "commondir"), encoding="utf-8") as handle:
            return os.path.join(git_dir, handle.read().strip())
    except OSError:
        return git_dir  # a submodule's git dir is its own common dir


def _is_within(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def _is_symlink(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _join(rel: str, name: str) -> str:
    return f"{rel}/{name}" if rel else name


def _posix(rel: str) -> str:
    return rel.replace(os.sep, "/") if os.sep != "/" else rel


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _missing_path_message(display: str, abspath: str, exc: OSError) -> str:
    shown = display_path(display)
    if isinstance(exc, FileNotFoundError) and os.path.islink(abspath):
        return f"{shown}: broken symbolic link"
    if isinstance(exc, FileNotFoundError):
        return f"{shown}: no such file or directory"
    return f"{shown}: {_reason(exc)}"
