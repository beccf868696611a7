"""``--fix``/``--unsafe-fixes``/``--diff`` with ``--base REV``: refused with exit 2.

Upgrade mode judges the change from REV to the working tree. Fixing would
edit the working tree, i.e. change the very upgrade being judged, after its
findings were computed; and before this check the options were silently
ignored, so a user who asked for fixes read "nothing fixed" as "nothing to
fix". Tree mode (the same command without ``--base``) is where fixes apply.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from gitrepo import git, isolate_git

from reloadlint.cli import command

V1 = {
    "app/__init__.py": "",
    "app/db.py": "def connect():\n    return 1\n",
    "app/views.py": "import app.db\n\n\ndef handler():\n    return app.db.connect()\n",
}
#: v2 binds `connect` by value: an RL101 finding with a safe fix.
V2_VIEWS = "from app.db import connect\n\n\ndef handler():\n    return connect()\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate_git(tmp_path, monkeypatch)
    root = tmp_path / "repo"
    for name, text in V1.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "v1")
    (root / "app" / "views.py").write_text(V2_VIEWS)
    monkeypatch.chdir(root)
    return root


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(command, ["--isolated", "--no-cache", *args, "."])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "options,named",
    [
        (["--fix"], "--fix works"),
        (["--unsafe-fixes"], "--unsafe-fixes works"),
        (["--diff"], "--diff works"),
        (["--fix", "--diff"], "--fix and --diff work"),
        (["--fix", "--plan"], "--fix works"),
    ],
)
def test_fixing_in_upgrade_mode_is_refused(repo: Path, options: list[str], named: str) -> None:
    code, stdout, stderr = run("--base", "HEAD", *options)
    assert code == 2, (stdout, stderr)
    assert stderr.splitlines() == [
        f"reloadlint: error: {named} in tree mode only; run without --base"
    ]
    assert stdout == ""
    assert (repo / "app" / "views.py").read_text() == V2_VIEWS  # nothing was touched


def test_the_same_finding_is_fixed_in_tree_mode(repo: Path) -> None:
    """The refusal is about the mode, not the finding: upgrade mode reports it
    as fixable, and tree mode fixes it."""
    code, stdout, _ = run("--base", "HEAD", "--select", "RL101", "--output-format", "concise")
    assert code == 1 and "app/views.py:1:20: RL101 [*]" in stdout
    code, _, stderr = run("--fix", "--select", "RL101")
    assert "Fixed 1 file." in stderr
    assert code == 0, stderr
    assert "import app.db" in (repo / "app" / "views.py").read_text()


def test_upgrade_mode_without_fix_options_still_runs(repo: Path) -> None:
    code, _, stderr = run("--base", "HEAD", "--select", "RL101")
    assert code == 1, stderr
