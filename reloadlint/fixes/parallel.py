"""Compute the fixes of many files in worker processes.

A format that carries fix edits (JSON, JSON Lines, SARIF) needs every fixable
finding's fix, and each file with one costs a libcst parse and scope analysis:
0.1-0.6 s a file, minutes on a large project. Files are independent, so they
are spread over ``--jobs`` processes, the largest first (so that no big file
starts last and keeps one worker busy alone).

Only the source text and the file's findings go to a worker, and only the
fixes come back. A worker that dies (libcst's native parser crashing on some
input) costs only the fixes of the files it held, and those findings lose
their ``[*]`` mark, as a fix that does not apply does; the run goes on. A
Python exception raised in a worker is a reloadlint bug: that file is fixed
again in this process, where it surfaces as it does with ``--jobs 1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reloadlint.diagnostics import Diagnostic, Fix

if TYPE_CHECKING:
    from concurrent.futures import Future

#: Fewer files than this are fixed in this process: starting workers costs
#: about as much as fixing a small file.
MIN_PARALLEL_FILES = 4


@dataclass(frozen=True, slots=True)
class FileTask:
    """One file to compute fixes for: its text and the findings to fix in it."""

    source: str
    diagnostics: tuple[Diagnostic, ...]
    is_package: bool


def fix_task(task: FileTask) -> list[Fix | None]:
    """Each finding's fix, or None where none applies (one libcst parse)."""
    from reloadlint.fixes.batch import fixes_for_file

    return fixes_for_file(task.source, task.diagnostics, is_package=task.is_package)


def fix_all(tasks: Sequence[FileTask], workers: int | None) -> list[list[Fix | None]]:
    """:func:`fix_task` of every task, in order; ``workers``: processes (None: one per core)."""
    from reloadlint.workers import default_jobs

    count = default_jobs() if workers is None else workers
    if count <= 1 or len(tasks) < MIN_PARALLEL_FILES:
        return [fix_task(task) for task in tasks]
    return _in_pool(tasks, min(count, len(tasks)))


def _in_pool(tasks: Sequence[FileTask], workers: int) -> list[list[Fix | None]]:
    results: list[list[Fix | None] | None] = [None] * len(tasks)
    order = sorted(range(len(tasks)), key=lambda i: len(tasks[i].source), reverse=True)
    unfinished, bugs = _round(tasks, order, workers, results)
    for index in unfinished:
        # A worker died with these in flight: each alone now, so that a second
        # crash is that file's doing (it gets no fixes) and the others get theirs.
        crashed, failed = _round(tasks, [index], 1, results)
        bugs += failed
        if crashed:
            results[index] = [None] * len(tasks[index].diagnostics)
    for index in bugs:
        results[index] = fix_task(tasks[index])  # raises here, with a real traceback
    return results  # type: ignore[return-value]


def _round(
    tasks: Sequence[FileTask],
    indexes: list[int],
    workers: int,
    results: list[list[Fix | None] | None],
) -> tuple[list[int], list[int]]:
    """Run ``indexes`` on a fresh pool, filling ``results``; the indexes left
    unfinished when a worker died, and those whose fixing raised."""
    from concurrent.futures import ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    import reloadlint.fixes.batch  # noqa: F401  - imported once, before forking
    from reloadlint.workers import initialise_worker, pool_context

    unfinished: list[int] = []
    bugs: list[int] = []
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=pool_context(),  # type: ignore[arg-type]
        initializer=initialise_worker,
    )
    try:
        futures: dict[Future[list[Fix | None]], int] = {
            executor.submit(fix_task, tasks[index]): index for index in indexes
        }
        wait(futures)
        for future, index in futures.items():
            try:
                results[index] = future.result()
            except BrokenProcessPool:
                unfinished.append(index)
            except Exception:
                bugs.append(index)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return unfinished, bugs
