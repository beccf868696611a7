"""Compute the fixes of many files in worker processes.

A format that carries fix edits (JSON, JSON Lines, SARIF) needs every fixable
finding's fix, and each file with one costs an ``ast`` parse and a scope walk
(and a libcst parse for an import laid out over several lines). Files are
independent, so on a large project they are spread over ``--jobs``
processes, the largest first (so that no big file starts last and keeps one
worker busy alone).

Only the source text and the file's findings go to a worker, and only the
fixes come back. A file that kills its worker twice (libcst's native parser
crashing on some input; see :mod:`reloadlint.pool`) gets no fixes, and its
findings lose their ``[*]`` mark, as a fix that does not apply does; the run
goes on. A Python exception raised in a worker is a reloadlint bug: that file
is fixed again in this process, where it surfaces as it does with ``--jobs 1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reloadlint.diagnostics import Diagnostic, Fix
from reloadlint.fixes.style import UNLIMITED, Style

#: Fewer files than this are fixed in this process: starting workers costs
#: about as much as fixing a small file.
MIN_PARALLEL_FILES = 4

#: Less source than this (characters, all files together) is fixed in this
#: process too: fixing costs ~0.4 s of CPU a megabyte (one ``ast`` parse and
#: scope walk per file), and starting workers ~0.15 s each, which on a project
#: of werkzeug's size (1 MB with findings) was a third of the JSON output's cost.
MIN_PARALLEL_CHARS = 3_000_000


@dataclass(frozen=True, slots=True)
class FileTask:
    """One file to compute fixes for: its text and the findings to fix in it."""

    source: str
    diagnostics: tuple[Diagnostic, ...]
    is_package: bool
    module: str = ""
    style: Style = UNLIMITED
    #: names other modules use from this one (their imports stay)
    keep: frozenset[str] = frozenset()


def fix_task(task: FileTask) -> list[Fix | None]:
    """Each finding's fix, or None where none applies (one parse)."""
    from reloadlint.fixes.batch import fixes_for_file

    return fixes_for_file(
        task.source,
        task.diagnostics,
        is_package=task.is_package,
        module=task.module,
        style=task.style,
        keep=task.keep,
    )


def fix_all(tasks: Sequence[FileTask], workers: int | None) -> list[list[Fix | None]]:
    """:func:`fix_task` of every task, in order; ``workers``: processes (None: one per core)."""
    from reloadlint import pool
    from reloadlint.workers import default_jobs

    count = default_jobs() if workers is None else workers
    small = sum(len(task.source) for task in tasks) < MIN_PARALLEL_CHARS
    if count <= 1 or len(tasks) < MIN_PARALLEL_FILES or small:
        return [fix_task(task) for task in tasks]
    import reloadlint.fixes.batch  # noqa: F401  - imported once, before forking

    # One file a batch, the largest first: a file costs 0.1-0.6 s, far more than a round trip.
    order = sorted(range(len(tasks)), key=lambda i: len(tasks[i].source), reverse=True)
    outcome = pool.run(fix_task, tasks, [[i] for i in order], min(count, len(tasks)))
    crashed = set(outcome.crashed)
    results: list[list[Fix | None]] = []
    for index, task in enumerate(tasks):
        if index in outcome.results:
            results.append(outcome.results[index])
        elif index in crashed:
            results.append([None] * len(task.diagnostics))
        else:
            results.append(fix_task(task))  # a bug: raises here, with a real traceback
    return results
