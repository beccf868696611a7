"""The server's live state: every job it accepted, done or still pending."""

from __future__ import annotations

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
    """

    __vsn__ = 1

    def __init__(self) -> None:
        self.jobs: list[Job] = []
        self.next_id = 1

    def submit(self, kind: str, text: str) -> Job:
        job = Job(self.next_id, kind, text)
        self.next_id += 1
        self.jobs.append(job)
        return job

    def next_pending(self) -> Job | None:
        return next((job for job in self.jobs if job.result is None), None)

    def finish(self, job: Job, result: str, handled_by: str) -> None:
        job.result, job.handled_by = result, handled_by

    def snapshot(self) -> dict[str, Any]:
        """What the server publishes in ``state.json``."""
        return {
            "class_vsn": type(self).__vsn__,
            "jobs": len(self.jobs),
            "done": sum(job.result is not None for job in self.jobs),
            "pending": sum(job.result is None for job in self.jobs),
            "results": [
                {"id": j.id, "kind": j.kind, "text": j.text, "result": j.result, "by": j.handled_by}
                for j in self.jobs
            ],
        }
