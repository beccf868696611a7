"""Fixtures of the integration tests that install reloadlint."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from integration_support import subprocess_env

#: What installing reloadlint fetches: its dependencies, the build backend, pip.
DOWNLOADED = ("click", "libcst", "pathspec", "tomli", "hatchling", "pip")


@pytest.fixture(scope="session")
def pip_offline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment variables that make every pip the tests start (in a venv, in
    pipx, in the build front end's isolated build, in pre-commit's hook
    environment) install from one folder of wheels, downloaded once.

    The commands under test are the ones users type; only where pip finds the
    dependencies changes. Without this each install asks the package index
    for every dependency again, which took over a minute per test here.
    """
    wheels = tmp_path_factory.mktemp("wheelhouse")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--dest", str(wheels), *DOWNLOADED],
        capture_output=True,
        text=True,
        timeout=900,
        env=subprocess_env(),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return {
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(Path(wheels)),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
