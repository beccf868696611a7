"""The flake8 plugin: real flake8, in a subprocess, reports what the CLI reports.

Every tree-mode corpus case is checked in one flake8 run over copies of all
of them (each case is its own project, which also checks that the plugin's
per-run cache keeps projects apart), against the CLI's json output per case,
with every rule enabled in both.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
from pathlib import Path

import pytest
from integration_support import (
    Finding,
    cli_findings,
    copy_case,
    subprocess_env,
    tree_cases,
    write_project,
)

from reloadlint import plugin_support
from reloadlint.flake8_plugin import ReloadlintChecker

CASES = tree_cases()
FORMAT = "%(path)s|%(row)d|%(col)d|%(code)s"

STALE_IMPORT = {
    "app/__init__.py": "",
    "app/db.py": "def connect():\n    return 1\n",
    "app/views.py": "from app.db import connect\n\n\ndef handler():\n    return connect()\n",
}


def run_flake8(cwd: Path, *args: str, stdin: str | None = None) -> list[Finding]:
    """flake8's RL findings as (path, row, column as printed, code)."""
    completed = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "RL", f"--format={FORMAT}", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=300,
    )
    assert completed.returncode in (0, 1), completed.stderr
    found = []
    for line in completed.stdout.splitlines():
        path, row, col, code = line.split("|")
        found.append((Path(path).as_posix().removeprefix("./"), int(row), int(col), code))
    return sorted(found)


@pytest.fixture(scope="module")
def corpus_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Finding]]:
    """Every tree case copied under one directory, and one flake8 run over all of them."""
    root = tmp_path_factory.mktemp("flake8-corpus")
    for case in CASES:
        copy_case(case, root / f"{case.code}__{case.path.name}")
    return root, run_flake8(root, "--reloadlint-extend-select=ALL", ".")


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_flake8_reports_what_the_cli_reports(case, corpus_runs) -> None:
    root, flake8_found = corpus_runs
    folder = f"{case.code}__{case.path.name}"
    from_flake8 = sorted(
        (path.partition("/")[2], row, col, code)
        for path, row, col, code in flake8_found
        if path.startswith(folder + "/")
    )
    # flake8 reports unparsable files itself (E999) and never runs plugins on them.
    from_cli = [
        f
        for f in cli_findings(root / folder, "--extend-select", "ALL")
        if not f[3].startswith("RL9")
    ]
    assert from_flake8 == from_cli
    if case.bad:
        assert from_flake8, "a bad case with no findings compares nothing"


@pytest.mark.slow
def test_noqa_is_left_to_flake8(tmp_path: Path) -> None:
    files = dict(STALE_IMPORT)
    files["app/views.py"] = files["app/views.py"].replace(
        "import connect\n", "import connect  # noqa: RL101\n", 1
    )
    write_project(tmp_path, files)
    assert run_flake8(tmp_path, ".") == []
    assert cli_findings(tmp_path) == []
    # The engine does not filter noqa on its own: flake8's --disable-noqa shows the finding.
    assert run_flake8(tmp_path, "--disable-noqa", ".") == [("app/views.py", 1, 20, "RL101")]


@pytest.mark.slow
def test_rules_off_by_default_stay_off(tmp_path: Path) -> None:
    case = next(c for c in CASES if c.id == "RL105/bad")
    work = copy_case(case, tmp_path / "work")
    assert "RL105" not in {code for *_, code in run_flake8(work, ".")}
    assert "RL105" in {
        code for *_, code in run_flake8(work, "--reloadlint-extend-select=RL105", ".")
    }


@pytest.mark.slow
def test_options_are_read_from_flake8_config(tmp_path: Path) -> None:
    write_project(tmp_path, STALE_IMPORT)
    assert run_flake8(tmp_path, ".") == [("app/views.py", 1, 20, "RL101")]
    (tmp_path / ".flake8").write_text(
        "[flake8]\nreloadlint-not-reloadable = app.db\n", encoding="utf-8"
    )
    assert run_flake8(tmp_path, ".") == []
    # ...and from the command line, overriding nothing else.
    (tmp_path / ".flake8").unlink()
    assert run_flake8(tmp_path, "--reloadlint-not-reloadable=app.*", ".") == []


@pytest.mark.slow
def test_stdin_is_linted_as_flake8_read_it(tmp_path: Path) -> None:
    """What flake8 shows is what was linted: the buffer, not the file on disk."""
    files = dict(STALE_IMPORT)
    files["app/views.py"] = "from app import db\n\n\ndef handler():\n    return db.connect()\n"
    write_project(tmp_path, files)
    buffer = '"""Views."""\n\nfrom app.db import connect\n'
    found = run_flake8(tmp_path, "--stdin-display-name=app/views.py", "-", stdin=buffer)
    assert found == [("app/views.py", 3, 20, "RL101")]


def _check(path: Path) -> list[tuple[int, int, str]]:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    checker = ReloadlintChecker(ast.parse("".join(lines)), str(path), lines)
    return [(row, col, text.split()[0]) for row, col, text, _ in checker.run()]


def test_project_is_summarised_once_per_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = dict(STALE_IMPORT)
    files["app/more.py"] = "from app.db import connect as c\n"
    write_project(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    options = argparse.Namespace(
        reloadlint_config=None,
        reloadlint_reloadable=[],
        reloadlint_not_reloadable=[],
        reloadlint_src=[],
        reloadlint_extend_select=[],
    )
    ReloadlintChecker.parse_options(options)
    before = plugin_support.stats["projects_built"]
    found = {name: _check(tmp_path / name) for name in sorted(files)}
    assert plugin_support.stats["projects_built"] == before + 1
    assert found["app/views.py"] == [(1, 19, "RL101")]  # flake8 columns are 0-based
    assert found["app/more.py"] == [(1, 19, "RL101")]
    # A new run (flake8 calls parse_options once per run) sees the files anew.
    (tmp_path / "app/db.py").write_text("connect = print\n", encoding="utf-8")
    ReloadlintChecker.parse_options(options)
    assert _check(tmp_path / "app/views.py") != found["app/views.py"]
    assert plugin_support.stats["projects_built"] == before + 2
