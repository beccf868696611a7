"""The plans of ``reloadlint run``, without a program: the planner is told what a process
loaded (as its agent reports it) and plans from there to the files on disk."""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import write_tree

from reloadlint import cache
from reloadlint.config import find_config, load
from reloadlint.devloop.planner import Planner

APP = {
    "pyproject.toml": '[project]\nname = "app"\nversion = "1"\ndependencies = ["click"]\n\n'
    "[tool.reloadlint]\n",
    "app/__init__.py": "",
    "app/db.py": "def connect():\n    return 'v1'\n",
    "app/views.py": "from app.db import connect\n\n\ndef page():\n    return connect()\n",
    "app/unused.py": "def helper():\n    return 1\n",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    # A planner keeps decoded summaries for the rest of its process: not for the suite's.
    monkeypatch.setattr(cache.SummaryCache, "decoded", None)
    write_tree(tmp_path, APP)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(cwd)


def _planner(root: Path, *loaded: str) -> Planner:
    """A planner for a process that loaded ``loaded`` (repo-relative) as they are now."""
    planner = Planner(load(find_config(root)))
    planner.new_process()
    planner.record(
        {
            "module": path.removesuffix(".py").replace("/", ".").removesuffix(".__init__"),
            "path": str(root / path),
            "source": base64.b64encode((root / path).read_bytes()).decode(),
        }
        for path in loaded
    )
    return planner


LOADED = ("app/__init__.py", "app/db.py", "app/views.py")


def test_nothing_changed_since_the_process_loaded_its_sources(project: Path) -> None:
    assert _planner(project, *LOADED).plan().kind == "unchanged"


def test_the_base_is_what_the_process_loaded_not_the_file_now(project: Path) -> None:
    """The file changed before the planner was asked (while the program started, say):
    the plan still covers the change, because the base is the recorded bytes."""
    planner = _planner(project, *LOADED)
    (project / "app/db.py").write_text("def connect():\n    return 'v2'\n")
    outcome = planner.plan()
    assert outcome.kind == "hot"
    assert outcome.document is not None
    entries = {m["module"]: m for g in outcome.document["groups"] for m in g["modules"]}
    # The by-value importer is reloaded after the module it binds from (runtime profile).
    assert list(entries) == ["app.db", "app.views"]
    old = APP["app/db.py"].encode()
    assert entries["app.db"]["base_sha256"] == hashlib.sha256(old).hexdigest()


def test_a_save_that_replaces_a_file_is_planned_like_any_other(project: Path) -> None:
    """Written beside it and renamed over it: the watcher says "added"; the file is the
    same module, and a later deletion is still seen."""
    planner = _planner(project, *LOADED)
    assert planner.plan().kind == "unchanged"
    replacement = project / "app/.db.py.saving~"
    replacement.write_text("def connect():\n    return 'v2'\n")
    os.replace(replacement, project / "app/db.py")
    planner.note_changed_files({("added", str(project / "app/db.py"))})
    assert planner.plan().kind == "hot"
    (project / "app/db.py").unlink()
    planner.note_changed_files({("deleted", str(project / "app/db.py"))})
    outcome = planner.plan()
    assert outcome.kind == "restart"
    assert "RL501" in [r.code for r in outcome.reasons]


def test_a_module_the_process_never_imported_is_planned_from_the_disk(project: Path) -> None:
    planner = _planner(project, *LOADED)
    (project / "app/unused.py").write_text("def helper():\n    return 2\n")
    assert planner.plan().kind == "unchanged"


def test_a_project_configured_for_another_reloader_is_planned_for_the_runtime(
    project: Path,
) -> None:
    """Under jurigged a reload keeps module state, so RL401 is off for a project that
    says `reloader = "jurigged"`; the loop's plans are applied by reloadlint's runtime,
    whose reload rebinds `CACHE`: the plan must still say restart, as `--plan` does."""
    config = project / "pyproject.toml"
    config.write_text(config.read_text() + 'reloader = "jurigged"\n')
    store = "CACHE = {}\n\n\ndef put(key):\n    CACHE[key] = 1\n"
    (project / "app/cache.py").write_text(store)
    planner = _planner(project, *LOADED, "app/cache.py")
    (project / "app/cache.py").write_text(store.replace("= 1", "= 2"))
    outcome = planner.plan()
    assert outcome.kind == "restart"
    assert [r.code for r in outcome.reasons] == ["RL401"]


def test_a_deleted_module_the_process_loaded_forces_a_restart(project: Path) -> None:
    planner = _planner(project, *LOADED, "app/unused.py")
    assert planner.plan().kind == "unchanged"  # the project's files are listed (and kept)
    (project / "app/unused.py").unlink()
    planner.note_changed_files({("deleted", str(project / "app/unused.py"))})
    outcome = planner.plan()
    assert outcome.kind == "restart"
    assert [r.code for r in outcome.reasons] == ["RL501"]


def test_a_file_that_does_not_parse_blocks_the_plan(project: Path) -> None:
    planner = _planner(project, *LOADED)
    (project / "app/db.py").write_text("def connect(:\n")
    outcome = planner.plan()
    assert outcome.kind == "broken"
    assert [(e.path, e.code[:3]) for e in outcome.errors] == [("app/db.py", "RL9")]


def test_new_requirements_since_the_process_started_force_a_restart(project: Path) -> None:
    planner = _planner(project, *LOADED)
    config = project / "pyproject.toml"
    config.write_text(config.read_text().replace('["click"]', '["click", "httpx"]'))
    planner.note_changed_files({("modified", str(config))})
    outcome = planner.plan()
    assert outcome.kind == "restart"
    assert any("httpx" in r.message for r in outcome.reasons), outcome.reasons


def test_decoded_summaries_are_kept_once_and_handed_out_as_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The planner keeps decoded summaries between plans; each run still gets its own
    path, and what the next run gets is not what the previous one changed."""
    from reloadlint.summary import summarize_bytes

    monkeypatch.setattr(cache.SummaryCache, "decoded", None)
    cache.keep_decoded_summaries()
    directory = cache.CacheDir.for_settings(tmp_path, ".cache", enabled=True)
    made = summarize_bytes(b"X = 1\n", "a.py", "a", False)
    key = cache.summary_key(made[0].digest, "a", False, False)
    first = cache.SummaryCache(directory)
    first.put(key, made)
    first.save()
    one = cache.SummaryCache(directory).get(key, "one/a.py")
    two = cache.SummaryCache(directory).get(key, "two/a.py")
    assert one is not None and two is not None
    assert (one[0].path, two[0].path) == ("one/a.py", "two/a.py")
    assert one[0] is not two[0]
    assert cache.SummaryCache.decoded is not None and list(cache.SummaryCache.decoded) == [key]
