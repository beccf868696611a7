"""The cyclic garbage collector is paused while a run builds its data, and only then.

Why it is paused, and what that saves, is in reloadlint/collector.py and
bench/README.md; these tests check that the pause covers a whole run, that it
ends with the run (a library caller's process keeps collecting), and that
the findings do not depend on it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import write_tree

from reloadlint import collector, steps, workers
from reloadlint.config import Settings
from reloadlint.engine import lint
from reloadlint.request import LintRequest
from reloadlint.selection import enabled_codes
from reloadlint.workers import Job


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of every collection started while the test runs."""
    started: list[int] = []

    def note(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(note)
    try:
        yield started
    finally:
        gc.callbacks.remove(note)


def test_paused_inside_and_running_again_after() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():  # nested: the outer pause decides when it ends
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_exception_ends_the_pause() -> None:
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_freeze_moves_what_the_run_built_out_of_the_collectors_reach() -> None:
    before = gc.get_freeze_count()
    try:
        with collector.paused(freeze=True):
            kept = [[i] for i in range(1000)]
        assert gc.get_freeze_count() >= before + len(kept)
    finally:
        gc.unfreeze()


def _project(root: Path, modules: int) -> LintRequest:
    """A project big enough to allocate millions of objects, with findings."""
    files = {"app/__init__.py": ""}
    for i in range(modules):
        files[f"app/m{i}.py"] = (
            f"from app.m{max(i - 1, 0)} import helper as previous\n"
            "import os\nSETTING = os.environ.get('X')\nCACHE = {}\n\n"
            + "".join(
                f"def f{j}(x):\n    CACHE[x] = previous\n    return [y for y in range(x)]\n\n"
                for j in range(40)
            )
            + "def helper():\n    return 1\n"
        )
    write_tree(root, files)
    settings = Settings(root=root, select=("ALL",))
    codes = enabled_codes(settings.select, settings.extend_select, settings.ignore, upgrade=False)
    return LintRequest(paths=[root], settings=settings, codes=codes, use_cache=False, jobs=1)


def test_a_run_starts_no_collection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collections: list[int]
) -> None:
    """From reading the files to filtering the findings (the last step)."""
    request = _project(tmp_path, 30)
    seen: list[tuple[bool, list[int]]] = []
    last_step = steps.filter_diagnostics

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append((gc.isenabled(), collections[before:]))
        return last_step(*args, **kwargs)

    monkeypatch.setattr(steps, "filter_diagnostics", spy)
    before = len(collections)
    assert lint(request).diagnostics
    assert seen == [(False, [])]
    assert gc.isenabled()


def test_findings_do_not_depend_on_the_pause(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collections: list[int]
) -> None:
    request = _project(tmp_path, 30)
    paused = lint(request).diagnostics
    thresholds = gc.get_threshold()
    gc.set_threshold(10, 10, 10)  # the collector as busy as it can be
    monkeypatch.setattr(collector.gc, "disable", lambda: None)
    try:
        collected = lint(request).diagnostics
    finally:
        gc.set_threshold(*thresholds)
    assert collections, "the collector ran during the unpaused run"
    assert paused and collected == paused


def test_a_worker_summarises_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    """A spawned worker (macOS, Windows) starts with the collector running: the task pauses it."""
    seen: list[bool] = []
    original = workers.summarize_job

    def spy(job: Job) -> object:
        seen.append(gc.isenabled())
        return original(job)

    monkeypatch.setattr(workers, "summarize_job", spy)
    workers._pickled_summary(Job(b"x = 1\n", "m.py", "m", False))
    assert seen == [False]
    assert gc.isenabled()


def test_a_summary_leaves_no_walk_behind_while_the_collector_is_paused() -> None:
    """A run pauses the cyclic collector; the summariser's walk and its families refer to
    each other, so a walk not taken apart kept its file's syntax tree to the end of the
    run (Django in one process: 283 MB instead of 76 MB)."""
    from reloadlint.summary import summarize_bytes
    from reloadlint.summary.builder import Summarizer

    source = b"import app.db\n\n\nclass A:\n    def f(self, x):\n        return app.db.g(x)\n"
    with collector.paused():
        summary, error = summarize_bytes(source, "app/a.py", "app.a", False)
        assert error is None and summary.classes
        assert not [o for o in gc.get_objects() if isinstance(o, Summarizer)]
