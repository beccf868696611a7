"""``reloadlint run`` as a process: exit statuses passed on, Ctrl-C and SIGTERM, output
left alone, ``--module``, and ``run`` as a command next to paths named ``run``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from devsession import TIMEOUT, DevSession
from helpers import write_tree

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="reloadlint run is POSIX-only")

#: Runs until interrupted; says so and exits with its own status.
_SERVE = """\
import sys, time

try:
    # inside the try: an interrupt that lands as soon as "serving" is read (before the
    # print returns) is the program's to handle too
    print("serving", flush=True)
    while True:
        time.sleep(0.05)
except KeyboardInterrupt:
    print("cleaned up", flush=True)
    sys.exit(7)
"""


def _run(project: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "RELOADLINT_RUN"}
    return subprocess.run(
        [sys.executable, "-m", "reloadlint", *args],
        cwd=project,
        capture_output=True,
        timeout=TIMEOUT,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def test_a_program_that_finishes_ends_the_run_with_its_output_untouched(tmp_path: Path) -> None:
    program = (
        "import sys\n"
        "sys.stdout.write('no newline yet')\n"
        "sys.stdout.write(' \\x1b[1mbold\\x1b[0m \\u00e9\\n')\n"
        "sys.stderr.write('to stderr\\n')\n"
    )
    write_tree(tmp_path, {"prog.py": program})
    direct = subprocess.run(
        [sys.executable, "prog.py"], cwd=tmp_path, capture_output=True, timeout=TIMEOUT
    )
    supervised = _run(tmp_path, "run", "--isolated", "--", sys.executable, "prog.py")
    assert supervised.returncode == 0
    assert supervised.stdout == direct.stdout  # byte for byte: nothing added, nothing escaped
    err = supervised.stderr.decode().splitlines()
    assert "to stderr" in err
    assert all(line.startswith("reloadlint run: ") for line in err if line != "to stderr")


def test_a_failing_program_waits_for_a_change_and_ctrl_c_passes_its_status_on(
    tmp_path: Path,
) -> None:
    write_tree(tmp_path, {"prog.py": "print('started', flush=True)\nraise SystemExit(3)\n"})
    with DevSession(tmp_path, [sys.executable, "prog.py"]) as run:
        run.err.wait_for(r"^reloadlint run: the program exited with status 3; waiting for a change")
        run.watching()
        run.write("prog.py", "print('fixed', flush=True)\nimport time\ntime.sleep(600)\n")
        run.err.wait_for(r"^reloadlint run: a file changed: starting the program again$")
        run.out.wait_for(r"^fixed$")
        assert (status := run.interrupt()) == 128 + signal.SIGINT, (status, run.transcript())


def test_ctrl_c_stops_the_program_cleanly_and_passes_its_exit_status_on(tmp_path: Path) -> None:
    write_tree(tmp_path, {"serve.py": _SERVE})
    with DevSession(tmp_path, [sys.executable, "serve.py"]) as run:
        run.out.wait_for("^serving$")
        assert (status := run.interrupt()) == 7, (status, run.transcript())
        run.out.wait_for("^cleaned up$")


def test_exit_status_of_a_program_ended_by_a_signal(tmp_path: Path) -> None:
    write_tree(tmp_path, {"sleeps.py": "import time\nprint('up', flush=True)\ntime.sleep(600)\n"})
    with DevSession(tmp_path, [sys.executable, "sleeps.py"]) as run:
        run.out.wait_for("^up$")
        run.process.send_signal(signal.SIGTERM)  # forwarded; Python dies of it
        assert run.wait() == 128 + signal.SIGTERM
    with DevSession(tmp_path, [sys.executable, "sleeps.py"]) as run:
        run.out.wait_for("^up$")
        status = run.interrupt()  # an uncaught KeyboardInterrupt
        assert status == 128 + signal.SIGINT, run.transcript()


def test_module_option_calls_the_function_and_its_result_is_the_exit_status(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/main.py": "import sys\n\ndef serve():\n    print('args', sys.argv[1:])\n"
            "    return 4\n",
        },
    )
    options = ["--module", "app.main:serve"]
    with DevSession(tmp_path, ["x", "--flag"], options=options) as run:
        assert run.out.wait_for("^args") == "args ['x', '--flag']"
        run.err.wait_for(r"^reloadlint run: the program exited with status 4; waiting")
        assert (status := run.interrupt()) == 4, (status, run.transcript())


def test_run_without_a_command_is_a_usage_error_that_names_the_way_to_lint_run(
    tmp_path: Path,
) -> None:
    done = _run(tmp_path, "run")
    assert done.returncode == 2
    assert b"reloadlint ./run" in done.stderr
    assert done.stderr.count(b"\n") == 1


@pytest.mark.parametrize("spelling", [["./run"], ["--", "run"], ["--isolated", "run"]])
def test_a_path_named_run_is_linted_when_it_is_not_the_first_argument(
    tmp_path: Path, spelling: list[str]
) -> None:
    state = (
        "from enum import Enum\nclass Color(Enum):\n    RED = 1\n"
        "class Light:\n    def __init__(self):\n        self.color = Color.RED\n"
    )
    write_tree(tmp_path, {"run/app/__init__.py": "", "run/app/state.py": state})
    done = _run(tmp_path, *spelling)
    assert done.returncode == 1, done.stderr
    assert b"RL104" in done.stdout
