"""Small command-line conventions users of ruff expect (issue 19): ``-v``
names the configuration file; malformed ``# noqa`` directives are warned about
as ruff warns; JUnit has a test case per finding."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import write_tree

from reloadlint.cli import command

DB = "def connect():\n    pass\n"


def test_verbose_names_the_configuration_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, {"app/__init__.py": "", "app/db.py": DB})
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert "configuration file: none" in runner.invoke(command, ["-v", "app"]).stderr
    (tmp_path / "pyproject.toml").write_text("[tool.reloadlint]\nselect = ['RL1']\n")
    result = runner.invoke(command, ["-v", "app"])
    assert f"configuration file: {tmp_path / 'pyproject.toml'}" in result.stderr
    assert "configuration file" not in runner.invoke(command, ["app"]).stderr


BAD_NOQA = """\
from app.db import connect  # noqaRL101
from app.db import connect as c2  # noqa: XYZ
from app.db import connect as c3  # noqa:RL10
from app.db import connect as c6  # noqa:
from app.db import connect as c4  # noqa: RL101, F401
from app.db import connect as c5  # noqa
from app.db import connect as c7  # NOQA isort:skip
from app.db import connect as c8  # noqa RL101
from app.db import connect as c9  # noqa: RL101 isort:skip
from app.db import connect as c10  # noqa : RL101
X = 1  # noqa: E501 # another comment
"""


def test_malformed_noqa_directives_are_warned_about_as_ruff_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The verdicts are ruff 0.17.6's on the same comments (with F401 for RL101)."""
    write_tree(tmp_path, {"app/__init__.py": "", "app/db.py": DB, "app/views.py": BAD_NOQA})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(command, ["--no-cache", "app"])
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    example = "(e.g., `# noqa: RL101, RL102`)."
    assert warnings == [
        "reloadlint: warning: Invalid `# noqa` directive on app/views.py:1: expected `:` "
        f"followed by a comma-separated list of codes {example}",
        "reloadlint: warning: Invalid `# noqa` directive on app/views.py:2: expected a "
        f"comma-separated list of codes {example}",
        "reloadlint: warning: Invalid rule code provided to `# noqa` at app/views.py:3: RL10",
        "reloadlint: warning: Invalid `# noqa` directive on app/views.py:4: expected a "
        f"comma-separated list of codes {example}",
    ]
    # the directives keep working as flake8 reads them (the glued one too): nothing is
    # reported
    assert result.exit_code == 0 and result.stdout.startswith("All checks passed!")


def test_a_warm_run_warns_about_the_same_directives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run answered from the cache reads again only the files that mention noqa
    (the file index remembers which): its warnings are a cold run's, and a
    directive added since is noticed."""
    from reloadlint import fileindex

    monkeypatch.setattr(fileindex, "SETTLE_NS", 0)
    write_tree(tmp_path, {"app/__init__.py": "", "app/db.py": DB, "app/views.py": BAD_NOQA})
    monkeypatch.chdir(tmp_path)
    cold = CliRunner().invoke(command, ["--no-cache", "app"]).stderr
    assert "Invalid" in cold
    assert [CliRunner().invoke(command, ["app"]).stderr for _ in range(2)] == [cold, cold]
    (tmp_path / "app/db.py").write_text(DB + "Y = 2  # noqa:\n")
    warm = CliRunner().invoke(command, ["app"]).stderr
    assert (
        "app/db.py:" in warm and warm == CliRunner().invoke(command, ["--no-cache", "app"]).stderr
    )


def test_well_formed_noqa_directives_say_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = "\n".join(BAD_NOQA.splitlines()[4:]) + "\n"
    write_tree(tmp_path, {"app/__init__.py": "", "app/db.py": DB, "app/views.py": good})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(command, ["--no-cache", "app"])
    assert "warning" not in result.stderr


def test_junit_has_one_failed_testcase_per_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    views = "from app.db import connect\nfrom app.db import connect as other\n"
    write_tree(tmp_path, {"app/__init__.py": "", "app/db.py": DB, "app/views.py": views})
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(command, ["--no-cache", "--output-format", "junit", "app"])
    root = ET.fromstring(result.stdout)
    cases = root.findall("testsuite/testcase")
    assert [c.get("name") for c in cases] == [
        "RL101 stale-function-import at 1:20",
        "RL101 stale-function-import at 2:20",
    ]
    assert all(len(c.findall("failure")) == 1 for c in cases)
    assert root.get("tests") == root.get("failures") == "2"
