"""One answer per file (issue 19): a file gets the same findings whether the whole
tree is linted, the file is named alone (as pre-commit does), or flake8 or pylint
runs the plugin.

The project has the shape that broke it: a ``src/`` layout whose tests, examples
and scripts live outside the package's source root. Named alone, a test used to
be judged against its own folder only (``tests/``), where the package is not
first-party, and got no findings. scripts/one_answer.py compares the four ways
on real projects (docs/integrations/one-answer.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from integration_support import Finding, cli_findings, run_cli, subprocess_env, write_project

from reloadlint.pylint_plugin import message_id

PROJECT = {
    "pyproject.toml": "[project]\nname = 'app'\n",
    "src/app/__init__.py": "",
    "src/app/db.py": "def connect():\n    return 1\n\n\nclass Pool:\n    pass\n",
    "src/app/views.py": "from app.db import connect\n\n\ndef handler():\n    return connect()\n",
    "src/app/api/__init__.py": "",
    "src/app/api/routes.py": "from ..db import Pool, connect\n\nHANDLERS = [connect]\n",
    "tests/conftest.py": "from app.db import connect\n",
    "tests/test_views.py": (
        "from app.db import connect\nfrom app.views import handler\n\n\n"
        "def test_handler():\n    assert handler() == connect()\n"
    ),
    "docs/examples/extension.py": "from app.views import handler\n\nROUTES = {'/': handler}\n",
    "scripts/serve.py": "from app.views import handler\n\nhandler()\n",
}
CODES = ["RL101", "RL102", "RL103", "RL104", "RL201", "RL301", "RL302", "RL401", "RL402"]


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("one-answer") / "proj", PROJECT)


def _json(work: Path, stdout: str) -> set[Finding]:
    root = work.resolve()
    return {
        (
            Path(d["filename"]).resolve().relative_to(root).as_posix(),
            d["location"]["row"],
            d["location"]["column"],
            d["code"],
        )
        for d in json.loads(stdout)
    }


def _alone(work: Path) -> set[Finding]:
    found: set[Finding] = set()
    for name in PROJECT:
        if name.endswith(".py"):
            args = ["--output-format", "json", "--no-cache", "--select", ",".join(CODES)]
            result = run_cli(work, *args, "--force-exclude", name)
            assert result.exit_code in (0, 1), result.output
            found |= _json(work, result.stdout)
    return found


def _flake8(work: Path) -> set[Finding]:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "flake8",
            "--isolated",
            f"--select={','.join(CODES)}",
            "--format=%(path)s|%(row)d|%(col)d|%(code)s",
            ".",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=300,
    )
    assert completed.returncode in (0, 1), completed.stderr
    found = set()
    for line in completed.stdout.splitlines():
        path, row, col, code = line.split("|")
        found.add((Path(path).as_posix().removeprefix("./"), int(row), int(col), code))
    return found


def _pylint(work: Path) -> set[Finding]:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pylint",
            "--rcfile=/dev/null",
            "--load-plugins=reloadlint.pylint_plugin",
            "--disable=all",
            f"--enable={','.join(message_id(code) for code in CODES)}",
            "--recursive=y",
            "--output-format=json",
            "--score=n",
            ".",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=300,
    )
    assert not completed.returncode & (1 | 32), completed.stderr  # fatal, usage
    return {
        (Path(m["path"]).as_posix(), m["line"], m["column"] + 1, "RL" + m["message-id"][2:])
        for m in json.loads(completed.stdout or "[]")
    }


def test_every_way_gives_each_file_the_same_findings(work: Path) -> None:
    tree = set(cli_findings(work, "--select", ",".join(CODES)))
    # the files outside the package's source root are judged against the package
    # (tests are not reloadable by default: their bindings are not findings)
    assert {path for path, *_ in tree} >= {
        "docs/examples/extension.py",
        "scripts/serve.py",
        "src/app/views.py",
    }
    assert _alone(work) == tree  # every file named alone, as pre-commit does
    assert _flake8(work) == tree
    assert _pylint(work) == tree
