"""``reloadlint run``'s supervisor: the program's life from start to stop.

One thread (the caller's) takes events in order: bursts of file changes from
the watcher, messages from the program's agent, the program's exit, SIGTERM.
On a burst it asks the planner for a plan from what the program loaded to the
files on disk, then:

- ``hot``: sends the plan document to the agent, which applies it through
  :mod:`reloadlint.runtime` and answers; one line says what was reloaded and
  migrated. Only one plan is in flight; changes meanwhile are planned after it.
- ``restart``: prints the reasons in the lint's format, stops the program and
  starts it again.
- a file that does not parse: its error is printed and nothing is applied
  until it parses.

The program inherits the terminal; the supervisor's own lines go to stderr,
each starting with ``reloadlint run:``. Ctrl-C stops the program (a terminal
sends SIGINT to it too; otherwise the supervisor forwards it), then SIGTERM
and SIGKILL follow after ``grace`` seconds each if it does not end; the
program's exit status is the supervisor's. A program that exits by itself
with status 0 ends the run; one that fails waits for a change to start again.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import os
import queue
import signal
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from reloadlint.devloop import report
from reloadlint.devloop.planner import Outcome, Planner
from reloadlint.devloop.process import Event, Program, StartError, exit_status
from reloadlint.devloop.watch import Watcher

#: Seconds from its start a program gets to say hello before it counts as agent-less.
AGENT_TIMEOUT = 10.0
#: Seconds without new sources from the program before the supervisor warms its planner.
WARM_AFTER = 1.0
#: A refusal that only says the files changed again since the plan: plan again.
_STALE = "is not the plan's new version"


class Supervisor:
    def __init__(
        self,
        argv: Sequence[str],
        planner: Planner,
        *,
        roots: Sequence[Path],
        ignore: Sequence[Path] = (),
        grace: float = 5.0,
    ) -> None:
        self.argv = list(argv)
        self.planner = planner
        self.roots = list(roots)
        self.ignore = list(ignore)
        self.grace = grace
        self.events: queue.Queue[Event] = queue.Queue()
        self.backlog: collections.deque[Event] = collections.deque()
        self.generations = itertools.count(1)
        self.program: Program | None = None
        self.in_flight: int | None = None
        self.plan_ids = itertools.count(1)
        self.dirty = False
        self.saved_at = 0.0
        self.last_status = 0
        self.sync_deadline = 0.0
        self.outcome: Outcome | None = None
        self.announced = False
        #: when the program last reported sources, and the generation the planner was warmed for
        self.loaded_at = 0.0
        self.warmed: int | None = None

    # -- the loop -------------------------------------------------------------------

    def run(self) -> int:
        """Run until the program ends or the user stops it; returns the exit status."""
        previous = signal.signal(signal.SIGTERM, self._on_sigterm)
        watcher = Watcher(self.roots, self._on_changes, ignore=self.ignore)
        try:
            watcher.start()
            self._start()
            while True:
                kind, generation, payload = self._next()
                status = self._handle(kind, generation, payload)
                if status is not None:
                    return status
                if watcher.ready.is_set() and not self.announced:
                    self.announced = True
                    report.say(f"watching {', '.join(map(str, self.roots))} for changes")
        except KeyboardInterrupt:
            return self._interrupted()
        finally:
            watcher.stop()
            signal.signal(signal.SIGTERM, previous)

    def _next(self) -> Event:
        if self.backlog:
            return self.backlog.popleft()
        while True:
            try:
                return self.events.get(timeout=0.2)
            except queue.Empty:
                return ("tick", 0, None)

    def _on_changes(self, batch: set[tuple[str, str]]) -> None:
        self.events.put(("changes", 0, batch))

    def _on_sigterm(self, number: int, frame: FrameType | None) -> None:
        self.events.put(("signal", 0, number))

    def _handle(self, kind: str, generation: int, payload: Any) -> int | None:
        if kind == "changes":
            self._changes(payload)
        elif kind == "tick":
            self._tick()
        elif kind == "signal":
            return self._stop((signal.SIGTERM, signal.SIGKILL))
        elif self.program is not None and generation == self.program.generation:
            if kind == "message":
                self._message(payload)
            elif kind == "exited" and not self.program.stopping:
                return self._exited(payload)
        if self.dirty and self.in_flight is None:
            self._plan()
        return None

    def _changes(self, batch: set[tuple[str, str]]) -> None:
        """A burst of changes, merged with any others already waiting (one plan for all)."""
        self.saved_at = time.monotonic()
        merged = set(batch)
        while True:
            try:
                event = self.events.get_nowait()
            except queue.Empty:
                break
            if event[0] == "changes":
                merged |= event[2]
            else:
                self.backlog.append(event)
        self.planner.note_changed_files(merged)
        self.dirty = True

    # -- planning -------------------------------------------------------------------

    def _plan(self) -> None:
        self.dirty = False
        if self.program is None:
            report.say("a file changed: starting the program again")
            self._start()
            return
        # Plan only once every source the program recorded so far has arrived: the agent
        # answers `sync` after them (the watcher may report a save before they came in).
        # A program without the agent never answers: it is restarted after a while.
        ident = next(self.plan_ids)
        if self.program.send({"op": "sync", "id": ident}):
            self.in_flight = ident
            self.sync_deadline = max(self.program.started_at + AGENT_TIMEOUT, time.monotonic())
        else:
            self._no_agent()

    def _no_agent(self) -> None:
        report.say(
            "the program has not loaded reloadlint's agent, so no plan can be applied "
            "to it: restarting it (see `reloadlint.runtime.serve_dev()` in docs/devloop.md)"
        )
        self._restart()

    def _tick(self) -> None:
        if (
            self.program is not None
            and not self.program.connected
            and self.in_flight is not None
            and time.monotonic() > self.sync_deadline
        ):
            self._no_agent()
        else:
            self._warm()

    def _warm(self) -> None:
        """Once per program, when it has stopped reporting sources for a moment: one plan,
        thrown away, so that the first save finds the project summarised and its summaries
        kept (cold, a plan of 1,000 modules takes seconds; warm, a fraction of one).

        Nothing is applied or printed: a change the watcher saw is planned as always, and a
        planner error is reported by the plan that a save asks for."""
        program = self.program
        if (
            program is None
            or not program.connected
            or self.dirty
            or self.in_flight is not None
            or self.warmed == program.generation
            or time.monotonic() - self.loaded_at < WARM_AFTER
        ):
            return
        self.warmed = program.generation
        with contextlib.suppress(Exception):  # the next plan reports it (see the docstring)
            self.planner.plan()

    def _synced(self) -> None:
        self.in_flight = None
        if self.dirty:  # more changes came in meanwhile: sync for all of them
            return
        try:
            outcome = self.planner.plan()
        except Exception as error:  # the loop must survive a planner bug: say it, change nothing
            report.say(f"internal error while planning: {type(error).__name__}: {error}")
            return
        if outcome.kind == "broken":
            report.broken(outcome.errors)
        elif outcome.kind == "unchanged":
            report.say("no code change to apply")
        elif outcome.kind == "restart":
            report.restart_reasons(outcome.reasons, self.planner.root)
            self._restart()
        else:
            self._send(outcome)

    def _send(self, outcome: Outcome) -> None:
        assert self.program is not None and outcome.document is not None
        ident = next(self.plan_ids)
        if self.program.send({"op": "apply", "id": ident, "plan": outcome.document}):
            self.in_flight = ident
            self.outcome = outcome

    def _message(self, message: dict[str, Any]) -> None:
        assert self.program is not None
        event = message.get("event")
        if event == "hello":
            self.program.connected = True
        elif event == "loaded":
            self.planner.record(message.get("items") or [])
            self.loaded_at = time.monotonic()
        elif message.get("id") != self.in_flight:
            return
        elif event == "synced":
            self._synced()
        elif event == "waiting":
            report.say("the plan waits for the program's safe point (a request or job running)")
        elif event == "applied":
            self.in_flight = None
            report.applied(message, time.monotonic() - self.saved_at)
            self.planner.applied()
            if not message.get("ok"):
                report.say("the upgrade left the process partly upgraded (above): restarting")
                self._restart()
        elif event == "refused":
            self.in_flight = None
            problems = [str(p) for p in message.get("problems") or []]
            if self.dirty or (problems and all(_STALE in p for p in problems)):
                self.dirty = True  # the files changed again: a new plan will cover them
            else:
                report.refused(problems)
                self._restart()
        elif event == "failed":
            self.in_flight = None
            report.say(f"the upgrade failed: {message.get('error')}")
            report.say("restarting")
            self._restart()

    # -- the program's life ---------------------------------------------------------

    def _start(self) -> None:
        self.planner.new_process()
        self.in_flight = None
        try:
            self.program = Program(self.argv, self.roots, next(self.generations), self.events.put)
        except StartError as error:
            report.say(str(error))
            raise SystemExit(2) from None

    def _restart(self) -> None:
        if self.program is not None:
            self.program.stop(self.grace, (signal.SIGTERM, signal.SIGKILL))
        report.say("restarting the program")
        self._start()

    def _exited(self, returncode: int) -> int | None:
        status = exit_status(returncode)
        self.last_status = status
        self.program = None
        if status == 0:
            report.say("the program exited (status 0)")
            return 0
        report.say(
            f"the program exited with status {status}; waiting for a change to start it "
            "again (Ctrl-C to stop)"
        )
        return None

    def _stop(self, sequence: Sequence[int]) -> int:
        if self.program is None:
            return self.last_status
        try:
            return self.program.stop(self.grace, sequence)
        except KeyboardInterrupt:  # asked twice: do not wait any longer
            return self.program.stop(self.grace, (signal.SIGKILL,))

    def _interrupted(self) -> int:
        """Ctrl-C: a terminal sent SIGINT to the program too; anything else only to us."""
        first = (0,) if _terminal_signalled_group() else ()
        return self._stop((*first, signal.SIGINT, signal.SIGTERM, signal.SIGKILL))


def _terminal_signalled_group() -> bool:
    """Whether a Ctrl-C typed now reached the whole foreground process group (ours,
    which the program shares): the supervisor then only waits for it to end."""
    try:
        return os.isatty(0) and os.tcgetpgrp(0) == os.getpgrp()
    except OSError:
        return False
