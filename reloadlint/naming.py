"""Dotted module names for files: which directory is a source root.

Default: a file's root is the first directory above it that is not a package
(has no ``__init__.py``), which handles flat and ``src/`` layouts alike.
Configured ``src`` roots override that, and ``namespace-packages`` marks
directories that are packages without an ``__init__.py``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ModuleName:
    name: str
    root: Path
    is_package: bool


class Namer:
    def __init__(self, src: tuple[Path, ...] = (), namespace_packages: tuple[Path, ...] = ()) -> None:
        # Longest roots first, so that nested roots win.
        self.src = tuple(sorted((p.resolve() for p in src), key=lambda p: len(p.parts), reverse=True))
        self.namespace = frozenset(p.resolve() for p in namespace_packages)
        self._is_package = lru_cache(maxsize=None)(self._is_package_uncached)
        self._real_dir = lru_cache(maxsize=None)(os.path.realpath)
        self._root_of_directory = lru_cache(maxsize=None)(self._root_of_directory_uncached)

    def resolve(self, path: Path) -> Path:
        """``path.resolve()``, each directory resolved once per run.

        Resolving every file from scratch costs a ``lstat`` per path component
        and was most of the time of a warm run; a file's own name is still
        checked for a symbolic link, and paths with ``..`` take the slow way
        (``..`` must be applied after the links before it are resolved).
        """
        if ".." in path.parts:
            return path.resolve()
        absolute = os.path.abspath(path)
        directory, name = os.path.split(absolute)
        if not name or os.path.islink(absolute):
            return Path(os.path.realpath(absolute))
        return Path(os.path.join(self._real_dir(directory), name))

    def _is_package_uncached(self, directory: Path) -> bool:
        if directory in self.namespace or os.path.isfile(directory / "__init__.py"):
            return True
        # A directory without __init__.py inside a regular package is importable
        # as a namespace subpackage (``flask/sansio`` is ``flask.sansio``).
        return directory.name.isidentifier() and os.path.isfile(directory.parent / "__init__.py")

    def root_of(self, path: Path) -> Path:
        return self._root_of_directory(self.resolve(path).parent)

    def _root_of_directory_uncached(self, directory: Path) -> Path:
        """The source root of the files in ``directory`` (memoised: files share directories)."""
        for root in self.src:
            if root == directory or root in directory.parents:
                return root
        while self._is_package(directory) and directory.parent != directory:
            directory = directory.parent
        return directory

    def name(self, path: Path) -> ModuleName | None:
        """The module a ``.py`` file is (a script's stem when it is not importable)."""
        resolved = self.resolve(path)
        root = self.root_of(resolved)
        try:
            relative = resolved.relative_to(root)
        except ValueError:
            return None
        parts = list(relative.parts)
        stem = parts[-1].rsplit(".", 1)[0]
        is_package = stem == "__init__"
        parts = parts[:-1] if is_package else [*parts[:-1], stem]
        if not parts or not all(p.isidentifier() for p in parts):
            # A script such as ``manage-db.py``: nothing imports it by name,
            # but its own imports are still worth checking.
            return ModuleName(stem, root, False)
        return ModuleName(".".join(parts), root, is_package)
