"""Content digests of the project's files, without reading the files that did not change.

Every cache key starts from a file's content hash; reading and hashing every
file was most of what a warm run does on a large tree (50 ms of reading for
Django's 883 files, against 7 ms of ``stat``). ``files.pack`` remembers each
file's digest with what ``stat`` said when it was read: size, modification
and status-change times (nanoseconds) and inode. A file whose ``stat`` is the
same is not read again. The status-change time is set by the kernel on any
write or metadata change and cannot be set back by tools that preserve
modification times (``cp -p``, ``touch -d``, ``git checkout`` of an old tree).

Each entry also says whether the file's bytes mention ``noqa`` (any case): the
warnings about malformed ``# noqa`` directives read only those files again
(:func:`reloadlint.noqa.directive_warnings`), not the whole project.

A file modified within :data:`SETTLE_NS` of being read is not remembered:
with a coarse timestamp clock a second write in the same tick would keep the
same ``stat`` (git calls such index entries "racily clean" and re-reads them
for the same reason).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from reloadlint import cache, source

PACK = "files.pack"
#: A file written this recently is re-read next time (see the module docstring).
SETTLE_NS = 2_000_000_000
#: Entries of files this run did not see are kept up to this many (linting a
#: subdirectory does not forget the rest of the project).
KEEP_UNSEEN = 20_000

Stat = tuple[int, int, int, int]
#: what ``stat`` said, the content digest, whether the bytes mention ``noqa``
Entry = tuple[Stat, str, bool]


class FileIndex:
    """Digests by absolute path; :meth:`save` writes what this run learnt."""

    def __init__(self, directory: cache.CacheDir) -> None:
        self.directory = directory
        payload = directory.read(PACK) if directory.enabled else None
        self._old: dict[str, Entry] = payload if isinstance(payload, dict) else {}
        self._seen: dict[str, Entry] = {}
        self._changed = False
        self._noqa: dict[str, bool] = {}

    def content(self, path: Path) -> tuple[str | source.SourceError, bytes | None]:
        """The file's content digest (or why it cannot be read), and its bytes
        when they had to be read (None when the index answered)."""
        key = os.path.abspath(path)
        try:
            info = os.stat(path)
        except OSError:
            info = None
        if info is not None:
            stat = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
            known = self._old.get(key)
            if known is not None and _valid(known) and known[0] == stat:
                self._seen[key] = known
                self._noqa[key] = known[2]
                return known[1], None
        data = source.read_bytes(path)
        if not isinstance(data, bytes):
            return data, None
        digest = cache.content_digest(data)
        mentions = self._noqa[key] = b"noqa" in data.lower()
        if info is not None and len(data) == info.st_size and _settled(info):
            self._seen[key] = (stat, digest, mentions)
            self._changed = True
        return digest, data

    def mentions_noqa(self, path: Path) -> bool:
        """Whether the file's bytes, as :meth:`content` last saw them, mention ``noqa``
        (True for a file it could not read: the caller reads it to find out)."""
        return self._noqa.get(os.path.abspath(path), True)

    def save(self) -> None:
        if not self.directory.enabled or not self._changed:
            return
        entries = dict(self._seen)
        for key, value in self._old.items():
            if len(entries) >= len(self._seen) + KEEP_UNSEEN:
                break
            entries.setdefault(key, value)
        self.directory.write(PACK, entries)


def _settled(info: os.stat_result) -> bool:
    return time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) > SETTLE_NS


def _valid(entry: object) -> bool:
    """An entry as :meth:`FileIndex.content` writes it (the pack is not trusted)."""
    return (
        isinstance(entry, tuple)
        and len(entry) == 3
        and isinstance(entry[1], str)
        and type(entry[2]) is bool
        and isinstance(entry[0], tuple)
        and len(entry[0]) == 4
        and type(entry[0][0]) is int
        and type(entry[0][1]) is int
        and type(entry[0][2]) is int
        and type(entry[0][3]) is int
    )
