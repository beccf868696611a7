"""What a lint run imports: the hot path stays on the standard library's ``ast``.

libcst (9x ``ast.parse``) is for applying fixes, astroid (15x) for the pylint
plugin; neither may be imported by a run that does not need it, and a warm
run, answered from the cache, does not even import the summariser (its walk's
families of facts: importing the leaf ``class_kinds`` for the configuration's
defaults had pulled them all in). Checked in
a fresh interpreter, since the test process itself imports everything.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import write_tree

SUMMARISER = ["reloadlint.summary.builder", "reloadlint.summary.facts.families"]
HEAVY = ["astroid", "libcst", "pylint", "flake8", *SUMMARISER]

PROBE = f"""
import json, sys
HEAVY = {HEAVY!r}
from reloadlint.cli import main
code = 0
try:
    main(sys.argv[1:])
except SystemExit as done:
    code = done.code
loaded = [m for m in HEAVY if m in sys.modules]
print(json.dumps({{"exit": code, "loaded": loaded}}), file=sys.stderr)
"""


def _imported(root: Path, *args: str) -> tuple[int, list[str]]:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, "--isolated", "--jobs", "1", *args, "app"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(completed.stderr.strip().splitlines()[-1])
    return report["exit"], report["loaded"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/db.py": "def connect():\n    pass\n",
            "app/views.py": "from app.db import connect\n\ndef view():\n    return connect()\n",
        },
    )
    return tmp_path


def test_a_cold_run_imports_neither_libcst_nor_astroid(project: Path) -> None:
    code, loaded = _imported(project, "--no-cache")
    assert code == 1  # RL101: the run did lint
    assert loaded == SUMMARISER


def test_a_warm_run_does_not_even_import_the_summariser(project: Path) -> None:
    assert _imported(project)[1] == SUMMARISER  # fills the cache
    code, loaded = _imported(project)
    assert code == 1
    assert loaded == []


def test_fixing_a_one_line_import_does_not_import_libcst(project: Path) -> None:
    """libcst's import alone costs ~0.3 s: a one-line import is rewritten as text."""
    code, loaded = _imported(project, "--no-cache", "--diff")
    assert code == 1  # the diff was shown
    assert "libcst" not in loaded and "astroid" not in loaded
    code, loaded = _imported(project, "--no-cache", "--output-format", "json")
    assert code == 1 and "libcst" not in loaded


def test_an_import_over_several_lines_is_what_imports_libcst(project: Path) -> None:
    views = "from app.db import (\n    connect,\n)\n\ndef view():\n    return connect()\n"
    (project / "app/views.py").write_text(views)
    _, loaded = _imported(project, "--no-cache", "--diff")
    assert "libcst" in loaded and "astroid" not in loaded
