"""The pre-commit hook, through ``pre-commit try-repo``, in a throwaway git repository.

``try-repo`` clones the hook repository with git: it takes the committed HEAD
plus tracked files' uncommitted changes, but never untracked files (a new
``.pre-commit-hooks.yaml`` or module that is not committed yet would be
missing). So the test commits a snapshot of this checkout's working tree (the
files that make up the installable package) in a temporary repository and
tries that: the same result in CI's clean checkout and in a working copy with
uncommitted work.

The configuration docs/install.md shows (``repo:`` this repository, ``rev:``
a tag) is run too, with ``pre-commit run`` on a tagged snapshot.

pre-commit installs the hook's environment with pip, here from the wheels of
the ``pip_offline`` fixture; still several seconds per environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from integration_support import GIT_IDENTITY, REPO, git, snapshot, subprocess_env, write_project

import reloadlint

HAZARD = {
    "app/__init__.py": "",
    "app/db.py": "def connect():\n    return 1\n",
    "app/views.py": "from app.db import connect\n\n\ndef handler():\n    return connect()\n",
}
FIXED_VIEWS = "from app import db\n\n\ndef handler():\n    return db.connect()\n"


def pre_commit(
    work: Path, home: Path, pip: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    env = subprocess_env(PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never", **GIT_IDENTITY, **pip)
    env.pop("PRE_COMMIT", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )


def try_repo(
    work: Path, hooks_repo: Path, home: Path, pip: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return pre_commit(
        work, home, pip, "try-repo", str(hooks_repo), "reloadlint", "--files", *sorted(HAZARD)
    )


@pytest.mark.slow
def test_hook_fails_on_a_staged_hazard_then_passes_after_the_fix(
    tmp_path: Path, pip_offline: dict[str, str]
) -> None:
    assert (REPO / ".pre-commit-hooks.yaml").is_file()
    hooks_repo = snapshot(tmp_path / "reloadlint")
    work = write_project(tmp_path / "project", HAZARD)
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    home = tmp_path / "pre-commit-home"

    failed = try_repo(work, hooks_repo, home, pip_offline)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "reloadlint" in failed.stdout and "Failed" in failed.stdout
    assert (
        f"app{os.sep}views.py:1:20: RL101" in failed.stdout
        or "app/views.py:1:20: RL101" in failed.stdout
    )

    (work / "app/views.py").write_text(FIXED_VIEWS, encoding="utf-8")
    git(work, "add", "-A")
    passed = try_repo(work, hooks_repo, home, pip_offline)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout
    assert "RL101" not in passed.stdout


@pytest.mark.slow
def test_configured_hook_from_this_repository_at_a_tag(
    tmp_path: Path, pip_offline: dict[str, str]
) -> None:
    """``repo:`` the repository's git URL, ``rev:`` a release tag, as docs/install.md shows."""
    tag = f"v{reloadlint.__version__}"
    hooks_repo = snapshot(tmp_path / "reloadlint", tag=tag)
    git(hooks_repo, "commit", "-q", "--allow-empty", "-m", "after the release")
    config = (
        f"repos:\n  - repo: {hooks_repo.as_uri()}\n    rev: {tag}\n"
        "    hooks:\n      - id: reloadlint\n"
    )
    work = write_project(tmp_path / "project", {**HAZARD, ".pre-commit-config.yaml": config})
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")

    failed = pre_commit(work, tmp_path / "pre-commit-home", pip_offline, "run", "--all-files")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "app/views.py:1:20: RL101" in failed.stdout.replace(os.sep, "/")
