"""A configuration file that discovery finds but cannot use: exit 2 and one
line naming the file, never a run that silently ignores it.

Discovery walks up from the working directory (then from the first path) and
stops at the first ``reloadlint.toml`` or ``pyproject.toml`` with a
``[tool.reloadlint]`` table. Whether a ``pyproject.toml`` holds that table can
only be known by parsing it, so one that cannot be read or parsed is reported
(as ruff does) rather than skipped: skipping it would lint with default
settings and report a clean, apparently configured run.

(chmod 000 cannot make a file unreadable for root, which runs these tests;
a directory by that name and bytes that are not UTF-8 fail the same read.)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hardening_support import CANARY, CANARY_FINDING, Run, assert_clean_error, reloadlint, write

from reloadlint.config import ConfigError, find_config, load


def assert_one_line_error(run: Run, *needles: str) -> None:
    """:func:`assert_clean_error`, with nothing on stdout either."""
    assert_clean_error(run, *needles)
    assert run.stdout == ""


def lint(*args: str) -> Run:
    """The CLI with configuration discovery on (``reloadlint`` defaults to ``--isolated``)."""
    return reloadlint(*args, isolated=False)


# ------------------------------------------------------------ discovery errors

BROKEN = {
    "invalid TOML": ('[project]\nname = "x"\nversion = = 1\n', "invalid TOML"),
    "invalid TOML with the tool table": (
        '[tool.reloadlint]\nselect = ["RL1"\n',
        "invalid TOML",
    ),
    "not UTF-8": (b'[project]\nname = "caf\xe9"\n', "not UTF-8"),
}


@pytest.mark.parametrize("content,problem", BROKEN.values(), ids=BROKEN.keys())
def test_broken_pyproject_found_by_discovery(
    project: Path, content: str | bytes, problem: str
) -> None:
    write(project, {"pyproject.toml": content})
    assert_one_line_error(lint("."), str(project / "pyproject.toml"), problem)


@pytest.mark.parametrize("name", ["pyproject.toml", "reloadlint.toml"])
def test_directory_named_like_a_config_file(project: Path, name: str) -> None:
    (project / name).mkdir()
    assert_one_line_error(lint("."), str(project / name), "cannot be read", "directory")


def test_dangling_symlink_named_pyproject(project: Path) -> None:
    (project / "pyproject.toml").symlink_to(project / "gone.toml")
    assert_one_line_error(lint("."), str(project / "pyproject.toml"), "cannot be read")


def test_broken_pyproject_above_the_working_directory(project: Path) -> None:
    """The walk goes up: a broken file in a parent directory is met before any config."""
    write(project.parent, {"pyproject.toml": "= nothing\n"})
    assert_one_line_error(lint("."), str(project.parent / "pyproject.toml"), "invalid TOML")


def test_broken_pyproject_found_from_the_linted_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from elsewhere: discovery starts from the linted directory then."""
    root = tmp_path / "proj"
    write(root, {**CANARY, "pyproject.toml": b"[tool.reloadlint]\nselect = ['\xff']\n"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert_one_line_error(lint(str(root)), str(root / "pyproject.toml"), "not UTF-8")


def test_broken_pyproject_below_a_found_config_is_not_consulted(project: Path) -> None:
    """Only the files discovery actually meets count: a config nearer the
    working directory ends the walk before the broken one above it."""
    write(project.parent, {"pyproject.toml": "= nothing\n"})
    write(project, {"reloadlint.toml": 'select = ["RL101"]\n'})
    run = lint(".")
    assert run.exit_code == 1, run.stderr
    assert run.findings == [CANARY_FINDING]


# ------------------------------------------------------------ still fine


def test_pyproject_without_the_tool_table_is_skipped(project: Path) -> None:
    write(project, {"pyproject.toml": '[project]\nname = "x"\n'})
    run = lint(".")
    assert run.exit_code == 1, run.stderr
    assert CANARY_FINDING in run.findings


@pytest.mark.parametrize(
    "content",
    [
        '[tool.reloadlint]\nignore = ["RL101"]\n',
        '[tool]\nreloadlint.ignore = ["RL101"]\n',  # dotted key: once missed by a text search
        'tool = { reloadlint = { ignore = ["RL101"] } }\n',
    ],
    ids=["table", "dotted key", "inline table"],
)
def test_every_spelling_of_the_tool_table_is_found(project: Path, content: str) -> None:
    write(project, {"pyproject.toml": content})
    assert find_config(project) == project / "pyproject.toml"
    run = lint(".")
    assert run.exit_code == 0, (run.stderr, run.findings)


def test_the_table_name_in_a_comment_is_not_a_config(project: Path) -> None:
    write(project, {"pyproject.toml": '# see [tool.reloadlint] in docs\n[project]\nname = "x"\n'})
    assert find_config(project) is None


def test_tool_that_is_not_a_table_given_with_config(project: Path) -> None:
    """``tool = 3`` is a one-line error, not an internal error."""
    write(project, {"pyproject.toml": "tool = 3\n"})
    with pytest.raises(ConfigError, match=r"pyproject\.toml: \[tool\] must be a table"):
        load(project / "pyproject.toml")
    assert_one_line_error(lint("--config", "pyproject.toml", "."), "[tool] must be a table")


def test_isolated_ignores_a_broken_pyproject(project: Path) -> None:
    write(project, {"pyproject.toml": "= nothing\n"})
    run = reloadlint(".")  # --isolated
    assert run.exit_code == 1, run.stderr
    assert CANARY_FINDING in run.findings


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_pyproject(project: Path) -> None:
    path = project / "pyproject.toml"
    write(project, {"pyproject.toml": "[tool.reloadlint]\n"})
    path.chmod(0)
    try:
        assert_one_line_error(lint("."), str(path), "cannot be read")
    finally:
        path.chmod(0o644)
