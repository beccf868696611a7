"""A cloned repository cannot make reloadlint walk outside it (issue 13, "Hangs").

Repros: a symbolic link to ``/`` in the tree, ``src = ["/"]`` and
``namespace-packages = ["/"]`` in the configuration. Each made a run walk the
whole file system. ``outside`` stands for the rest of the disk: a Python file
there must never be linted, named or read.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hardening_support import CANARY_FINDING, assert_clean_error, reloadlint, write

from reloadlint import discovery
from reloadlint.config import Settings
from reloadlint.confine import ProjectRoots
from reloadlint.request import LintRequest
from reloadlint.steps import collect_files


@pytest.fixture
def outside(project: Path) -> Path:
    directory = project.parent / "outside"
    write(directory, {"elsewhere.py": "from app.db import connect\n"})
    return directory


def test_a_symlink_to_the_root_directory_is_not_walked(project: Path, outside: Path) -> None:
    os.symlink("/", project / "everything")
    os.symlink(outside, project / "app" / "sibling")
    run = reloadlint(".")
    assert run.findings == [CANARY_FINDING]
    assert "everything: a symbolic link out of the project" in run.stderr
    assert "sibling: a symbolic link out of the project" in run.stderr


def test_discovery_alone_stays_in_the_project(project: Path, outside: Path) -> None:
    os.symlink("/", project / "everything")
    finder = discovery.Finder(root=project, confine=ProjectRoots.of(project))
    found = finder.discover([project])
    assert sorted(p.relative_to(project).as_posix() for p in found.files) == [
        "app/__init__.py",
        "app/db.py",
        "app/views.py",
    ]


@pytest.mark.parametrize("key", ["src", "namespace-packages"])
@pytest.mark.parametrize("value", ["/", "..", "../outside"])
def test_configured_directories_outside_the_project_are_refused(
    project: Path, outside: Path, key: str, value: str
) -> None:
    write(project, {"pyproject.toml": f'[tool.reloadlint]\n{key} = ["{value}"]\n'})
    run = reloadlint(".", isolated=False)
    assert_clean_error(run, "pyproject.toml", key, "outside the project")


def test_a_configured_directory_through_a_symlink_out_is_refused(
    project: Path, outside: Path
) -> None:
    os.symlink(outside, project / "lib")
    write(project, {"pyproject.toml": '[tool.reloadlint]\nsrc = ["lib"]\n'})
    assert_clean_error(reloadlint(".", isolated=False), "`tool.reloadlint.src`", "'lib'")


def test_a_project_whose_top_is_a_package_does_not_walk_its_parent(
    project: Path, outside: Path
) -> None:
    """Naming climbs packages: a repository whose top directory has an
    ``__init__.py`` names its modules from the directory above, which holds
    the user's other projects. Only the project is walked."""
    write(project, {"__init__.py": ""})
    request = LintRequest(paths=[Path("app/views.py")], settings=Settings(root=project))
    entries, _ = collect_files(request)
    assert sorted(entry.display for entry in entries) == [
        "__init__.py",
        "app/__init__.py",
        "app/db.py",
        "app/views.py",
    ]
    assert entries[0].name == "project"  # named from the directory above all the same


def test_a_path_named_outside_the_project_is_the_users_choice(project: Path, outside: Path) -> None:
    write(outside, {"pkg/__init__.py": "", "pkg/db.py": "def f():\n    pass\n"})
    write(outside, {"pkg/views.py": "from pkg.db import f\n"})
    run = reloadlint(str(outside))
    assert [(Path(p).name, code) for p, _, code in run.findings] == [("views.py", "RL101")]
    assert "out of the project" not in run.stderr
