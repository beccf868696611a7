"""Incremental tree mode: reused findings are always the findings a full run makes.

Each test edits a project between cached runs and compares the cached run's
findings with a ``--no-cache`` run of the same tree, and checks that only the
modules whose inputs changed were checked again.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest

from reloadlint import cache, engine, incremental
from reloadlint.config import Settings
from reloadlint.engine import lint
from reloadlint.request import LintRequest
from reloadlint.selection import enabled_codes
from tests.corpus import Case, cases
from tests.helpers import write_tree

Found = list[tuple[str, int, int, str, str]]


def _lint(
    root: Path, *, use_cache: bool = True, select: tuple[str, ...] = ("ALL",)
) -> engine.RunResult:
    settings = Settings(root=root, select=select)
    codes = enabled_codes(settings.select, settings.extend_select, settings.ignore, upgrade=False)
    return lint(LintRequest(paths=[root], settings=settings, codes=codes, use_cache=use_cache))


def _found(result: engine.RunResult) -> Found:
    return [
        (d.path, d.location.row, d.location.column, d.code, d.message) for d in result.diagnostics
    ]


def _same_as_full_run(root: Path) -> engine.RunResult:
    """Lint with the cache; assert the findings are those of an uncached run; return the cached
    run."""
    cached = _lint(root)
    assert _found(cached) == _found(_lint(root, use_cache=False))
    return cached


def _checked(result: engine.RunResult, root: Path) -> list[str]:
    assert result.checked is not None
    return sorted(Path(p).resolve().relative_to(root).as_posix() for p in result.checked)


PROJECT = {
    "app/__init__.py": "",
    "app/db.py": "def connect():\n    pass\n\n\nTIMEOUT = 5\nREGISTRY = {}\n",
    "app/views.py": (
        "from app.db import connect, TIMEOUT\n\n\ndef view():\n    return connect(), TIMEOUT\n"
    ),
    "app/jobs.py": "import app.db\n\n\ndef register(k, v):\n    app.db.REGISTRY[k] = v\n",
    "app/other.py": "import json\n\n\ndef dump(x):\n    return json.dumps(x)\n",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path.resolve()
    write_tree(root, PROJECT)
    monkeypatch.chdir(root)
    _same_as_full_run(root)
    return root


def _edit(root: Path, files: Mapping[str, str | None]) -> None:
    for relative, text in files.items():
        if text is None:
            (root / relative).unlink()
        else:
            (root / relative).write_text(text, encoding="utf-8")


def test_nothing_changed_checks_nothing(project: Path) -> None:
    assert _checked(_same_as_full_run(project), project) == []


def test_a_new_function_rechecks_only_its_module(project: Path) -> None:
    _edit(project, {"app/db.py": PROJECT["app/db.py"] + "\n\ndef close():\n    pass\n"})
    assert _checked(_same_as_full_run(project), project) == ["app/db.py"]


def test_a_changed_binding_rechecks_the_modules_that_resolved_it(project: Path) -> None:
    # `connect` becomes a value: views' stale import changes from RL101 to RL102.
    before = {d[3] for d in _found(_lint(project)) if d[0].endswith("views.py")}
    _edit(
        project,
        {"app/db.py": PROJECT["app/db.py"].replace("def connect():\n    pass", "connect = None")},
    )
    result = _same_as_full_run(project)
    assert _checked(result, project) == ["app/db.py", "app/views.py"]
    after = {d[3] for d in _found(result) if d[0].endswith("views.py")}
    assert before != after


def test_a_mutation_elsewhere_rechecks_the_module_whose_state_it_changes(project: Path) -> None:
    # jobs.py stops filling db.REGISTRY: db.py's RL401 finding goes away though db.py is unchanged.
    assert any(d[3] == "RL401" for d in _found(_lint(project)))
    _edit(project, {"app/jobs.py": "import app.db\n\n\ndef register(k, v):\n    return k, v\n"})
    result = _same_as_full_run(project)
    assert "app/db.py" in _checked(result, project)
    assert not any(d[3] == "RL401" for d in _found(result))


def test_added_and_removed_files_are_judged_against_the_new_module_set(project: Path) -> None:
    _edit(project, {"app/db.py": None})
    _same_as_full_run(project)
    _edit(
        project,
        {"app/db.py": "connect = TIMEOUT = None\nREGISTRY = []\n", "app/extra.py": "x = 1\n"},
    )
    _same_as_full_run(project)


def test_a_file_that_stops_parsing_and_parses_again(project: Path) -> None:
    _edit(project, {"app/db.py": "def broken(:\n"})
    assert any(d[3] == "RL901" for d in _found(_same_as_full_run(project)))
    _edit(project, {"app/db.py": PROJECT["app/db.py"]})
    _same_as_full_run(project)


def test_linting_one_file_keeps_the_records_of_the_others(project: Path) -> None:
    settings = Settings(root=project, select=("ALL",))
    codes = enabled_codes(settings.select, (), (), upgrade=False)
    one = lint(LintRequest(paths=[project / "app/views.py"], settings=settings, codes=codes))
    assert one.checked == []  # views.py's record is reused from the whole-tree run
    assert _checked(_same_as_full_run(project), project) == []


def test_a_damaged_state_is_ignored(project: Path) -> None:
    directory = cache.CacheDir(project / ".reloadlint_cache")
    for payload in ("not a state", (incremental.STATE_FORMAT, "k", "r", b"x", b"y", b"z")):
        directory.write(incremental.PACK, payload)
        assert len(_checked(_same_as_full_run(project), project)) == len(PROJECT)


# ---------------------------------------------------------- every corpus case, edited into another


def _tree_cases() -> dict[str, list[Case]]:
    by_code: dict[str, list[Case]] = {}
    for case in cases():
        if not case.upgrade:
            by_code.setdefault(case.code, []).append(case)
    return {code: found for code, found in by_code.items() if len(found) > 1}


def _files(tree: Path) -> dict[str, bytes]:
    return {
        p.relative_to(tree).as_posix(): p.read_bytes()
        for p in sorted(tree.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("code", sorted(_tree_cases()))
def test_corpus_cases_edited_file_by_file_into_each_other(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Start from one case's tree and turn it into the next case's, one file
    per cached run (a deploy's worth of edits, adds and removals): every run
    finds what a full run finds."""
    root = tmp_path.resolve() / "project"
    monkeypatch.chdir(tmp_path)
    chain = _tree_cases()[code]
    shutil.copytree(chain[0].tree, root)
    _same_as_full_run(root)
    for case in [*chain[1:], chain[0]]:
        now, wanted = _files(root), _files(case.tree)
        for relative in sorted(now.keys() | wanted.keys()):
            if now.get(relative) == wanted.get(relative):
                continue
            target = root / relative
            if relative in wanted:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(wanted[relative])
            else:
                target.unlink()
            _same_as_full_run(root)


# ------------------------------------------------------------------ each kind of cross-module fact

SCENARIOS = {
    # A name a module does not bind comes from its star imports.
    "star-import": (
        {
            "app/__init__.py": "",
            "app/base.py": "def helper():\n    pass\n",
            "app/other.py": "def unrelated():\n    pass\n",
            "app/api.py": "from app.base import *\n",
            "app/views.py": "from app.api import helper\n\n\ndef view():\n    return helper()\n",
        },
        {"app/api.py": "from app.other import *\n"},
    ),
    # A module-level __getattr__ makes every missing name possible.
    "module-getattr": (
        {
            "app/__init__.py": "",
            "app/api.py": "def __getattr__(name):\n    raise AttributeError(name)\n",
            "app/views.py": "HANDLER = 'app.api:missing'\n",
        },
        {"app/api.py": "VALUE = 1\n"},
    ),
    # A class's ancestry runs through another module's class.
    "base-class": (
        {
            "app/__init__.py": "",
            "app/base.py": "class Service:\n    pass\n",
            "app/workers.py": (
                "from app.base import Service\n\n\nclass Counter(Service):\n"
                "    def __init__(self):\n        self.count = 0\n"
            ),
        },
        {"app/base.py": "from threading import Thread\n\n\nclass Service(Thread):\n    pass\n"},
    ),
    # A star import of a whole module reads that module's summary (its public names).
    "star-exports": (
        {
            "app/__init__.py": "",
            "app/base.py": "LIMIT = 3\n",
            "app/views.py": "from app.base import *\n\n\ndef view():\n    return LIMIT\n",
        },
        {"app/base.py": "LIMIT = 3\n\n\ndef helper():\n    pass\n"},
    ),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_change_another_module_sees_is_noticed(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, edit = SCENARIOS[name]
    root = tmp_path.resolve()
    write_tree(root, before)
    monkeypatch.chdir(root)
    first = _found(_same_as_full_run(root))
    _edit(root, edit)
    second = _same_as_full_run(root)
    # The edited module's dependents were judged again, and their findings did change.
    changed_elsewhere = {d for d in _found(second) if d[0] not in edit} ^ {
        d for d in first if d[0] not in edit
    }
    assert changed_elsewhere, "the scenario must change another module's findings"


def test_verbose_says_how_many_files_were_checked_again(project: Path) -> None:
    from click.testing import CliRunner

    from reloadlint.cli import command

    def verbose_run() -> str:
        result = CliRunner().invoke(command, ["--verbose", "--cache-dir", "build/lint", "app"])
        assert result.exit_code == 1, result.output
        return result.stderr

    verbose_run()  # fills build/lint
    assert "checked 0 of 5 files; the others' findings were reused from build/lint" in verbose_run()
    _edit(project, {"app/other.py": PROJECT["app/other.py"] + "\n\ndef more():\n    pass\n"})
    assert "checked 1 of 5 files" in verbose_run()


def test_tests_are_checked_only_by_the_rules_that_matter_there_as_in_a_full_run(
    project: Path,
) -> None:
    """A test module's stale by-value import is not an RL101 finding (tests are not
    reloadable); the cached run used to check it with every rule all the same."""
    _edit(project, {"app/tests.py": PROJECT["app/views.py"].replace("def view", "def test_view")})
    cached = _same_as_full_run(project)
    assert {Path(d.path).name for d in cached.diagnostics if d.code == "RL101"} == {"views.py"}
