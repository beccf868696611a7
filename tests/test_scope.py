"""Tree mode's scope: tests, docs and examples are not the application (reloadlint.scope).

They are not reloadable unless ``reloadable`` names them, only the rules that
matter there check them (RL502), and the summary line says which modules a
run treated as reloadable.
"""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from reloadlint.cli import command

TREE = {
    "app/__init__.py": "",
    "app/state.py": "SESSIONS = {}\n\n\ndef login(token, user):\n    SESSIONS[token] = user\n",
    "tests/__init__.py": "",
    "tests/test_state.py": (
        "import atexit\nfrom unittest import mock\n\nfrom app import state\n\n"
        "atexit.register(print)\nstate.SESSIONS['t'] = 'u'\n\n\n"
        "def test_login():\n    with mock.patch('app.state.logon'):\n        pass\n"
    ),
}


def run(root: Path, config: str = "") -> tuple[list[str], str]:
    for name, text in {**TREE, "pyproject.toml": config}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        args = ["--no-cache", "--select", "RL401,RL402,RL502", "--output-format", "concise"]
        result = CliRunner().invoke(command, [*args, "."])
    finally:
        os.chdir(cwd)
    lines = result.stdout.splitlines()
    # the summary line (and its "[*] N fixable" line) follows the findings
    end = next(i for i, line in enumerate(lines) if line.startswith(("Found ", "All checks")))
    found = [" ".join(line.split(" ")[:2]) for line in lines[:end]]
    return found, "\n".join(lines[end:])


def test_tests_are_linted_only_for_what_matters_there(tmp_path: Path) -> None:
    found, summary = run(tmp_path)
    # RL502 in the test (a patch of nothing); no RL402 for the test's atexit, and the
    # test's write to SESSIONS does not make it state (login does).
    assert found == ["app/state.py:1:1: RL401", "tests/test_state.py:11:21: RL502"]
    assert "2 of 4 modules reloadable, by default (not tests, docs, examples)." in summary


def test_reloadable_narrows_the_application_and_plan_exclude_draws_it(tmp_path: Path) -> None:
    config = '[tool.reloadlint]\nreloadable = ["app.*", "tests.*"]\n'
    found, summary = run(tmp_path, config)
    assert "tests/test_state.py:6:1: RL402" not in found
    assert "1 of 4 modules reloadable (reloadable = ['app.*', 'tests.*'])." in summary
    config += "plan-exclude = []\n"
    found, summary = run(tmp_path, config)
    assert "tests/test_state.py:6:1: RL402" in found
    assert "2 of 4 modules reloadable (reloadable = ['app.*', 'tests.*'])." in summary
