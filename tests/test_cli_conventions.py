"""Small command-line conventions users of ruff expect (issue 19): ``-v``
names the configuration file."""

from __future__ import annotations

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
