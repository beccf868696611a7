"""Upgrade mode never runs a command the repository's git configuration names
(issue 13): ``core.fsmonitor``, filter drivers, an external diff, ``textconv``.

A repository that arrives with its ``.git`` (an archive, a CI cache, a
checkout tool that copies it) controls ``.git/config``; ``.gitattributes``
comes with any clone. Each configured command would create a marker file.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from gitrepo import git, isolate_git
from hardening_support import reloadlint, write


@pytest.fixture
def hostile_repo(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The canary project, committed, with every command git could be told to run."""
    isolate_git(tmp_path, monkeypatch)
    markers = tmp_path / "markers"
    markers.mkdir()
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")

    def command(name: str) -> str:
        return f"touch {markers / name}; cat"

    config = {
        "core.fsmonitor": f"touch {markers / 'fsmonitor'}; true",
        "filter.evil.clean": command("clean"),
        "filter.evil.smudge": command("smudge"),
        "filter.evil.required": "true",
        "filter.evil.dotted.process": command("process"),
        "diff.external": command("external-diff"),
        "diff.evil.textconv": command("textconv"),
        "diff.evil.command": command("diff-driver"),
    }
    # Changes for upgrade mode to look at: a modified module, an untracked one (git
    # add --intent-to-add in a scratch index), a renamed one, a data file.
    write(project, {"app/db.py": "def connect():\n    return 2\n", "app/new.py": "X = 1\n"})
    git(project, "mv", "app/views.py", "app/pages.py")
    write(project, {"notes.txt": "data\n"})
    write(project, {".gitattributes": "*.py filter=evil diff=evil\n*.txt filter=evil.dotted\n"})
    for key, value in config.items():
        git(project, "config", key, value)
    return markers


def test_the_repository_really_configures_commands(hostile_repo: Path, project: Path) -> None:
    """The fixture is live: plain git runs them (what reloadlint must not do)."""
    subprocess.run(["git", "-C", str(project), "diff", "HEAD"], capture_output=True, check=False)
    assert {p.name for p in hostile_repo.iterdir()} >= {"fsmonitor", "clean", "diff-driver"}


@pytest.mark.parametrize("extra", [(), ("--plan",), ("--plan", "--output-format", "json")])
def test_upgrade_mode_runs_none_of_them(
    hostile_repo: Path, project: Path, extra: tuple[str, ...]
) -> None:
    run = reloadlint("--base", "HEAD", *extra, ".", json_output=False)
    assert run.exit_code in (0, 1), run.stderr
    assert "internal error" not in run.stderr
    assert sorted(p.name for p in hostile_repo.iterdir()) == []
