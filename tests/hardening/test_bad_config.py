"""Broken configuration and arguments: exit 2 and one line naming the key, file or argument.

Never a traceback, never an "internal error", and never a silently ignored
setting: a typo in a key or a rule code must stop the run, because a linter
that quietly runs with half its configuration gives false confidence.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from gitrepo import git, isolate_git
from hardening_support import CANARY_FINDING, Run, assert_clean_error, reloadlint, write


def assert_click_usage_error(run: Run, option: str) -> None:
    """click's own usage errors: exit 2, the option named, no traceback."""
    assert run.exit_code == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert option in run.stderr, run.stderr


def with_pyproject(project: Path, table: str) -> Run:
    write(project, {"pyproject.toml": table})
    return reloadlint(".", isolated=False)


# ---------------------------------------------------------------- TOML


@pytest.mark.parametrize("name", ["pyproject.toml", "reloadlint.toml"])
def test_invalid_toml(project: Path, name: str) -> None:
    write(project, {name: '[tool.reloadlint]\nselect = ["RL1"\nignore = []\n'})
    run = reloadlint(".", isolated=False)
    assert_clean_error(run, name, "invalid TOML", "line 3")


def test_invalid_toml_given_with_config(project: Path) -> None:
    write(project, {"lint.toml": "select = = 1\n"})
    assert_clean_error(reloadlint("--config", "lint.toml", "."), "lint.toml", "invalid TOML")


def test_configuration_that_is_not_utf8(project: Path) -> None:
    write(project, {"lint.toml": b'select = ["RL1"]  # \xff\xfe\n'})
    assert_clean_error(reloadlint("--config", "lint.toml", "."), "lint.toml", "cannot be read")


def test_tool_table_that_is_not_a_table(project: Path) -> None:
    write(project, {"pyproject.toml": "[tool]\nreloadlint = 3\n"})
    assert_clean_error(
        reloadlint("--config", "pyproject.toml", "."), "pyproject.toml", "tool.reloadlint", "table"
    )


# ---------------------------------------------------------------- keys and types

WRONG = {
    "string for list": ('select = "RL1"', "`tool.reloadlint.select`", "list of strings"),
    "numbers in list": ("src = [1, 2]", "`tool.reloadlint.src`", "list of strings"),
    "string for bool": (
        'respect-gitignore = "yes"',
        "`tool.reloadlint.respect-gitignore`",
        "true or false",
    ),
    "number for string": ("cache-dir = 5", "`tool.reloadlint.cache-dir`", "must be a string"),
    "unknown format": (
        'output-format = "xml"',
        "`tool.reloadlint.output-format`",
        "must be one of",
    ),
    "list for table": ('per-file-ignores = ["RL1"]', "`tool.reloadlint.per-file-ignores`", "table"),
    "string in table": (
        'per-file-ignores = {"tests/*" = "RL1"}',
        "per-file-ignores",
        "list of strings",
    ),
    "unknown key": ('selct = ["RL1"]', "`tool.reloadlint.selct`", "not a reloadlint setting"),
    "inline table for list": ("exclude = {a = 1}", "`tool.reloadlint.exclude`", "list of strings"),
}


@pytest.mark.parametrize("line,key,problem", WRONG.values(), ids=WRONG.keys())
def test_wrong_types_and_unknown_keys_name_the_key_and_the_file(
    project: Path, line: str, key: str, problem: str
) -> None:
    run = with_pyproject(project, f"[tool.reloadlint]\n{line}\n")
    assert_clean_error(run, str(project / "pyproject.toml"), key, problem)


# ---------------------------------------------------------------- rule codes

CODES = {
    "select": ('select = ["RL1", "RL999"]', "`tool.reloadlint.select`", "`RL999`"),
    "extend-select": ('extend-select = ["XYZ1"]', "`tool.reloadlint.extend-select`", "`XYZ1`"),
    "ignore": ('ignore = ["stale-import"]', "`tool.reloadlint.ignore`", "`stale-import`"),
    "per-file-ignores": (
        'per-file-ignores = {"tests/*" = ["RL1", "RL10X"]}',
        "per-file-ignores",
        "`RL10X`",
    ),
}


@pytest.mark.parametrize("line,key,code", CODES.values(), ids=CODES.keys())
def test_unknown_codes_in_the_configuration(project: Path, line: str, key: str, code: str) -> None:
    run = with_pyproject(project, f"[tool.reloadlint]\n{line}\n")
    assert_clean_error(run, "pyproject.toml", key, code, "unknown rule")


def test_unknown_codes_in_a_reloadlint_toml(project: Path) -> None:
    write(project, {"reloadlint.toml": 'select = ["RL1", "nope"]\n'})
    assert_clean_error(reloadlint(".", isolated=False), "reloadlint.toml", "`select`", "`nope`")


@pytest.mark.parametrize("option", ["--select", "--extend-select", "--ignore"])
def test_unknown_codes_on_the_command_line(project: Path, option: str) -> None:
    assert_clean_error(reloadlint(option, "RL1,RL9999", "."), "`RL9999`", "unknown rule")


def test_valid_configuration_still_works(project: Path) -> None:
    """The checks above are not so strict that a correct file fails."""
    run = with_pyproject(
        project,
        '[tool.reloadlint]\nselect = ["RL1", "import-time-env-read"]\nignore = ["RL105"]\n'
        'per-file-ignores = {"tests/*" = ["RL101"]}\nrespect-gitignore = false\n',
    )
    assert run.exit_code == 1, run.stderr
    assert CANARY_FINDING in run.findings


# ---------------------------------------------------------------- files and arguments


def test_missing_config_file(project: Path) -> None:
    assert_clean_error(reloadlint("--config", "nothere.toml", "."), "nothere.toml", "not found")


def test_config_that_is_a_directory(project: Path) -> None:
    (project / "conf").mkdir()
    assert_click_usage_error(reloadlint("--config", "conf", "."), "--config")


@pytest.mark.parametrize(
    "args,option",
    [
        (["--output-format", "xml"], "--output-format"),
        (["--jobs", "0"], "--jobs"),
        (["--no-such-option"], "--no-such-option"),
    ],
)
def test_bad_option_values(project: Path, args: list[str], option: str) -> None:
    assert_click_usage_error(reloadlint(*args, ".", json_output=False), option)


def test_invalid_exclude_pattern(project: Path) -> None:
    assert_clean_error(reloadlint("--exclude", "!", "."), "exclude pattern", "'!'")


def test_unwritable_output_file(project: Path) -> None:
    (project / "report").write_text("a file, not a directory")
    assert_clean_error(reloadlint("-o", "report/out.json", "."), "report/out.json")


def test_unknown_rule_to_explain(project: Path) -> None:
    assert_clean_error(reloadlint("--explain", "RL999", json_output=False), "`RL999`")


def test_plan_without_base(project: Path) -> None:
    assert_clean_error(reloadlint("--plan", "."), "--plan", "--base")


# ---------------------------------------------------------------- git

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def repo(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate_git(tmp_path, monkeypatch)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "v1")
    return project


@needs_git
def test_base_outside_a_git_repository(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate_git(
        tmp_path, monkeypatch
    )  # GIT_CEILING_DIRECTORIES: no repository above tmp_path counts
    assert_clean_error(reloadlint("--base", "HEAD", "."), "not a git repository")


@needs_git
@pytest.mark.parametrize(
    "rev", ["no-such-branch", "HEAD~5", "0123456789abcdef0123", "v9.9.9", "main..HEAD"]
)
def test_bad_revision(repo: Path, rev: str) -> None:
    assert_clean_error(reloadlint("--base", rev, "."), repr(rev), "not a commit")


@needs_git
@pytest.mark.parametrize("rev", ["-x", "--all", "HEAD\nHEAD"])
def test_revision_that_looks_like_an_option(repo: Path, rev: str) -> None:
    run = reloadlint("--base", rev, ".")
    assert_clean_error(run, "not a commit")


@needs_git
@pytest.mark.parametrize("rev", ["", "  "])
def test_empty_revision_is_an_error_not_tree_mode(repo: Path, rev: str) -> None:
    """``--base "$DEPLOYED_REV"`` with the variable unset: silently linting in
    tree mode would hide every upgrade finding."""
    assert_clean_error(reloadlint("--base", rev, "."), "--base", "empty")


@needs_git
def test_revision_naming_a_tree(repo: Path) -> None:
    assert_clean_error(reloadlint("--base", "HEAD^{tree}", "."), "HEAD^{tree}", "tree")


@needs_git
def test_base_in_a_repository_without_commits(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate_git(tmp_path, monkeypatch)
    git(project, "init", "-q", "-b", "main")
    assert_clean_error(reloadlint("--base", "HEAD", "."), "'HEAD'", "no commits yet")


@needs_git
def test_good_revision_still_works(repo: Path) -> None:
    write(
        repo,
        {
            "app/views.py": (
                "from app.db import connect\n\n\ndef handler():\n    return connect() + 1\n"
            )
        },
    )
    run = reloadlint("--base", "HEAD", ".")
    assert run.exit_code == 1, run.stderr
    assert CANARY_FINDING in run.findings


# ---------------------------------------------------------------- hostile values (issue 13)

DEEP = "[" * 3000 + "]" * 3000
HUGE = "9" * 5000
HOSTILE = {
    "reversed range in exclude": (
        'exclude = ["[z-a]"]',
        "invalid exclude pattern '[z-a]'",
        "bad character range",
    ),
    "reversed range in extend-exclude": (
        'extend-exclude = ["[z-a]*_*"]',
        "invalid exclude pattern '[z-a]*_*'",
        "bad character range",
    ),
    "deep array": (f"src = {DEEP}", "pyproject.toml", "nested too deeply"),
    "deep array in a table": (
        f'per-file-ignores = {{"app/*" = {DEEP}}}',
        "pyproject.toml",
        "nested too deeply",
    ),
    "huge integer": (f"cache-dir = {HUGE}", "pyproject.toml", "invalid TOML"),
    "huge integer in a list": (f"select = [{HUGE}]", "pyproject.toml", "invalid TOML"),
}


@pytest.mark.parametrize("line,where,problem", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_values_are_one_line_errors(
    project: Path, line: str, where: str, problem: str
) -> None:
    run = with_pyproject(project, f"[tool.reloadlint]\n{line}\n")
    assert_clean_error(run, where, problem)


def test_a_reversed_range_in_a_gitignore_line_is_dropped_as_git_does(project: Path) -> None:
    (project / ".git").mkdir()  # a work tree: its .gitignore counts
    write(project, {".gitignore": "[z-a]\n*vie*s*\n"})
    run = reloadlint(".")
    assert run.exit_code == 0 and run.findings == []  # views.py is still ignored


BASELINES = {
    "version true": ('{"version": true, "findings": []}', "has version True"),
    "huge count": (
        '{"version": 1, "findings": [{"path": "a", "code": "RL101", "context": "",'
        f' "symbol": "", "count": {HUGE}}}]}}',
        "is not valid JSON",
    ),
    "deep": ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
}


@pytest.mark.parametrize("text,problem", BASELINES.values(), ids=BASELINES.keys())
def test_hostile_baselines_are_one_line_errors(project: Path, text: str, problem: str) -> None:
    write(project, {"baseline.json": text})
    assert_clean_error(reloadlint("--baseline", "baseline.json", "."), "baseline.json", problem)
