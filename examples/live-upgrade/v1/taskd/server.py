"""The server loop: accept jobs, run them one at a time, obey the operator.

Between two jobs the loop reaches its *update point*: it reads the control
directory and, when a reload plan is there, applies it with
``reloadlint.runtime.apply_plan``. No job is running at that moment and the
server has a single thread, which is the guarantee OTP's suspend/resume gives
around ``code_change``. ``suspend`` stops running jobs (new ones still queue
up) until ``resume``, so an operator can hold work back across an upgrade.

The loop calls ``handlers.handle`` and ``self.queue``'s methods at every job,
so once a plan has reloaded those modules and re-pointed the queue, the next
job runs the new code on the same live queue.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from reloadlint import runtime

from taskd import handlers, jobs


def log(message: str) -> None:
    print(message, flush=True)


class Server:
    """One job server: its queue, its mode, and what it did to itself."""

    __vsn__ = 1

    def __init__(self, spool: Path, *, tick: float = 0.05) -> None:
        self.spool = spool
        self.tick = tick
        self.queue = jobs.JobQueue()
        self.suspended = False
        self.stopping = False
        self.upgrades: list[dict[str, Any]] = []
        for name in ("inbox", "control"):
            (spool / name).mkdir(parents=True, exist_ok=True)

    def serve(self, max_seconds: float) -> None:
        """Run until ``stop`` arrives or ``max_seconds`` have passed."""
        deadline = time.monotonic() + max_seconds
        while not self.stopping:
            if time.monotonic() > deadline:
                log(f"no stop after {max_seconds:g} s, stopping anyway")
                break
            self.update_point()
            self.accept()
            job = None if self.suspended else self.queue.next_pending()
            if job is not None:
                self.run(job)
            self.publish()
            if job is None:
                time.sleep(self.tick)

    def update_point(self) -> None:
        """Obey the control files, oldest first: suspend, resume, stop, or a plan."""
        for path in sorted((self.spool / "control").iterdir()):
            if path.suffix == ".tmp":  # still being written
                continue
            command = path.name.partition("-")[2]
            if command.endswith(".plan.json"):
                self.apply(path)
            elif command == "suspend":
                self.suspended = True
                log("suspended: new jobs wait in the queue")
            elif command == "resume":
                self.suspended = False
                log("resumed: running jobs")
            elif command == "stop":
                self.stopping = True
                log("stop requested")
            else:
                log(f"unknown control file {path.name}, ignored")
            path.unlink()

    def apply(self, path: Path) -> None:
        """Apply a reload plan to this very process, and record the outcome."""
        log(f"update point: applying {path.name}")
        outcome: dict[str, Any] = {"plan": path.name}
        try:
            report = runtime.apply_plan(path)
        except runtime.PlanRefused as refused:
            outcome.update(completed=False, error=str(refused))
            text = str(refused)
        except runtime.UpgradeError as failed:
            outcome.update(completed=False, error=str(failed), steps=failed.report.steps)
            text = str(failed)
        else:
            outcome.update(
                completed=report.completed,
                modules=report.modules_reloaded,
                classes=[str(upgrade) for upgrade in report.classes if upgrade.repointed],
                hooks_called=report.hooks_called,
            )
            text = str(report)
        for line in text.splitlines():
            log(f"  {line}")
        self.upgrades.append(outcome)

    def accept(self) -> None:
        """Move new job files from the inbox into the queue."""
        for path in sorted((self.spool / "inbox").glob("*.json")):
            request = json.loads(path.read_text(encoding="utf-8"))
            job = self.queue.submit(request["kind"], request["text"])
            waits = " (suspended: it waits)" if self.suspended else ""
            log(f"accepted job {job.id}: {job.kind} {job.text!r}{waits}")
            path.unlink()

    def run(self, job: jobs.Job) -> None:
        try:
            result = handlers.handle(job)
        except LookupError as exc:
            result = f"error: {exc}"
        self.queue.finish(job, result, handlers.VERSION)
        log(f"job {job.id} {job.kind}({job.text!r}) -> {result!r}  [{handlers.VERSION}]")

    def publish(self) -> None:
        """Write the live state to ``state.json`` (atomically: readers never see half)."""
        state = {
            "pid": os.getpid(),
            "suspended": self.suspended,
            "stopping": self.stopping,
            "handlers": handlers.VERSION,
            "queue_id": id(self.queue),
            "queue_class_id": id(type(self.queue)),
            "queue": self.queue.snapshot(),
            "upgrades": self.upgrades,
        }
        partial = self.spool / "state.json.tmp"
        partial.write_text(json.dumps(state, indent=1), encoding="utf-8")
        os.replace(partial, self.spool / "state.json")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m taskd", description=__doc__.split("\n")[0])
    parser.add_argument("spool", type=Path, help="directory with inbox/ and control/")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="stop after this long")
    args = parser.parse_args(argv)
    # What a plan's base_sha256 is checked against: the code this process loaded.
    ours = [name for name in sys.modules if name == "taskd" or name.startswith("taskd.")]
    loaded = runtime.record_loaded(*ours)
    server = Server(args.spool)
    log(
        f"started, pid {os.getpid()}, {handlers.VERSION}, JobQueue __vsn__ "
        f"{jobs.JobQueue.__vsn__}, source hashes recorded for {', '.join(sorted(loaded))}"
    )
    server.serve(args.max_seconds)
    server.publish()
    log("stopped")
