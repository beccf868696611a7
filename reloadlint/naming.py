"""Dotted module names for files: which directory is a source root.

Default: a file's root is the first directory above it that is not a package
(has no ``__init__.py``), which handles flat and ``src/`` layouts alike.
Configured ``src`` roots override that, and ``namespace-packages`` marks
directories that are packages without an ``__init__.py``.

The rule is written once, over a :class:`Tree`: the files on disk
(:class:`Namer`, absolute paths) and a base version's files in upgrade mode
(:func:`tree_names`, repository-relative posix paths, ``""`` its top) are
named by the same functions, so a module keeps its name between the two.

A run names every file of the project, several times over (its key, its
root, its name), so the work is done on strings and memoised: per path for a
file's resolved form, per directory for everything the name depends on.
A :class:`Namer` therefore assumes the file system and the working directory
stay as they are while it is used, which holds for one run.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class ModuleName:
    name: str
    root: Path
    is_package: bool


class Tree:
    """A tree of files the naming rule reads: whether a file exists, and the path syntax.
    Directories are strings in that syntax; the base class is a set of
    repository-relative posix paths (a git revision's files), ``""`` the top."""

    def __init__(self, files: Collection[str] = ()) -> None:
        self.files = files

    def is_file(self, path: str) -> bool:
        return path in self.files

    sep = "/"

    def join(self, directory: str, name: str) -> str:
        return posixpath.join(directory, name)

    def split(self, path: str) -> tuple[str, str]:
        return posixpath.split(path)


class DiskTree(Tree):
    """The file system, by absolute (resolved) paths."""

    def is_file(self, path: str) -> bool:
        return os.path.isfile(path)

    sep = os.sep

    def join(self, directory: str, name: str) -> str:
        return os.path.join(directory, name)

    def split(self, path: str) -> tuple[str, str]:
        return os.path.split(path)


def is_package(tree: Tree, directory: str, namespace: Collection[str]) -> bool:
    """Whether ``directory`` is a package: it has an ``__init__.py``, is a configured
    namespace package, or is a directory without one inside a regular package
    (``flask/sansio`` is ``flask.sansio``)."""
    if directory in namespace or tree.is_file(tree.join(directory, "__init__.py")):
        return True
    parent, name = tree.split(directory)
    return name.isidentifier() and tree.is_file(tree.join(parent, "__init__.py"))


def root_of_directory(
    tree: Tree, directory: str, src: Iterable[str], packages: Callable[[str], bool]
) -> str:
    """The source root of the files in ``directory``: the first configured ``src`` root
    (longest first) that holds it, else the first directory above it that is not a
    package (``packages``: :func:`is_package`, perhaps memoised)."""
    for root in src:
        if directory == root or directory.startswith(tree.join(root, "")):
            return root
    while packages(directory):
        parent = tree.split(directory)[0]
        if parent == directory:
            break
        directory = parent
    return directory


def package_parts(tree: Tree, directory: str, root: str) -> tuple[str, ...] | None:
    """The package path from ``root`` to ``directory`` (``("app", "sub")``), None when a
    part is not an identifier."""
    if directory == root:
        return ()
    relative = directory[len(tree.join(root, "")) :]
    parts = tuple(relative.split(tree.sep))
    return parts if all(part.isidentifier() for part in parts) else None


def module_name(filename: str, packages: tuple[str, ...] | None) -> tuple[str, bool]:
    """The module a file called ``filename`` is, in a directory at package path
    ``packages``: its dotted name and whether it is a package."""
    stem = filename.rsplit(".", 1)[0]
    is_package = stem == "__init__"
    if packages is None or not (is_package or stem.isidentifier()):
        # A script such as ``manage-db.py``: nothing imports it by name,
        # but its own imports are still worth checking.
        return stem, False
    parts = packages if is_package else (*packages, stem)
    if not parts:
        return stem, False  # ``__init__.py`` at a root
    return ".".join(parts), is_package


def tree_names(
    paths: Iterable[str], tree: Tree, src: Iterable[str] = (), namespace: Collection[str] = ()
) -> dict[str, tuple[str, bool]]:
    """Module names (dotted name, is a package) of ``paths``, files of ``tree``, by the
    rule :class:`Namer` applies on disk; ``src`` and ``namespace`` in the tree's syntax."""
    roots = sorted(src, key=lambda r: r.count("/") + 1 if r else 0, reverse=True)
    verdicts: dict[str, bool] = {}

    def packages(directory: str) -> bool:
        verdict = verdicts.get(directory)
        if verdict is None:
            verdict = verdicts[directory] = is_package(tree, directory, namespace)
        return verdict

    directories: dict[str, tuple[str, ...] | None] = {}
    names: dict[str, tuple[str, bool]] = {}
    for path in paths:
        directory, filename = tree.split(path)
        if directory not in directories:
            root = root_of_directory(tree, directory, roots, packages)
            directories[directory] = package_parts(tree, directory, root)
        names[path] = module_name(filename, directories[directory])
    return names


class _Directory(NamedTuple):
    """What the names of the files in one (resolved) directory depend on."""

    root: Path
    #: the package path from ``root`` ("app", "sub"), None when not all identifiers
    packages: tuple[str, ...] | None


class _File(NamedTuple):
    """One file: its resolved path, its directory's facts and its module name."""

    resolved: str
    directory: _Directory
    name: ModuleName


class Namer:
    def __init__(
        self, src: tuple[Path, ...] = (), namespace_packages: tuple[Path, ...] = ()
    ) -> None:
        # Longest roots first, so that nested roots win.
        resolved = sorted((p.resolve() for p in src), key=lambda p: len(p.parts), reverse=True)
        self.src = tuple(resolved)
        self._src = tuple(str(p) for p in resolved)
        self.namespace = frozenset(p.resolve() for p in namespace_packages)
        self._namespace = frozenset(map(str, self.namespace))
        self._files: dict[str, _File] = {}
        self._real_dirs: dict[str, str] = {}
        self._directories: dict[str, _Directory] = {}
        self._packages: dict[str, bool] = {}
        self._paths: dict[str, Path] = {}
        self._cwd = os.getcwd()
        self._tree = DiskTree()

    def resolve(self, path: Path) -> Path:
        """``path.resolve()``, each directory resolved once per run.

        Resolving every file from scratch costs a ``lstat`` per path component
        and was most of the time of a warm run; a file's own name is still
        checked for a symbolic link, and paths with ``..`` take the slow way
        (``..`` must be applied after the links before it are resolved).
        """
        return self._path(self._file(path).resolved)

    def key(self, path: Path) -> str:
        """``str(self.resolve(path))`` without building the :class:`Path`: what
        identifies a file in a run, whatever form its path was given in."""
        return self._file(path).resolved

    def root_of(self, path: Path) -> Path:
        return self._file(path).directory.root

    def name(self, path: Path) -> ModuleName | None:
        """The module a ``.py`` file is (a script's stem when it is not importable)."""
        return self._file(path).name

    def _file(self, path: Path) -> _File:
        """Everything about one file, worked out on its first question: the engine
        asks three (its key, root and name) of every file of the project."""
        key = os.fspath(path)
        found = self._files.get(key)
        if found is None:
            resolved = self._resolve(path, key)
            directory, filename = os.path.split(resolved)
            named = self._directory(directory)
            name, is_package = module_name(filename, named.packages)
            found = _File(resolved, named, ModuleName(name, named.root, is_package))
            self._files[key] = found
        return found

    def _resolve(self, path: Path, text: str) -> str:
        if ".." in text and ".." in path.parts:
            return str(path.resolve())
        absolute = os.path.normpath(os.path.join(self._cwd, text))
        directory, name = os.path.split(absolute)
        if not name or os.path.islink(absolute):
            return os.path.realpath(absolute)
        return os.path.join(self._real_dir(directory), name)

    def _real_dir(self, directory: str) -> str:
        """``os.path.realpath(directory)``, from its parent's (memoised): one ``lstat`` each."""
        real = self._real_dirs.get(directory)
        if real is None:
            parent, name = os.path.split(directory)
            if not name:
                real = os.path.realpath(directory)  # the file system's root
            else:
                candidate = os.path.join(self._real_dir(parent), name)
                is_link = os.path.islink(candidate)
                real = os.path.realpath(candidate) if is_link else candidate
            self._real_dirs[directory] = real
        return real

    def _directory(self, directory: str) -> _Directory:
        """The source root of the files in ``directory`` and their package path (memoised)."""
        found = self._directories.get(directory)
        if found is None:
            root = root_of_directory(self._tree, directory, self._src, self._is_package)
            parts = package_parts(self._tree, directory, root)
            found = _Directory(self._path(root), parts)
            self._directories[directory] = found
        return found

    def _is_package(self, directory: str) -> bool:
        verdict = self._packages.get(directory)
        if verdict is None:
            verdict = is_package(self._tree, directory, self._namespace)
            self._packages[directory] = verdict
        return verdict

    def _path(self, text: str) -> Path:
        """One :class:`Path` per distinct string: building one costs more than a lookup."""
        path = self._paths.get(text)
        if path is None:
            path = self._paths[text] = Path(text)
        return path
