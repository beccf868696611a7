"""``reloadlint.runtime.serve_dev()``: the fallback for a program whose interpreter skips
the bootstrap (here ``python -E``, which ignores ``PYTHONPATH``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from devsession import DevSession
from helpers import write_tree

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="reloadlint run is POSIX-only")

MAIN = """\
import sys

from reloadlint import runtime

print("agent", runtime.serve_dev(), flush=True)

from app import handlers  # noqa: E402

for line in sys.stdin:
    print(handlers.handle(), flush=True)
"""


def _project(tmp_path: Path, version: str) -> None:
    write_tree(
        tmp_path,
        {
            "main.py": MAIN,
            "app/__init__.py": "",
            "app/handlers.py": 'if "COUNT" not in globals():\n    COUNT = [0]\n\n\n'
            f"def handle():\n    COUNT[0] += 1\n    return f'{version} {{COUNT[0]}}'\n",
        },
    )


def test_a_program_that_skips_the_bootstrap_is_upgraded_after_serve_dev(tmp_path: Path) -> None:
    _project(tmp_path, "v1")
    with DevSession(tmp_path, [sys.executable, "-E", "main.py"]) as run:
        assert run.out.wait_for("^agent") == "agent True"
        run.watching()
        assert run.ask("job") == "v1 1"
        handlers = (tmp_path / "app/handlers.py").read_text()
        run.write("app/handlers.py", handlers.replace("'v1 ", "'v2 "))
        run.err.wait_for(r"^reloadlint run: hot: reloaded app\.handlers in \d+ ms$")
        assert run.ask("job") == "v2 2"  # new code, the module's state kept (COUNT)


def test_without_serve_dev_such_a_program_is_restarted_and_told_why(tmp_path: Path) -> None:
    _project(tmp_path, "v1")
    (tmp_path / "main.py").write_text(MAIN.replace("runtime.serve_dev()", "False"))
    with DevSession(tmp_path, [sys.executable, "-E", "main.py"]) as run:
        assert run.out.wait_for("^agent") == "agent False"
        run.watching()
        assert run.ask("job") == "v1 1"
        handlers = (tmp_path / "app/handlers.py").read_text()
        run.write("app/handlers.py", handlers.replace("'v1 ", "'v2 "))
        run.err.wait_for(r"has not loaded reloadlint's agent.*serve_dev")
        run.out.wait_for("^agent")
        assert run.ask("job") == "v2 1"
