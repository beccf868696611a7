"""``reloadlint run`` on a real program, driven as a user drives it.

:class:`DevSession` starts ``reloadlint run -- COMMAND`` in a project (in a new
session, so that whatever it leaves behind can be killed with its group),
collects its standard output (the program's) and standard error (the
supervisor's lines and the program's) line by line, and waits for lines with
generous timeouts: nothing here measures time, so a loaded machine only makes
the tests slower.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

#: How long any one expected event may take (a loaded 2-core machine is slow, never this slow).
TIMEOUT = 120.0


class _Lines:
    """A stream's lines as they arrive, and a cursor for the next wait."""

    def __init__(self, stream: object) -> None:
        self.lines: list[str] = []
        self.cursor = 0
        self.cond = threading.Condition()
        self.closed = False
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()
        with self.cond:
            self.closed = True
            self.cond.notify_all()

    def wait_for(self, pattern: str, timeout: float = TIMEOUT, *, anywhere: bool = False) -> str:
        """The next line (after the last one waited for) that matches ``pattern``;
        ``anywhere``: any line, earlier ones too, and the cursor stays."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.cond:
            position = 0 if anywhere else self.cursor
            while True:
                while position < len(self.lines):
                    line = self.lines[position]
                    position += 1
                    if not anywhere:
                        self.cursor = position
                    if regex.search(line):
                        return line
                left = deadline - time.monotonic()
                if self.closed or left <= 0:
                    raise AssertionError(
                        f"no line matching {pattern!r}; got:\n" + "\n".join(self.lines)
                    )
                self.cond.wait(left)

    def text(self) -> str:
        with self.cond:
            return "\n".join(self.lines)


class DevSession:
    def __init__(
        self,
        project: Path,
        command: Sequence[str],
        *,
        options: Sequence[str] = (),
        env: dict[str, str] | None = None,
    ) -> None:
        self.project = project
        env = {**os.environ, **(env or {})}
        env.pop("RELOADLINT_RUN", None)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "reloadlint", "run", "--isolated", *options, "--", *command],
            cwd=project,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            env=env,
            start_new_session=True,
        )
        self.out = _Lines(self.process.stdout)
        self.err = _Lines(self.process.stderr)

    def __enter__(self) -> DevSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()

    def watching(self) -> None:
        """Wait until the supervisor's watcher is in place (edits before it are missed)."""
        self.err.wait_for(r"^reloadlint run: watching ", anywhere=True)

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def ask(self, line: str) -> str:
        """Send a job to a program that answers each line of its input with one line."""
        self.send(line)
        return self.out.wait_for(r".")

    def write(self, relative: str, text: str) -> None:
        """Save a file as many editors do: written next to it, then renamed over it.

        The file is never seen half-written: a truncation and a write that a loaded
        machine spreads over two bursts would make two plans (the supervisor handles
        that; a test waiting for one line would not know which one came)."""
        target = self.project / relative
        temporary = target.with_name(f".{target.name}.saving~")  # watchfiles ignores *~
        temporary.write_text(text)
        os.replace(temporary, target)

    def interrupt(self) -> int:
        """Ctrl-C as a signal to the supervisor alone; its exit status."""
        self.process.send_signal(signal.SIGINT)
        return self.wait()

    def wait(self) -> int:
        return self.process.wait(timeout=TIMEOUT)

    def kill(self) -> None:
        """Whatever is left of the session's process group."""
        with contextlib.suppress(OSError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=TIMEOUT)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass

    def transcript(self) -> str:
        return f"--- stdout\n{self.out.text()}\n--- stderr\n{self.err.text()}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str, timeout: float = TIMEOUT) -> str:
    """GET ``url``, retrying while the server is not (yet, or again) accepting."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return str(response.read().decode("utf-8"))
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            if time.monotonic() > deadline:
                raise AssertionError(f"{url} did not answer: {error}") from None
            time.sleep(0.1)


def get_until(url: str, pattern: str, timeout: float = TIMEOUT) -> str:
    """GET ``url`` until its body matches ``pattern`` (a restart takes a while)."""
    deadline = time.monotonic() + timeout
    while True:
        body = get(url, timeout)
        if re.search(pattern, body) or time.monotonic() > deadline:
            return body
        time.sleep(0.1)
