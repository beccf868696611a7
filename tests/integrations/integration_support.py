"""Shared by the integration tests: corpus cases, little projects, the CLI's findings."""

from __future__ import annotations

import json
import os
import shutil
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
