"""The installation commands the README and docs/install.md show, run as shown.

Each test installs into a fresh virtual environment from a copy of this
checkout (a git repository with a release tag, as a clone is), so what an
install writes lands in the copy and can be checked: nothing (no ``build/``,
no ``*.egg-info``). Every pip involved installs from one folder of wheels
downloaded once per run (the ``pip_offline`` fixture); a test still takes
several seconds per virtual environment.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from integration_support import REPO, git, snapshot, subprocess_env, tree_files

import reloadlint

TAG = f"v{reloadlint.__version__}"
WHEEL = f"reloadlint-{reloadlint.__version__}-py3-none-any.whl"
#: What ``reloadlint examples/jobserver`` ends with (tests/test_examples.py checks each finding).
JOBSERVER_SUMMARY = "Found 8 problems in 4 files."

pytestmark = pytest.mark.slow


def run(cmd: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        cmd, cwd=cwd, capture_output=True, text=True, timeout=900, env=subprocess_env(**env)
    )
    return done


def ok(cmd: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    done = run(cmd, cwd, **env)
    assert done.returncode == 0, f"{cmd}:\n{done.stdout}\n{done.stderr}"
    return done


def venv(path: Path) -> Path:
    """A fresh virtual environment; its scripts folder."""
    ok([sys.executable, "-m", "venv", str(path)], path.parent)
    return path / ("Scripts" if os.name == "nt" else "bin")


def lint_jobserver(reloadlint_exe: Path, checkout: Path) -> None:
    done = run([str(reloadlint_exe), "--no-cache", "examples/jobserver"], checkout)
    assert done.returncode == 1, done.stdout + done.stderr
    assert JOBSERVER_SUMMARY in done.stdout


def readme_setup_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, re.DOTALL)


def test_readme_has_two_setup_commands_using_the_console_script() -> None:
    install, develop = readme_setup_commands()
    assert install == "python3 -m pip install . && reloadlint examples/jobserver"
    assert develop == "python3 -m pip install -e '.[dev]' && python3 -m pytest"


def test_readme_install_command_leaves_the_checkout_clean(
    tmp_path: Path, pip_offline: dict[str, str]
) -> None:
    checkout = snapshot(tmp_path / "checkout", "examples")
    scripts = venv(tmp_path / "venv")
    install, lint = readme_setup_commands()[0].split(" && ")
    before = tree_files(checkout)

    path = f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}"
    ok(["sh", "-c", install], checkout, PATH=path, **pip_offline)
    assert tree_files(checkout) == before  # no build/, no reloadlint.egg-info/

    linted = run(["sh", "-c", f"{lint} --no-cache"], checkout, PATH=path)
    assert linted.returncode == 1, linted.stdout + linted.stderr
    assert JOBSERVER_SUMMARY in linted.stdout


def test_wheel_from_the_build_front_end_installs_anywhere(
    tmp_path: Path, pip_offline: dict[str, str]
) -> None:
    checkout = snapshot(tmp_path / "checkout", "examples")
    before = tree_files(checkout)
    dist = tmp_path / "dist"
    ok(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), "."],
        checkout,
        **pip_offline,
    )
    assert tree_files(checkout) == before
    assert [p.name for p in dist.iterdir()] == [WHEEL]
    with zipfile.ZipFile(dist / WHEEL) as wheel:
        names = set(wheel.namelist())
        entry_points = wheel.read(
            f"reloadlint-{reloadlint.__version__}.dist-info/entry_points.txt"
        ).decode()
    assert {"reloadlint/schemas/plan.schema.json", "reloadlint/py.typed"} <= names
    assert "reloadlint = reloadlint.cli:main" in entry_points
    assert "RL = reloadlint.flake8_plugin:ReloadlintChecker" in entry_points

    scripts = venv(tmp_path / "venv")
    ok(
        [str(scripts / "python"), "-m", "pip", "install", str(dist / WHEEL)],
        tmp_path,
        **pip_offline,
    )
    assert ok([str(scripts / "reloadlint"), "--version"], tmp_path).stdout.split()[-1] == (
        reloadlint.__version__
    )
    lint_jobserver(scripts / "reloadlint", checkout)


def test_pipx_from_a_checkout_and_from_a_git_url(
    tmp_path: Path, pip_offline: dict[str, str]
) -> None:
    checkout = snapshot(tmp_path / "checkout", "examples", tag=TAG)
    before = tree_files(checkout)
    for name, source, cwd in (
        ("checkout", ".", checkout),
        ("git", f"git+{checkout.as_uri()}@{TAG}", tmp_path),
    ):
        home, bin_dir = tmp_path / f"pipx-{name}", tmp_path / f"bin-{name}"
        env = {"PIPX_HOME": str(home), "PIPX_BIN_DIR": str(bin_dir), **pip_offline}
        env["PIPX_MAN_DIR"] = str(tmp_path / f"man-{name}")
        ok([sys.executable, "-m", "pipx", "install", source], cwd, **env)
        lint_jobserver(bin_dir / "reloadlint", checkout)
    assert tree_files(checkout) == before


def test_pip_from_a_git_url_at_a_tag(tmp_path: Path, pip_offline: dict[str, str]) -> None:
    release = snapshot(tmp_path / "reloadlint", "examples", tag=TAG)
    git(release, "commit", "-q", "--allow-empty", "-m", "after the release")
    scripts = venv(tmp_path / "venv")
    # file://localhost/...: the pip a new venv gets (23.x on Python 3.11) rejects
    # a direct reference with an empty host; a real REPO_URL has one.
    requirement = f"reloadlint @ git+file://localhost{release.as_posix()}@{TAG}"
    ok([str(scripts / "python"), "-m", "pip", "install", requirement], tmp_path, **pip_offline)
    lint_jobserver(scripts / "reloadlint", release)
