"""Jobs and the queue that holds them while they wait, run and finish."""

from __future__ import annotations

import collections
import enum
import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from jobserver.settings import MAX_RETRIES


class Status(enum.Enum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


@dataclass
class Job:
    """One unit of work: a handler name and its arguments."""

    id: int
    kind: str
    args: dict[str, Any]
    status: Status = Status.PENDING
    attempts: int = 0
    result: Any = None
    error: str | None = None
    created: float = field(default_factory=time.time)

    def start(self) -> None:
        self.status = Status.RUNNING
        self.attempts += 1

    def finish(self, result: Any) -> None:
        self.status = Status.DONE
        self.result = result

    def fail(self, error: str) -> None:
        """Record a failure; the job goes back to the queue until it runs out of retries."""
        self.error = error
        self.status = Status.FAILED if self.attempts >= MAX_RETRIES else Status.PENDING


class JobQueue:
    """The server's live state: every job it has accepted, by id, plus the ones waiting."""

    __vsn__ = 1

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._waiting: collections.deque[Job] = collections.deque()
        self.jobs: dict[int, Job] = {}

    def submit(self, kind: str, **args: Any) -> Job:
        with self._lock:
            job = Job(next(self._ids), kind, args)
            self.jobs[job.id] = job
            self._waiting.append(job)
            return job

    def take(self) -> Job | None:
        with self._lock:
            return self._waiting.popleft() if self._waiting else None

    def put_back(self, job: Job) -> None:
        with self._lock:
            self._waiting.append(job)

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(collections.Counter(job.status.value for job in self.jobs.values()))
