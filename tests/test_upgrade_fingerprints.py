"""Upgrade mode fingerprints only the files that differ from the base.

A working-tree file the base has byte for byte is its own base version (the
same summary): every comparison of its fingerprints would compare them with
themselves, so it is summarised without them (upgrade mode at 1,000 synthetic
modules with a tenth renamed spent 40 % of its summarising on fingerprints of
unchanged files). These tests pin down that the answer never depends on it:
a file git's change set misses still gets its fingerprints before anything
compares, and what the plan asks of an unchanged module is read again.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from gitrepo import git, isolate_git
from helpers import write_tree as write

from reloadlint.basesource import ChangeSet, Located
from reloadlint.config import Settings
from reloadlint.engine import lint
from reloadlint.gitbase import GitRevision
from reloadlint.project import ProjectModel
from reloadlint.request import LintRequest
from reloadlint.summary import add_fingerprints, definition_names, summarize_bytes
from reloadlint.upgrade import Upgrade

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SAMPLE = '''\
"""Module docstring."""
import threading


class Worker:
    """Docstring."""

    def run(self):
        while True:
            self.step()
            if getattr(self, "stopped", False):
                pass

    def step(self):
        return self.count + 1


def helper(x):
    def inner():
        return x.total
    return inner


if __name__ == "__main__":
    threading.Thread(target=Worker().run).start()
'''


def test_fingerprints_added_later_are_the_ones_made_with_the_summary() -> None:
    made, error = summarize_bytes(SAMPLE.encode(), "app/w.py", "app.w", False, fingerprints=True)
    plain, _ = summarize_bytes(SAMPLE.encode(), "app/w.py", "app.w", False)
    assert error is None and made.def_fingerprints and made.attribute_reads
    assert made.main_fingerprint and made.loops and made.loops[0].fingerprint
    assert not plain.def_fingerprints and pickle.dumps(plain) != pickle.dumps(made)
    add_fingerprints(plain, SAMPLE.encode())
    assert pickle.dumps(plain) == pickle.dumps(made)
    assert definition_names(SAMPLE.encode()) == set(made.def_fingerprints)


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(tmp_path, monkeypatch)


V1 = {
    "app/__init__.py": "",
    "app/same.py": "def kept():\n    return 1\n",
    "app/db.py": "class Conn:\n    def open(self):\n        return 1\n",
}
V2 = {"app/db.py": "class Conn:\n    def open(self):\n        return self.retries\n"}


class Blind:
    """The git revision, with a change set that misses every change."""

    def __init__(self, name: str, start: Path) -> None:
        self.revision = GitRevision(name, start)
        self.name = name

    def locate(self) -> Located:
        located = self.revision.locate()
        return Located(located.root, located.ident, ChangeSet())

    def files(self, paths: Sequence[str] = ()) -> dict[str, str]:
        return self.revision.files(paths)

    def read(self, ids: Iterable[str], *, max_size: int | None = None) -> dict[str, bytes]:
        return self.revision.read(ids, max_size=max_size)


def build(root: Path, source: type[GitRevision] | type[Blind]) -> tuple[Upgrade, ProjectModel]:
    cwd = os.getcwd()
    os.chdir(root)
    try:
        base = source("HEAD", Path("."))
        request = LintRequest(
            [Path(".")], Settings(root=root.resolve()), codes=frozenset(), base=base
        )
        result = lint(request)
    finally:
        os.chdir(cwd)
    assert result.upgrade is not None and result.project is not None
    return result.upgrade, result.project


def repo(root: Path) -> Path:
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root, V1)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "v1")
    write(root, V2)
    return root


def test_only_the_changed_files_are_fingerprinted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(tmp_path / "repo")
    upgrade, _ = build(root, GitRevision)
    assert upgrade.status == {"app.db": "changed"}
    assert upgrade.unfingerprinted == {"app", "app.same"}
    same = upgrade.old("app.same")
    assert same is not None and same.def_fingerprints == {}
    db = upgrade.old("app.db")
    assert db is not None and set(db.def_fingerprints) == {"Conn", "Conn.open"}
    # What a plan asks of an unchanged module (which functions it still defines) is
    # read again from its file.
    monkeypatch.chdir(root)  # the working-tree summaries' paths are relative to it
    now = dataclasses.replace(same, path="app/same.py")
    assert upgrade.definitions(now) == {"kept"}
    assert upgrade.definitions(db) == db.def_fingerprints


def test_a_change_the_change_set_misses_is_still_compared(tmp_path: Path) -> None:
    honest, known = build(repo(tmp_path / "honest"), GitRevision)
    blind, project = build(repo(tmp_path / "blind"), Blind)
    assert blind.status == honest.status == {"app.db": "changed"}
    # Every module was summarised without fingerprints, and the two that are their
    # own base versions stay so; the changed one got its fingerprints before comparing.
    assert blind.unfingerprinted == {"app", "app.same"}
    new = project.modules["app.db"]
    assert set(new.def_fingerprints) == {"Conn", "Conn.open"}
    assert new.def_fingerprints == known.modules["app.db"].def_fingerprints
    assert new.attribute_reads == {"retries": ["Conn.open"]}
