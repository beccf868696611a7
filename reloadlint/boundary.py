"""Where a file's project ends: the directory a run walks for "the rest of the project".

A run reads, besides the files it reports, every module of their project (so
that a cross-module question has a real answer when pre-commit names one
file), and the same project whichever files are named and whichever front end
runs: one answer per file.

The project root is decided as ruff decides it for its settings: the nearest
directory at or above the file holding a project marker (``pyproject.toml``,
``setup.cfg``, ``setup.py``, ``reloadlint.toml``, or ``.git``: the repository
root). No walk goes above it. Without any marker up to the file system's root,
the file's top-level package is the limit (a file that is in no package: its
own directory). The walk also stays inside the run's confinement
(:mod:`reloadlint.confine`). The answer depends on the file alone, never on which other
paths were named, so every way of linting a file walks the same project.
"""

from __future__ import annotations

import os

from reloadlint.confine import MARKERS, inside


class Boundaries:
    """Project roots of the files of a run, memoised per directory (paths are real paths)."""

    def __init__(self) -> None:
        self._marked: dict[str, str | None] = {}
        self._walks: dict[tuple[str, str], str] = {}

    def marked_root(self, directory: str) -> str | None:
        """The nearest directory at or above ``directory`` with a project marker."""
        found = self._marked.get(directory, "")
        if found != "":
            return found
        if any(os.path.lexists(os.path.join(directory, marker)) for marker in MARKERS):
            result: str | None = directory
        else:
            parent = os.path.dirname(directory)
            result = None if parent == directory else self.marked_root(parent)
        self._marked[directory] = result
        return result

    def limit(self, directory: str, source_root: str) -> str:
        """The directory a walk for a file in ``directory`` (whose source root is
        ``source_root``) stays in: its project root, else its top-level package."""
        marked = self.marked_root(directory)
        if marked is not None:
            return marked
        if directory == source_root or not inside(directory, source_root):
            return directory
        top = os.path.relpath(directory, source_root).split(os.sep)[0]
        return os.path.join(source_root, top)

    def walk(self, directory: str, source_root: str) -> str:
        """What to walk for the rest of the project of a file in ``directory``: the
        whole of its project root, whatever its own source root. Walking only the
        file's source root made the project depend on which files were named: a
        test in ``tests/`` named alone did not see the package in ``src/`` that a
        run on the whole tree sees, and got no findings."""
        key = (directory, source_root)
        found = self._walks.get(key)
        if found is None:  # asked for every file of a directory: answered once
            found = self._walks[key] = self.limit(directory, source_root)
        return found
