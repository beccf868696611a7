"""Run independent tasks in worker processes, surviving a worker that dies.

Summarising files (:mod:`reloadlint.workers`) and computing their fix edits
(:mod:`reloadlint.fixes.parallel`) are pure CPU work on independent files,
spread over a pool of processes (threads would share one interpreter lock).
Both need the same guarantees, given here once:

- a worker that dies (a segfault in a C extension such as libcst's native
  parser, the kernel's OOM killer) never stops the run: the tasks that were in
  flight are retried, each alone, and a task that kills its worker again is
  reported as crashed, for the caller to turn into a finding or a missing fix;
- a Python exception raised by a task is not a crash but a bug in
  reloadlint: it is reported, and the caller runs that task again in its own
  process, where the exception surfaces exactly as it does with ``--jobs 1``.

The task function must be importable by name (it is sent to workers by
reference); what it calls through module globals is looked up in the worker,
so a test can patch that to make a worker crash or raise.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future
    from multiprocessing.context import BaseContext

# concurrent.futures.process and multiprocessing cost ~20 ms to import, as much
# as the rest of a warm run's imports together, and a run answered from the
# cache never starts a pool: they are imported when one starts.

Item = TypeVar("Item")
Result = TypeVar("Result")

#: What a worker sends back per task: its index, and its result or the
#: traceback of the exception it raised.
_Outcome = tuple[int, bool, object]


@dataclass
class Outcome(Generic[Result]):
    """What :func:`run` made of every task."""

    #: the result of each task that finished, by index
    results: dict[int, Result] = field(default_factory=dict)
    #: tasks that raised an exception (a reloadlint bug: run them again in-process)
    bugs: list[int] = field(default_factory=list)
    #: tasks that killed their worker twice
    crashed: list[int] = field(default_factory=list)


def run(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    batches: list[list[int]],
    workers: int,
    *,
    report: bool = False,
) -> Outcome[Result]:
    """``function`` of every item, the items of a batch sent to a worker together;
    ``report``: advance the run's progress (:mod:`reloadlint.progress`) by a batch's
    items as each batch comes back."""
    outcome: Outcome[Result] = Outcome()
    pending = _round(function, items, batches, workers, outcome, report=report)
    if pending:
        # Something killed a worker: retry every task that was in flight, one per batch.
        suspects = _round(function, items, [[i] for i in pending], workers, outcome)
        for index in suspects:
            # Alone in its own pool, so that a second crash is this task's doing.
            if _round(function, items, [[index]], 1, outcome):
                outcome.crashed.append(index)
    return outcome


def _round(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    batches: list[list[int]],
    workers: int,
    outcome: Outcome[Result],
    *,
    report: bool = False,
) -> list[int]:
    """Run ``batches`` on a fresh pool into ``outcome``; the indices left
    unfinished when a worker died."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    from reloadlint import progress

    if not batches:
        return []
    unfinished: list[int] = []
    executor = ProcessPoolExecutor(
        max_workers=min(workers, len(batches)),
        mp_context=context(),
        initializer=_initialise_worker,
    )
    try:
        futures: dict[Future[list[_Outcome]], list[int]] = {
            executor.submit(_work, function, [(i, items[i]) for i in batch]): batch
            for batch in batches
        }
        for future in as_completed(futures):
            batch = futures[future]
            try:
                outcomes = future.result()
            except BrokenProcessPool:
                unfinished.extend(batch)
                continue
            if report:
                progress.advance(len(batch))
            for index, ok, value in outcomes:
                if ok:
                    outcome.results[index] = value  # type: ignore[assignment]
                else:
                    outcome.bugs.append(index)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return sorted(unfinished)


def _work(function: Callable[[Item], object], batch: list[tuple[int, Item]]) -> list[_Outcome]:
    """Runs in a worker: a Python exception is sent back, not raised."""
    outcomes: list[_Outcome] = []
    for index, item in batch:
        try:
            outcomes.append((index, True, function(item)))
        except Exception:  # run again in the parent, where it is raised for real
            import traceback

            outcomes.append((index, False, traceback.format_exc()))
    return outcomes


def _initialise_worker() -> None:
    # Ctrl-C goes to the whole process group: the parent handles it and shuts
    # the pool down; a worker printing its own KeyboardInterrupt would be noise.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def context() -> BaseContext:
    """``fork`` where it exists: a forked worker starts in milliseconds with
    reloadlint already imported; ``spawn`` (Windows, macOS) re-imports it."""
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()
