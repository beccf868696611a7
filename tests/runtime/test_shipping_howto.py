"""The code docs/howto/shipping.md shows for threads and asyncio does what the
page says: an upgrade through the gate runs while no job runs, and holds new
jobs back until it is done; a synchronous upgrade on the event loop's thread
runs while no task does. The blocks are taken from the page itself, so the
page cannot drift from what is tested.
"""

from __future__ import annotations

import asyncio
import queue
import re
import threading
import types
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "howto" / "shipping.md"


def block(containing: str) -> str:
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.DOTALL)
    [found] = [b for b in blocks if containing in b]
    return found


class Recorder:
    """Stands in for ``reloadlint.runtime``: records what was running when an upgrade ran."""

    def __init__(self, probe):
        self.probe = probe
        self.seen: list[object] = []

    def apply_plan(self, plan):
        self.seen.append(self.probe())
        return f"applied {plan}"


def test_thread_gate_runs_the_upgrade_between_jobs() -> None:
    jobs: queue.Queue[threading.Event] = queue.Queue()
    started, running = threading.Event(), []
    lock = threading.Lock()

    def handle(release: threading.Event) -> None:
        with lock:
            running.append(release)
        started.set()
        release.wait(30)
        with lock:
            running.remove(release)

    namespace = {
        "jobs": jobs,
        "handlers": types.SimpleNamespace(handle=handle),
    }
    recorder = Recorder(lambda: list(running))
    namespace["runtime"] = recorder
    exec(block("class UpdateGate"), namespace)
    gate = namespace["gate"]

    for _ in range(2):
        threading.Thread(target=namespace["worker"], daemon=True).start()
    first = threading.Event()
    jobs.put(first)
    assert started.wait(30)

    upgraded = []
    upgrader = threading.Thread(target=lambda: upgraded.append(namespace["upgrade"]("plan.json")))
    upgrader.start()
    # The upgrade waits for the running job; a job queued meanwhile must wait for the upgrade.
    with gate._cond:
        assert gate._cond.wait_for(lambda: gate._closed, timeout=30)
    second = threading.Event()
    jobs.put(second)
    assert upgraded == [] and recorder.seen == []
    first.set()
    upgrader.join(30)
    assert upgraded == ["applied plan.json"]
    assert recorder.seen == [[]]  # no job was running during the upgrade
    second.set()


def test_asyncio_upgrade_runs_while_no_task_does() -> None:
    if not hasattr(asyncio.get_event_loop_policy().new_event_loop(), "add_signal_handler"):
        pytest.skip("no signal handlers in this event loop")
    code = block("add_signal_handler")
    inside = []

    async def task() -> None:
        for _ in range(50):
            inside.append(True)
            inside.pop()
            await asyncio.sleep(0)

    async def main() -> list[object]:
        recorder = Recorder(lambda: len(inside))
        namespace = {"runtime": recorder, "PLAN": "plan.json", "print": lambda *a: None}
        exec(code, namespace)
        tasks = [asyncio.create_task(task()) for _ in range(3)]
        await asyncio.sleep(0)
        namespace["upgrade_now"]()  # what the signal handler runs, on the loop's thread
        await asyncio.gather(*tasks)
        namespace["loop"].remove_signal_handler(namespace["signal"].SIGUSR1)
        return recorder.seen

    assert asyncio.run(main()) == [0]
