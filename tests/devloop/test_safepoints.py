"""Where a supervised program may be upgraded: units of work hold a plan back, a plan
holds new units back, and a program that calls ``safe_point()`` gets plans only there.
Threads are ordered with events, never with sleeps."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest

from reloadlint.devloop import safepoints

WAIT = 60.0


@pytest.fixture(autouse=True)
def _fresh_state() -> Iterator[None]:
    saved = dict(safepoints._STATE)
    depth = safepoints._DEPTH.set(0)
    yield
    safepoints._DEPTH.reset(depth)
    safepoints._STATE.update(saved)
    safepoints._HANDOFF.clear()


def test_a_plan_waits_for_the_unit_of_work_in_progress_and_holds_new_ones() -> None:
    log: list[str] = []
    in_unit, release, plan_waiting = threading.Event(), threading.Event(), threading.Event()

    def request() -> None:
        with safepoints.unit_of_work():
            log.append("request started")
            in_unit.set()
            release.wait(WAIT)
            log.append("request done")

    def upgrade() -> None:
        plan_waiting.set()
        with safepoints.exclusive():
            log.append("plan applied")

    first = threading.Thread(target=request)
    first.start()
    assert in_unit.wait(WAIT)
    assert safepoints.busy()
    writer = threading.Thread(target=upgrade)
    writer.start()
    assert plan_waiting.wait(WAIT)
    while not safepoints._STATE["writer_waiting"]:  # the writer is now blocked on the unit
        threading.Event().wait(0.01)

    def second_request() -> None:
        with safepoints.unit_of_work():
            log.append("second request started")

    second = threading.Thread(target=second_request)
    second.start()
    release.set()
    for thread in (first, writer, second):
        thread.join(WAIT)
    # The second request arrived while the plan waited: it ran after the plan.
    assert log == ["request started", "request done", "plan applied", "second request started"]


def test_nested_units_do_not_wait_for_a_pending_plan() -> None:
    with safepoints.unit_of_work():
        safepoints._STATE["writer_waiting"] = True
        with safepoints.unit_of_work():  # would deadlock if it waited for the writer
            assert safepoints._STATE["active"] == 2
        safepoints._STATE["writer_waiting"] = False
    assert safepoints._STATE["active"] == 0


def test_jobs_runs_each_job_in_a_unit_and_waits_outside() -> None:
    seen = []
    for job in safepoints.jobs(["a", "b"]):
        seen.append((job, safepoints.busy()))
    assert seen == [("a", True), ("b", True)]
    assert not safepoints.busy()


def test_asgi_middleware_marks_http_requests_only() -> None:
    seen = []

    async def app(scope: dict[str, str], receive: object, send: object) -> None:
        seen.append((scope["type"], safepoints.busy()))

    wrapped = safepoints.ASGIMiddleware(app)
    for kind in ("http", "lifespan", "websocket"):
        asyncio.run(wrapped({"type": kind}, None, None))  # type: ignore[arg-type]
    assert seen == [("http", True), ("lifespan", False), ("websocket", True)]


def test_wsgi_middleware_holds_the_unit_until_the_body_is_consumed() -> None:
    seen = []

    def body() -> Iterator[bytes]:
        seen.append(safepoints.busy())
        yield b"ok"

    def app(environ: dict[str, str], start_response: object) -> Iterator[bytes]:
        return body()

    assert safepoints.WSGIMiddleware(app)({}, None) == [b"ok"]
    assert seen == [True]
    assert not safepoints.busy()


def test_after_the_first_safe_point_plans_run_only_inside_safe_point() -> None:
    ran_in: list[str] = []
    safepoints.safe_point()  # the program declares its safe points
    assert safepoints.only_at_safe_points()
    handed = threading.Thread(
        target=safepoints.wait_for_safe_point,
        args=(lambda: ran_in.append(threading.current_thread().name),),
    )
    handed.start()
    while not safepoints._HANDOFF:
        threading.Event().wait(0.01)
    assert ran_in == []  # nothing runs until the program reaches its safe point
    safepoints.safe_point()
    handed.join(WAIT)
    assert ran_in == [threading.current_thread().name]
