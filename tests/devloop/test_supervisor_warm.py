"""The supervisor warms its planner once per program, when the program is quiet: the first
save then finds the project summarised (cold, a plan of a large project takes seconds)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from reloadlint.devloop import supervisor
from reloadlint.devloop.supervisor import Supervisor


class CountingPlanner:
    def __init__(self, fail: bool = False) -> None:
        self.plans = 0
        self.fail = fail

    def plan(self) -> Any:
        self.plans += 1
        if self.fail:
            raise RuntimeError("a planner bug")


@dataclass
class QuietProgram:
    generation: int = 1
    connected: bool = True


def _supervisor(planner: CountingPlanner, *, loaded_ago: float) -> Supervisor:
    made = Supervisor(["python", "-c", "pass"], planner, roots=[])  # type: ignore[arg-type]
    made.program = QuietProgram()  # type: ignore[assignment]
    made.loaded_at = supervisor.time.monotonic() - loaded_ago
    return made


def test_one_warm_plan_per_program_once_it_stopped_loading() -> None:
    planner = CountingPlanner()
    made = _supervisor(planner, loaded_ago=supervisor.WARM_AFTER + 1)
    made._tick()
    made._tick()
    assert planner.plans == 1
    made.program = QuietProgram(generation=2)  # type: ignore[assignment]
    made._tick()
    assert planner.plans == 2


@pytest.mark.parametrize("state", ["loading", "dirty", "in flight", "no agent"])
def test_no_warm_plan_while_the_program_loads_or_a_plan_is_due(state: str) -> None:
    planner = CountingPlanner()
    made = _supervisor(planner, loaded_ago=0.0 if state == "loading" else 60.0)
    made.dirty = state == "dirty"
    made.in_flight = 7 if state == "in flight" else None
    if state == "no agent":
        made.program = QuietProgram(connected=False)  # type: ignore[assignment]
    made._tick()
    assert planner.plans == 0


def test_a_failing_warm_plan_is_silent_and_not_repeated(capsys: pytest.CaptureFixture[str]) -> None:
    planner = CountingPlanner(fail=True)
    made = _supervisor(planner, loaded_ago=60.0)
    made._tick()
    made._tick()
    assert planner.plans == 1
    assert capsys.readouterr().err == ""
