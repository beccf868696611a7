"""The cache directory and its pack format: what a repository cannot plant or redirect.

A linted repository controls its files (docs/hardening.md), so it may ship a
``.reloadlint_cache`` of its own, as a directory of crafted packs or as a
symbolic link, and may set ``cache-dir``. Hence:

- **Where.** A cache directory from the configuration is relative and below
  the configuration file's directory (:func:`reloadlint.config.load` refuses
  any other). It is opened component by component from there with
  ``O_NOFOLLOW``, created with ``mkdir`` where missing, and every file in it
  is opened relative to it, never following a link: a shipped symbolic link
  (to the directory or to a file in it) disables the cache instead of
  leading it elsewhere. A directory given on the command line
  (``--cache-dir``) or in the environment (``RELOADLINT_CACHE_DIR``) is the
  user's, and used as it is.
- **What.** Every pack is signed: a keyed BLAKE2b (a MAC) of its name and
  content, with a secret of 32 random bytes kept outside every project, in
  the user's cache directory (``$XDG_CACHE_HOME/reloadlint/key``, by default
  ``~/.cache/reloadlint/key``, created with mode 0600). A pack the user's own
  runs did not write fails the check and is ignored; without a usable key
  the cache is off. Entries are also unpickled with an allow-list of
  reloadlint's own plain data classes (builtins beyond a few are refused),
  and each reader checks the types of what it gets.
- **How.** Packs are written by :func:`reloadlint.safeio.write_atomic` (a
  temporary file renamed over the name); temporaries that an interrupted run
  left behind are removed by the next run that writes. A cache that cannot
  be created, read or written is skipped silently.
"""

from __future__ import annotations

import contextlib
import copyreg
import dataclasses
import functools
import hashlib
import hmac
import io
import os
import pickle
import secrets
import stat
import sys
import time
import weakref
from pathlib import Path
from typing import Any

from reloadlint import __version__, diagnostics, safeio, source
from reloadlint.summary import model

#: Bump when the layout of the packs changes.
FORMAT = 2
#: A pack larger than this is ignored unread (Django's summaries take 13 MB).
MAX_PACK_BYTES = 1 << 30
#: A temporary file of a live run older than this is stale all the same (a run
#: on another machine sharing the directory, a recycled process id).
STALE_SECONDS = 3600
_MAGIC = b"reloadlint-cache\n"
_GITIGNORE = "# Created by reloadlint: nothing here belongs in version control.\n*\n"
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by reloadlint.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
_KEY_BYTES = 32
_MAC_BYTES = 32
_DIRECTORY = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
#: Without ``dir_fd`` (Windows) the directory is used by path, each part checked first.
_AT = os.open in os.supports_dir_fd and os.mkdir in os.supports_dir_fd


# ---------------------------------------------------------------- serialisation


def _plain_classes() -> dict[str, dict[str, type]]:
    """The classes a cache entry may contain, by module."""
    allowed: dict[str, dict[str, type]] = {}
    for module in (model, diagnostics, source):
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and value.__module__ == module.__name__
                and dataclasses.is_dataclass(value)
            ):
                allowed.setdefault(module.__name__, {})[value.__name__] = value
    allowed["builtins"] = {
        t.__name__: t for t in (complex, frozenset, set, bytearray, slice, range)
    }
    return allowed


_ALLOWED = _plain_classes()
_SINGLETONS = {"Ellipsis": Ellipsis, "NotImplemented": NotImplemented}


def _register_reducers() -> None:
    """Pickle reloadlint's data classes as ``Class(*fields)``.

    The default for slotted data classes calls a Python ``__setstate__`` that
    loops over the fields; a constructor call is about twice as fast to load
    and a third smaller (measured on Django's summaries), and it is also what
    crosses the pipe from a worker process.
    """
    for module in (model, diagnostics, source):
        for cls in _ALLOWED[module.__name__].values():
            names = tuple(f.name for f in dataclasses.fields(cls))
            copyreg.pickle(cls, _reducer(cls, names))


def _reducer(cls: type, names: tuple[str, ...]) -> Any:
    def reduce(obj: object) -> tuple[type, tuple[object, ...]]:
        return cls, tuple([getattr(obj, name) for name in names])

    return reduce


_register_reducers()


class _Unpickler(pickle.Unpickler):
    """Refuses every global but reloadlint's plain data classes and a few builtins.

    A data class is handed out wrapped in a fresh ``functools.partial``, never
    as the class itself: pickle's ``BUILD`` opcode sets attributes on whatever
    object it is given, and on a class that would rewrite reloadlint's own
    behaviour for the rest of the process (``Diagnostic.__eq__``...). On the
    partial it changes only that throwaway callable.
    """

    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins":
            if name in _SINGLETONS:
                return _SINGLETONS[name]
            found = _ALLOWED["builtins"].get(name)  # immutable types: BUILD cannot touch them
            if found is not None:
                return found
        found = _ALLOWED.get(module, {}).get(name) if module != "builtins" else None
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a reloadlint cache")
        return functools.partial(found)


def dumps(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def loads(data: bytes) -> Any:
    """Unpickle with the allow-list; any failure is ``ValueError``."""
    try:
        return _Unpickler(io.BytesIO(data)).load()
    except Exception as error:  # a corrupt entry can raise nearly anything
        raise ValueError(f"bad cache entry: {error}") from None


@functools.cache
def stamp() -> str:
    """What every pack depends on besides its own key (see :mod:`reloadlint.cache`)."""
    package = Path(__file__).resolve().parent
    parts = [f"format={FORMAT}", f"reloadlint={__version__}", f"summary={model.SUMMARY_VERSION}"]
    parts.append(f"python={sys.implementation.name}-{sys.version}")
    for path in sorted(package.rglob("*.py")):
        try:
            info = path.stat()
        except OSError:
            continue
        parts.append(f"{path.relative_to(package).as_posix()}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


# ---------------------------------------------------------------- the key


def key_path() -> Path | None:
    """Where the signing key lives: the user's cache directory, never a project's."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, or relative: ignored, as the XDG spec says
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base, "reloadlint", "key")


@functools.cache
def secret() -> bytes | None:
    """The signing key, made on first use; None when it cannot be read or made."""
    path = key_path()
    if path is None:
        return None
    with contextlib.suppress(FileNotFoundError):
        return _read_key(path)
    with contextlib.suppress(OSError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(f".key.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        try:
            with open(fd, "wb") as handle:
                handle.write(secrets.token_bytes(_KEY_BYTES))
            with contextlib.suppress(FileExistsError):  # another run made it first
                os.link(temporary, path)  # never replaces: every run agrees on one key
        finally:
            os.unlink(temporary)
    try:
        return _read_key(path)
    except OSError:
        return None


def _read_key(path: Path) -> bytes | None:
    """The key, if it is a private regular file of this user (else None: no cache)."""
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    with open(fd, "rb") as handle:
        info = os.fstat(fd)
        ours = not hasattr(os, "geteuid") or info.st_uid == os.geteuid()
        private = stat.S_IMODE(info.st_mode) & 0o077 == 0 or os.name == "nt"
        if not (stat.S_ISREG(info.st_mode) and ours and private):
            return None
        data = handle.read(_KEY_BYTES + 1)
    return data if len(data) == _KEY_BYTES else None


def _mac(key: bytes, name: str, payload: bytes) -> bytes:
    signer = hashlib.blake2b(key=key, digest_size=_MAC_BYTES)
    signer.update(name.encode("utf-8", "surrogateescape") + b"\0")
    signer.update(payload)
    return signer.digest()


# ---------------------------------------------------------------- the directory


class CacheDir:
    """A cache directory; ``None`` as directory disables it.

    ``root``: the directory must be created below ``root`` without following
    symbolic links (a directory from the configuration); None: the directory
    is used as given (the command line's, the environment's, a test's).
    """

    def __init__(self, directory: Path | None, *, root: Path | None = None) -> None:
        self.directory = directory
        self._root = root
        self._fd: int | None = None
        self._ready = False
        if directory is not None and secret() is None:
            self.directory = None  # nothing could tell our packs from planted ones

    @classmethod
    def for_settings(cls, root: Path, cache_dir: str, *, enabled: bool) -> CacheDir:
        if not enabled:
            return cls(None)
        if os.path.isabs(cache_dir):
            return cls(Path(cache_dir))
        return cls(root / cache_dir, root=root)

    @property
    def enabled(self) -> bool:
        return self.directory is not None

    def read(self, name: str) -> Any:
        """The payload of a pack, or None if it is missing, foreign, stale or corrupt."""
        if self.directory is None or not self._open(create=False):
            return None
        path, dir_fd = self._at(name)
        try:
            data = safeio.read_limited(path, MAX_PACK_BYTES, dir_fd=dir_fd, follow_symlinks=False)
        except OSError:
            return None
        key = secret()
        header = _MAGIC + stamp().encode() + b"\n"
        if key is None or not data.startswith(header):
            return None
        body = len(header) + _MAC_BYTES
        check, payload = data[len(header) : body], data[body:]
        if not hmac.compare_digest(check, _mac(key, name, payload)):
            return None
        try:
            return loads(payload)
        except ValueError:
            return None

    def write(self, name: str, value: object) -> None:
        """Replace a pack atomically; a cache that cannot be written is skipped silently."""
        key = secret()
        if self.directory is None or key is None or not self._prepare():
            return
        payload = dumps(value)
        header = _MAGIC + stamp().encode() + b"\n"
        data = header + _mac(key, name, payload) + payload
        path, dir_fd = self._at(name)
        with contextlib.suppress(OSError):
            safeio.write_atomic(path, data, dir_fd=dir_fd, durable=False)

    def remove(self, name: str) -> None:
        """Delete a pack if it exists (a cache that cannot be written is skipped silently)."""
        if self.directory is not None and self._open(create=False):
            with contextlib.suppress(OSError):
                path, dir_fd = self._at(name)
                os.unlink(path, dir_fd=dir_fd)

    # -- opening ------------------------------------------------------------

    def _at(self, name: str) -> tuple[str, int | None]:
        """``name`` in the directory, as a path and ``dir_fd`` for ``os`` calls."""
        if self._fd is not None:
            return name, self._fd
        assert self.directory is not None
        return os.path.join(self.directory, name), None

    def _open(self, *, create: bool) -> bool:
        """Open (with ``create``: make) the directory; False when there is none to use."""
        if self._fd is not None or (self._ready and not _AT):
            return True
        assert self.directory is not None
        try:
            if _AT:
                self._fd = self._open_at(create)
                weakref.finalize(self, os.close, self._fd)
            else:
                self._check_by_path(create)
                self._ready = True
        except OSError:
            if create:
                self.directory = None  # read-only checkout, planted link: run without a cache
            return False
        return True

    def _open_at(self, create: bool) -> int:
        """The directory's descriptor, each part below ``root`` opened without following links."""
        assert self.directory is not None
        if self._root is None:
            if create:
                self.directory.mkdir(parents=True, exist_ok=True)
            return os.open(self.directory, _DIRECTORY)
        fd = os.open(self._root, _DIRECTORY)
        try:
            for part in self.directory.relative_to(self._root).parts:
                if create:
                    with contextlib.suppress(FileExistsError):
                        os.mkdir(part, 0o777, dir_fd=fd)
                inner = os.open(part, _DIRECTORY | _NOFOLLOW, dir_fd=fd)
                os.close(fd)
                fd = inner
        except BaseException:
            os.close(fd)
            raise
        return fd

    def _check_by_path(self, create: bool) -> None:
        """Where there is no ``dir_fd``: no part below ``root`` may be a link."""
        assert self.directory is not None
        if create:
            self.directory.mkdir(parents=True, exist_ok=True)
        if self._root is not None:
            current = self._root
            for part in self.directory.relative_to(self._root).parts:
                current = current / part
                if not stat.S_ISDIR(os.lstat(current).st_mode):
                    raise NotADirectoryError(str(current))
        if not self.directory.is_dir():
            raise NotADirectoryError(str(self.directory))

    def _prepare(self) -> bool:
        """Open or make the directory, with ``CACHEDIR.TAG`` and a ``.gitignore`` of ``*``,
        and remove what interrupted runs left."""
        if self.directory is None or not self._open(create=True):
            return False
        for file, text in (("CACHEDIR.TAG", _TAG), (".gitignore", _GITIGNORE)):
            path, dir_fd = self._at(file)
            try:
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW
                fd = os.open(path, flags, 0o666, dir_fd=dir_fd)
            except OSError:
                continue  # there already (a file, or a link that is never followed)
            with open(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
        self._remove_stale_temporaries()
        return True

    def _remove_stale_temporaries(self) -> None:
        """Delete what :func:`~reloadlint.safeio.write_atomic` left when a run was killed."""
        listed = self._fd if self._fd is not None else self.directory
        assert listed is not None
        now = time.time()
        with contextlib.suppress(OSError), os.scandir(listed) as entries:
            for entry in entries:
                pid = safeio.temporary_owner(entry.name)
                if pid is None or pid == os.getpid():
                    continue
                with contextlib.suppress(OSError):
                    old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS
                    if old or not _alive(pid):
                        path, dir_fd = self._at(entry.name)
                        os.unlink(path, dir_fd=dir_fd)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists (signal 0 checks, it sends nothing)."""
    if os.name == "nt":
        return True  # there os.kill would terminate it: rely on the age alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process
    return True
