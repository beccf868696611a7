"""Summarise files in worker processes.

Parsing and summarising are pure CPU work on independent files, so they are
spread over a pool of processes (threads would share one interpreter lock).
Only bytes go to a worker and only :class:`~reloadlint.summary.model.ModuleSummary`
objects come back: an AST never crosses a process boundary (pickling a tree
costs more than parsing it again).

A pool is worth starting only when there is enough to do: forking a worker and
shipping its results back costs a few milliseconds, so a handful of files (a
pre-commit run on the files of one commit, a cache that is warm but for one
file) is summarised in this process.

A worker that dies never stops the run (:mod:`reloadlint.pool`): a file that
kills its worker twice is reported as not analysable (:data:`CRASH_CODE`),
and one whose summarising raises is summarised again in this process, so the
exception surfaces exactly as it does with ``--jobs 1``.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Sequence
from dataclasses import dataclass

from reloadlint import collector, progress, source
from reloadlint.cache import SummaryCache, dumps, summary_key
from reloadlint.summary import SummaryResult, summarize_bytes
from reloadlint.summary.model import ModuleSummary

#: Below this many bytes of source in total, summarising in this process is
#: faster than starting workers (measured: see bench/README.md).
MIN_PARALLEL_BYTES = 256 * 1024
#: Below this many files, too: a pool cannot balance fewer files than workers.
MIN_PARALLEL_FILES = 8
#: A chunk of work sent to a worker in one message: large enough that the
#: round trip is noise, small enough that the last chunks balance the load.
CHUNK_BYTES = 192 * 1024
#: The code a file gets when analysing it kills a worker twice.
CRASH_CODE = "RL903"


@dataclass(frozen=True, slots=True)
class Job:
    """One file to summarise: its bytes (or why they could not be read) and its names."""

    data: bytes | source.SourceError
    path: str
    name: str
    is_package: bool
    fingerprints: bool = False

    @property
    def size(self) -> int:
        return len(self.data) if isinstance(self.data, bytes) else 0


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def worth_a_pool(jobs: Sequence[Job], workers: int) -> bool:
    """Whether starting ``workers`` processes pays for itself on ``jobs``."""
    if workers <= 1 or len(jobs) < MIN_PARALLEL_FILES:
        return False
    return sum(job.size for job in jobs) >= MIN_PARALLEL_BYTES


def summarize_jobs(jobs: Sequence[Job], workers: int | None = None) -> list[SummaryResult]:
    """The summary of every job, in the order given.

    ``workers``: processes to use (None: one per core); 1 summarises in this
    process, as does any input too small to be worth a pool.
    """
    return [result for result, _ in _summarize(jobs, workers)]


def _summarize(
    jobs: Sequence[Job], workers: int | None
) -> list[tuple[SummaryResult, bytes | None]]:
    """Results, each with its pickle when it came from a worker (the cache stores that as is)."""
    count = default_jobs() if workers is None else workers
    if not worth_a_pool(jobs, count):
        return [(_summarize_one(job), None) for job in jobs]
    return _Parallel(jobs, min(count, len(jobs))).run()


def summarize_cached(
    jobs: Sequence[Job], workers: int | None = None, cache: SummaryCache | None = None
) -> list[SummaryResult]:
    """:func:`summarize_jobs` for the jobs ``cache`` cannot answer; their results are added to it.

    A tree-mode job may use a summary made with fingerprints (upgrade mode
    adds them, and nothing else changes).
    """
    if cache is None or not cache.enabled:
        return summarize_jobs(jobs, workers)
    results: list[SummaryResult | None] = [None] * len(jobs)
    missing: list[tuple[int, str]] = []
    for index, job in enumerate(jobs):
        if not isinstance(job.data, bytes):
            missing.append((index, ""))
            continue
        digest = hashlib.blake2b(job.data, digest_size=16).hexdigest()
        key = summary_key(digest, job.name, job.is_package, job.fingerprints)
        found = cache.get(key, job.path)
        if found is None and not job.fingerprints:
            found = cache.get(summary_key(digest, job.name, job.is_package, True), job.path)
        if found is None:
            missing.append((index, key))
        else:
            results[index] = found
    progress.advance(len(jobs) - len(missing))
    fresh = _summarize([jobs[index] for index, _ in missing], workers)
    for (index, key), (result, pickled) in zip(missing, fresh, strict=True):
        results[index] = result
        if key:
            cache.put(key, result, pickled)
    cache.save()
    return results  # type: ignore[return-value]


def _summarize_one(job: Job) -> SummaryResult:
    result = summarize_job(job)
    progress.advance()
    return result


def summarize_job(job: Job) -> SummaryResult:
    return summarize_bytes(
        job.data, job.path, job.name, job.is_package, fingerprints=job.fingerprints
    )


# ---------------------------------------------------------------- in a worker


def _pickled_summary(job: Job) -> bytes:
    """Runs in a worker. Pickled here, and kept as bytes in the parent: the
    summary cache stores exactly these bytes, so the parent never pickles a summary.
    A forked worker inherits the parent's paused collector; a spawned one pauses it here."""
    with collector.paused():
        return dumps(summarize_job(job))


# ---------------------------------------------------------------- in the parent


class _Parallel:
    """One parallel summarisation (:func:`reloadlint.pool.run`: a file that
    crashes its worker twice becomes a :data:`CRASH_CODE` finding)."""

    def __init__(self, jobs: Sequence[Job], workers: int) -> None:
        self.jobs = jobs
        self.workers = workers

    def run(self) -> list[tuple[SummaryResult, bytes | None]]:
        # Imported before forking, so that no worker imports it on its own.
        import reloadlint.summary.builder  # noqa: F401
        from reloadlint import pool

        outcome = pool.run(
            _pickled_summary,
            self.jobs,
            _batches(self.jobs, self.workers),
            self.workers,
            report=True,
        )
        crashed = set(outcome.crashed)
        results: list[tuple[SummaryResult, bytes | None]] = []
        for index, job in enumerate(self.jobs):
            pickled = outcome.results.get(index)
            if pickled is not None:
                # Our own worker's output: plain (fast) unpickling is safe here.
                results.append((pickle.loads(pickled), pickled))
            elif index in crashed:
                results.append((_crashed(job), None))
            else:
                # A bug: raises the summariser's exception here, with a real traceback.
                results.append((summarize_job(job), None))
        return results


def _batches(jobs: Sequence[Job], workers: int) -> list[list[int]]:
    """Indices grouped into chunks of about :data:`CHUNK_BYTES`, largest files first
    (so that no big file starts last and keeps one worker busy alone), and no
    chunk larger than an even share of the work."""
    order = sorted(range(len(jobs)), key=lambda i: jobs[i].size, reverse=True)
    total = sum(job.size for job in jobs)
    limit = max(1, min(CHUNK_BYTES, total // (workers * 4) or 1))
    batches: list[list[int]] = []
    current: list[int] = []
    size = 0
    for index in order:
        current.append(index)
        size += jobs[index].size
        if size >= limit:
            batches.append(current)
            current, size = [], 0
    if current:
        batches.append(current)
    return batches


def _crashed(job: Job) -> SummaryResult:
    data = job.data if isinstance(job.data, bytes) else b""
    digest = hashlib.blake2b(data, digest_size=16).hexdigest() if data else ""
    summary = ModuleSummary(job.path, job.name, job.is_package, digest)
    message = "analysing this file crashed a worker process twice; not analysed"
    return summary, source.SourceError(CRASH_CODE, message)
