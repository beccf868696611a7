"""One run of the supervised program: its process, its end of the control channel,
and the threads that turn both into events for the supervisor.

The program inherits the terminal's standard input, output and error, so its
output reaches the user as it wrote it. Its end of the channel is a file
descriptor it inherits (named in ``RELOADLINT_RUN`` with the project's roots),
and the bootstrap directory goes first on its ``PYTHONPATH``
(:mod:`reloadlint.devloop._site`).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reloadlint.devloop.protocol import ENVIRONMENT, PYTHONPATH_BACKUP, Channel

#: The bootstrap's directory: a ``sitecustomize`` module and nothing else.
SITE_DIR = Path(__file__).with_name("_site")

Event = tuple[str, int, Any]


class StartError(Exception):
    """The command could not be started (not found, not executable)."""


class Program:
    """A started program; ``events`` receives ``("message", generation, dict)`` for each
    message and ``("exited", generation, returncode)`` when it ends."""

    def __init__(
        self,
        argv: Sequence[str],
        roots: Sequence[Path],
        generation: int,
        events: Callable[[Event], None],
    ) -> None:
        self.generation = generation
        ours, theirs = socket.socketpair()
        env = dict(os.environ)
        config = {"fd": theirs.fileno(), "roots": [str(root) for root in roots]}
        env[ENVIRONMENT] = json.dumps(config)
        original = env.get("PYTHONPATH", "")
        env[PYTHONPATH_BACKUP] = original
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SITE_DIR), original) if p)
        try:
            self.process = subprocess.Popen(list(argv), env=env, pass_fds=[theirs.fileno()])
        except OSError as error:
            ours.close()
            raise StartError(f"cannot start {argv[0]!r}: {error.strerror or error}") from None
        finally:
            theirs.close()
        self.channel = Channel(ours)
        self.started_at = time.monotonic()
        self.connected = False
        self.stopping = False
        threading.Thread(
            target=self._read, args=(events,), name="reloadlint-run-read", daemon=True
        ).start()
        threading.Thread(
            target=self._wait, args=(events,), name="reloadlint-run-wait", daemon=True
        ).start()

    def _read(self, events: Callable[[Event], None]) -> None:
        for message in self.channel:
            events(("message", self.generation, message))

    def _wait(self, events: Callable[[Event], None]) -> None:
        events(("exited", self.generation, self.process.wait()))

    @property
    def pid(self) -> int:
        return self.process.pid

    def send(self, message: dict[str, Any]) -> bool:
        return self.channel.send(message)

    def signal(self, number: int) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(OSError):  # it ended meanwhile
                self.process.send_signal(number)

    def stop(self, grace: float, sequence: Sequence[int]) -> int:
        """Send each signal of ``sequence`` in turn (0: one already sent, only wait),
        waiting ``grace`` seconds for the program to end after each one but SIGKILL;
        returns its exit status."""
        self.stopping = True
        for number in sequence:
            if number:
                self.signal(number)
            try:
                self.process.wait(timeout=None if number == signal.SIGKILL else grace)
                break
            except subprocess.TimeoutExpired:
                continue
        self.channel.close()
        return exit_status(self.process.returncode)


def exit_status(returncode: int | None) -> int:
    """A shell's exit status for a child's return code (killed by signal N: 128 + N)."""
    if returncode is None:
        return 1
    return 128 - returncode if returncode < 0 else returncode
