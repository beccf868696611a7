"""The base of ``reloadlint run``'s plans: the sources the program loaded, as a
:class:`~reloadlint.basesource.BaseSource` (docs/devloop.md).

``reloadlint --plan --base REV`` reads its base from git; ``reloadlint run``
reads it from what the process compiled, as its agent recorded it. The rest of
upgrade mode does not know the difference. The base, file by file:

- a module the process loaded: the bytes it compiled (content id: their
  SHA-256);
- a Python file of the project it never loaded: the file as it is now (the
  process does not run it; when something imports it, the new version
  loads). Content id ``disk:PATH``, read when asked;
- a loaded module whose file is gone: in the base, deleted on disk (RL501);
- requirement files: as they were when the process started (content id
  ``start:PATH``), compared as requirement sets by upgrade mode;
- other files (configuration read at import time, RL304): not in the base;
  changed when the watcher saw them change since the process started (or
  since the last hot plan re-read them).
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from reloadlint.basesource import ChangeSet, Located
from reloadlint.safeio import read_limited
from reloadlint.source import MAX_FILE_BYTES

#: What a plan calls its base (the ``rev`` of the plan document).
NAME = "loaded sources"

_DISK = "disk:"
#: how old a file's time must be before its stamp is trusted (see :func:`_settled`)
_RACY_NS = 2_000_000_000
_START = "start:"


class LoadedSources:
    """One plan's base: ``loaded`` (repo-relative path -> the bytes the process compiled),
    ``on_disk`` (the project's Python files now, repo-relative), ``requirements`` (the
    requirement files when the process started: path -> bytes) and ``other_changes``
    (non-Python files the watcher saw change: path -> added | deleted | modified)."""

    name = NAME

    def __init__(
        self,
        root: Path,
        loaded: Mapping[str, bytes],
        on_disk: Iterable[str],
        requirements: Mapping[str, bytes | None],
        requirements_now: Callable[[], Mapping[str, bytes | None]],
        other_changes: Mapping[str, str],
        same: dict[str, tuple[int, int, int]] | None = None,
    ) -> None:
        self.root = root
        self.loaded = dict(loaded)
        self.on_disk = frozenset(on_disk)
        self.requirements = {path: data for path, data in requirements.items() if data is not None}
        self._requirements_now = requirements_now
        self.other_changes = dict(other_changes)
        self.hashes = {path: hashlib.sha256(data).hexdigest() for path, data in self.loaded.items()}
        self._by_id = {self.hashes[path]: data for path, data in self.loaded.items()}
        self._located: Located | None = None
        #: loaded path -> the file's (inode, size, mtime in ns) when its bytes were last found
        #: to be the loaded ones: a file not touched since is not read again (git's own test)
        self.same = {} if same is None else same

    def locate(self) -> Located:
        if self._located is None:
            self._located = Located(self.root, self._ident(), self._changes())
        return self._located

    def files(self, paths: Sequence[str] = ()) -> dict[str, str]:
        found = {path: _DISK + path for path in self.on_disk}
        found.update({path: _START + path for path in self.requirements})
        found.update(self.hashes)
        if paths:
            found = {p: i for p, i in found.items() if any(_under(p, w) for w in paths)}
        return found

    def read(self, ids: Iterable[str], *, max_size: int | None = None) -> dict[str, bytes]:
        limit = MAX_FILE_BYTES if max_size is None else min(max_size, MAX_FILE_BYTES)
        found: dict[str, bytes] = {}
        for ident in ids:
            data: bytes | None
            if ident.startswith(_DISK):
                data = _read(self.root / ident[len(_DISK) :])
            elif ident.startswith(_START):
                data = self.requirements.get(ident[len(_START) :])
            else:
                data = self._by_id.get(ident)
            if data is not None and len(data) <= limit:
                found[ident] = data
        return found

    def _changes(self) -> ChangeSet:
        added: list[str] = []
        deleted: list[str] = []
        modified: list[str] = []
        for path, data in self.loaded.items():
            full = os.path.join(self.root, path)
            stamp = _stamp(full)
            if stamp is not None and self.same.get(path) == stamp:
                continue
            now = _read(Path(full))
            if now is None and not os.path.lexists(full):
                deleted.append(path)
            elif now != data:  # changed, or there but unreadable now
                modified.append(path)
            elif stamp is not None and stamp == _stamp(full) and _settled(stamp):
                self.same[path] = stamp
        now_requirements = self._requirements_now()
        for path in sorted({*self.requirements, *now_requirements}):
            before, after = self.requirements.get(path), now_requirements.get(path)
            if before == after:
                continue
            (added if before is None else deleted if after is None else modified).append(path)
        for path, status in self.other_changes.items():
            if path not in self.requirements and path not in now_requirements:
                {"added": added, "deleted": deleted}.get(status, modified).append(path)
        return ChangeSet(
            added=tuple(sorted(set(added))),
            deleted=tuple(sorted(set(deleted))),
            modified=tuple(sorted(set(modified))),
        )

    def _ident(self) -> str:
        """A name for this base (the plan's ``commit``): a hash of its loaded files' hashes."""
        text = "\n".join(f"{path} {sha}" for path, sha in sorted(self.hashes.items()))
        return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _under(path: str, where: str) -> bool:
    return not where or path == where or path.startswith(where.rstrip("/") + "/")


def _stamp(path: str) -> tuple[int, int, int] | None:
    """A regular file's (inode, size, mtime in ns); None for anything else."""
    try:
        found = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode):
        return None
    return found.st_ino, found.st_size, found.st_mtime_ns


def _settled(stamp: tuple[int, int, int]) -> bool:
    """Whether a file last changed long enough ago that a change now would show in its
    stamp (a file system with coarse times can hide a same-size edit in the same tick:
    git calls that racily clean and reads such files again)."""
    return time.time_ns() - stamp[2] > _RACY_NS


def _read(path: Path) -> bytes | None:
    try:
        return read_limited(path, MAX_FILE_BYTES, follow_symlinks=False)
    except OSError:
        return None
