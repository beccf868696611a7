"""The code base stays ruff-clean (lint and format), as the contributing rules say.

The whole repository, as ``ruff check . && ruff format --check .`` sees it
(Python examples in the docs included); what is left out is in
``[tool.ruff] extend-exclude``, where a pattern must not hide package code.

Run only where ruff is installed (the dev extras pin its minor version, so a
new ruff release cannot fail the suite with rules nobody chose).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _ruff() -> list[str]:
    found = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if found is None:
        pytest.skip("ruff is not installed (pip install -e '.[dev]')")
    return [found]


@pytest.mark.parametrize(
    "args", [["check", "--no-cache"], ["format", "--check", "--no-cache"]], ids=["lint", "format"]
)
def test_ruff(args: list[str]) -> None:
    completed = subprocess.run(
        [*_ruff(), *args, "."], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_ruff_checks_every_package_module() -> None:
    """An exclude pattern such as ``rules`` (meant for the corpus) also matched
    ``reloadlint/rules/``, and the rules went unchecked."""
    completed = subprocess.run(
        [*_ruff(), "check", "--show-files", "."], cwd=ROOT, capture_output=True, text=True
    )
    checked = {Path(line).resolve() for line in completed.stdout.splitlines() if line}
    package = {path.resolve() for path in (ROOT / "reloadlint").rglob("*.py")}
    assert package - checked == set()
