"""Every corpus case through the linter, and through a real reload.

A rule is done when its bad cases are found and its good cases are clean,
*and* the reload experiment shows the bad code misbehaving under a real
``importlib.reload`` while the good code does not. The findings are compared
as the concise format prints them (line, column, code, fix mark, message); a
case with fixable findings has a ``fixed/`` tree that ``--fix`` must
reproduce, and that the reload experiment must find fresh.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from corpus import Case, cases, run_experiment

from reloadlint.cli import command

CASES = cases()


def _git(cwd: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


def lint_case(case: Case, tmp_path: Path, reloader: str = "importlib") -> list[str]:
    """The case's findings, as ``--output-format concise`` prints them, under the
    reloader's profile."""
    work = tmp_path / "work"
    args = ["--output-format", "concise", "--select", case.code, "--no-cache", "--quiet"]
    args += ["--reloader", reloader]
    if case.upgrade:
        shutil.copytree(case.path / "v1", work)
        _git(work, "init", "-q", "-b", "main")
        _git(work, "add", "-A")
        _git(work, "commit", "-qm", "v1")
        for path in list(work.iterdir()):
            if path.name != ".git":
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        # Fresh mtimes, as an edit gives: copy2 would keep v2's, and a file of the
        # same size and mtime as its v1 version (on a reused inode) looks unchanged to git.
        shutil.copytree(case.path / "v2", work, dirs_exist_ok=True, copy_function=shutil.copy)
        args += ["--base", "HEAD"]
    else:
        shutil.copytree(case.tree, work)
    old = Path.cwd()
    os.chdir(work)
    try:
        result = CliRunner().invoke(command, [*args, "."], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.output
    return result.stdout.splitlines()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_linter_matches_expected(case: Case, tmp_path: Path) -> None:
    expected = case.expected()
    if case.bad:
        assert expected, f"{case.id}: a bad case must list its findings in expected.txt"
    assert lint_case(case, tmp_path) == expected


FIXABLE = [c for c in CASES if any(" [*] " in line for line in c.expected())]


@pytest.mark.parametrize("case", FIXABLE, ids=[c.id for c in FIXABLE])
def test_fix_gives_the_fixed_tree(case: Case, tmp_path: Path) -> None:
    assert case.fixed is not None, f"{case.id}: a case with fixable findings needs fixed/"
    work = tmp_path / "work"
    shutil.copytree(case.tree, work)
    old = Path.cwd()
    os.chdir(work)
    try:
        args = ["--fix", "--select", case.code, "--no-cache", "--quiet", "."]
        result = CliRunner().invoke(command, args, catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.output
    assert _files(work) == _files(case.fixed)


def test_only_fixable_cases_have_a_fixed_tree() -> None:
    assert {c.id for c in CASES if c.fixed is not None} == {c.id for c in FIXABLE}


def _files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


EXPERIMENTS = [c for c in CASES if c.experiment is not None]
FIXED = [c for c in EXPERIMENTS if c.fixed is not None]


@pytest.mark.parametrize("case", EXPERIMENTS, ids=[c.id for c in EXPERIMENTS])
def test_real_reload(case: Case, tmp_path: Path) -> None:
    _experiment(case, case.path / "v1" if case.upgrade else case.tree, tmp_path, case.bad)


@pytest.mark.parametrize("case", FIXED, ids=[c.id for c in FIXED])
def test_the_fixed_tree_survives_the_reload(case: Case, tmp_path: Path) -> None:
    """The fix cures what the rule warns about: the experiment that finds the
    bad tree stale finds its fixed tree fresh."""
    assert case.fixed is not None
    _experiment(case, case.fixed, tmp_path, bad=False)


def _experiment(case: Case, tree: Path, tmp_path: Path, bad: bool) -> None:
    """Under ``importlib.reload`` (the default profile, under which every rule applies)."""
    last = run_experiment(case, tree, tmp_path)
    expected = "STALE" if bad else "FRESH"
    assert last.startswith(expected), f"{case.id}: expected {expected}, experiment said {last!r}"


def test_every_rule_has_a_proven_corpus() -> None:
    """Each tree/upgrade rule (not the RL9xx input family) has bad and good cases with an
    experiment."""
    from reloadlint.rules.registry import all_rules

    by_code: dict[str, list[Case]] = {}
    for case in CASES:
        by_code.setdefault(case.code, []).append(case)
    missing = []
    for rule in all_rules():
        if rule.code.startswith("RL9"):
            continue
        found = by_code.get(rule.code, [])
        if not any(c.bad for c in found) or not any(not c.bad for c in found):
            missing.append(f"{rule.code}: needs bad and good cases")
        elif not all(c.experiment for c in found):
            missing.append(f"{rule.code}: every case needs a reload experiment")
    assert not missing, missing
