"""Upgrade mode (``reloadlint --base REV``): real git repositories, v1 committed and
v2 in the working tree, through the CLI and through :func:`reloadlint.upgrade.build`.

The rule corpus (``rules/RL2xx``-``RL5xx``) proves each upgrade rule with a real
reload; these tests pin down the machinery around them: what counts as a
change, how the base version is named, and how errors are reported.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitrepo import git, isolate_git
from helpers import write_tree as write

from reloadlint.basesource import ChangeSet, Located
from reloadlint.cli import command
from reloadlint.config import Settings
from reloadlint.engine import lint
from reloadlint.gitbase import GitRevision
from reloadlint.request import LintRequest
from reloadlint.rules.rl203_missing_code_change import handles
from reloadlint.selection import enabled_codes
from reloadlint.summary.model import CodeChange, Span
from reloadlint.upgrade import Upgrade

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PACKAGE = {"app/__init__.py": ""}
# Twenty distinct lines: enough for git to call a moved file a rename.
BODY = "".join(f"def f{i}():\n    return {i}\n\n\n" for i in range(20))


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(tmp_path, monkeypatch)


def make_repo(root: Path, v1: dict[str, str | bytes]) -> Path:
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    write(root, v1)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "v1")
    return root


@pytest.fixture
def chdir(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield
    monkeypatch.undo()


def cli(root: Path, *args: str) -> tuple[int, str, str]:
    """``reloadlint ARGS`` run from ``root``."""
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(command, ["--no-cache", *args])
    finally:
        os.chdir(cwd)
    return result.exit_code, result.stdout, result.stderr


def findings(root: Path, select: str, *extra: str) -> list[tuple[str, int, str, str]]:
    """``(path, row, code, message)`` of ``reloadlint --base HEAD --select SELECT .``."""
    code, out, err = cli(
        root, "--base", "HEAD", "--select", select, "--output-format", "json", *extra, "."
    )
    assert code in (0, 1), err
    return sorted(
        (
            Path(d["filename"]).resolve().relative_to(root.resolve()).as_posix(),
            d["location"]["row"],
            d["code"],
            d["message"],
        )
        for d in json.loads(out)
    )


def build(root: Path, settings: Settings | None = None) -> Upgrade:
    """The :class:`Upgrade` that ``--base HEAD .`` builds in ``root``."""
    cwd = os.getcwd()
    os.chdir(root)
    try:
        config = settings or Settings(root=root.resolve())
        base = GitRevision("HEAD", Path("."))
        result = lint(LintRequest([Path(".")], config, codes=frozenset(), base=base))
    finally:
        os.chdir(cwd)
    assert result.upgrade is not None
    return result.upgrade


# -- errors: one clear line, exit 2 ----------------------------------------------------


def test_not_a_git_repository(tmp_path: Path) -> None:
    write(tmp_path / "project", {**PACKAGE, "app/db.py": "x = 1\n"})
    code, out, err = cli(tmp_path / "project", "--base", "HEAD", ".")
    assert code == 2 and out == ""
    assert err.startswith("reloadlint: error: not a git repository")
    assert len(err.strip().splitlines()) == 1


def test_unknown_revision(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {**PACKAGE, "app/db.py": "x = 1\n"})
    code, _, err = cli(repo, "--base", "no-such-rev", ".")
    assert code == 2
    assert "reloadlint: error: 'no-such-rev' is not a commit in" in err


def test_shallow_clone_lacking_the_revision(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {**PACKAGE, "app/db.py": "x = 1\n"})
    write(repo, {"app/db.py": "x = 2\n"})
    git(repo, "commit", "-q", "-am", "v2")
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(shallow)],
        check=True,
        capture_output=True,
    )
    code, _, err = cli(shallow, "--base", "HEAD~1", ".")
    assert code == 2
    assert "shallow clone" in err and "git fetch --unshallow" in err
    assert cli(shallow, "--base", "HEAD", ".")[0] == 0


# -- what counts as a change -----------------------------------------------------------


def test_untracked_new_files_count(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {**PACKAGE, "app/db.py": "x = 1\n"})
    write(repo, {"app/client.py": "import os\n\nTOKEN = os.getenv('APP_TOKEN')\n"})
    assert git(repo, "status", "--porcelain") == "?? app/client.py"
    assert build(repo).status == {"app.client": "added"}
    assert [(p, c) for p, _, c, _ in findings(repo, "RL303")] == [("app/client.py", "RL303")]


class Snapshot:
    """A base that is not a git revision: the sources a process loaded (path -> bytes), as
    :class:`reloadlint.basesource.BaseSource` lets a live process's snapshot be one."""

    def __init__(self, root: Path, loaded: dict[str, bytes]) -> None:
        self.name, self.root, self.loaded = "loaded", root, loaded

    def locate(self) -> Located:
        on_disk = {p.relative_to(self.root).as_posix() for p in self.root.rglob("*.py")}
        modified = [
            p
            for p in self.loaded
            if p in on_disk and (self.root / p).read_bytes() != self.loaded[p]
        ]
        return Located(
            self.root,
            "snapshot",
            ChangeSet(
                added=tuple(sorted(on_disk - set(self.loaded))),
                deleted=tuple(sorted(set(self.loaded) - on_disk)),
                modified=tuple(sorted(modified)),
            ),
        )

    def files(self, paths: Sequence[str] = ()) -> dict[str, str]:
        return {p: p for p in self.loaded if not paths or p in paths}

    def read(self, ids: Iterable[str], *, max_size: int | None = None) -> dict[str, bytes]:
        return {
            i: self.loaded[i] for i in ids if max_size is None or len(self.loaded[i]) <= max_size
        }


def test_a_base_read_from_another_source_than_git(tmp_path: Path) -> None:
    """Upgrade mode asks one object for the base's files: a snapshot of what a process
    loaded gives the same comparison and findings as the git revision holding it."""
    v1 = {**PACKAGE, "app/db.py": "x = 1\n", "app/views.py": "import app.db\n"}
    v2 = {"app/db.py": "import os\n\nTOKEN = os.getenv('APP_TOKEN')\n"}
    repo = make_repo(tmp_path / "repo", v1)
    write(repo, v2)
    project = tmp_path / "project"
    write(project, {**v1, **v2})
    snapshot = Snapshot(project.resolve(), {p: t.encode() for p, t in v1.items()})
    config = Settings(root=project.resolve())
    codes = enabled_codes(config.select, config.extend_select, config.ignore, upgrade=True)
    cwd = os.getcwd()
    os.chdir(project)
    try:
        result = lint(LintRequest([Path(".")], config, codes=codes, base=snapshot, use_cache=False))
    finally:
        os.chdir(cwd)
    assert result.upgrade is not None and result.upgrade.status == build(repo).status
    assert result.upgrade.commit == "snapshot"
    found = [(d.path, d.location.row, d.code, d.message) for d in result.diagnostics]
    assert found == findings(repo, "ALL")
    assert sorted(c for _, _, c, _ in found) == ["RL302", "RL303", "RL403"]  # x removed, TOKEN new


def test_gitignored_files_do_not_count(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo", {**PACKAGE, ".gitignore": "scratch/\n", "app/db.py": "x = 1\n"}
    )
    write(repo, {"scratch/try.py": "import os\nos.getenv('NEW')\n"})
    upgrade = build(repo)
    assert upgrade.status == {} and upgrade.changed_paths == frozenset()


def test_renames_are_detected(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {**PACKAGE, "app/tasks.py": BODY})
    git(repo, "mv", "app/tasks.py", "app/jobs.py")
    upgrade = build(repo)
    assert upgrade.status == {"app.tasks": "removed", "app.jobs": "added"}
    assert upgrade.renamed_to == {"app.tasks": "app.jobs"}
    ((path, row, code, message),) = findings(repo, "RL501")
    assert (path, row, code) == ("app/tasks.py", 1, "RL501")
    assert "renamed to `app.jobs`" in message


def test_untracked_rename_target_is_still_a_rename(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {**PACKAGE, "app/tasks.py": BODY})
    (repo / "app/tasks.py").rename(repo / "app/jobs.py")  # not `git mv`: the new name is untracked
    assert build(repo).renamed_to == {"app.tasks": "app.jobs"}


def test_many_renames_pair_each_module_with_its_new_name(tmp_path: Path) -> None:
    """Each rename is looked up, not matched against every module (issue 13: 3,000
    renames took minutes; scripts/scaling.py renames measures it)."""
    modules = {f"app/m{n}.py": f"X = {n}\n" for n in range(60)}
    repo = make_repo(tmp_path / "repo", {**PACKAGE, **modules})
    for n in range(60):
        (repo / f"app/m{n}.py").rename(repo / f"app/n{n}.py")
    assert build(repo).renamed_to == {f"app.m{n}": f"app.n{n}" for n in range(60)}


def test_docstring_comment_and_layout_edits_are_not_changes(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo", {**PACKAGE, "app/db.py": "def connect(url):\n    return url\n"}
    )
    write(
        repo,
        {
            "app/db.py": '"""Database."""\n\n\ndef connect( url ):  # the URL\n'
            '    """Connect."""\n    return (url)\n'
        },
    )
    upgrade = build(repo)
    assert upgrade.status == {}
    assert upgrade.changed_paths == {
        "app/db.py"
    }  # git sees it; the summaries say it is the same code


def test_a_module_that_becomes_a_package_keeps_its_name(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {**PACKAGE, "app/db.py": "def connect():\n    return 1\n"})
    (repo / "app/db.py").unlink()
    write(
        repo,
        {
            "app/db/__init__.py": "from app.db.pool import connect\n",
            "app/db/pool.py": "def connect():\n    return 2\n",
        },
    )
    upgrade = build(repo)
    assert upgrade.status == {"app.db": "changed", "app.db.pool": "added"}
    assert findings(repo, "RL501,RL403") == []


def test_same_size_edit_within_the_second_of_the_commit_is_seen(tmp_path: Path) -> None:
    """Git calls such an entry "racily clean"; it must still be compared by content."""
    repo = make_repo(tmp_path / "repo", {**PACKAGE, "app/limits.json": '{"items": 10}\n'})
    write(repo, {"app/limits.json": '{"items": 50}\n'})
    assert "app/limits.json" in build(repo).changed_paths


@pytest.mark.parametrize(
    ("path", "before", "after", "expected"),
    [
        (
            "requirements.txt",
            "click==8.0\n",
            "click==8.1\n",
            ("dependencies", "new: `click==8.1`; gone: `click==8.0`"),
        ),
        ("requirements-dev.txt", "pytest\n", "pytest\nruff\n", None),  # development pins
        ("poetry.lock", "a\n", "b\n", ("dependencies", "new: `poetry.lock ")),
        (
            "pyproject.toml",
            '[project]\nname = "x"\ndependencies = ["a"]\n',
            '[project]\nname = "x"\ndependencies = ["a", "b"]\n',
            ("dependencies", "new: `b`"),
        ),
        (  # the interpreter a running process uses does not change with it
            "pyproject.toml",
            '[project]\nname = "x"\nrequires-python = ">=3.10"\n',
            '[project]\nname = "x"\nrequires-python = ">=3.11"\n',
            None,
        ),
        ("app/_speedups.so", b"\x7fELF1", b"\x7fELF2", ("native", "")),
        (".python-version", "3.11\n", "3.12\n", ("interpreter", "")),
        ("app/limits.json", "{}\n", '{"a": 1}\n', ("data", "")),
    ],
)
def test_non_python_changes_are_classified(
    tmp_path: Path,
    path: str,
    before: str | bytes,
    after: str | bytes,
    expected: tuple[str, str] | None,
) -> None:
    repo = make_repo(tmp_path / "repo", {**PACKAGE, path: before})
    write(repo, {path: after})
    found = build(repo).other_changes
    if expected is None:
        assert found == []
        return
    [change] = found
    assert (change.kind, change.path, change.status) == (expected[0], path, "modified")
    assert change.detail.startswith(expected[1])


def test_pyproject_change_outside_the_dependency_tables_is_not_a_dependency_change(
    tmp_path: Path,
) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {**PACKAGE, "pyproject.toml": '[project]\nname = "x"\ndependencies = ["a"]\n'},
    )
    write(
        repo,
        {
            "pyproject.toml": '[project]\nname = "x"\ndependencies = ["a"]\n\n'
            "[tool.ruff]\nline-length = 99\n"
        },
    )
    assert build(repo).other_changes == []


# -- the base version is the same project as the working tree ----------------------------


def test_deleted_files_of_excluded_directories_are_not_removed_modules(tmp_path: Path) -> None:
    config = '[tool.reloadlint]\nextend-exclude = ["tests"]\n'
    repo = make_repo(
        tmp_path / "repo",
        {
            **PACKAGE,
            "pyproject.toml": config,
            "app/db.py": "x = 1\n",
            "tests/test_db.py": "def test():\n    pass\n",
        },
    )
    (repo / "tests/test_db.py").unlink()
    assert findings(repo, "RL501") == []
    assert build(repo, Settings(root=repo.resolve(), extend_exclude=("tests",))).status == {}


def test_files_outside_packages_are_named_as_the_working_tree_names_them(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {
            **PACKAGE,
            "app/db.py": "x = 1\n",
            "scripts/migrate.py": "import os\nos.getenv('A')\n",
            "scripts/old.py": "y = 1\n",
        },
    )
    (repo / "scripts/old.py").unlink()
    upgrade = build(repo)
    assert sorted(upgrade.base.modules) == ["app", "app.db", "migrate", "old"]
    assert upgrade.status == {"old": "removed"}


def test_src_layout(tmp_path: Path) -> None:
    config = '[tool.reloadlint]\nsrc = ["src"]\n'
    repo = make_repo(
        tmp_path / "repo",
        {"pyproject.toml": config, "src/app/__init__.py": "", "src/app/db.py": "x = 1\n"},
    )
    write(repo, {"src/app/db.py": "x = 2\n"})
    upgrade = build(repo, Settings(root=repo.resolve(), src=("src",)))
    assert sorted(upgrade.base.modules) == ["app", "app.db"]
    assert upgrade.status == {"app.db": "changed"}


def test_run_from_a_subdirectory_reports_paths_relative_to_it(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "repo",
        {"svc/app/__init__.py": "", "svc/app/old.py": "x = 1\n", "svc/app/db.py": "y = 1\n"},
    )
    (repo / "svc/app/old.py").unlink()
    code, out, _ = cli(
        repo / "svc", "--base", "HEAD", "--select", "RL501", "--output-format", "concise", "."
    )
    assert code == 1
    assert out.startswith("app/old.py:1:1: RL501 module `app.old` was removed")


# -- rule details the corpus does not spell out -------------------------------------------


def upgrade_findings(
    tmp_path: Path, v1: dict[str, str], v2: dict[str, str], select: str, *deleted: str
) -> list[tuple[str, int, str]]:
    repo = make_repo(tmp_path / "repo", {**PACKAGE, **v1})
    write(repo, v2)
    for name in deleted:
        (repo / name).unlink()
    return [(path, row, code) for path, row, code, _ in findings(repo, select)]


def test_rl303_variable_read_anywhere_in_the_base_is_not_new(tmp_path: Path) -> None:
    v1 = {"app/a.py": "import os\n\ndef f():\n    return os.environ['KEY']\n"}
    v2 = {
        "app/a.py": "def f():\n    return 1\n",
        "app/b.py": "import os\n\nKEY = os.getenv('KEY')\nHOME = os.environ.get('HOME')\n",
    }
    assert upgrade_findings(tmp_path, v1, v2, "RL303") == [("app/b.py", 1, "RL303")]


def test_rl403_all_stops_star_imports_from_copying_a_removed_name(tmp_path: Path) -> None:
    v1 = {
        "app/m.py": "def old():\n    pass\n\ndef new():\n    pass\n",
        "app/user.py": "from app.m import *\n",
    }
    v2 = {"app/m.py": "__all__ = ['new']\n\ndef new():\n    pass\n"}
    # No reference remains (`__all__` keeps `old` out of the star import): once, at `app.m`.
    assert upgrade_findings(tmp_path, v1, v2, "RL403") == [("app/m.py", 1, "RL403")]


def test_rl403_import_inside_a_function_is_a_reference(tmp_path: Path) -> None:
    v1 = {
        "app/m.py": "def old():\n    pass\n",
        "app/user.py": "def f():\n    from app.m import old\n    return old()\n",
    }
    v2 = {"app/m.py": "def new():\n    pass\n"}
    assert upgrade_findings(tmp_path, v1, v2, "RL403") == [("app/user.py", 2, "RL403")]


def test_rl404_a_function_that_starts_looping_is_not_reported(tmp_path: Path) -> None:
    v1 = {"app/w.py": "def run(stop):\n    return stop\n"}
    v2 = {"app/w.py": "def run(stop):\n    while True:\n        stop()\n"}
    assert upgrade_findings(tmp_path, v1, v2, "RL404") == []


RL404_LOOPS = [
    # (v1 body of `run(stop)`, v2 body, reported?)
    # The loop itself changed.
    ("while True:\n        stop(1)\n", "while True:\n        stop(2)\n", True),
    # A `break` of an inner loop does not leave the outer one.
    (
        "while True:\n        for x in stop:\n            break\n        stop(1)\n",
        "while True:\n        for x in stop:\n            break\n        stop(2)\n",
        True,
    ),
    # Nor does a `return` of a nested function.
    (
        "while True:\n        def f():\n            return 1\n        stop(f)\n",
        "while True:\n        def f():\n            return 2\n        stop(f)\n",
        True,
    ),
    # A bounded loop: its own `break` or `return` leaves it.
    (
        "while True:\n        if stop(1):\n            break\n",
        "while True:\n        if stop(2):\n            break\n",
        False,
    ),
    (
        "while True:\n        if stop(1):\n            return 1\n",
        "while True:\n        if stop(2):\n            return 2\n",
        False,
    ),
    # ... unless it waits: a worker that leaves only when told to stop.
    (
        "while True:\n        if stop.wait(1):\n            break\n",
        "while True:\n        if stop.wait(2):\n            break\n",
        True,
    ),
    (
        "while True:\n        job = stop.get()\n        if job is None:\n            break\n",
        "while True:\n        job = stop.get()\n        if job is None:\n            return\n",
        True,
    ),
    # What runs before the loop is not the loop.
    (
        "x = 1\n    while True:\n        stop(x)\n",
        "x = 2\n    while True:\n        stop(x)\n",
        False,
    ),
    # `serve_forever()`: the call statement is the loop.
    ("stop.serve_forever()\n", "stop.serve_forever(poll_interval=1)\n", True),
    ("print(1)\n    stop.serve_forever()\n", "print(2)\n    stop.serve_forever()\n", False),
]


@pytest.mark.parametrize(("v1", "v2", "reported"), RL404_LOOPS)
def test_rl404_only_loops_that_cannot_end_and_only_when_the_loop_changed(
    tmp_path: Path, v1: str, v2: str, reported: bool
) -> None:
    before = {"app/w.py": f"def run(stop):\n    {v1}"}
    after = {"app/w.py": f"def run(stop):\n    {v2}"}
    expected = [("app/w.py", 1, "RL404")] if reported else []
    assert upgrade_findings(tmp_path, before, after, "RL404") == expected


def test_rl404_an_annotation_on_the_def_line_is_not_a_loop_change(tmp_path: Path) -> None:
    loop = "    while not stop.is_set():\n        stop.wait(1)\n"
    v1 = {"app/w.py": "def run(stop):\n" + loop}
    v2 = {"app/w.py": "import threading\n\n\ndef run(stop: threading.Event) -> None:\n" + loop}
    assert upgrade_findings(tmp_path, v1, v2, "RL404") == []


@pytest.mark.parametrize(
    "entry",
    ["app.factory:create_app", "app.factory:create_app()", "app.factory.create_app", "app.factory"],
)
def test_rl503_entry_point_spellings(tmp_path: Path, entry: str) -> None:
    config = f'[tool.reloadlint]\nentrypoints = ["{entry}"]\n'
    v1 = {"pyproject.toml": config, "app/factory.py": "def create_app():\n    return 1\n"}
    v2 = {"app/factory.py": "def create_app():\n    return 2\n"}
    assert upgrade_findings(tmp_path, v1, v2, "RL503") == [("app/factory.py", 1, "RL503")]


def test_rl503_entry_point_untouched_while_its_module_changed(tmp_path: Path) -> None:
    config = '[tool.reloadlint]\nentrypoints = ["app.factory:create_app"]\n'
    v1 = {
        "pyproject.toml": config,
        "app/factory.py": "def create_app():\n    return 1\n\ndef other():\n    return 1\n",
    }
    v2 = {"app/factory.py": "def create_app():\n    return 1\n\ndef other():\n    return 2\n"}
    assert upgrade_findings(tmp_path, v1, v2, "RL503") == []


def _hook(
    literals: list[object], orderings: list[tuple[str, object]] = (), untestable: bool = False
) -> CodeChange:  # type: ignore[assignment]
    return CodeChange(
        Span(1, 1, 1, 1), True, literals=literals, orderings=list(orderings), untestable=untestable
    )


@pytest.mark.parametrize(
    ("hook", "old", "handled"),
    [
        (_hook([1]), 1, True),
        (_hook([1]), 2, False),
        (_hook(["1"]), 1, False),  # a str literal never matches an int version
        (_hook([], [("<", 3)]), 2, True),
        (_hook([], [("<", 3)]), 3, False),
        (_hook([], [(">=", 2)]), 2, True),
        (
            _hook([], [("<", 3)]),
            "b",
            False,
        ),  # cannot be compared: the comparison raises at run time
        (_hook([None]), None, True),
        (_hook([]), 7, True),  # tests no version at all: migrates every version alike
        (_hook([1], untestable=True), 7, True),
    ],
)
def test_rl203_which_old_versions_a_code_change_handles(
    hook: CodeChange, old: object, handled: bool
) -> None:
    assert handles(hook, old) is handled


def test_rl203_first_vsn_on_changed_state_needs_a_migration_from_none(tmp_path: Path) -> None:
    v1 = {"app/m.py": "class S:\n    def __init__(self):\n        self.a = 1\n"}
    v2 = {
        "app/m.py": "class S:\n    __vsn__ = 1\n\n    def __init__(self):\n"
        "        self.a = 1\n        self.b = 2\n"
    }
    assert upgrade_findings(tmp_path, v1, v2, "RL202,RL203") == [("app/m.py", 2, "RL203")]


def test_rl202_enums_are_never_repointed(tmp_path: Path) -> None:
    v1 = {
        "app/m.py": "import enum\n\nclass E(enum.Enum):\n    A = 1\n\n"
        "    def f(self):\n        self._x = 1\n"
    }
    v2 = {
        "app/m.py": "import enum\n\nclass E(enum.Enum):\n    A = 1\n\n"
        "    def f(self):\n        self._y = 1\n"
    }
    assert upgrade_findings(tmp_path, v1, v2, "RL202") == []


def test_rl202_an_attribute_moved_up_is_the_base_classs_change_only(tmp_path: Path) -> None:
    # Base instances made before lack `tags`; Sub instances always had it.
    v1 = {
        "app/m.py": "class Base:\n    def __init__(self):\n        self.name = 1\n\n"
        "class Sub(Base):\n    def __init__(self):\n        super().__init__()\n"
        "        self.tags = []\n"
    }
    v2 = {
        "app/m.py": "class Base:\n    def __init__(self):\n        self.name = 1\n"
        "        self.tags = []\n\n    def tagged(self):\n        return bool(self.tags)\n\n"
        "class Sub(Base):\n    pass\n"
    }
    found = findings(make_and_write(tmp_path, v1, v2), "RL202")
    assert [(row, code) for _, row, code, _ in found] == [(1, "RL202")]
    assert "added `tags`" in found[0][3] and "`Base`" in found[0][3]


def test_rl202_state_brought_by_a_new_base_class_is_the_subclasss(tmp_path: Path) -> None:
    v1 = {"app/m.py": "class Job:\n    def __init__(self):\n        self.id = 1\n"}
    v2 = {
        "app/m.py": "class Timed:\n    def __init__(self):\n        self.started = 0\n\n"
        "    def elapsed(self):\n        return 1 - self.started\n\n"
        "class Job(Timed):\n    def __init__(self):\n        super().__init__()\n"
        "        self.id = 1\n"
    }
    assert upgrade_findings(tmp_path, v1, v2, "RL202") == [("app/m.py", 8, "RL202")]


def test_rl202_an_attribute_no_new_code_reads_is_no_change(tmp_path: Path) -> None:
    # rich 13.9: `Spinner.name` is assigned and never read; the changed code that reads
    # `.name` (of stack frames) is in a module that does not know the class.
    v1 = {
        "app/spin.py": "class Spinner:\n    def __init__(self, name):\n"
        "        self.frames = name\n",
        "app/stack.py": "def render(frames):\n    return [f.name for f in frames]\n",
    }
    v2 = {
        "app/spin.py": "class Spinner:\n    def __init__(self, name):\n        self.frames = name\n"
        "        self.name = name\n",
        "app/stack.py": "def render(frames):\n    return ' > '.join(f.name for f in frames)\n",
    }
    assert upgrade_findings(tmp_path, v1, v2, "RL202") == []
    # Read by new code of a module that imports the class, it is a change.
    v2["app/show.py"] = "from app.spin import Spinner\n\ndef show(s):\n    return s.name\n"
    assert upgrade_findings(tmp_path / "b", v1, v2, "RL202") == [("app/spin.py", 1, "RL202")]
    # Read by code the upgrade did not change, it is none: that code never met it.
    v1["app/show.py"] = v2["app/show.py"]
    assert upgrade_findings(tmp_path / "c", v1, v2, "RL202") == []


def test_rl202_an_inherited_class_default_covers_a_new_attribute(tmp_path: Path) -> None:
    v1 = {
        "app/m.py": "class Base:\n    limit = 10\n\n"
        "class Job(Base):\n    def __init__(self):\n        self.id = 1\n"
    }
    v2 = {
        "app/m.py": "class Base:\n    limit = 10\n\n"
        "class Job(Base):\n    def __init__(self):\n        self.id = 1\n"
        "        self.limit = 5\n"
    }
    assert upgrade_findings(tmp_path, v1, v2, "RL202") == []


@pytest.mark.parametrize(
    ("v1", "v2", "reported"),
    [
        ("x: int\n", "x: int\n    y: int\n", True),  # a bare annotation is no default
        ("x: int\n", "x: int\n    y: int = 0\n", False),
        ("x: int\n", "x: int\n    y: list = dataclasses.field(default_factory=list)\n", True),
    ],
)
def test_rl202_dataclass_defaults(tmp_path: Path, v1: str, v2: str, reported: bool) -> None:
    head = "import dataclasses\n\n@dataclasses.dataclass\nclass P:\n    "
    found = upgrade_findings(tmp_path, {"app/m.py": head + v1}, {"app/m.py": head + v2}, "RL202")
    assert found == ([("app/m.py", 4, "RL202")] if reported else [])


@pytest.mark.parametrize(
    ("v1", "v2", "reported"),
    [
        ("", "    __slots__ = ('x',)\n", True),
        ("    __slots__ = ('x',)\n", "", True),
        ("    __slots__ = ('x',)\n", "    __slots__ = ('x', 'y')\n", True),
        ("    __slots__ = ('x', 'y')\n", "    __slots__ = ['y', 'x']\n", False),
    ],
)
def test_rl202_a_changed_layout_cannot_be_repointed_even_with_a_vsn_bump(
    tmp_path: Path, v1: str, v2: str, reported: bool
) -> None:
    body = "    def __init__(self):\n        self.x = 1\n"
    hook = "    def __code_change__(self, old_vsn, extra):\n        pass\n"
    before = {"app/m.py": f"class P:\n    __vsn__ = 1\n{v1}{body}"}
    after = {"app/m.py": f"class P:\n    __vsn__ = 2\n{v2}{body}{hook}"}
    found = findings(make_and_write(tmp_path, before, after), "RL202")
    assert [row for _, row, _, _ in found] == ([1] if reported else [])
    if reported:
        assert "cannot be re-pointed" in found[0][3]


DEFAULTS_V1 = """
class App:
    defaults = ImmutableDict({"DEBUG": False})

    def __init__(self):
        self.config = dict(self.defaults)

    def debug(self):
        return self.config["DEBUG"]

    def other_init(self):
        self.other = {}
"""


@pytest.mark.parametrize(
    ("new_code", "reported"),
    [
        ('return self.config["DEBUG"], self.config["TIMEOUT"]', True),
        ('return self.config["DEBUG"], self.config.get("TIMEOUT")', False),  # no KeyError
        ('return self.config["DEBUG"], self.other["TIMEOUT"]', False),  # not the copy
    ],
)
def test_rl202_keys_added_to_a_dict_of_defaults_copied_into_instances(
    tmp_path: Path, new_code: str, reported: bool
) -> None:
    v1 = {"app/m.py": "from app.util import ImmutableDict\n" + DEFAULTS_V1}
    v2 = {
        "app/m.py": "from app.util import ImmutableDict\n"
        + DEFAULTS_V1.replace('{"DEBUG": False}', '{"DEBUG": False, "TIMEOUT": 3}').replace(
            'return self.config["DEBUG"]', new_code
        )
    }
    util = {"app/util.py": "class ImmutableDict(dict):\n    pass\n"}
    found = findings(make_and_write(tmp_path, {**v1, **util}, v2), "RL202")
    assert [(row, code) for _, row, code, _ in found] == ([(3, "RL202")] if reported else [])
    if reported:
        message = found[0][3]
        assert '`"TIMEOUT"`' in message and "`defaults`" in message
        assert 'self.config["TIMEOUT"]' in message and "KeyError" in message


def make_and_write(tmp_path: Path, v1: dict[str, str], v2: dict[str, str]) -> Path:
    repo = make_repo(tmp_path / "repo", {**PACKAGE, **v1})
    write(repo, v2)
    return repo


def test_upgrade_rules_do_not_run_without_base(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {**PACKAGE, "app/m.py": "import os\nos.getenv('X')\n"})
    code, out, _ = cli(repo, "--select", "RL303,RL501", "--output-format", "json", ".")
    assert code == 0 and json.loads(out) == []


# -- negative upgrades: nothing for any upgrade rule to say ------------------------------

# RL9 too: a broken v2 must not pass as clean.
UPGRADE_RULES = "RL202,RL203,RL303,RL304,RL403,RL404,RL501,RL502,RL503,RL9"
SERVICE = {
    "app/worker.py": textwrap.dedent("""\
        import os
        import threading


        class Session:
            __vsn__ = 1

            def __init__(self, user):
                self.user = user

            def describe(self):
                return self.user


        def process_one():
            return os.environ.get("APP_DB")


        def run(stop):
            while not stop.is_set():
                process_one()


        if __name__ == "__main__":
            threading.Thread(target=run, args=(threading.Event(),)).start()
        """),
    "app/db.py": "def connect():\n    return 1\n",
}


@pytest.mark.parametrize(
    ("v2", "deleted"),
    [
        pytest.param(
            {
                "app/worker.py": SERVICE["app/worker.py"].replace(
                    "return self.user", "return self.user.upper()"
                )
            },
            (),
            id="function-bodies-only",
        ),
        pytest.param(
            {
                "app/worker.py": SERVICE["app/worker.py"]
                .replace("__vsn__ = 1", "__vsn__ = 2")
                .replace(
                    "        self.user = user\n",
                    "        self.user = user\n        self.roles = []\n\n"
                    "    def __code_change__(self, old_vsn, extra):\n"
                    "        if old_vsn == 1:\n            self.roles = []\n",
                )
            },
            (),
            id="vsn-bump-with-code-change",
        ),
        pytest.param(
            {
                "app/db/__init__.py": "from app.db.pool import connect as connect\n",
                "app/db/pool.py": "def connect():\n    return 2\n",
            },
            ("app/db.py",),
            id="module-becomes-package",
        ),
        pytest.param(
            {
                "app/worker.py": '"""The worker."""\n'
                + SERVICE["app/worker.py"].replace("process_one()\n", "process_one()  # work\n")
            },
            (),
            id="docstring-and-comment-only",
        ),
    ],
)
def test_negative_upgrades_are_clean(
    tmp_path: Path, v2: dict[str, str], deleted: tuple[str, ...]
) -> None:
    assert upgrade_findings(tmp_path, SERVICE, v2, UPGRADE_RULES, *deleted) == []


def test_a_module_that_no_longer_parses_is_changed_not_removed(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {**PACKAGE, "app/db.py": "x = 1\n"})
    write(repo, {"app/db.py": "x = (\n"})
    assert build(repo).status == {"app.db": "changed"}
    assert [(p, c) for p, _, c, _ in findings(repo, "RL501,RL9")] == [("app/db.py", "RL901")]


def test_paths_given_through_a_symlink(tmp_path: Path) -> None:
    """Git names the real top level; paths named through a link must still map onto it."""
    repo = make_repo(
        tmp_path / "repo", {**PACKAGE, "app/db.py": "x = 1\n", "app/old.py": "y = 1\n"}
    )
    (repo / "app/old.py").unlink()
    write(repo, {"app/db.py": "import os\n\nx = os.getenv('NEW')\n"})
    link = tmp_path / "link"
    link.symlink_to(repo, target_is_directory=True)
    code, out, err = cli(
        tmp_path,
        "--base",
        "HEAD",
        "--select",
        "RL303,RL501",
        "--output-format",
        "concise",
        "--quiet",
        str(link / "app"),
    )
    assert code == 1, err
    rows = [line.split(": ")[1].split()[0] for line in out.splitlines()]
    assert rows == ["RL303", "RL501"], out


def test_a_directory_without_init_inside_a_package_is_named_as_a_subpackage(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {**PACKAGE, "app/sansio/core.py": "x = 1\n"})
    write(repo, {"app/sansio/core.py": "x = 2\n"})
    upgrade = build(repo)
    assert "app.sansio.core" in upgrade.base.modules
    assert upgrade.status == {"app.sansio.core": "changed"}
