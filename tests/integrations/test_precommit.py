"""The pre-commit hook, through ``pre-commit try-repo``, in a throwaway git repository.

``try-repo`` clones the hook repository with git: it takes the committed HEAD
plus tracked files' uncommitted changes, but never untracked files (a new
``.pre-commit-hooks.yaml`` or module that is not committed yet would be
missing). So the test commits a snapshot of this checkout's working tree (the
files that make up the installable package) in a temporary repository and
tries that: the same result in CI's clean checkout and in a working copy with
uncommitted work.

pre-commit installs the hook's environment with pip (click, libcst, pathspec
from the package index), so this takes tens of seconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from integration_support import REPO, subprocess_env, write_project

#: What pip needs to install reloadlint from the repository, plus the hook manifest.
PACKAGE_FILES = (
    "pyproject.toml",
    "setup.cfg",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "LICENSE",
    ".pre-commit-hooks.yaml",
)
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}

HAZARD = {
    "app/__init__.py": "",
    "app/db.py": "def connect():\n    return 1\n",
    "app/views.py": "from app.db import connect\n\n\ndef handler():\n    return connect()\n",
}
FIXED_VIEWS = "from app import db\n\n\ndef handler():\n    return db.connect()\n"


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, env=subprocess_env(**GIT_IDENTITY)
    )


def snapshot(target: Path) -> Path:
    """This checkout's package files, committed in a new repository at ``target``."""
    target.mkdir()
    for name in PACKAGE_FILES:
        if (REPO / name).is_file():
            shutil.copy2(REPO / name, target / name)
    shutil.copytree(
        REPO / "reloadlint",
        target / "reloadlint",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "snapshot")
    return target


def try_repo(work: Path, hooks_repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = subprocess_env(PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never", **GIT_IDENTITY)
    env.pop("PRE_COMMIT", None)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(hooks_repo),
            "reloadlint",
            "--files",
            *sorted(HAZARD),
        ],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )


@pytest.mark.slow
def test_hook_fails_on_a_staged_hazard_then_passes_after_the_fix(tmp_path: Path) -> None:
    assert (REPO / ".pre-commit-hooks.yaml").is_file()
    hooks_repo = snapshot(tmp_path / "reloadlint")
    work = write_project(tmp_path / "project", HAZARD)
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    home = tmp_path / "pre-commit-home"

    failed = try_repo(work, hooks_repo, home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "reloadlint" in failed.stdout and "Failed" in failed.stdout
    assert (
        f"app{os.sep}views.py:1:20: RL101" in failed.stdout
        or "app/views.py:1:20: RL101" in failed.stdout
    )

    (work / "app/views.py").write_text(FIXED_VIEWS, encoding="utf-8")
    git(work, "add", "-A")
    passed = try_repo(work, hooks_repo, home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
    assert "RL101" not in passed.stdout
