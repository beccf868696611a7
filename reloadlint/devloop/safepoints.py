"""Where a program under ``reloadlint run`` may be upgraded (docs/devloop.md).

By default a plan is applied as soon as it is ready, from the agent's thread,
while the program's threads run on (as jurigged and IPython's autoreload do).
A program can say where an upgrade is safe instead:

- **Units of work** (:func:`unit_of_work`, :func:`async_unit_of_work`, and the
  integrations built on them: :class:`ASGIMiddleware`, :class:`WSGIMiddleware`,
  :func:`jobs`): a plan waits until no unit is in progress, and new units wait
  while it is applied. A request or a job never sees half an upgrade; an idle
  server is upgraded at once.
- **Safe points** (:func:`safe_point`): once a program has called it, plans are
  applied only inside that call, in the calling thread (a game loop, a job
  loop that must never be interrupted).

Outside ``reloadlint run`` every helper here does nothing but count: a program
may keep them in production. Standard library only.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, MutableMapping
from contextlib import asynccontextmanager, contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

_COND = threading.Condition()
_STATE = {"active": 0, "writer_waiting": False, "writing": False, "safe_points": False}
#: Units of work the current thread or task is inside (nested units never wait).
_DEPTH: contextvars.ContextVar[int] = contextvars.ContextVar("reloadlint_unit_depth", default=0)
_HANDOFF: list[Callable[[], None]] = []


def _enter_now() -> bool:
    """Enter a unit of work if no upgrade is pending or running (under ``_COND``)."""
    if _DEPTH.get() == 0 and (_STATE["writer_waiting"] or _STATE["writing"]):
        return False
    _STATE["active"] += 1
    _DEPTH.set(_DEPTH.get() + 1)
    return True


def _leave() -> None:
    with _COND:
        _STATE["active"] -= 1
        _DEPTH.set(_DEPTH.get() - 1)
        if not _STATE["active"]:
            _COND.notify_all()


@contextmanager
def unit_of_work() -> Iterator[None]:
    """One request or job: no plan is applied while it runs.

    Nested units (a job inside a request) count once; the thread does not wait for
    an upgrade it would itself block."""
    with _COND:
        while not _enter_now():
            _COND.wait()
    try:
        yield
    finally:
        _leave()


@asynccontextmanager
async def async_unit_of_work() -> AsyncIterator[None]:
    """:func:`unit_of_work` for coroutines: waiting for an upgrade never blocks the
    event loop (other requests in flight on it must be able to finish)."""
    import asyncio  # here: a program that never awaits does not pay for importing it

    while True:
        with _COND:
            if _enter_now():
                break
        await asyncio.sleep(0.005)
    try:
        yield
    finally:
        _leave()


def jobs(source: Iterable[T]) -> Iterator[T]:
    """Each job of ``source`` handled inside a unit of work::

        for job in safepoints.jobs(iter(queue.get, None)):
            handle(job)

    The wait for the next job is outside any unit: that is when plans apply."""
    for job in source:
        with unit_of_work():
            yield job


class ASGIMiddleware:
    """Each HTTP or WebSocket connection is a unit of work (``lifespan`` is not)."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[Any]],
        send: Callable[[Any], Awaitable[None]],
    ) -> None:
        if scope.get("type") not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        async with async_unit_of_work():
            await self.app(scope, receive, send)


class WSGIMiddleware:
    """Each request, until its response body is consumed, is a unit of work."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        with unit_of_work():
            result = self.app(environ, start_response)
            try:
                body = list(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        return body


def safe_point() -> None:
    """Apply a plan that is waiting, here, in this thread; from the first call on,
    plans are applied only at these calls. Does nothing outside ``reloadlint run``."""
    with _COND:
        _STATE["safe_points"] = True
        work = _HANDOFF.pop() if _HANDOFF else None
    if work is not None:
        try:
            work()
        finally:
            with _COND:
                _COND.notify_all()


# -- the agent's side -------------------------------------------------------------------


def busy() -> bool:
    with _COND:
        return bool(_STATE["active"])


def only_at_safe_points() -> bool:
    with _COND:
        return bool(_STATE["safe_points"])


@contextmanager
def exclusive() -> Iterator[None]:
    """Wait until no unit of work runs and hold new ones back meanwhile (the agent
    applies a plan inside)."""
    with _COND:
        _STATE["writer_waiting"] = True
        while _STATE["active"]:
            _COND.wait()
        _STATE["writer_waiting"], _STATE["writing"] = False, True
    try:
        yield
    finally:
        with _COND:
            _STATE["writing"] = False
            _COND.notify_all()


def wait_for_safe_point(work: Callable[[], None]) -> None:
    """Hand ``work`` to the next :func:`safe_point` call and wait until it ran."""
    with _COND:
        _HANDOFF[:] = [work]
        while _HANDOFF and _HANDOFF[0] is work:
            _COND.wait()
