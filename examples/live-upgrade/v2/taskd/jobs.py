"""The server's live state: every job it accepted, done or still pending."""

from __future__ import annotations

import collections
from dataclasses import dataclass
from typing import Any


@dataclass
class Job:
    """One job: what to do (``kind``) to which ``text``, and what came of it."""

    id: int
    kind: str
    text: str
    result: str | None = None
    handled_by: str | None = None


class JobQueue:
    """Jobs in arrival order; a job without a result is pending.

    This object lives as long as the server process: an upgrade re-points it
    at the new class and must not lose a single job.

    Version 2 counts finished jobs per kind (``done_by_kind``).
    """

    __vsn__ = 2

    def __init__(self) -> None:
        self.jobs: list[Job] = []
        self.next_id = 1
        self.done_by_kind: collections.Counter[str] = collections.Counter()

    def __code_change__(self, old_vsn: int, extra: Any) -> None:
        """Bring a live version-1 queue up to version 2: count what it already finished."""
        if old_vsn == 1:
            self.done_by_kind = collections.Counter(
                job.kind for job in self.jobs if job.result is not None
            )

    def submit(self, kind: str, text: str) -> Job:
        job = Job(self.next_id, kind, text)
        self.next_id += 1
        self.jobs.append(job)
        return job

    def next_pending(self) -> Job | None:
        return next((job for job in self.jobs if job.result is None), None)

    def finish(self, job: Job, result: str, handled_by: str) -> None:
        job.result, job.handled_by = result, handled_by
        self.done_by_kind[job.kind] += 1

    def snapshot(self) -> dict[str, Any]:
        """What the server publishes in ``state.json``."""
        return {
            "class_vsn": type(self).__vsn__,
            "jobs": len(self.jobs),
            "done": sum(job.result is not None for job in self.jobs),
            "pending": sum(job.result is None for job in self.jobs),
            "done_by_kind": dict(sorted(self.done_by_kind.items())),
            "results": [
                {"id": j.id, "kind": j.kind, "text": j.text, "result": j.result, "by": j.handled_by}
                for j in self.jobs
            ],
        }
