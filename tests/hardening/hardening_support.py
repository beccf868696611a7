"""What the hardening tests share: a little project with a known finding (the
canary: if it is still reported, the run went on past the hostile file) and
the CLI run in-process with its findings as ``(path, row, code)``.

(A module of its own, not ``conftest.py``: test modules import from it, and
``import conftest`` would find whichever conftest was imported last.)
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import write_tree as write

from reloadlint.cli import command

#: A package whose ``app/views.py`` line 1 is an RL101 finding.
CANARY: dict[str, str] = {
    "app/__init__.py": "",
    "app/db.py": "def connect():\n    return 1\n",
    "app/views.py": "from app.db import connect\n\n\ndef handler():\n    return connect()\n",
}
CANARY_FINDING = ("app/views.py", 1, "RL101")


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    findings: list[tuple[str, int, str]]

    def codes_for(self, path: str) -> list[str]:
        return [code for p, _, code in self.findings if p == path]

    @property
    def input_errors(self) -> set[tuple[str, int, str]]:
        """The RL9xx findings: files that could not be analysed."""
        return {f for f in self.findings if f[2].startswith("RL9")}


def reloadlint(*args: str, json_output: bool = True, isolated: bool = True) -> Run:
    """Run the CLI in this process (cwd: the test's project) and collect its findings.

    ``--isolated`` and ``--no-cache`` keep a run independent of anything around
    the temporary directory; tests of configuration pass ``--config`` or
    ``isolated=False``.
    """
    options = ["--no-cache"]
    if isolated and "--config" not in args:
        options.append("--isolated")
    if json_output:
        options += ["--output-format", "json"]
    result = CliRunner().invoke(command, [*options, *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    findings: list[tuple[str, int, str]] = []
    if json_output and result.exit_code in (0, 1) and result.stdout.strip():
        for item in json.loads(result.stdout):
            path = Path(item["filename"])
            shown = os.path.relpath(path) if path.is_absolute() else str(path)
            findings.append((Path(shown).as_posix(), item["location"]["row"], item["code"]))
    return Run(result.exit_code, result.stdout, result.stderr, sorted(findings))


def assert_clean_error(run: Run, *needles: str) -> None:
    """Exit 2 with one ``reloadlint: error:`` line naming each needle, and no traceback."""
    assert run.exit_code == 2, (run.exit_code, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    assert "internal error" not in run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The canary project in a fresh directory, which is also the working directory."""
    root = tmp_path / "project"
    root.mkdir()
    write(root, CANARY)
    monkeypatch.chdir(root)
    return root
