"""Start the queue and the worker pool; ``python -m jobserver.server`` runs a short demo."""

from __future__ import annotations

import logging
import time

from jobserver import jobs, settings, worker


def start() -> tuple[jobs.JobQueue, list[worker.Worker]]:
    queue = jobs.JobQueue()
    pool = [worker.Worker(queue, f"worker-{n}") for n in range(settings.WORKERS)]
    for thread in pool:
        thread.start()
    return queue, pool


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(threadName)s %(message)s")
    queue, pool = start()
    queue.submit("word_count", text="the quick brown fox")
    queue.submit("report", name="hello", lines=["hello", "world"])
    queue.submit("resize", width=640)
    time.sleep(1)
    for thread in pool:
        thread.stop()
    print(queue.counts())


if __name__ == "__main__":
    main()
