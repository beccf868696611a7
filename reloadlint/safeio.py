"""Reading and writing files that a linted repository controls.

A cloned repository decides what its names are: a ``.gitignore`` may be a
link to ``/dev/zero``, a baseline a FIFO, the ``-o`` target a link to the
user's shell start-up file. Every read of such a name goes through
:func:`read_limited` (a regular file, at most so many bytes, opened without
blocking), and every write through :func:`write_atomic` (a temporary file
next to the name, renamed over it: a symbolic link there is replaced, never
written through). docs/hardening.md lists where each is used.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat

#: Marks the temporary files :func:`write_atomic` makes (the cache removes stale ones).
TEMPORARY_SUFFIX = ".reloadlint-tmp"

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)

PathLike = str | os.PathLike[str]


class NotRegularFile(OSError):
    """The name is a directory, FIFO, device or socket: never read as a file."""

    def __init__(self, path: PathLike, what: str) -> None:
        super().__init__(errno.EINVAL, f"not a regular file ({what})", os.fspath(path))


class FileTooLarge(OSError):
    """The file is over the caller's limit; ``size`` is at least what was seen."""

    def __init__(self, path: PathLike, size: int, limit: int) -> None:
        super().__init__(errno.EFBIG, f"larger than {_size(limit)}", os.fspath(path))
        self.size = size


def read_limited(
    path: PathLike, limit: int, *, dir_fd: int | None = None, follow_symlinks: bool = True
) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Opened non-blocking (a FIFO cannot stall the run) and checked with
    ``fstat`` on the open descriptor (no race with a rename in between):
    anything but a regular file is :class:`NotRegularFile`, a larger one
    :class:`FileTooLarge` (never more than ``limit + 1`` bytes are read, even
    if the file grows meanwhile). ``follow_symlinks=False``: a symbolic link
    is an error (``ELOOP``). Other failures are the usual :class:`OSError`.
    """
    flags = os.O_RDONLY | _NONBLOCK | _CLOEXEC | (0 if follow_symlinks else _NOFOLLOW)
    fd = os.open(path, flags, dir_fd=dir_fd)
    with open(fd, "rb", closefd=True) as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(path, _kind(info.st_mode))
        if info.st_size > limit:
            raise FileTooLarge(path, info.st_size, limit)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(path, len(data), limit)
    return data


def describe(error: OSError) -> str:
    """An :class:`OSError` as the reason part of a one-line message (no path)."""
    return error.strerror or str(error)


def write_atomic(
    path: PathLike,
    data: bytes,
    *,
    expected: bytes | None = None,
    dir_fd: int | None = None,
    durable: bool = True,
) -> bool:
    """Replace the file at ``path`` with ``data``; False if it no longer holds ``expected``.

    The data goes to a new temporary file in the same directory (created
    with ``O_EXCL``, so never through a planted name), which is renamed over
    ``path``: an interrupted run leaves the old file or the new one, and a
    symbolic link at ``path`` is replaced by the file, never written through.
    An existing file keeps its mode, owner and group; a read-only one is not
    rewritten (``PermissionError``). A file with several hard links, or whose
    owner this process cannot give a new file, is rewritten in place instead,
    so that its other names and its owner stay (the one case that is not
    atomic). ``expected``: the file is read again just before it is replaced,
    and left alone (False) if its content changed. ``durable``: ``fsync``
    before the rename (user files; the cache does without). Any failure
    leaves the old file as it was and no temporary file, and raises.
    """
    name = os.fspath(path)
    try:
        old = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        old = None
    if old is not None and stat.S_ISREG(old.st_mode):
        if not stat.S_IMODE(old.st_mode) & 0o222 or not _writable(name, dir_fd):
            raise PermissionError(errno.EACCES, "read-only file", name)
        if old.st_nlink > 1 or not _can_own(old):
            return _rewrite_in_place(name, data, old, expected, dir_fd)
    elif old is not None and not stat.S_ISLNK(old.st_mode):
        raise NotRegularFile(name, _kind(old.st_mode))
    directory, base = os.path.split(name)
    temporary = os.path.join(directory, _temporary_name(base))
    keep = old is not None and stat.S_ISREG(old.st_mode)
    fd = os.open(
        temporary,
        os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC,
        0o600 if keep else 0o666,  # a new file: what the umask allows, like any tool's output
        dir_fd=dir_fd,
    )
    try:
        with open(fd, "wb", closefd=True) as handle:
            handle.write(data)
            handle.flush()
            if keep:
                assert old is not None
                if (old.st_uid, old.st_gid) != (os.geteuid(), os.getegid()):
                    os.fchown(fd, old.st_uid, old.st_gid)
                os.fchmod(fd, stat.S_IMODE(old.st_mode))
            if durable:
                os.fsync(fd)
        if expected is not None and _current(name, len(expected), dir_fd) != expected:
            _unlink(temporary, dir_fd)
            return False
        os.replace(temporary, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException:
        _unlink(temporary, dir_fd)
        raise
    return True


def _temporary_name(base: str) -> str:
    """``.NAME.PID-RANDOM.reloadlint-tmp`` (NAME cut to stay within ``NAME_MAX``)."""
    return f".{base[:200]}.{os.getpid()}-{secrets.token_hex(6)}{TEMPORARY_SUFFIX}"


def temporary_owner(name: str) -> int | None:
    """The process id in a temporary file's name (see :func:`write_atomic`), else None."""
    if not (name.startswith(".") and name.endswith(TEMPORARY_SUFFIX)):
        return None
    pid, dash, _ = name.removesuffix(TEMPORARY_SUFFIX).rpartition(".")[2].partition("-")
    return int(pid) if dash and pid.isdigit() else None


def _rewrite_in_place(
    name: str, data: bytes, old: os.stat_result, expected: bytes | None, dir_fd: int | None
) -> bool:
    """Overwrite a multiply linked (or foreign-owned) file through its own descriptor."""
    fd = os.open(name, os.O_RDWR | _NOFOLLOW | _CLOEXEC | _NONBLOCK, dir_fd=dir_fd)
    with open(fd, "r+b", closefd=True) as handle:
        info = os.fstat(fd)
        if (info.st_dev, info.st_ino) != (old.st_dev, old.st_ino) or not stat.S_ISREG(info.st_mode):
            return False  # replaced since it was looked at
        before = handle.read()
        if expected is not None and before != expected:
            return False
        try:
            handle.seek(0)
            handle.write(data)
            handle.truncate()
            handle.flush()
            os.fsync(fd)
        except BaseException:
            with contextlib.suppress(OSError):  # put the old content back
                handle.seek(0)
                handle.write(before)
                handle.truncate()
            raise
    return True


def _writable(name: str, dir_fd: int | None) -> bool:
    effective = os.access in os.supports_effective_ids
    return os.access(name, os.W_OK, dir_fd=dir_fd, effective_ids=effective)


def _can_own(old: os.stat_result) -> bool:
    """Whether a new file can be given ``old``'s owner and group (root can; others
    only their own files, with a group they belong to)."""
    if not hasattr(os, "geteuid"):
        return True
    if os.geteuid() == 0:
        return True
    return old.st_uid == os.geteuid() and (
        old.st_gid == os.getegid() or old.st_gid in os.getgroups()
    )


def _current(name: str, expected_size: int, dir_fd: int | None) -> bytes | None:
    """The file's content now (None if it is gone or no longer a regular file)."""
    try:
        return read_limited(name, expected_size, dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        return None


def _unlink(name: str, dir_fd: int | None) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name, dir_fd=dir_fd)


def _kind(mode: int) -> str:
    for test, what in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link"),
    ):
        if test(mode):
            return what
    return "not a file"


def _size(count: int) -> str:
    return f"{count // 2**20} MB" if count >= 2**20 else f"{count} bytes"


__all__ = [
    "TEMPORARY_SUFFIX",
    "FileTooLarge",
    "NotRegularFile",
    "describe",
    "read_limited",
    "temporary_owner",
    "write_atomic",
]
