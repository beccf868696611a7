"""Where upgrade mode's base version comes from: one object, :class:`BaseSource`.

Upgrade mode compares a *base* version (what the running process loaded)
with the working tree (what a deploy would load). Everything it needs from
the base is asked of one object, carried by the run's request
(:attr:`reloadlint.request.LintRequest.base`):

- :meth:`~BaseSource.locate` once, first: the directory the base's paths are
  relative to, the base's exact identity (plans print it, cache keys hold
  it) and what changed between the base and the working tree;
- :meth:`~BaseSource.files`: every file of the base, path -> content id;
- :meth:`~BaseSource.read`: the contents of files by content id.

Two sources fit this shape. :class:`reloadlint.gitbase.GitRevision` is
``--base REV``: ids are blob object names, the changes come from ``git
diff``. A snapshot of the sources a live process has loaded (path -> bytes,
recorded at import time) is the other: its ids can be content digests, its
changes a comparison of those bytes with the files on disk. Nothing else in
upgrade mode knows which kind it has.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class ChangeSet:
    """How the working tree differs from the base, as repo-relative posix paths.

    ``renamed`` holds ``(old, new)`` pairs (git's rename detection; a rename
    may also change content); those paths appear in no other field. Type
    changes (file <-> symlink) and unmerged paths count as ``modified``; a
    copy counts as its new path ``added``. Every field is sorted.
    """

    added: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.deleted or self.modified or self.renamed)


@dataclass(frozen=True)
class Located:
    """A base version, found: what :meth:`BaseSource.locate` answers."""

    #: the directory the base's paths are relative to (a repository's top level)
    root: Path
    #: exactly which version (a commit's full object name): plans print it, cache keys hold it
    ident: str
    changes: ChangeSet


class BaseSource(Protocol):
    """The base version's files. ``name`` is how the user named the base (``HEAD~1``):
    messages and plans print it.

    :meth:`locate` may fail with an error whose text is a one-line message
    (:class:`reloadlint.gitbase.GitError`); it is asked once per run, first,
    and an implementation keeps its answer (a run's cache key and its
    comparison share it).
    """

    name: str

    def locate(self) -> Located: ...

    def files(self, paths: Sequence[str] = ()) -> dict[str, str]:
        """Every regular file of the base (all kinds, not only Python): root-relative posix
        path -> content id; ``paths`` restrict the answer to those files or directories."""
        ...

    def read(self, ids: Iterable[str], *, max_size: int | None = None) -> dict[str, bytes]:
        """Content id -> the file's bytes, untouched; a file over ``max_size`` bytes is left
        out (and never read into memory)."""
        ...
