"""The program's half of ``reloadlint run``: light, started by the bootstrap without
touching the program, recording exactly what it compiles."""

from __future__ import annotations

import base64
import json
import os
import queue
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from devsession import TIMEOUT
from helpers import write_tree

from reloadlint.devloop import agent
from reloadlint.devloop.process import SITE_DIR, Program

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="reloadlint run is POSIX-only")

#: What the program's interpreter may import of reloadlint (the linter never).
PROGRAM_SIDE = {
    "reloadlint",
    "reloadlint.runtime",
    "reloadlint.devloop",
    "reloadlint.devloop.agent",
    "reloadlint.devloop.call",
    "reloadlint.devloop.protocol",
    "reloadlint.devloop.safepoints",
}


def test_the_program_side_imports_nothing_of_the_linter() -> None:
    code = (
        "import sys\n"
        "import reloadlint.runtime, reloadlint.devloop.agent, reloadlint.devloop.call\n"
        "import reloadlint.devloop.safepoints\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('reloadlint', 'click',"
        " 'libcst', 'watchfiles', 'packaging', 'pathspec')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    imported = set(eval(out.stdout))
    assert imported - {m for m in imported if m.startswith("reloadlint._runtime")} == PROGRAM_SIDE


def _events(program: Program, sink: queue.Queue[Any], until: str) -> list[dict[str, Any]]:
    """The program's messages up to the first ``until`` event (or its exit)."""
    found = []
    while True:
        kind, _, payload = sink.get(timeout=TIMEOUT)
        if kind == "exited":
            return found
        found.append(payload)
        if payload.get("event") == until:
            return found


def _start(tmp_path: Path, argv: list[str], env: dict[str, str] | None = None) -> Program:
    sink: queue.Queue[Any] = queue.Queue()
    saved = dict(os.environ)
    os.environ.update(env or {})
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        program = Program(argv, [tmp_path.resolve()], 1, sink.put)
    finally:
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(saved)
    program.sink = sink  # type: ignore[attr-defined]
    return program


def test_the_bootstrap_starts_the_agent_and_hides_itself(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """The program's own sitecustomize still runs; PYTHONPATH and sys.path are as they
    would be without reloadlint; the program's children get no agent."""
    project = tmp_path / "project"
    write_tree(
        tmp_path,
        {
            "elsewhere/sitecustomize.py": "import os\nos.environ['USER_SITE_RAN'] = 'yes'\n",
            "project/app/__init__.py": "",
            "project/app/main.py": (
                "import json, os, sys\n"
                "print(json.dumps({'pythonpath': os.environ.get('PYTHONPATH'),"
                " 'user_site': os.environ.get('USER_SITE_RAN'),"
                " 'variable': os.environ.get('RELOADLINT_RUN'),"
                f" 'bootstrap_on_path': {str(SITE_DIR)!r} in sys.path}}))\n"
            ),
        },
    )
    user_site = str(tmp_path / "elsewhere")
    program = _start(project, [sys.executable, "-m", "app.main"], {"PYTHONPATH": user_site})
    messages = _events(program, program.sink, "never")  # type: ignore[attr-defined]
    assert program.process.returncode == 0
    seen = json.loads(capfd.readouterr().out)
    assert seen == {
        "pythonpath": user_site,
        "user_site": "yes",
        "variable": None,
        "bootstrap_on_path": False,
    }
    assert messages[0]["event"] == "hello"
    assert messages[0]["main_module"] == "app.main"
    loaded = [item for m in messages if m["event"] == "loaded" for item in m["items"]]
    assert {item["module"] for item in loaded} == {"app", "app.main"}
    assert [item["main"] for item in loaded if item["module"] == "app.main"] == [True]


def test_the_agent_records_exactly_the_bytes_it_compiles(tmp_path: Path) -> None:
    """A ``.pyc`` left from the file's previous content (same size, same mtime) would run
    the old code; the agent compiles the bytes it records instead."""
    write_tree(tmp_path, {"mod.py": "VALUE = 1\n"})
    writing = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-c", "import mod"], cwd=tmp_path, check=True, timeout=TIMEOUT, env=writing
    )  # writes __pycache__/mod.*.pyc for VALUE = 1
    stat = (tmp_path / "mod.py").stat()
    (tmp_path / "mod.py").write_text("VALUE = 2\n")
    os.utime(tmp_path / "mod.py", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    plain = subprocess.run(
        [sys.executable, "-c", "import mod; print(mod.VALUE)"],
        cwd=tmp_path, capture_output=True, text=True, timeout=TIMEOUT,
    )  # fmt: skip
    assert plain.stdout == "1\n"  # the stale bytecode: what the agent must not do
    program = _start(tmp_path, [sys.executable, "-c", "import mod; assert mod.VALUE == 2"])
    messages = _events(program, program.sink, "never")  # type: ignore[attr-defined]
    loaded = [item for m in messages if m["event"] == "loaded" for item in m["items"]]
    assert [base64.b64decode(item["source"]) for item in loaded] == [b"VALUE = 2\n"]
    assert program.process.returncode == 0


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["python", "-m", "app.main", "-x"], ("app.main", None)),
        (["python", "-u", "-X", "dev", "-mapp"], ("app", None)),
        (["python", "-um", "app"], ("app", None)),
        (["python", "-W", "error", "serve.py", "-m", "x"], (None, "serve.py")),
        (["python", "--", "serve.py"], (None, "serve.py")),
        (["python", "-c", "import app"], (None, None)),
        (["python", "-"], (None, None)),
    ],
)
def test_what_runs_as_main_is_read_from_the_command_line(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], expected: tuple[str | None, str | None]
) -> None:
    monkeypatch.setattr(sys, "orig_argv", argv)
    module, path = agent._main_program()
    assert (module, path and os.path.basename(path)) == expected


def test_serve_dev_outside_reloadlint_run_does_nothing() -> None:
    code = (
        "import sys\nfrom reloadlint import runtime\nprint(runtime.serve_dev(),"
        " 'reloadlint.devloop.agent' in sys.modules)"
    )
    env = {k: v for k, v in os.environ.items() if k != "RELOADLINT_RUN"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.split() == ["False", "False"]


def test_the_channel_carries_one_json_object_per_line() -> None:
    import socket

    from reloadlint.devloop.protocol import Channel

    a, b = socket.socketpair()
    left, right = Channel(a), Channel(b)
    assert left.send({"op": "sync", "id": 1, "text": "é\n"})
    b.sendall(b"[1]\n")  # not an object: the channel ends
    left.close()
    assert list(right) == [{"op": "sync", "id": 1, "text": "é\n"}]
    right.close()
