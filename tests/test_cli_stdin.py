"""Editors (issue 19): ``reloadlint -`` and ``--stdin-filename PATH`` lint the buffer
read from stdin as that file, judged against the project on disk (the rest of the
project from disk, this file's content from stdin), as ruff and flake8 do."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import write_tree

from reloadlint.cli import command

DB = "def connect():\n    pass\n"
STALE = "from app.db import connect\n\n\ndef view():\n    return connect()\n"
FRESH = "from app import db\n\n\ndef view():\n    return db.connect()\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "[tool.reloadlint]\nextend-exclude = ['app/generated.py']\n",
            "app/__init__.py": "",
            "app/db.py": DB,
            "app/views.py": FRESH,
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _lint(buffer: str, *args: str) -> tuple[int, str, str]:
    """The findings alone (``--quiet``: no summary line), as an editor reads them."""
    result = CliRunner().invoke(
        command, ["--no-cache", "--output-format", "concise", "--quiet", *args], input=buffer
    )
    return result.exit_code, result.stdout, result.stderr


def test_the_buffer_is_linted_not_the_file_on_disk(project: Path) -> None:
    code, out, _ = _lint(STALE, "--stdin-filename", "app/views.py")
    assert code == 1
    assert out.startswith("app/views.py:1:20: RL101 [*] `connect` is bound by value")
    assert "reloadable module `app.db`" in out  # judged against app.db on disk
    (project / "app/views.py").write_text(STALE)
    assert _lint(FRESH, "--stdin-filename", "app/views.py")[:2] == (0, "")


def test_a_dash_with_a_file_name_is_the_same(project: Path) -> None:
    assert _lint(STALE, "--stdin-filename", "app/views.py", "-")[1].count("RL101") == 1


def test_an_unsaved_file_is_judged_against_the_project(project: Path) -> None:
    code, out, _ = _lint(STALE, "--stdin-filename", "app/new.py")
    assert code == 1 and out.startswith("app/new.py:1:20: RL101")


def test_the_rest_of_the_project_is_read_from_disk(project: Path) -> None:
    """A buffer for app/db.py that turns connect into a constant does not change
    what the rest of the project is judged against: only the buffer is reported."""
    code, out, _ = _lint("connect = 1\n", "--stdin-filename", "app/db.py")
    assert (code, out) == (0, "")


def test_a_buffer_without_a_name_is_linted_alone(project: Path) -> None:
    code, out, _ = _lint("x = (\n", "-")
    assert code == 1 and out.startswith("-:1:5: RL901")
    # no project: app.db is not first-party for a nameless buffer
    assert _lint(STALE, "-")[:2] == (0, "")


def test_the_full_format_shows_the_buffer_lines(project: Path) -> None:
    (project / "app/views.py").write_text("# another line on disk\n" + FRESH)
    result = CliRunner().invoke(
        command, ["--no-cache", "--stdin-filename", "app/views.py"], input=STALE
    )
    assert "1 | from app.db import connect" in result.stdout


def test_force_exclude_applies_to_the_file_name(project: Path) -> None:
    (project / "app/generated.py").write_text(STALE)
    assert _lint(STALE, "--stdin-filename", "app/generated.py")[0] == 1
    code, out, _ = _lint(STALE, "--force-exclude", "--stdin-filename", "app/generated.py")
    assert (code, out) == (0, "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-", "app"], "stdin (`-` or --stdin-filename) is linted alone"),
        (["--stdin-filename", "app/views.py", "app"], "is linted alone"),
        (["--fix", "-"], "--fix works on files, not on a buffer read from stdin"),
        (["--diff", "--stdin-filename", "app/views.py"], "--diff works on files"),
    ],
)
def test_what_stdin_cannot_do_is_a_one_line_error(
    project: Path, args: list[str], message: str
) -> None:
    code, out, err = _lint(STALE, *args)
    assert code == 2 and out == ""
    assert err.startswith("reloadlint: error: ") and message in err
    assert err.count("\n") == 1


# ---------------------------------------------------------------- docs/integrations/editors.md

EDITORS = Path(__file__).resolve().parent.parent / "docs" / "integrations" / "editors.md"
SCRIPT = Path(sys.executable).parent / "reloadlint"


def _run_script(argv: list[str], cwd: Path, buffer: str) -> str:
    proc = subprocess.run(
        [str(SCRIPT), *argv], cwd=cwd, input=buffer, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1, proc.stderr  # findings
    return proc.stdout


def test_the_efm_command_line_of_the_docs_works(project: Path) -> None:
    page = EDITORS.read_text(encoding="utf-8")
    command_line = re.search(r'lint-command: "(.*)"', page)
    assert command_line is not None
    argv = shlex.split(command_line.group(1).replace("${INPUT}", "app/views.py"))
    assert argv[0] == "reloadlint"
    out = _run_script(argv[1:], project, STALE)
    assert "%f:%l:%c: %m" in page
    assert re.fullmatch(r"app/views\.py:1:20: RL101 .*", out.strip())


def test_the_nvim_lint_set_up_of_the_docs_parses_the_output(project: Path) -> None:
    page = EDITORS.read_text(encoding="utf-8")
    lua = re.search(r"```lua\n(.*?)```", page, re.DOTALL)
    assert lua is not None
    args = re.findall(r'"([^"]*)"', lua.group(1).split("args = {")[1].split("},")[0])
    assert args == ["--output-format", "concise", "--quiet", "--stdin-filename", "-"]
    pattern = re.search(r'from_pattern\(\s*"(.*?)"', lua.group(1))
    assert pattern is not None
    # Lua's classes as Python's: %d digits, %w alphanumerics
    regex = pattern.group(1).replace("%d", r"\d").replace("%w", r"\w")
    out = _run_script(
        ["--output-format", "concise", "--quiet", "--stdin-filename", "app/views.py", "-"],
        project,
        STALE,
    )
    assert len(out.splitlines()) == 1
    found = re.match(regex, out)
    assert found is not None and found.groups()[:3] == ("1", "20", "RL101")
