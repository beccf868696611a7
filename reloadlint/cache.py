"""The on-disk cache in ``.reloadlint_cache/``: module summaries, and what a run found.

One packed file per kind (one ``open`` and one ``read`` however large the
project; bench/README.md has the measurement against one file per entry):

- ``summaries.pack``: module summaries keyed by the file's content hash, its
  module name, whether it is a package and whether fingerprints were computed
  (upgrade mode). The path is not part of the key: a base-revision blob and
  the working-tree file with the same bytes share one entry. A run that made
  only a few new summaries adds them to ``summaries.journal.pack`` instead of
  rewriting the pack.
- ``incremental.pack`` (tree mode, :mod:`reloadlint.incremental`): each
  checked file's findings with the cross-module facts they were computed
  from, so that a run re-checks only the modules whose inputs changed.
- ``files.pack`` (:mod:`reloadlint.fileindex`): each file's content hash by
  what ``stat`` said when it was read, so unchanged files are not read again.
- ``fixes.pack``: the fix edits JSON and SARIF carry, by file text and findings.
- ``findings.pack``: upgrade mode's findings of the last few runs, keyed by
  everything such a run depends on: the content hash and name of every
  module, the rule selection, the settings, the working directory (paths are
  printed relative to it), the base revision and what changed since it.

Every pack is stamped with the reloadlint version, the Python version,
:data:`~reloadlint.summary.model.SUMMARY_VERSION` and the size and modification
time of reloadlint's own source files (a development checkout edits the
summariser without bumping a version). A pack with another stamp, a bad
signature (truncated, corrupt, or not written by this user's runs) or that
does not unpickle is ignored and rewritten; an entry that does not decode to
what its key promises is ignored and rebuilt.

Where the directory may be, how packs are signed and written, and why a
cache planted in a repository can neither run code nor change what a run
reports: :mod:`reloadlint.cachedir`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, ClassVar

from reloadlint import diagnostics, source
from reloadlint.cachedir import CacheDir, dumps, loads, stamp
from reloadlint.summary import model

__all__ = ["CacheDir", "dumps", "loads", "stamp"]  # the pack format, from reloadlint.cachedir

SUMMARIES = "summaries.pack"
#: Summaries made since ``summaries.pack`` was last written, while they are few
#: (see :meth:`SummaryCache.save`).
JOURNAL = "summaries.journal.pack"
#: The journal is folded into the pack once it holds this fraction of its entries.
JOURNAL_FRACTION = 8
FINDINGS = "findings.pack"
FIXES = "fixes.pack"
#: Findings of this many distinct runs are kept (``reloadlint src/`` and
#: ``reloadlint tests/`` alternating, tree and upgrade mode...).
FINDINGS_RUNS = 4
#: Summaries not used by the current run are kept up to this many (or as many
#: as the run used, if more), newest first: linting a subdirectory does not
#: evict the rest of the project, and edits do not grow the pack forever.
KEEP_UNUSED = 2000
SummaryResult = tuple[model.ModuleSummary, "source.SourceError | None"]


# ---------------------------------------------------------------- keys


def summary_key(digest: str, name: str, is_package: bool, fingerprints: bool) -> str:
    """The key of a summary: the file's content hash and the settings it was made with."""
    return f"{digest}:{name}:{int(is_package)}:{int(fingerprints)}"


def hash_parts(parts: Iterator[str] | list[str]) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    return digest.hexdigest()


# ---------------------------------------------------------------- summaries


class SummaryCache:
    """Module summaries by :func:`summary_key`; loaded on first use, saved if anything was added."""

    #: Entries already decoded by this process, by key, once :func:`keep_decoded_summaries`
    #: was called; None: each run decodes what it uses.
    decoded: ClassVar[dict[str, SummaryResult] | None] = None
    #: (key, path) -> (the kept entry, its copy at that path), see :func:`_placed`
    placed: ClassVar[dict[tuple[str, str], tuple[SummaryResult, SummaryResult]]] = {}

    def __init__(self, directory: CacheDir) -> None:
        self.directory = directory
        self._entries: dict[str, bytes] | None = None
        self._journal: dict[str, bytes] = {}
        self._used: dict[str, bytes] = {}
        self._fresh: dict[str, tuple[SummaryResult, bytes | None]] = {}

    @property
    def enabled(self) -> bool:
        return self.directory.enabled

    def _load(self) -> dict[str, bytes]:
        """The pack's entries and the journal's (keys are content hashes: an entry
        is right whichever file holds it, so the two merge without conflict)."""
        if self._entries is None:
            self._entries = _bytes_by_key(self.directory.read(SUMMARIES))
            self._journal = _bytes_by_key(self.directory.read(JOURNAL))
            self._entries.update(self._journal)
        return self._entries

    def has(self, key: str) -> bool:
        """Whether ``key`` has an entry (not yet checked to decode: :meth:`get` may still say None).

        The entry counts as used by this run (kept when the pack is saved),
        whether or not it is ever loaded: an incremental run needs the
        summaries of unchanged files only when their modules are re-checked.
        """
        if not self.enabled:
            return False
        data = self._load().get(key)
        if data is None:
            return False
        self._used[key] = data
        return True

    def has_summary(self, digest: str, name: str, is_package: bool) -> bool:
        """Whether a summary of this content under this name is cached, made with
        fingerprints or without (upgrade mode's serve tree mode too, see
        :func:`reloadlint.workers.summarize_cached`); marks it used as :meth:`has` does."""
        return any(
            self.has(summary_key(digest, name, is_package, fingerprints))
            for fingerprints in (False, True)
        )

    def get(self, key: str, path: str) -> SummaryResult | None:
        """The cached summary for ``key``, given ``path``; None when absent or not trustworthy."""
        decoded = SummaryCache.decoded
        if decoded is not None and key in decoded and self.has(key):
            return _placed(key, path)
        found = _entry(self._load(), key) if self.enabled else None
        if found is None or not _is_summary_result(found[0], key):
            return None
        value, self._used[key] = found
        summary, error = value
        if decoded is not None:
            decoded[key] = value
            return _placed(key, path)
        else:
            summary.path = path
        return summary, error

    def put(self, key: str, result: SummaryResult, pickled: bytes | None = None) -> None:
        """Remember a fresh result (files that could not be analysed are not cached);
        ``pickled``: the result as a worker process pickled it, stored as is."""
        if self.enabled and result[1] is None:
            self._fresh[key] = result, pickled

    def save(self) -> None:
        """Write the summaries this run made.

        A few new summaries (a file or two edited since the last run) go into
        the small journal: rewriting the whole pack for them was a third of
        the time of a one-file-changed run on the standard library. Once the
        journal holds an eighth of the pack's entries, both are folded into a
        new pack of the entries this run used or made, and recent others (see
        :data:`KEEP_UNUSED`).
        """
        if not self.enabled or not self._fresh:
            return
        made = {
            # The stored path is never used (``get`` sets the caller's).
            key: pickled if pickled is not None else dumps(result)
            for key, (result, pickled) in self._fresh.items()
        }
        entries = self._load()
        self._fresh = {}
        base = len(entries) - len(self._journal)
        if len(self._journal) + len(made) <= base // JOURNAL_FRACTION:
            self._journal.update(made)
            entries.update(made)
            self.directory.write(JOURNAL, self._journal)
            return
        kept = {**self._used, **made}
        older = {**self._journal, **entries}  # the newest first
        kept = _with_recent(kept, older, max(KEEP_UNUSED, len(kept)))
        self.directory.write(SUMMARIES, kept)
        self.directory.remove(JOURNAL)
        self._entries, self._journal = kept, {}


def _placed(key: str, path: str) -> SummaryResult:
    """The kept summary of ``key`` at ``path``: one copy per path, made once (a plan per
    save asks for every module of the project under the same path each time)."""
    assert SummaryCache.decoded is not None
    kept = SummaryCache.decoded[key]
    found = SummaryCache.placed.get((key, path))
    if found is None or found[0] is not kept:
        summary, error = kept
        found = kept, (dataclasses.replace(summary, path=path), error)
        SummaryCache.placed[key, path] = found
    return found[1]


def keep_decoded_summaries() -> None:
    """Keep every summary this process decodes from now on (in memory, by key) and hand
    out copies: a process that lints the same project again and again (the planner of
    ``reloadlint run``, one plan per save) decodes each one once instead of at every
    run. Summaries are never changed once made, so the copies share their parts."""
    if SummaryCache.decoded is None:
        SummaryCache.decoded = {}


def _with_recent(
    kept: Mapping[str, bytes], older: Mapping[str, bytes], extra: int
) -> dict[str, bytes]:
    """``kept`` and, in their order, up to ``extra`` entries of ``older`` it lacks:
    what a run did not use is kept for a while (linting a subdirectory does not
    evict the rest of the project), not forever."""
    out = dict(kept)
    limit = len(out) + extra
    for key, data in older.items():
        if len(out) >= limit:
            break
        out.setdefault(key, data)
    return out


def _entry(entries: Mapping[str, bytes], key: str) -> tuple[Any, bytes] | None:
    """The unpickled entry under ``key`` with its bytes; None if absent or undecodable
    (the caller still checks that it is what the key promises)."""
    data = entries.get(key)
    if data is None:
        return None
    try:
        return loads(data), data
    except ValueError:
        return None


def _bytes_by_key(payload: object) -> dict[str, bytes]:
    """A pack of pickled entries by key (summaries, fixes); {} for anything else."""
    valid = isinstance(payload, dict) and all(
        isinstance(k, str) and isinstance(v, bytes) for k, v in payload.items()
    )
    return payload if valid else {}  # type: ignore[return-value]


def _is_summary_result(value: object, key: str) -> bool:
    if not (isinstance(value, tuple) and len(value) == 2):
        return False
    summary, error = value
    if not isinstance(summary, model.ModuleSummary) or error is not None:
        return False
    return key in (
        summary_key(summary.digest, summary.name, summary.is_package, fingerprints)
        for fingerprints in (False, True)
    )


# ---------------------------------------------------------------- fix edits


class FixesCache:
    """The fix edits of each file with fixable findings, by its text and findings.

    JSON, JSON Lines and SARIF carry every fixable finding's edits, and libcst
    takes 0.1-0.6 s a file to compute them (:mod:`reloadlint.fixes.parallel`):
    without this, a warm SARIF run of Django would still take 40 s. The key
    is the file's text, whether it is a package and every field of each
    finding; the pack's stamp covers reloadlint's own version.
    """

    def __init__(self, directory: CacheDir) -> None:
        self.directory = directory
        self._entries: dict[str, bytes] | None = None
        self._kept: dict[str, bytes] = {}
        self._fresh = False

    @staticmethod
    def key(text: str, context: object, found: Sequence[diagnostics.Diagnostic]) -> str:
        """``context``: what else the fixes depend on (the module, the line length)."""
        return hash_parts([text, str(context), *(repr(d) for d in found)])

    def _load(self) -> dict[str, bytes]:
        if self._entries is None:
            payload = self.directory.read(FIXES)
            self._entries = _bytes_by_key(payload)
        return self._entries

    def get(self, key: str, count: int) -> list[diagnostics.Fix | None] | None:
        """The ``count`` fixes stored under ``key``; None when absent or not trustworthy."""
        found = _entry(self._load(), key) if self.directory.enabled else None
        if found is None:
            return None
        value, data = found
        valid = (
            isinstance(value, list)
            and len(value) == count
            and all(fix is None or isinstance(fix, diagnostics.Fix) for fix in value)
        )
        if not valid:
            return None
        self._kept[key] = data
        fixes: list[diagnostics.Fix | None] = value  # checked just above
        return fixes

    def put(self, key: str, fixes: list[diagnostics.Fix | None]) -> list[diagnostics.Fix | None]:
        """Remember ``fixes`` under ``key``; returns them."""
        if self.directory.enabled:
            self._kept[key] = dumps(fixes)
            self._fresh = True
        return fixes

    def save(self) -> None:
        """Write the entries this run used or made, and up to :data:`KEEP_UNUSED` others."""
        if not self._fresh:
            return
        kept = _with_recent(self._kept, self._load(), KEEP_UNUSED)
        self.directory.write(FIXES, kept)
        self._entries, self._fresh = kept, False


# ---------------------------------------------------------------- findings


class FindingsCache:
    """The filtered findings of recent runs, keyed by everything they depend on.

    Each run's findings are stored as their own blob of plain tuples, so that
    a run reads (and decodes) only its own findings, and writing a new run
    leaves the others' bytes as they are. Tuples, not pickled ``Diagnostic``
    objects: pickling a frozen data class calls Python code per object, which
    cost more than the rest of a warm run on the standard library's findings.
    """

    def __init__(self, directory: CacheDir) -> None:
        self.directory = directory
        self._runs: list[tuple[str, bytes]] | None = None

    def _load(self) -> list[tuple[str, bytes]]:
        if self._runs is None:
            payload = self.directory.read(FINDINGS)
            runs = []
            if isinstance(payload, list):
                for item in payload:
                    if _is_run(item):
                        runs.append(item)
            self._runs = runs
        return self._runs

    def get(self, key: str) -> list[diagnostics.Diagnostic] | None:
        if not self.directory.enabled:
            return None
        for run_key, data in self._load():
            if run_key == key:
                try:
                    return decode_findings(loads(data))
                except (ValueError, TypeError):
                    return None
        return None

    def put(self, key: str, found: list[diagnostics.Diagnostic]) -> None:
        if not self.directory.enabled:
            return
        runs = [(key, dumps(encode_findings(found)))]
        runs += [run for run in self._load() if run[0] != key]
        self._runs = runs[:FINDINGS_RUNS]
        self.directory.write(FINDINGS, self._runs)


def _is_run(item: object) -> bool:
    return (
        isinstance(item, tuple)
        and len(item) == 2
        and isinstance(item[0], str)
        and isinstance(item[1], bytes)
    )


def encode_findings(found: list[diagnostics.Diagnostic]) -> list[tuple[object, ...]]:
    return [
        (
            d.code, d.name, d.message, d.path,
            d.location.row, d.location.column, d.end_location.row, d.end_location.column,
            d.fix, d.fixable, d.symbol, d.context, d.noqa_row,
        )
        for d in found
    ]  # fmt: skip


def decode_findings(rows: object, path: str | None = None) -> list[diagnostics.Diagnostic]:
    """The findings back (in file ``path`` if given: the same file named another way);
    anything but what :func:`encode_findings` wrote is a ``TypeError``."""
    if not isinstance(rows, list):
        raise TypeError("not a list of findings")
    position, diagnostic = diagnostics.Position, diagnostics.Diagnostic
    found = []
    for row in rows:
        (code, name, message, stored, line, column, end_line, end_column,
         fix, fixable, symbol, context, noqa_row) = row  # fmt: skip
        # Spelled out, not looped: a warm run decodes thousands of rows.
        if not (
            type(code) is str
            and type(name) is str
            and type(message) is str
            and type(stored) is str
            and type(symbol) is str
            and type(context) is str
            and type(line) is int
            and type(column) is int
            and type(end_line) is int
            and type(end_column) is int
            and type(fixable) is bool
            and (noqa_row is None or type(noqa_row) is int)
            and (fix is None or isinstance(fix, diagnostics.Fix))
        ):
            raise TypeError("not a finding")
        found.append(
            diagnostic(
                code,
                name,
                message,
                path or stored,
                position(line, column),
                position(end_line, end_column),
                fix, fixable, symbol, context, noqa_row,
            )
        )  # fmt: skip
    return found


# ---------------------------------------------------------------- lazily loaded summaries


class LazySummaries(Mapping[str, model.ModuleSummary]):
    """Summaries by display path, unpickled (or summarised) only when asked for.

    A run answered from the findings cache never needs most summaries; the
    few a caller wants (fixes, baseline contexts) are loaded on demand.
    """

    def __init__(
        self,
        keys: Mapping[str, object],
        load: Callable[[str], model.ModuleSummary],
        loaded: dict[str, model.ModuleSummary] | None = None,
    ) -> None:
        self._keys = keys
        self._load = load
        self._loaded: dict[str, model.ModuleSummary] = dict(loaded or {})

    def __getitem__(self, path: str) -> model.ModuleSummary:
        found = self._loaded.get(path)
        if found is None:
            if path not in self._keys:
                raise KeyError(path)
            found = self._loaded[path] = self._load(path)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, path: object) -> bool:
        return path in self._keys


def content_digest(data: bytes) -> str:
    """The content hash summaries carry (``ModuleSummary.digest``)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()
