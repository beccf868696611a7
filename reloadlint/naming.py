"""Dotted module names for files: which directory is a source root.

Default: a file's root is the first directory above it that is not a package
(has no ``__init__.py``), which handles flat and ``src/`` layouts alike.
Configured ``src`` roots override that, and ``namespace-packages`` marks
directories that are packages without an ``__init__.py``.

A run names every file of the project, several times over (its key, its
root, its name), so the work is done on strings and memoised: per path for a
file's resolved form, per directory for everything the name depends on.
A :class:`Namer` therefore assumes the file system and the working directory
stay as they are while it is used, which holds for one run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple


@dataclass(frozen=True, slots=True)
class ModuleName:
    name: str
    root: Path
    is_package: bool


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


def _module_name(filename: str, directory: _Directory) -> ModuleName:
    """The module a file called ``filename`` in ``directory`` is."""
    stem = filename.rsplit(".", 1)[0]
    is_package = stem == "__init__"
    if directory.packages is None or not (is_package or stem.isidentifier()):
        # A script such as ``manage-db.py``: nothing imports it by name,
        # but its own imports are still worth checking.
        return ModuleName(stem, directory.root, False)
    parts = directory.packages if is_package else (*directory.packages, stem)
    if not parts:
        return ModuleName(stem, directory.root, False)  # ``__init__.py`` at a root
    return ModuleName(".".join(parts), directory.root, is_package)


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
            found = _File(resolved, named, _module_name(filename, named))
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
            root = self._root_of_directory(directory)
            relative = os.path.relpath(directory, root) if directory != root else ""
            parts = tuple(relative.split(os.sep)) if relative else ()
            identifiers = all(part.isidentifier() for part in parts)
            found = _Directory(self._path(root), parts if identifiers else None)
            self._directories[directory] = found
        return found

    def _root_of_directory(self, directory: str) -> str:
        for root in self._src:
            if directory == root or directory.startswith(os.path.join(root, "")):
                return root
        while self._is_package(directory):
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
        return directory

    def _is_package(self, directory: str) -> bool:
        verdict = self._packages.get(directory)
        if verdict is None:
            verdict = self._packages[directory] = self._is_package_uncached(directory)
        return verdict

    def _is_package_uncached(self, directory: str) -> bool:
        if directory in self._namespace or os.path.isfile(os.path.join(directory, "__init__.py")):
            return True
        # A directory without __init__.py inside a regular package is importable
        # as a namespace subpackage (``flask/sansio`` is ``flask.sansio``).
        parent, name = os.path.split(directory)
        return name.isidentifier() and os.path.isfile(os.path.join(parent, "__init__.py"))

    def _path(self, text: str) -> Path:
        """One :class:`Path` per distinct string: building one costs more than a lookup."""
        path = self._paths.get(text)
        if path is None:
            path = self._paths[text] = Path(text)
        return path
