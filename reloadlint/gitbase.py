"""Read a git revision and what changed since it, for ``reloadlint --base REV``.

Upgrade mode compares REV (what the running process loaded) with the working
tree. Everything goes through the ``git`` executable: it is always there when
a repository is, understands every repository format (worktrees, packs,
SHA-256, partial clones), and keeps reloadlint free of a heavy dependency.

Rules this module keeps:

- Never change the user's repository state: no index writes, no refs, no
  objects (see :func:`changes` for how untracked files still get rename
  detection).
- Paths travel NUL-separated (``-z``) and are decoded with the filesystem
  encoding and ``surrogateescape``, so spaces, newlines, non-ASCII and even
  non-UTF-8 names round-trip and compare equal to names from ``os.scandir``.
- Every failure is a :class:`GitError` with a one-line message fit to print
  after ``reloadlint:``; no ``CalledProcessError`` escapes.
- Never run a command the repository configures (docs/hardening.md): a
  repository's ``.git/config`` and ``.gitattributes`` can name programs for
  git to run (``core.fsmonitor``, ``filter.*.clean``/``smudge``/``process``,
  an external diff, ``textconv``). Every git call gets ``core.fsmonitor=false``
  and an empty command for every filter driver the configuration defines
  (through ``GIT_CONFIG_COUNT``, so that no driver name can be misparsed as
  ``key=value``), and ``diff`` runs with ``--no-ext-diff --no-textconv``.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from reloadlint.basesource import ChangeSet, Located

__all__ = [
    "ChangeSet",
    "GitError",
    "GitRevision",
    "changes",
    "list_tree",
    "read_blobs",
    "repo_root",
    "resolve",
    "working_tree_files",
]

# Variables git sets for hooks (pre-commit runs us from one) or that users set
# for one repository: they would point our ``git -C root`` calls at another
# repository, index or object store than the one ``root`` names.
_LOCATION_VARIABLES = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_PREFIX",
)

_HEX_OBJECT_NAME = re.compile(r"[0-9a-f]{4,64}")

# ls-tree modes of regular files. Symlinks (120000) hold their target, not
# content, and gitlinks (160000) are submodule commits: neither is a file the
# engine could read.
_FILE_MODES = frozenset({b"100644", b"100755"})


class GitError(Exception):
    """A git operation failed; ``str(error)`` is a one-line message for the user."""


class _NotFound(GitError):
    """Git exited 1 without a word: how ``--quiet`` lookups say "no such thing"."""


# -- public API -------------------------------------------------------------


def repo_root(path: Path) -> Path:
    """The top of the work tree containing ``path`` (a file or a directory)."""
    start = Path(path)
    if not start.exists():
        raise GitError(f"{_show(start)} does not exist")
    directory = start if start.is_dir() else start.parent
    out = _git(directory, "rev-parse", "--show-toplevel", what=f"in {_show(directory)}")
    return Path(_decode(out.rstrip(b"\n")))


def resolve(root: Path, rev: str) -> str:
    """The full object name of the commit ``rev`` names (branch, tag, ``HEAD~2``, short sha).

    40 hex digits (64 in a SHA-256 repository). A revision git does not know
    is explained, including the shallow-clone case where it exists upstream
    but was never fetched.
    """
    if not rev or rev.startswith("-") or any(c in rev for c in "\0\n"):
        raise GitError(f"{rev!r} is not a commit in {_show(root)}")
    out = _git_lookup(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if out is None:
        raise GitError(_unknown_revision_message(root, rev))
    return out.decode("ascii").strip()


def list_tree(root: Path, commit: str, pathspecs: Sequence[str] = ()) -> dict[str, str]:
    """Every regular file of ``commit``: repo-relative posix path -> blob object name.

    All files, not only Python: dependency files, data files and native
    extensions decide whether an upgrade needs a restart. ``pathspecs``
    restrict the listing to those repo-relative files or directories (git
    ls-tree matches them literally: no wildcards).
    """
    args = ["ls-tree", "-r", "-z", "--full-tree", commit, "--", *pathspecs]
    out = _git(root, *args, what=f"listing the files of {commit[:12]}")
    tree: dict[str, str] = {}
    for record in _split_nul(out):
        meta, _, name = record.partition(b"\t")
        mode, _kind, sha = meta.split(b" ")
        if mode in _FILE_MODES:
            tree[_decode(name)] = sha.decode("ascii")
    return tree


def read_blobs(root: Path, shas: Iterable[str], *, max_size: int | None = None) -> dict[str, bytes]:
    """The content of each blob, read by ONE ``git cat-file --batch`` for all of them.

    A process per file (``git show``) costs milliseconds each, which is most of
    upgrade mode's time on a large repository. Content is returned as bytes,
    untouched: binary files and any encoding round-trip. ``max_size``: blobs
    larger than this are left out (their sizes are asked first, with
    ``--batch-check``: a huge blob is never read into memory).
    """
    wanted = list(dict.fromkeys(shas))
    if not wanted:
        return {}
    for sha in wanted:
        if not _HEX_OBJECT_NAME.fullmatch(sha):
            raise GitError(f"{sha!r} is not a git object name")
    if max_size is not None:
        sizes = blob_sizes(root, wanted)
        wanted = [sha for sha in wanted if sizes.get(sha, 0) <= max_size]
        if not wanted:
            return {}
    request = "".join(f"{sha}\n" for sha in wanted).encode("ascii")
    out = _git(root, "cat-file", "--batch", input=request, what="reading file contents")
    return _parse_batch(root, wanted, out)


def blob_sizes(root: Path, shas: Iterable[str]) -> dict[str, int]:
    """The size of each blob (one ``git cat-file --batch-check``); missing ones left out."""
    wanted = list(dict.fromkeys(shas))
    request = "".join(f"{sha}\n" for sha in wanted).encode("ascii")
    out = _git(root, "cat-file", "--batch-check", input=request, what="reading file sizes")
    sizes = {}
    for line in out.decode("ascii", "replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2].isdigit():
            sizes[parts[0]] = int(parts[2])
    return sizes


def changes(root: Path, commit: str) -> ChangeSet:
    """What differs between ``commit`` and the working tree, untracked files included.

    ``git diff -M <commit>`` compares a commit with the working tree and
    detects renames, but only sees paths the index knows, so an untracked new
    name of a moved file would look like a deletion. Marking untracked files
    intent-to-add (``git add --all --intent-to-add``) makes git see them;
    doing that in the user's index would change what they are about to
    commit, so it happens in a scratch copy of the index (``GIT_INDEX_FILE``),
    with a scratch object directory in front of the real one
    (``GIT_OBJECT_DIRECTORY`` + ``GIT_ALTERNATE_OBJECT_DIRECTORIES``) to catch
    the one object intent-to-add writes (the empty blob). Unlike ``git add
    --all`` followed by ``git diff --cached``, this hashes nothing into the
    repository: the diff reads the working tree files directly.
    """
    with tempfile.TemporaryDirectory(prefix="reloadlint-git-") as scratch:
        env = _scratch_env(root, Path(scratch))
        _git(root, "add", "--all", "--intent-to-add", env=env, what="listing untracked files")
        out = _git(
            root,
            *("diff", "-M", "--name-status", "-z", "--no-color", "--no-ext-diff", "--no-textconv"),
            *(commit, "--"),
            env=env,
            what=f"comparing {commit[:12]} with the working tree",
        )
    return _parse_name_status(out)


def working_tree_files(root: Path) -> list[str]:
    """Files present in the working tree that git tracks or would track (not ignored).

    Sorted repo-relative posix paths; tracked files deleted from disk and
    submodule directories are left out.
    """
    out = _git(
        root,
        *("ls-files", "-z", "--cached", "--others", "--exclude-standard"),
        what="listing the working tree",
    )
    names = {_decode(name) for name in _split_nul(out)}
    return sorted(name for name in names if os.path.isfile(os.path.join(root, name)))


# -- running git --------------------------------------------------------------


class GitRevision:
    """``--base REV``: a git revision as upgrade mode's base
    (:class:`reloadlint.basesource.BaseSource`).

    Located on first use and kept, so that one run asks git for the
    repository, the commit and the changes once: ``start`` is where the
    repository is looked for (the first path linted, or the working
    directory). Content ids are blob object names.
    """

    def __init__(self, name: str, start: Path) -> None:
        self.name = name
        self.start = start
        self._located: Located | None = None

    @classmethod
    def for_paths(cls, name: str, paths: Sequence[Path]) -> GitRevision:
        """The revision ``name`` of the repository holding the first of ``paths``."""
        start = Path(paths[0]) if paths else Path(".")
        return cls(name, start if start.exists() else Path("."))

    def locate(self) -> Located:
        if self._located is None:
            root = repo_root(self.start)
            commit = resolve(root, self.name)
            self._located = Located(root, commit, changes(root, commit))
        return self._located

    def files(self, paths: Sequence[str] = ()) -> dict[str, str]:
        return list_tree(self.locate().root, self.locate().ident, paths)

    def read(self, ids: Iterable[str], *, max_size: int | None = None) -> dict[str, bytes]:
        return read_blobs(self.locate().root, ids, max_size=max_size)


def _git(
    root: Path,
    *args: str,
    input: bytes | None = None,
    env: Mapping[str, str] | None = None,
    what: str = "",
) -> bytes:
    """Run ``git -C root ARGS`` and return stdout; any failure becomes a :class:`GitError`."""
    command = ["git", "-C", os.fspath(root), *args]
    run_env = dict(env) if env is not None else _base_env()
    run_env.update(_no_configured_commands(root, run_env))
    try:
        proc = subprocess.run(command, input=input, capture_output=True, env=run_env, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (no `git` executable on PATH)") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
    if proc.returncode == 1 and not proc.stderr.strip():
        raise _NotFound(_failure_message(root, proc.stderr, what))
    if proc.returncode != 0:
        raise GitError(_failure_message(root, proc.stderr, what))
    return proc.stdout


def _no_configured_commands(root: Path, env: Mapping[str, str]) -> dict[str, str]:
    """``GIT_CONFIG_*`` variables that switch off every command the repository's
    configuration could make git run (see the module docstring); what the
    caller's environment already passes that way is kept, ours comes after."""
    pairs = [("core.fsmonitor", "false")]
    for driver in _filter_drivers(os.fspath(root)):
        for key in ("clean", "smudge", "process"):
            pairs.append((f"filter.{driver}.{key}", ""))
        pairs.append((f"filter.{driver}.required", "false"))
    try:
        start = int(env.get("GIT_CONFIG_COUNT", "0"))
    except ValueError:
        start = 0
    out = {"GIT_CONFIG_COUNT": str(start + len(pairs))}
    for index, (key, value) in enumerate(pairs, start):
        out[f"GIT_CONFIG_KEY_{index}"], out[f"GIT_CONFIG_VALUE_{index}"] = key, value
    return out


@functools.lru_cache(maxsize=8)
def _filter_drivers(root: str) -> tuple[str, ...]:
    """The names of the filter drivers git's configuration for ``root`` defines.

    ``git config`` only reads files (``include`` ones too); it runs nothing.
    A failure (not a repository yet) means none: the calls that follow fail
    with the real reason.
    """
    command = ["git", "-C", root, "config", "-z", "--get-regexp", r"^filter\."]
    try:
        proc = subprocess.run(command, capture_output=True, env=_base_env(), check=False)
    except OSError:
        return ()
    drivers = set()
    for record in _split_nul(proc.stdout):
        key = _decode(record.partition(b"\n")[0])  # "filter.<driver>.<setting>\nvalue"
        driver, dot, _ = key.removeprefix("filter.").rpartition(".")
        if dot and driver:
            drivers.add(driver)
    return tuple(sorted(drivers))


def _git_lookup(root: Path, *args: str) -> bytes | None:
    """Run a ``--quiet`` lookup: None when git merely found nothing (exit 1).

    Other failures (not a repository, git missing) still raise, so they are
    not misreported as an unknown revision.
    """
    try:
        return _git(root, *args, what=f"in {_show(root)}")
    except _NotFound:
        return None


def _base_env() -> dict[str, str]:
    """The caller's environment, minus repository overrides, with English messages.

    ``LC_ALL=C`` keeps git's messages recognisable; it does not affect path
    bytes. ``GIT_OPTIONAL_LOCKS=0`` stops read-only commands from refreshing
    the user's index behind their back.
    """
    env = {key: value for key, value in os.environ.items() if key not in _LOCATION_VARIABLES}
    env.update(LC_ALL="C", GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0")
    return env


def _scratch_env(root: Path, scratch: Path) -> dict[str, str]:
    """An environment whose index and object writes land in ``scratch`` (see :func:`changes`)."""
    index = _git_path(root, "index")
    objects = _git_path(root, "objects")
    scratch_index = scratch / "index"
    if index.is_file():
        # copy2 keeps the index file's mtime too: git tells "racily clean" entries (a file
        # changed within the same second the index was written) by comparing it with
        # the entries' mtimes, and a fresh mtime would make such a change invisible.
        shutil.copy2(index, scratch_index)  # keeps stat data: no rehashing of clean files
    scratch_objects = scratch / "objects"
    scratch_objects.mkdir()
    env = _base_env()
    env.update(
        GIT_INDEX_FILE=os.fspath(scratch_index),
        GIT_OBJECT_DIRECTORY=os.fspath(scratch_objects),
        GIT_ALTERNATE_OBJECT_DIRECTORIES=_quote_alternate(os.fspath(objects)),
    )
    return env


def _git_path(root: Path, name: str) -> Path:
    """Where the repository keeps ``name`` (worktrees and ``.git`` files included)."""
    out = _git(root, "rev-parse", "--git-path", name, what=f"in {_show(root)}")
    path = Path(_decode(out.rstrip(b"\n")))
    return path if path.is_absolute() else Path(root) / path


def _quote_alternate(path: str) -> str:
    """Quote a path for GIT_ALTERNATE_OBJECT_DIRECTORIES when it contains the separator."""
    if os.pathsep not in path and not path.startswith('"'):
        return path
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


# -- messages -----------------------------------------------------------------


def _failure_message(root: Path, stderr: bytes, what: str) -> str:
    """One line: git's own ``fatal:``/``error:`` line, or a plainer rewording of it."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line]
    fatal = next((line for line in lines if line.startswith(("fatal:", "error:"))), None)
    detail = fatal or (lines[-1] if lines else "git failed")
    if "not a git repository" in detail:
        return f"not a git repository (or any parent up to a filesystem boundary): {_show(root)}"
    detail = detail.removeprefix("fatal: ").removeprefix("error: ")
    return f"git failed {what}: {detail}" if what else f"git failed: {detail}"


def _unknown_revision_message(root: Path, rev: str) -> str:
    """Say why ``rev`` is not a commit: unknown, not a commit, or cut off by a shallow clone."""
    base = f"{rev!r} is not a commit in {_show(root)}"
    kind = _object_kind(root, rev)
    if kind is not None:
        return f"{base} (it names a {kind})"
    if _is_shallow(root):
        return (
            f"{base}; this is a shallow clone, so the commit may exist but not have been "
            "fetched: fetch more history (git fetch --unshallow)"
        )
    if _has_no_commits(root):
        return f"{base} (the repository has no commits yet)"
    return base


def _object_kind(root: Path, rev: str) -> str | None:
    """``tree``/``blob``/... when ``rev`` names an object that is not a commit, else None."""
    try:
        kind = _git(root, "cat-file", "-t", rev).decode("ascii", "replace").strip()
    except GitError:
        return None
    return kind if kind != "commit" else None


def _is_shallow(root: Path) -> bool:
    try:
        return _git(root, "rev-parse", "--is-shallow-repository").strip() == b"true"
    except GitError:
        return False


def _has_no_commits(root: Path) -> bool:
    return _git_lookup(root, "rev-parse", "--verify", "--quiet", "HEAD") is None


def _show(path: Path | str) -> str:
    """A path for a message, printable even when its name is not valid UTF-8."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


# -- parsing ----------------------------------------------------------------


def _split_nul(out: bytes) -> list[bytes]:
    return [field for field in out.split(b"\0") if field]


def _decode(name: bytes) -> str:
    """A path from git, decoded the way ``os.scandir`` decodes names from disk."""
    return os.fsdecode(name)


def _parse_batch(root: Path, wanted: list[str], out: bytes) -> dict[str, bytes]:
    """Split ``cat-file --batch`` output: ``<sha> <type> <size>\\n<content>\\n`` per request."""
    blobs: dict[str, bytes] = {}
    pos = 0
    for sha in wanted:
        end = out.find(b"\n", pos)
        if end < 0:
            raise GitError(f"git cat-file stopped early, before {sha}")
        header = out[pos:end].decode("ascii", "replace").split()
        if len(header) != 3:
            state = header[-1] if header else "unreadable"
            raise GitError(f"bad object {sha} in {_show(root)}: {state}")
        _, kind, size = header
        if kind != "blob":
            raise GitError(f"object {sha} is a {kind}, not a file")
        start = end + 1
        blobs[sha] = out[start : start + int(size)]
        pos = start + int(size) + 1
    return blobs


def _parse_name_status(out: bytes) -> ChangeSet:
    """Read ``git diff --name-status -z``: ``X\\0path\\0`` or ``R<score>\\0old\\0new\\0``."""
    fields = out.split(b"\0")
    added: list[str] = []
    deleted: list[str] = []
    modified: list[str] = []
    renamed: list[tuple[str, str]] = []
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i][:1]
        if status in (b"R", b"C"):
            old, new = _decode(fields[i + 1]), _decode(fields[i + 2])
            i += 3
            if status == b"R":
                renamed.append((old, new))
            else:
                added.append(new)
            continue
        path = _decode(fields[i + 1])
        i += 2
        {b"A": added, b"D": deleted}.get(status, modified).append(path)
    return ChangeSet(
        added=tuple(sorted(added)),
        deleted=tuple(sorted(deleted)),
        modified=tuple(sorted(modified)),
        renamed=tuple(sorted(renamed)),
    )
