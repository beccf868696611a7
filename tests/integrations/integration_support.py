"""Shared by the integration tests: corpus cases, little projects, the CLI's findings."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner, Result

from reloadlint.cli import command

TESTS = Path(__file__).resolve().parent.parent
REPO = TESTS.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

from corpus import Case, cases  # noqa: E402

#: A finding as every front end can report it: path (posix, relative), row, 1-based column, code.
Finding = tuple[str, int, int, str]


def tree_cases() -> list[Case]:
    """Corpus cases that lint a tree (upgrade cases need ``--base``, which plugins do not have)."""
    return [case for case in cases() if not case.upgrade]


def copy_case(case: Case, target: Path) -> Path:
    shutil.copytree(case.tree, target)
    return target


def write_project(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@contextmanager
def chdir(path: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def run_cli(work: Path, *args: str) -> Result:
    """``reloadlint ARGS`` in-process with ``work`` as the working directory."""
    with chdir(work):
        return CliRunner().invoke(command, list(args), catch_exceptions=False)


def cli_findings(work: Path, *args: str) -> list[Finding]:
    """The CLI's json findings for ``work`` (default selection unless ``args`` say otherwise)."""
    result = run_cli(work, "--output-format", "json", "--no-cache", *args, ".")
    assert result.exit_code in (0, 1), result.output
    root = work.resolve()
    return sorted(
        (
            Path(d["filename"]).resolve().relative_to(root).as_posix(),
            d["location"]["row"],
            d["location"]["column"],
            d["code"],
        )
        for d in json.loads(result.stdout)
    )


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for tools run in subprocesses (no colour)."""
    return {**os.environ, "NO_COLOR": "1", **extra}


#: What pip needs to install reloadlint from the repository, plus the hook manifest.
PACKAGE_FILES = (
    "pyproject.toml",
    "README.md",
    "LICENSE",
    ".gitignore",
    ".pre-commit-hooks.yaml",
)
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, env=subprocess_env(**GIT_IDENTITY)
    )


def snapshot(target: Path, *folders: str, tag: str | None = None) -> Path:
    """This checkout's package files (and ``folders`` of it), committed in a new
    git repository at ``target`` and tagged ``tag``: what a clone of a release is.

    A copy, not this checkout itself, so that the tests see the working tree
    (uncommitted edits included) and whatever an install writes lands in the copy.
    """
    target.mkdir()
    for name in PACKAGE_FILES:
        if (REPO / name).is_file():
            shutil.copy2(REPO / name, target / name)
    for folder in ("reloadlint", *folders):
        shutil.copytree(
            REPO / folder,
            target / folder,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".reloadlint_cache"),
        )
    git(target, "init", "-q", "-b", "main")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "snapshot")
    if tag is not None:
        git(target, "tag", tag)
    return target


def tree_files(root: Path) -> set[str]:
    """Every path under ``root`` (files and folders) outside ``.git``."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if ".git" not in p.parts}
