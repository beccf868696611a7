"""The part of ``reloadlint run`` that lives in the program: it records what the
program loads and applies the plans the supervisor sends.

Started by the bootstrap (:mod:`reloadlint.devloop._site`) before the program's
first import, or by :func:`reloadlint.runtime.serve_dev` when the bootstrap
could not run. Standard library and :mod:`reloadlint.runtime` only: the
analysis runs in the supervisor, which sends the plan document. The runtime
is handed in by whoever starts the agent (it does not import it:
``serve_dev`` lives in the runtime, and imports point one way).

**What the program loaded.** A plan's base is the source the process compiled,
not a git revision and not the file as it is now. A meta path finder in front
of the others gives every first-party module (a ``.py`` file under the
project's roots) a loader that reads the source once, records those bytes and
compiles *them* (no ``.pyc`` is read: a bytecode file reused for a source
rewritten within the same second would run code the recording does not
show). The bytes go to the supervisor; their SHA-256 goes to the runtime, which
checks every plan's ``base_sha256`` against it. A reload goes through the same
loader, so after a plan the base is the new source.

**When a plan is applied.** As soon as it arrives, from the agent's own thread
(as jurigged and IPython's autoreload do), except while a unit of work is in
progress (:func:`reloadlint.devloop.safepoints.unit_of_work`: the integrations
wrap each request or job in one), or, once the program has called
:func:`reloadlint.devloop.safepoints.safe_point`, only at those calls.
"""

from __future__ import annotations

import atexit
import base64
import hashlib
import importlib.machinery
import json
import os
import queue
import socket
import sys
import threading
import types
from collections.abc import Sequence
from typing import Any

from reloadlint.devloop import safepoints
from reloadlint.devloop.protocol import ENVIRONMENT, Channel

_STARTED: list[_Agent] = []


class _RecordingLoader(importlib.machinery.SourceFileLoader):
    """Compiles the bytes it records (never a ``.pyc``), and records them."""

    def get_code(self, fullname: str) -> types.CodeType:
        path = self.get_filename(fullname)
        data = self.get_data(path)
        agent = _STARTED[0] if _STARTED else None
        if agent is not None:
            agent.record(fullname, path, data)
        return self.source_to_code(data, path)


class _Recorder:
    """A meta path finder that finds nothing itself: it asks the finders after it
    and gives the first-party source modules they find a :class:`_RecordingLoader`."""

    def __init__(self, roots: Sequence[str]) -> None:
        self.roots = [os.path.join(os.path.realpath(root), "") for root in roots]

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        spec = None
        try:
            position = sys.meta_path.index(self)
        except ValueError:
            return None
        for finder in sys.meta_path[position + 1 :]:
            find = getattr(finder, "find_spec", None)
            if find is not None:
                spec = find(fullname, path, target)
                if isinstance(spec, importlib.machinery.ModuleSpec):
                    break
        if not isinstance(spec, importlib.machinery.ModuleSpec):
            return None
        loader = spec.loader
        if type(loader) is importlib.machinery.SourceFileLoader and self.owns(spec.origin):
            spec.loader = _RecordingLoader(loader.name, loader.path)
        return spec

    def owns(self, origin: str | None) -> bool:
        if not origin or not origin.endswith(".py"):
            return False
        real = os.path.realpath(origin)
        return any(real.startswith(root) for root in self.roots)

    def invalidate_caches(self) -> None:
        """Nothing cached here (``importlib.invalidate_caches`` calls every finder)."""


class _Agent:
    def __init__(self, channel: Channel, roots: Sequence[str], runtime: types.ModuleType) -> None:
        self.channel = channel
        self.runtime = runtime  # reloadlint.runtime
        self.recorder = _Recorder(roots)
        self.outbox: queue.SimpleQueue[dict[str, Any] | None] = queue.SimpleQueue()
        self.main_module, self.main_path = _main_program()
        self.pending: dict[str, Any] | None = None
        self.pending_lock = threading.Condition()

    # -- recording ------------------------------------------------------------------

    def record(self, name: str, path: str, data: bytes) -> None:
        """Note the source a module was compiled from (any thread, never blocks)."""
        sha = hashlib.sha256(data).hexdigest()
        with self.runtime._LOCK:  # the runtime checks every plan's base against these
            self.runtime._LOADED_SHA256[name] = sha
        main = name in (self.main_module, f"{self.main_module}.__main__")
        item = {
            "module": name,
            "path": os.path.realpath(path),
            "sha256": sha,
            "main": main or os.path.realpath(path) == self.main_path,
            "source": base64.b64encode(data).decode("ascii"),
        }
        self.outbox.put({"event": "loaded", "items": [item]})

    def record_imported(self) -> None:
        """Record the first-party modules imported before the agent started
        (:func:`reloadlint.runtime.serve_dev`), from their files as they are now."""
        for name, module in list(sys.modules.items()):
            origin = getattr(getattr(module, "__spec__", None), "origin", None)
            if self.recorder.owns(origin):
                try:
                    with open(origin, "rb") as handle:  # type: ignore[arg-type]
                        data = handle.read()
                except OSError:
                    continue
                self.record(name, origin, data)  # type: ignore[arg-type]

    # -- threads --------------------------------------------------------------------

    def start(self) -> None:
        sys.meta_path.insert(0, self.recorder)
        importlib.invalidate_caches()
        hello = {
            "event": "hello",
            "pid": os.getpid(),
            "python": sys.version.split()[0],
            "main_module": self.main_module,
            "main_path": self.main_path,
        }
        self.outbox.put(hello)
        if self.main_path and self.recorder.owns(self.main_path):
            try:
                with open(self.main_path, "rb") as handle:
                    self.record("__main__", self.main_path, handle.read())
            except OSError:
                pass
        threads = [
            threading.Thread(target=target, name=f"reloadlint-run-{name}", daemon=True)
            for target, name in ((self._send, "send"), (self._read, "read"), (self._apply, "apply"))
        ]
        for thread in threads:
            thread.start()
        self.sender = threads[0]
        atexit.register(self.flush)

    def flush(self) -> None:
        """At exit: send what is still queued (a short program ends before its records
        are sent otherwise); the daemon threads die with the interpreter."""
        self.outbox.put(None)
        self.sender.join(timeout=5)

    def _send(self) -> None:
        while True:
            message = self.outbox.get()
            if message is None or not self.channel.send(message):
                return

    def _read(self) -> None:
        for message in self.channel:
            if message.get("op") == "sync":
                # After every source recorded so far: the supervisor plans from all of them.
                self.outbox.put({"event": "synced", "id": message.get("id")})
            elif message.get("op") == "apply" and isinstance(message.get("plan"), dict):
                with self.pending_lock:
                    if self.pending is not None:
                        self.outbox.put({"event": "superseded", "id": self.pending.get("id")})
                    self.pending = message
                    self.pending_lock.notify_all()
        # The supervisor is gone: nothing more will come; the program runs on.

    def _apply(self) -> None:
        while True:
            with self.pending_lock:
                while self.pending is None:
                    self.pending_lock.wait()
            if safepoints.only_at_safe_points():
                self.outbox.put({"event": "waiting", "id": self.pending.get("id")})
                safepoints.wait_for_safe_point(self.take_and_apply)
            else:
                if safepoints.busy():
                    self.outbox.put({"event": "waiting", "id": self.pending.get("id")})
                with safepoints.exclusive():
                    self.take_and_apply()

    def take_and_apply(self) -> None:
        """Apply the newest pending plan, if any (in the calling thread)."""
        with self.pending_lock:
            message, self.pending = self.pending, None
        if message is not None:
            self.outbox.put(_apply(message, self.runtime))


def _apply(message: dict[str, Any], runtime: types.ModuleType) -> dict[str, Any]:
    """Apply one plan and say what happened, as a message for the supervisor."""
    ident = message.get("id")
    try:
        report = runtime.apply_plan(message["plan"])
    except runtime.PlanRefused as exc:
        return {"event": "refused", "id": ident, "problems": exc.problems}
    except runtime.UpgradeError as exc:
        return {"event": "failed", "id": ident, "error": str(exc)}
    except Exception as exc:  # apply_plan raises nothing else; a bug must not kill the agent
        return {"event": "failed", "id": ident, "error": f"{type(exc).__name__}: {exc}"}
    migrated = [
        [c.name, c.old_vsn, c.new_vsn, c.migrated]
        for c in report.classes
        if c.vsn_changed and c.hooks_called
    ]
    return {
        "event": "applied",
        "id": ident,
        "ok": report.ok,
        "reloaded": report.modules_reloaded,
        "skipped": report.modules_skipped,
        "migrated": migrated,
        "repointed": sum(c.repointed for c in report.classes),
        "problems": report.problems,
        "report": str(report),
    }


def _main_program() -> tuple[str | None, str | None]:
    """What this interpreter runs as ``__main__``: a module (``-m``) or a script path.

    Read from the command line (``sys.orig_argv``, before the program starts):
    a module run with ``-m`` is compiled under its own name but runs as
    ``__main__``, so a reload could never reach it.
    """
    argv = list(getattr(sys, "orig_argv", sys.argv))[1:]
    with_value = set("WXQ")  # options that take the next argument (or the rest of this one)
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--" or not arg.startswith("-") or arg == "-":
            script = argv[index + 1] if arg == "--" and index + 1 < len(argv) else arg
            if script == "-":
                return None, None
            return None, os.path.realpath(script) if script.endswith(".py") else None
        if arg.startswith("--"):
            index += 1
            continue
        for position, flag in enumerate(arg[1:], start=1):
            rest = arg[position + 1 :]
            if flag == "m":
                return (rest or (argv[index + 1] if index + 1 < len(argv) else None)), None
            if flag == "c":
                return None, None
            if flag in with_value:
                index += 0 if rest else 1
                break
        index += 1
    return None, None


def start(config: dict[str, Any], runtime: types.ModuleType) -> bool:
    """Start the agent from the bootstrap's settings (once per process); ``runtime``:
    the module :mod:`reloadlint.runtime`, which applies the plans."""
    if _STARTED:
        return True
    fd, roots = config.get("fd"), config.get("roots")
    if type(fd) is not int or not isinstance(roots, list):
        return False
    sock = socket.socket(fileno=fd)
    sock.set_inheritable(False)  # the program's own children must not hold the channel
    agent = _Agent(Channel(sock), [str(root) for root in roots], runtime)
    _STARTED.append(agent)
    agent.start()
    return True


def start_from_environment(runtime: types.ModuleType, *, late: bool = False) -> bool:
    """Start the agent if this process runs under ``reloadlint run`` (its variable is
    taken out of the environment, so the program's own child processes do not
    start one); ``late``: modules already imported are recorded as they are now."""
    if _STARTED:
        return True
    text = os.environ.pop(ENVIRONMENT, None)
    if not text:
        return False
    try:
        config = json.loads(text)
    except ValueError:
        return False
    started = isinstance(config, dict) and start(config, runtime)
    if started and late:
        _STARTED[0].record_imported()
    return started
