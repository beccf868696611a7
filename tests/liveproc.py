"""A live Python process that runs v1 of a repository and applies reload plans on request.

Tests of the plan and the runtime need what a deployment has: a process that
imported the old code, holds objects made by it, and applies a plan made
afterwards from the new code on disk. :class:`LiveProcess` starts one (a real
interpreter, no bytecode written), imports the given modules, runs a set-up
snippet (which keeps live objects in its namespace), calls
``runtime.record_loaded()`` and then serves commands: apply a plan, then run a
check snippet in the same namespace, and answer with one JSON line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

_SERVER = r"""
import importlib, json, sys, traceback
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
from reloadlint import runtime
space = {"runtime": runtime, "importlib": importlib, "sys": sys}
for name in json.loads(sys.argv[2]):
    space[name.replace(".", "_")] = importlib.import_module(name)
exec(sys.argv[3], space)
runtime.record_loaded()
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    command = json.loads(line)
    answer = {}
    try:
        report = runtime.apply_plan(command["plan"])
        answer["raised"] = None
    except runtime.RuntimeUpgradeError as exc:
        report = getattr(exc, "report", None)
        answer["raised"] = type(exc).__name__
        answer["error"] = str(exc)
        answer["problems"] = getattr(exc, "problems", [])
    except BaseException as exc:
        report = None
        answer["raised"] = "raw:" + type(exc).__name__
        answer["error"] = "".join(traceback.format_exception(exc))
    if report is not None:
        answer["report"] = {
            "completed": report.completed,
            "ok": report.ok,
            "reloaded": report.modules_reloaded,
            "problems": report.problems,
            "notes": report.notes,
            "steps": report.steps,
            "text": str(report),
        }
    space["report"], space["answer"] = report, answer
    try:
        exec(command["check"], space)
    except BaseException as exc:
        answer["check_error"] = "".join(traceback.format_exception(exc))
    print(json.dumps(answer, default=repr), flush=True)
"""


class LiveProcess:
    """A process that imported ``imports`` from ``root`` and ran ``setup`` (see the module doc)."""

    def __init__(self, root: Path, imports: list[str], setup: str = "") -> None:
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _SERVER, str(root), json.dumps(imports), setup],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        first = self._read()
        if first.get("ready") is not True:
            raise AssertionError(f"the live process did not start: {first}")

    def apply(self, plan: dict[str, Any] | Path, check: str = "") -> dict[str, Any]:
        """Apply ``plan`` (a document or a path), then run ``check``; its ``answer`` dict.

        ``answer`` holds ``raised`` (None, the runtime error's class name, or
        ``raw:<class>`` for any other exception), ``error``, ``problems`` and
        ``report``; ``check`` may add keys to it (it sees ``report`` and the
        set-up namespace).
        """
        assert self.proc.stdin is not None
        document = plan if isinstance(plan, dict) else json.loads(plan.read_text())
        self.proc.stdin.write(json.dumps({"plan": document, "check": check}) + "\n")
        self.proc.stdin.flush()
        answer = self._read()
        if "check_error" in answer:
            raise AssertionError(f"the check failed in the live process:\n{answer['check_error']}")
        return answer

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(timeout=30)
            stderr = self.proc.stderr.read() if self.proc.stderr else ""
            raise AssertionError(f"the live process died ({self.proc.returncode}):\n{stderr}")
        return json.loads(line)  # type: ignore[no-any-return]

    def close(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self) -> LiveProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
