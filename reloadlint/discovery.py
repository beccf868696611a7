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
- Symbolic links are followed, but never out of the project
  (:class:`reloadlint.confine.ProjectRoots`: a link to ``/`` or to a
  directory elsewhere is skipped with a warning); each directory is walked
  once, recognised by ``(st_dev, st_ino)``, so link loops and aliases end the
  walk instead of it.
- Ignore files are read only if they are regular files of at most
  :data:`MAX_IGNORE_BYTES` (a link to ``/dev/zero`` or a FIFO is a warning),
  and their patterns are matched without regular-expression backtracking
  blow-up (:mod:`reloadlint.wildmatch`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from reloadlint.ignore_patterns import Matcher, compile_excludes, compile_lines, matches
from reloadlint.safeio import read_limited

if TYPE_CHECKING:
    from reloadlint.confine import ProjectRoots

__all__ = [
    "DEFAULT_EXCLUDES",
    "PYTHON_SUFFIXES",
    "DiscoveryResult",
    "Finder",
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

#: An ignore file larger than this is not read (a warning says so).
MAX_IGNORE_BYTES = 4 * 2**20
_VENV_MARKER = "pyvenv.cfg"
#: The names whose presence changes how a directory is walked.
_MARKERS = frozenset({_VENV_MARKER, ".git", ".gitignore"})
#: A Python file or subdirectory met in a listing: (name, is a directory, entry).
_Entry = tuple[str, bool, os.DirEntry[str]]


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
    finder = Finder(
        exclude=exclude,
        extend_exclude=extend_exclude,
        respect_gitignore=respect_gitignore,
        root=root,
    )
    return finder.discover(paths, force_exclude=force_exclude)


class Finder:
    """:func:`discover` for one run that walks more than once.

    The engine walks the paths the user named, then their project's source
    roots, which usually contain them: listing those directories again was
    half the time of a warm run. A finder compiles the patterns once and lists
    each directory once across its calls, so a later call returns only the
    files below directories that no earlier call listed (those were returned
    then; a caller merging the calls loses nothing).
    """

    def __init__(
        self,
        *,
        exclude: Sequence[str] = DEFAULT_EXCLUDES,
        extend_exclude: Sequence[str] = (),
        respect_gitignore: bool = True,
        root: Path | None = None,
        confine: ProjectRoots | None = None,
    ) -> None:
        self._confine = confine
        self._errors: list[str] = []
        self._excludes = compile_excludes([*exclude, *extend_exclude], self._errors)
        self._root = os.path.abspath(root if root is not None else os.curdir)
        self._respect_gitignore = respect_gitignore
        self._visited: set[tuple[int, int]] = set()

    def discover(self, paths: Sequence[Path], *, force_exclude: bool = False) -> DiscoveryResult:
        """The Python files under ``paths`` not below a directory an earlier call listed."""
        result = DiscoveryResult(errors=list(self._errors))
        walker = _Walker(
            self._excludes,
            self._root,
            self._respect_gitignore,
            result,
            self._visited,
            self._confine,
        )
        for path in paths:
            walker.add_argument(os.fspath(path), force_exclude=force_exclude)
        # Sorted as Paths (by parts), as the result always was; built only for the files kept.
        result.files = sorted(map(Path, walker.found.values()))
        return result


class _Ignore(NamedTuple):
    """The patterns of one ignore file, and the repo-relative directory they are relative to."""

    prefix: str  # "" for the repository root, else "a/b/"
    spec: Matcher


class _Dir(NamedTuple):
    """A directory waiting to be listed, with everything needed to filter its children."""

    display: str  # as the user will see it
    abspath: str  # lexical absolute path: the dedup key of its files
    anchor_rel: str  # posix path relative to the exclude anchor ("" for the anchor)
    repo_rel: str | None  # posix path relative to its git work tree, None outside one
    ignores: tuple[_Ignore, ...]
    #: ``os.path.join(display, "")`` and the same of ``abspath``: + a name gives a child's
    display_prefix: str
    abs_prefix: str


class _Walker:
    """One :meth:`Finder.discover` call: its arguments walked into ``found``."""

    def __init__(
        self,
        excludes: Matcher | None,
        root: str,
        respect_gitignore: bool,
        result: DiscoveryResult,
        visited: set[tuple[int, int]],
        confine: ProjectRoots | None = None,
    ) -> None:
        self.confine = confine
        self.excludes = excludes
        self.root = root
        self.respect_gitignore = respect_gitignore
        self.result = result
        self.visited = visited
        #: lexical absolute path -> the path as shown (turned into a Path at the end)
        self.found: dict[str, str] = {}
        # Matching costs more than the rest of the walk: no file can match
        # directory-only patterns (the defaults), and where only the name
        # counts the verdict is asked once per name (+ "/" for a directory).
        self.files_excludable = excludes is not None and not excludes.dirs_only
        self.excluded_names: dict[str, bool] | None = (
            {} if excludes is not None and excludes.names_only else None
        )

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
        if self._leaves_project(display, abspath):
            return
        if is_dir:
            self._walk(self._start_dir(display, abspath))
        elif stat.S_ISREG(st.st_mode):
            self.found.setdefault(abspath, display)
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
        return any(matches(self.excludes, candidate) for candidate in [*prefixes, last])

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
        anchor_rel = self._anchor_rel(abspath)
        prefixes = os.path.join(display, ""), os.path.join(abspath, "")
        return _Dir(display, abspath, anchor_rel, repo_rel, ignores, *prefixes)

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
        """Record the Python files of one directory and return its subdirectories to walk.

        The hottest loop of a warm run (Django: 6,000 entries in 2,500
        directories, most of them translations without a Python file or a
        subdirectory), so it works on strings and builds a :class:`_Dir` only
        for subdirectories.
        """
        listing = self._list(directory)
        if listing is None:
            return []
        candidates, markers = listing
        if markers:
            if _VENV_MARKER in markers and not is_start:
                return []
            if self.respect_gitignore:
                directory = self._with_own_ignores(directory, markers)
        _, _, anchor_rel, repo_rel, ignores, display_prefix, abs_prefix = directory
        anchor_prefix = anchor_rel + "/" if anchor_rel else ""
        repo_prefix = None if repo_rel is None else repo_rel + "/" if repo_rel else ""
        subdirs: list[_Dir] = []
        candidates.sort()  # by name: names are unique, entries never compared
        for name, is_dir, entry in candidates:
            child_repo_rel = None if repo_prefix is None else repo_prefix + name
            if self._excluded(anchor_prefix + name, child_repo_rel, ignores, is_dir=is_dir):
                continue
            if (
                self.confine is not None
                and _is_symlink(entry)
                and self._leaves_project(display_prefix + name, abs_prefix + name)
            ):
                continue
            if is_dir:
                # join(parent, "") + name == join(parent, name), without its cost
                display, abspath = display_prefix + name, abs_prefix + name
                child = _Dir(
                    display,
                    abspath,
                    anchor_prefix + name,
                    child_repo_rel,
                    ignores,
                    display + os.sep,
                    abspath + os.sep,
                )
                subdirs.append(child)
            elif _is_file(entry):
                self.found.setdefault(abs_prefix + name, display_prefix + name)
            elif _is_symlink(entry):
                shown = display_path(display_prefix + name)
                self.result.warnings.append(f"skipping {shown}: broken or looping symbolic link")
        return subdirs

    def _leaves_project(self, display: str, abspath: str) -> bool:
        """Whether ``abspath`` resolves out of the project (a warning says so)."""
        if self.confine is None:
            return False
        real = os.path.realpath(abspath)
        if self.confine.contains_real(real):
            return False
        self.result.warnings.append(
            f"skipping {display_path(display)}: a symbolic link out of the project "
            f"({display_path(real)} is not in {display_path(self.confine.describe())})"
        )
        return True

    def _list(self, directory: _Dir) -> tuple[list[_Entry], list[str]] | None:
        """The Python files and subdirectories of a directory, and which of the names
        that change the walk (:data:`_MARKERS`) it holds; None when it has neither
        (or a marker), cannot be listed or was already walked through another path."""
        candidates: list[_Entry] = []
        markers: list[str] = []
        try:
            st = os.stat(directory.abspath)
            key = (st.st_dev, st.st_ino)
            if key in self.visited:
                return None
            self.visited.add(key)
            with os.scandir(directory.abspath) as iterator:
                for entry in iterator:
                    name = entry.name
                    if name in _MARKERS:
                        markers.append(name)
                    try:
                        is_dir = entry.is_dir()  # follows symbolic links, like is_file
                    except OSError:  # e.g. ELOOP: a link that points at itself
                        is_dir = False
                    if is_dir or name.endswith(PYTHON_SUFFIXES):
                        candidates.append((name, is_dir, entry))
        except FileNotFoundError:
            return None  # removed while we walked: nothing left to lint
        except OSError as exc:
            self.result.warnings.append(
                f"cannot read directory {display_path(directory.display)}: {_reason(exc)}"
            )
            return None
        return (candidates, markers) if candidates or markers else None

    def _with_own_ignores(self, directory: _Dir, names: list[str]) -> _Dir:
        """Apply this directory's ``.gitignore``; a nested repository starts afresh."""
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

    def _excluded(
        self, anchor_rel: str, repo_rel: str | None, ignores: tuple[_Ignore, ...], *, is_dir: bool
    ) -> bool:
        """Whether ``exclude`` patterns or the applicable ignore files drop an entry."""
        slash = "/" if is_dir else ""
        if is_dir or self.files_excludable:
            names = self.excluded_names
            if names is None:
                if matches(self.excludes, anchor_rel + slash):
                    return True
            else:
                key = anchor_rel.rpartition("/")[2] + slash
                verdict = names.get(key)
                if verdict is None:
                    verdict = names[key] = matches(self.excludes, key)
                if verdict:
                    return True
        if repo_rel is None:
            return False
        # Deeper ignore files take precedence: the first one with an opinion decides.
        for ignore in reversed(ignores):
            verdict = ignore.spec.last_match(repo_rel[len(ignore.prefix) :] + slash)
            if verdict is not None:
                return verdict
        return False

    def _load_ignore_file(self, path: str, prefix: str) -> _Ignore | None:
        """Parse one ignore file; unreadable ones are reported and treated as empty."""
        if self.confine is not None and os.path.islink(path) and self._leaves_project(path, path):
            return None
        try:
            data = read_limited(path, MAX_IGNORE_BYTES)
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.result.warnings.append(f"cannot read {display_path(path)}: {_reason(exc)}")
            return None
        # surrogateescape keeps patterns for undecodable names matching those names.
        lines = data.decode("utf-8", "surrogateescape").splitlines()
        spec = compile_lines(lines, lenient=True)
        return None if spec is None else _Ignore(prefix, spec)


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
        first = _small_text(dot_git).partition("\n")[0].strip()
    except OSError:
        return None
    if not first.startswith("gitdir:"):
        return None
    git_dir = os.path.join(work_tree, first.removeprefix("gitdir:").strip())
    try:
        return os.path.join(git_dir, _small_text(os.path.join(git_dir, "commondir")).strip())
    except OSError:
        return git_dir  # a submodule's git dir is its own common dir


def _small_text(path: str) -> str:
    """A few lines git keeps in a file (``.git`` files, ``commondir``): a regular
    file of at most 64 kB, or OSError."""
    return read_limited(path, 65536).decode("utf-8", "surrogateescape")


def _is_within(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _is_symlink(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


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
