"""The text formats' ``[*]`` mark says what ``--fix`` will do: a finding the rule deems
fixable but the fixer refuses (here a name used at import time, where the rewrite
would not cure the hazard) carries no mark, and the summary counts only what is fixed,
as the JSON output's ``fix`` and ``--fix`` itself say."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from reloadlint.cli import command

BASE = "class Base:\n    pass\n\n\ndef helper():\n    return 1\n"
USE = """from app.base import Base, helper


class Child(Base):  # used at import time: the fixer leaves this import alone
    pass


def run():
    return helper()
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "base.py").write_text(BASE)
    (tmp_path / "app" / "use.py").write_text(USE)
    return tmp_path


def run(tree: Path, *args: str) -> tuple[str, str]:
    old = Path.cwd()
    os.chdir(tree)
    try:
        result = CliRunner().invoke(
            command, ["--isolated", "--no-cache", "--select", "RL101", *args, "."]
        )
    finally:
        os.chdir(old)
    assert result.exit_code == 1, result.output
    return result.stdout, result.stderr


def test_the_mark_is_the_fixers_answer(tree: Path) -> None:
    concise, _ = run(tree, "--output-format", "concise")
    # the findings, then the summary line and its "[*] N fixable" line
    *findings, summary, fixable = concise.splitlines()
    assert summary.startswith("Found 2 problems")
    marked = {line.split(":")[1] + ":" + line.split(":")[2]: " [*] " in line for line in findings}
    data = json.loads(run(tree, "--output-format", "json")[0])
    fixed = {
        f"{d['location']['row']}:{d['location']['column']}": d["fix"] is not None for d in data
    }
    assert marked == fixed == {"1:22": False, "1:28": True}
    assert fixable == "[*] 1 fixable with the `--fix` option."

    full, _ = run(tree, "--output-format", "full")
    assert [" [*] " in line for line in full.splitlines() if "RL101" in line] == [False, True]

    # and --fix does exactly that: rewrites `helper`, leaves `Base`
    old = Path.cwd()
    os.chdir(tree)
    try:
        CliRunner().invoke(command, ["--isolated", "--no-cache", "--select", "RL101", "--fix", "."])
    finally:
        os.chdir(old)
    fixed_text = (tree / "app" / "use.py").read_text()
    assert "from app.base import Base" in fixed_text and "helper" not in fixed_text.splitlines()[0]


def test_a_warm_upgrade_run_takes_its_marks_from_the_cache(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Upgrade mode has no incremental state, but its findings cache's key fixes every
    file and the findings: the run's fixes are kept under it, so a warm ``--base`` run
    prints its marks without decoding every module's summary for the fixes' key."""
    from gitrepo import git, isolate_git

    from reloadlint.fixes import exports

    isolate_git(tmp_path, monkeypatch)
    git(tree, "init", "-q", "-b", "main")
    git(tree, "add", "-A")
    git(tree, "commit", "-q", "-m", "v1")
    (tree / "app" / "use.py").write_text(USE + "\n\ndef more():\n    return helper()\n")

    def lint() -> str:
        old = Path.cwd()
        os.chdir(tree)
        try:
            args = ["--isolated", "--select", "RL101", "--base", "HEAD"]
            result = CliRunner().invoke(command, [*args, "--output-format", "concise", "."])
        finally:
            os.chdir(old)
        assert result.exit_code == 1, result.output
        return result.stdout

    cold = lint()
    assert " [*] " in cold and "[*] 1 fixable" in cold

    def decoded(*_: object) -> None:
        raise AssertionError("every summary decoded for the fixes' key")

    monkeypatch.setattr(exports, "kept_names", decoded)
    assert lint() == cold
