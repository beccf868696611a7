"""The control channel between ``reloadlint run`` and the program it supervises.

A connected pair of local stream sockets (``socket.socketpair``: a Unix domain
socket, nothing listens on a network interface); the program's end is passed as
an inherited file descriptor named in the ``RELOADLINT_RUN`` environment
variable. Each message is one line of JSON (an object). The supervisor sends
``{"op": "sync", "id": N}`` (answered by ``synced`` once every source recorded
before it was sent) and ``{"op": "apply", "id": N, "plan": {...}}``; the program
sends ``event`` objects: ``hello``, ``loaded`` (the sources it compiled,
base64), ``synced``, ``waiting``, ``applied``, ``refused``, ``failed``,
``superseded``.

Standard library only: both halves import it.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

#: The environment variable that hands the program its end of the channel and its settings.
ENVIRONMENT = "RELOADLINT_RUN"
#: The original ``PYTHONPATH`` (the bootstrap's directory is put in front of it).
PYTHONPATH_BACKUP = "RELOADLINT_RUN_PYTHONPATH"
#: A message larger than this ends the channel (a plan is well under 1 kB per module;
#: a ``loaded`` batch carries at most a few sources).
MAX_MESSAGE = 64 * 1024 * 1024


class Channel:
    """One end of the channel: whole-line sends from any thread, reads from one."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._reader = sock.makefile("rb")
        self._lock = threading.Lock()

    def send(self, message: dict[str, Any]) -> bool:
        """Send one message; False when the other end is gone."""
        data = json.dumps(message, separators=(",", ":")).encode("utf-8") + b"\n"
        try:
            with self._lock:
                self.sock.sendall(data)
        except OSError:
            return False
        return True

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """The messages received, until the other end closes (or sends garbage)."""
        while True:
            try:
                line = self._reader.readline(MAX_MESSAGE + 1)
            except (OSError, ValueError):
                return
            if not line or not line.endswith(b"\n"):
                return
            try:
                message = json.loads(line)
            except ValueError:
                return
            if not isinstance(message, dict):
                return
            yield message

    def close(self) -> None:
        for closing in (self._reader.close, self.sock.close):
            with contextlib.suppress(OSError):
                closing()
