"""Worker threads: take a job, run its handler, record the outcome, repeat."""

from __future__ import annotations

import logging
import threading
import time

from jobserver import settings
from jobserver.handlers import process
from jobserver.jobs import JobQueue, Status

log = logging.getLogger(__name__)


class Worker(threading.Thread):
    __vsn__ = 1

    def __init__(self, queue: JobQueue, name: str) -> None:
        super().__init__(name=name, daemon=True)
        self.queue = queue
        self.done = 0
        self._stopping = threading.Event()

    def run(self) -> None:
        while not self._stopping.is_set():
            job = self.queue.take()
            if job is None:
                time.sleep(settings.POLL_INTERVAL)
                continue
            job.start()
            try:
                job.finish(process(job.kind, job.args))
                self.done += 1
            except Exception as exc:
                log.warning("job %s (%s) failed: %s", job.id, job.kind, exc)
                job.fail(str(exc))
                if job.status is Status.PENDING:
                    self.queue.put_back(job)

    def stop(self) -> None:
        self._stopping.set()
