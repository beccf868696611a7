"""What "inside the project" means, for everything a repository could point elsewhere.

A cloned repository controls its files, symbolic links and configuration
(docs/hardening.md). Whatever it ships must not make reloadlint walk, read or
write outside it, so discovery (symbolic links met in the walk), the source
roots walked for the rest of the project, ``src``/``namespace-packages``/
``cache-dir`` settings, ``-o``/``--write-baseline`` and ``--fix`` all ask one
:class:`ProjectRoots` whether a path is inside.

The project root is the git work tree holding the configuration file's
directory (the working directory without one); outside a work tree, the
nearest directory above it with a project marker (``pyproject.toml``,
``setup.cfg``, ``setup.py``), else that directory itself. A path the user
names on the command line outside it is the user's choice, so the work tree
around it (or the path itself) is a root too. Paths are compared as real
paths: a link inside a root that points out of every root is outside.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reloadlint import safeio


class OutsideProject(OSError):
    """A write or read that a symbolic link in the project would lead out of it."""


def inside(path: str, root: str) -> bool:
    """Whether ``path`` is ``root`` or below it, both as given (nothing resolved)."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def work_tree(directory: str) -> str | None:
    """The nearest directory at or above ``directory`` holding ``.git``, or None."""
    current = directory
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


@dataclass(frozen=True)
class ProjectRoots:
    """The real paths a run may walk, read and write below; the first is the project root."""

    roots: tuple[str, ...]

    @classmethod
    def of(cls, root: Path | str, named: Iterable[Path | str] = ()) -> ProjectRoots:
        """The roots of a run configured at ``root`` that names ``named`` paths."""
        project = _project_root(os.path.realpath(root))
        roots = [project]
        for path in named:
            absolute = os.path.abspath(path)
            if inside(absolute, project) or inside(os.path.realpath(absolute), project):
                continue
            real = os.path.realpath(absolute)
            start = real if os.path.isdir(real) else os.path.dirname(real)
            extra = work_tree(start) or start
            if not any(inside(extra, known) for known in roots):
                roots.append(extra)
        return cls(tuple(roots))

    @property
    def project(self) -> str:
        return self.roots[0]

    def contains(self, path: Path | str) -> bool:
        """Whether ``path``, every symbolic link resolved, is inside a root."""
        return self.contains_real(os.path.realpath(path))

    def contains_real(self, real: str) -> bool:
        return any(inside(real, root) for root in self.roots)

    def allows_write(self, path: Path | str) -> bool:
        """Whether a file may be written at ``path``: anywhere the user names outside
        the project, but inside it only where its directory really is inside (a
        link shipped as a parent directory must not lead the write out)."""
        absolute = os.path.abspath(path)
        if not any(inside(absolute, root) for root in self.roots):
            return True
        return self.contains(os.path.dirname(absolute))

    def walkable(self, directory: Path | str) -> Iterator[str]:
        """What to walk for a source root: itself when inside, else the roots below it.

        A file's source root is found by climbing its packages, which can pass
        the project's own top (a repository whose top directory holds an
        ``__init__.py`` is a package of the directory above it): the walk
        still stays in the project.
        """
        real = os.path.realpath(directory)
        if self.contains_real(real):
            yield real
            return
        for root in self.roots:
            if inside(root, real):
                yield root

    def describe(self) -> str:
        return self.project if len(self.roots) == 1 else ", ".join(self.roots)


def write_file(path: Path | str, data: bytes, roots: ProjectRoots) -> None:
    """Write an output or baseline file: atomically, never through a symbolic link
    (:func:`reloadlint.safeio.write_atomic`), and never out of the project
    through a linked directory; missing directories are made."""
    if not roots.allows_write(path):
        raise OutsideProject(
            errno.EACCES, f"its directory leads out of the project ({roots.describe()})", str(path)
        )
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    safeio.write_atomic(path, data)


#: What makes a directory a project root, as for ruff's settings (``.git``: the
#: repository root), see :mod:`reloadlint.boundary`.
MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", "reloadlint.toml", ".git")


def marked_root(directory: str) -> str | None:
    """The nearest directory at or above ``directory`` holding a project marker."""
    current = directory
    while True:
        if any(os.path.lexists(os.path.join(current, marker)) for marker in MARKERS):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _project_root(real: str) -> str:
    return work_tree(real) or marked_root(real) or real
