"""Where a file's project ends: the directories a run may walk for "the rest of the project".

A run reads, besides the files it reports, every module of their source roots
(so that a cross-module question has a real answer when pre-commit names one
file). A source root is found by climbing packages, so a package run from
inside a directory of unrelated trees has that directory as its source root,
and walking it all would analyse every tree in it.

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
        """What to walk for the rest of the project of a file in ``directory``: its
        source root when inside its project root, else the project root (which is then
        below the source root)."""
        limit = self.limit(directory, source_root)
        return source_root if inside(source_root, limit) else limit
