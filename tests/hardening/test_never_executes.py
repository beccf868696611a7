"""The analysed code is never executed: not imported, not compiled into a
running module, not run by a worker, not run by the fix machinery.

The project below is a trap: every module, and every file Python itself might
run (``conftest.py``, ``setup.py``, ``__main__.py``, ``sitecustomize.py``, a
``.pth`` file, and modules named like the standard-library and third-party
modules reloadlint imports), writes a marker file and then kills the process
with ``os._exit(3)`` when it is executed. reloadlint is run over it in every
mode, in-process and as a command; afterwards there must be no marker, every
exit status must be reloadlint's own, and the findings must show that the
files really were analysed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitrepo import git, isolate_git
from hardening_support import write

from reloadlint import workers
from reloadlint.cli import command

#: Modules reloadlint (or its dependencies) import after start-up: a project
#: file of the same name must not shadow them.
SHADOWED = (
    "dataclasses",
    "ast",
    "tokenize",
    "click",
    "libcst",
    "pathspec",
    "json",
    "hashlib",
    "difflib",
    "tempfile",
    "pickle",
)


def trap(markers: Path, name: str) -> str:
    return f"import os\nopen({str(markers / name)!r}, 'w').close()\nos._exit(3)\n"


def trap_project(root: Path, markers: Path) -> None:
    files: dict[str, str] = {
        "app/__init__.py": trap(markers, "app-init") + "from app.db import connect\n",
        "app/db.py": (
            trap(markers, "app-db")
            + "\n\ndef connect():\n    return 1\n\n\nSESSIONS = {}\n\n\n"
            + "def remember(key, value):\n    SESSIONS[key] = value\n"
        ),
        "app/config.py": trap(markers, "app-config") + "DEBUG = os.environ.get('DEBUG')\n",
        "app/views.py": (
            "from app.db import connect\n"
            + trap(markers, "app-views")
            + "\n\ndef handler():\n    return connect()\n\n\n"
            + "if __name__ == '__main__':\n    handler()\n"
        ),
        "app/__main__.py": trap(markers, "app-main"),
        "app/conftest.py": trap(markers, "app-conftest"),
        "conftest.py": trap(markers, "conftest"),
        "setup.py": trap(markers, "setup") + "from setuptools import setup\nsetup(name='trap')\n",
        "__main__.py": trap(markers, "main"),
        "sitecustomize.py": trap(markers, "sitecustomize"),
        "usercustomize.py": trap(markers, "usercustomize"),
        # A site-packages hook: Python runs its `import` lines at start-up.
        "trap.pth": f"import os; open({str(markers / 'pth')!r}, 'w').close(); os._exit(3)\n",
        "app/trap.pth": (
            f"import os; open({str(markers / 'app-pth')!r}, 'w').close(); os._exit(3)\n"
        ),
        # Code that runs at import in less obvious places.
        "app/models.py": (
            "import os\n\n\n"
            "def boom(*args, **kwargs):\n"
            f"    open({str(markers / 'models')!r}, 'w').close()\n    os._exit(3)\n\n\n"
            "class Meta(type):\n    def __new__(mcs, *args):\n        return boom()\n\n\n"
            "@boom\ndef decorated():\n    pass\n\n\n"
            "class Model(metaclass=Meta):\n    __vsn__ = 1\n\n"
            "    def __code_change__(self, old, extra):\n        boom()\n\n\n"
            "def default(arg=boom()):\n    pass\n\n\n"
            "CONFIG = boom()\n"
        ),
    }
    for name in SHADOWED:
        files[f"{name}.py"] = trap(markers, f"shadow-{name}")
    write(root, files)


def add_bulk(root: Path, markers: Path) -> None:
    """Enough source for the worker pool to start (several files, over its byte threshold)."""
    body = "".join(f"def f{i}():\n    return {i}\n\n\n" for i in range(1200))
    write(root, {f"app/bulk{index}.py": trap(markers, f"bulk{index}") + body for index in range(8)})


@pytest.fixture
def trapped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    root = tmp_path / "project"
    markers = tmp_path / "markers"
    markers.mkdir()
    root.mkdir()
    trap_project(root, markers)
    monkeypatch.chdir(root)
    return root, markers


def assert_nothing_ran(markers: Path) -> None:
    assert sorted(p.name for p in markers.iterdir()) == []


def in_process(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        command, ["--isolated", "--no-cache", "--output-format", "concise", *args]
    )
    return result.exit_code, result.stdout, result.stderr


def as_command(root: Path, *argv: str) -> tuple[int, str, str]:
    proc = subprocess.run(
        [*argv, "--isolated", "--no-cache", "--output-format", "concise", "."],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return proc.returncode, proc.stdout, proc.stderr


def assert_analysed(code: int, stdout: str, stderr: str) -> None:
    """reloadlint's own exit status and the findings that prove the files were read."""
    assert code in (0, 1), (code, stdout[-2000:], stderr[-2000:])
    assert "app/views.py:1:20: RL101" in stdout, stdout[-2000:]
    assert "app/db.py:10:1: RL401" in stdout, stdout[-2000:]
    assert "app/config.py:4:9: RL302" in stdout, stdout[-2000:]


def test_tree_mode_in_process_with_workers(
    trapped: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, markers = trapped
    add_bulk(root, markers)
    pools: list[int] = []

    class Spy(workers._Parallel):
        def run(self) -> list:  # type: ignore[type-arg]
            pools.append(len(self.jobs))
            return super().run()

    monkeypatch.setattr(workers, "_Parallel", Spy)
    assert_analysed(*in_process("--jobs", "2", "."))
    assert pools, "the worker pool did not start: the test would prove nothing about workers"
    assert_nothing_ran(markers)


def test_python_dash_m_from_the_project_root(trapped: tuple[Path, Path]) -> None:
    """``python -m`` puts the working directory first on sys.path: the
    project's ``dataclasses.py`` or ``click.py`` must not be what reloadlint imports."""
    root, markers = trapped
    assert_analysed(*as_command(root, sys.executable, "-m", "reloadlint"))
    assert_nothing_ran(markers)


def console_script() -> str:
    """The console script of the interpreter running the tests, then PATH's.

    The one beside ``sys.executable`` is the checkout under test; another
    ``reloadlint`` on PATH may be an older install of some other checkout.
    """
    beside = Path(sys.executable).parent / "reloadlint"
    if beside.exists():
        return str(beside)
    return shutil.which("reloadlint") or str(beside)


def test_the_console_script(trapped: tuple[Path, Path]) -> None:
    root, markers = trapped
    script = console_script()
    if not os.path.exists(script):
        pytest.skip("the reloadlint console script is not installed")
    assert_analysed(*as_command(root, script))
    assert_nothing_ran(markers)


def test_fix_and_diff(trapped: tuple[Path, Path]) -> None:
    root, markers = trapped
    code, stdout, stderr = in_process("--diff", ".")
    assert code == 1 and "+import app.db" in stdout, (stdout[-2000:], stderr)
    code, stdout, stderr = in_process("--fix", "--unsafe-fixes", ".")
    assert code in (0, 1), stderr
    assert "return app.db.connect()" in (root / "app/views.py").read_text()  # the fix really ran
    assert_nothing_ran(markers)


def test_statistics_and_every_output_format(trapped: tuple[Path, Path]) -> None:
    _, markers = trapped
    for fmt in ("full", "json", "sarif", "junit"):
        result = CliRunner().invoke(
            command, ["--isolated", "--no-cache", "--output-format", fmt, "."]
        )
        assert result.exit_code == 1, (fmt, result.stderr)
    assert_nothing_ran(markers)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_upgrade_mode_and_plan(
    trapped: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The base revision's files come from git objects: they are summarised, never run."""
    root, markers = trapped
    isolate_git(tmp_path, monkeypatch)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "v1")
    (root / "app/db.py").write_text(
        trap(markers, "app-db-v2")
        + "\n\ndef connect():\n    return 2\n\nSESSIONS = {}\nCACHE = []\n"
    )
    (root / "app/jobs.py").write_text(
        trap(markers, "app-jobs-v2") + "\nimport os\nTOKEN = os.environ['NEW_TOKEN']\n"
    )
    code, stdout, stderr = in_process("--base", "HEAD", ".")
    assert code == 1, (stdout[-2000:], stderr)
    assert "RL303" in stdout  # the new environment variable: the new file was analysed
    code, stdout, stderr = in_process("--plan", "--base", "HEAD", "--output-format", "json", ".")
    assert code in (0, 1), stderr
    assert '"verdict"' in stdout or '"restart"' in stdout or stdout.strip().startswith("{"), stdout[
        :500
    ]
    code, stdout, stderr = as_command(root, sys.executable, "-m", "reloadlint", "--base", "HEAD")
    assert code == 1, stderr
    assert_nothing_ran(markers)


def test_a_project_shipping_a_reloadlint_package(trapped: tuple[Path, Path]) -> None:
    """``python -m reloadlint`` run in a project that ships its own ``reloadlint/``
    package runs that package (Python finds ``-m`` modules on the working
    directory first, before reloadlint's ``__main__`` could do anything): the
    console script does not, which is why docs and hooks use it."""
    root, markers = trapped
    write(root, {"reloadlint/__init__.py": trap(markers, "shadow-package")})
    script = console_script()
    if not os.path.exists(script):
        pytest.skip("the reloadlint console script is not installed")
    code, stdout, stderr = as_command(root, script)
    assert code in (0, 1), (code, stderr[-2000:])
    assert "app/views.py:1:20: RL101" in stdout
    assert_nothing_ran(markers)


def test_docs_and_shipped_hooks_use_the_console_script() -> None:
    """Every command the project tells users to run, and every hook it ships, is
    ``reloadlint``, never ``python -m reloadlint`` (docs/hardening.md explains why,
    and is the one place that names it)."""
    repo = Path(__file__).resolve().parents[2]
    shipped = [
        repo / "README.md",
        repo / ".pre-commit-hooks.yaml",
        *sorted(repo.glob("docs/**/*.md")),
    ]
    offenders = [
        f"{path.relative_to(repo)}:{number}"
        for path in shipped
        if path.name != "hardening.md"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"python[0-9.]*\s+(-\w+\s+)*-m\s+reloadlint\b", line)
    ]
    assert offenders == []
