"""Settings you can see and a project boundary (issue 19).

``--show-settings`` prints what the run uses; a ``reloadable``/``not-reloadable``/
``src`` setting that matches nothing is a warning, not a silent "All checks
passed!"; the rest of the project is walked only up to the file's project root
(the nearest ``pyproject.toml``, ``setup.cfg``, ``setup.py``, ``reloadlint.toml``
or repository root), and without one never above its top-level package.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import write_tree

from reloadlint.boundary import Boundaries
from reloadlint.cli import command
from reloadlint.config import Settings
from reloadlint.request import LintRequest
from reloadlint.steps import collect

DB = "def connect():\n    pass\n"
VIEWS = "from app.db import connect\n\n\ndef view():\n    return connect()\n"
CONFIG = """\
[tool.reloadlint]
reloadable = ["app.*"]
not-reloadable = ["app.state"]
select = ["RL1"]
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "proj"
    write_tree(
        root,
        {
            "pyproject.toml": CONFIG,
            "app/__init__.py": "",
            "app/db.py": DB,
            "app/state.py": "CACHE = {}\n",
            "app/views.py": VIEWS,
            "tools/run.py": "import app.views\n",
        },
    )
    monkeypatch.chdir(root)
    return root


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(command, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_show_settings_names_what_the_run_uses(project: Path) -> None:
    code, out, err = _invoke("--show-settings", "app/views.py")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == f"configuration file: {project / 'pyproject.toml'}"
    assert "project root: ." in lines
    assert "source roots walked: ." in lines
    assert "files: 1 reported, 5 in the project" in lines
    assert "reloader: importlib" in lines
    # app.db and app.views: app.state is not reloadable, app itself and run not matched
    assert "reloadable: 2 of 5 first-party modules" in lines
    assert "  reloadable = 'app.*'" in lines
    assert "  not-reloadable = 'app.state'" in lines
    rules = lines[lines.index(next(x for x in lines if x.startswith("rules in effect"))) + 1 :]
    assert rules and all(line.startswith("  RL1") for line in rules)
    assert "  RL101 stale-function-import" in rules
    # the options on the command line count
    code, out, _ = _invoke("--show-settings", "--reloader", "ipython", "--select", "RL10", ".")
    lines = out.splitlines()
    assert "reloader: ipython" in lines
    # IPython patches functions in place: RL101 does not apply under it
    assert lines[-3:] == [
        "rules in effect: 2",
        "  RL102 stale-value-import",
        "  RL104 identity-sensitive-definition",
    ]


def test_show_settings_verbose_names_the_reloadable_modules(project: Path) -> None:
    _, out, _ = _invoke("--show-settings", "-v", ".")
    lines = out.splitlines()
    start = lines.index("  not-reloadable = 'app.state'") + 1
    assert lines[start : start + 2] == ["  app.db", "  app.views"]


@pytest.mark.parametrize(
    ("setting", "warning"),
    [
        (
            'reloadable = ["ap.*"]',
            "`tool.reloadlint.reloadable` pattern 'ap.*' matches no module of the project",
        ),
        (
            'not-reloadable = ["app.stat"]',
            "`tool.reloadlint.not-reloadable` pattern 'app.stat' matches no module",
        ),
        ('src = ["source"]', "`tool.reloadlint.src` folder 'source' holds no module"),
    ],
)
def test_a_setting_that_matches_nothing_is_a_warning(
    project: Path, setting: str, warning: str
) -> None:
    (project / "pyproject.toml").write_text(f"[tool.reloadlint]\n{setting}\nselect = ['RL3']\n")
    code, out, err = _invoke("--no-cache", ".")
    assert code == 0 and out.startswith("All checks passed!")
    lines = err.splitlines()
    assert lines[0].startswith(f"reloadlint: warning: {project / 'pyproject.toml'}: ")
    assert warning in lines[0]
    assert len(lines) == 1


def test_settings_that_match_say_nothing(project: Path) -> None:
    code, _, err = _invoke("--no-cache", ".")
    assert code == 1 and "warning" not in err


# ---------------------------------------------------------------- the project boundary


@pytest.fixture
def unmarked(tmp_path: Path) -> Path:
    """A package in a directory of unrelated trees, with no project marker anywhere."""
    if Boundaries().marked_root(str(tmp_path.resolve())) is not None:
        pytest.skip("a project marker above the temporary directory")
    parent = tmp_path / "parent"
    write_tree(
        parent,
        {
            "pkg/__init__.py": "",
            "pkg/db.py": DB,
            "pkg/sub/__init__.py": "",
            "pkg/sub/views.py": "from pkg.db import connect\n",
            "other/__init__.py": "",
            "other/big.py": "import os\nX = os.environ['X']\n",
            "loose/script.py": "print(1)\n",
        },
    )
    return parent


def _walked(cwd: Path, monkeypatch: pytest.MonkeyPatch, *paths: str) -> list[str]:
    monkeypatch.chdir(cwd)
    request = LintRequest(paths=[Path(p) for p in paths], settings=Settings(root=cwd))
    return sorted(entry.name for entry in collect(request).entries)


PKG = ["pkg", "pkg.db", "pkg.sub", "pkg.sub.views"]


def test_without_a_marker_a_run_inside_a_package_stays_in_it(
    unmarked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _walked(unmarked / "pkg", monkeypatch, ".") == PKG
    # the same project whichever file is named, from wherever
    assert _walked(unmarked / "pkg", monkeypatch, "sub/views.py") == PKG
    assert _walked(unmarked, monkeypatch, "pkg/sub/views.py") == PKG
    code, out, _ = _invoke("--no-cache", "--output-format", "concise", ".")
    assert code == 1 and "RL101" in out  # still judged against the rest of its package


def test_a_marker_makes_its_directory_the_project(
    unmarked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (unmarked / "setup.cfg").write_text("[metadata]\nname = pkg\n")
    everything = sorted([*PKG, "other", "other.big", "script"])
    assert _walked(unmarked / "pkg", monkeypatch, ".") == everything
    assert _walked(unmarked / "pkg", monkeypatch, "db.py") == everything


def test_a_marker_inside_the_package_bounds_the_walk(
    unmarked: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A nested project (its own pyproject.toml) is walked alone, even though its
    source root, found by climbing packages, is above it."""
    (unmarked / "pkg" / "sub" / "pyproject.toml").write_text("[project]\nname = 'sub'\n")
    assert _walked(unmarked / "pkg" / "sub", monkeypatch, ".") == ["pkg.sub", "pkg.sub.views"]
