"""The plan's reasons on the kind of tree a released library has: what is in the
plan's scope, which changes are dependency changes, and which findings force a
restart (``reloadlint --plan --base HEAD`` on real git repositories)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitrepo import isolate_git
from test_plan import PACKAGE, Repo, codes, modules

from reloadlint.cli import command

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(tmp_path, monkeypatch)


# -- scope: the library, not its tests, docs, examples and packaging -----------------

LIBRARY = {
    **PACKAGE,
    "app/core.py": "def greet():\n    return 'hello'\n",
    "tests/__init__.py": "",
    "tests/test_core.py": "from app.core import greet\n\ndef test_greet():\n    assert greet()\n",
    "conftest.py": "import app.core\n",
    "docs/conf.py": "project = 'app'\n",
    "examples/demo.py": "from app.core import greet\n\nprint(greet())\n",
    "setup.py": "from setuptools import setup\n\nsetup(name='app')\n",
    "noxfile.py": "def tests(session):\n    session.run('pytest')\n",
    "app/test_helpers.py": "def helper():\n    return 1\n",
}

#: Each file of LIBRARY but the package changed in a way that forces a restart.
OUTSIDE_CHANGES = {
    # RL402: an import-time side effect in a module that would be reloaded
    "tests/test_core.py": "import sys\nsys.path.append('x')\nfrom app.core import greet\n",
    # RL202 (a class in both versions whose state changed) and RL404 (an endless loop changed)
    "conftest.py": "class Server:\n    def start(self):\n        self.proc = 1\n\n"
    "def serve(s):\n    while True:\n        s.poll(2)\n",
    "docs/conf.py": "import os\nproject = os.environ['PROJECT']\n",
    "examples/demo.py": "import atexit\nfrom app.core import greet\n\natexit.register(print)\n",
    "setup.py": "from setuptools import setup\n\nsetup(name='app', install_requires=['x'])\n",
    "noxfile.py": "import os\n\nPY = os.environ.get('NOX_PY')\n",
    "app/test_helpers.py": "import atexit\n\natexit.register(print)\n",
}


def test_a_library_root_plans_the_library(tmp_path: Path) -> None:
    base = {
        **LIBRARY,
        "conftest.py": "class Server:\n    def start(self):\n        self.pid = 1\n\n"
        "def serve(s):\n    while True:\n        s.poll(1)\n",
    }
    repo = Repo(tmp_path / "repo", base)
    repo.write({**OUTSIDE_CHANGES, "app/core.py": "def greet():\n    return 'hi'\n"})
    code, plan = repo.plan()
    assert modules(plan) == ["app.core"]
    assert plan["restart_reasons"] == []
    assert code == 0 and plan["verdict"] == "hot"
    # Nothing outside the library shows up in what the upgrade will not do either.
    assert not [n for n in plan["not_done"] if not (n["path"] or "app/").startswith("app/")]


def test_removed_test_modules_are_not_removed_modules(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", {**LIBRARY, "tests/test_old.py": "def test():\n    pass\n"})
    repo.delete("tests/test_old.py")
    repo.write({"app/core.py": "def greet():\n    return 'hi'\n"})
    code, plan = repo.plan()
    assert code == 0 and modules(plan) == ["app.core"]


def test_plan_exclude_is_configurable(tmp_path: Path) -> None:
    config = "[tool.reloadlint]\nplan-exclude = []\n"
    repo = Repo(tmp_path / "repo", {**LIBRARY, "pyproject.toml": config})
    repo.write({"tests/test_core.py": OUTSIDE_CHANGES["tests/test_core.py"]})
    code, plan = repo.plan()
    assert code == 1 and "tests.test_core" in modules(plan)
    assert codes(plan["restart_reasons"]) == ["RL402"]


def test_extend_plan_exclude_adds_to_the_defaults(tmp_path: Path) -> None:
    config = '[tool.reloadlint]\nextend-plan-exclude = ["tools/"]\n'
    tools = {"tools/release.py": "import os\n\nTOKEN = os.environ['TOKEN']\n"}
    repo = Repo(tmp_path / "repo", {**LIBRARY, **tools, "pyproject.toml": config})
    repo.write({**OUTSIDE_CHANGES, "tools/release.py": "import os\n\nT = os.environ['T2']\n"})
    code, plan = repo.plan()
    assert (code, modules(plan), plan["restart_reasons"]) == (0, [], [])


def test_the_linter_still_lints_what_the_plan_leaves_out(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", LIBRARY)
    repo.write({"tests/test_core.py": OUTSIDE_CHANGES["tests/test_core.py"]})
    code, out = lint(repo.root, "--select", "RL402", "--output-format", "concise")
    assert code == 1 and "tests/test_core.py:2:1: RL402" in out


def lint(root: Path, *args: str) -> tuple[int, str]:
    """``reloadlint --base HEAD ARGS .`` from ``root`` (the lint, not the plan)."""
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(command, ["--no-cache", "--base", "HEAD", *args, "."])
    finally:
        os.chdir(cwd)
    return result.exit_code, result.stdout
