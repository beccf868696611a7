"""The code base stays ruff-clean (lint and format), as the contributing rules say.

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
CHECKED = ["reloadlint", "tests", "bench", "scripts"]


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
        [*_ruff(), *args, *CHECKED], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
