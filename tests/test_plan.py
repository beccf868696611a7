"""``reloadlint --plan --base HEAD``: real git repositories (v1 committed, v2 in the
working tree) through the CLI, every JSON plan validated against the schema, and
one plan applied by the runtime to a process that runs v1 with live instances.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from gitrepo import isolate_git

from reloadlint import runtime
from reloadlint.cli import command
from reloadlint.output import plan_text
from reloadlint.plan_model import Group, Migration, Plan, PlanModule, Reason

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

VALIDATOR = jsonschema.Draft202012Validator(json.loads(runtime.SCHEMA_PATH.read_text()))


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(tmp_path, monkeypatch)


class Repo:
    """A git repository whose first commit is v1; edits make the working tree v2."""

    def __init__(self, root: Path, files: dict[str, str | bytes]) -> None:
        self.root = root
        root.mkdir(parents=True)
        self.git("init", "-q", "-b", "main")
        self.write(files)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "v1")

    def git(self, *args: str) -> str:
        proc = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, check=True)
        return proc.stdout.decode().strip()

    def write(self, files: dict[str, str | bytes]) -> None:
        for name, content in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content))

    def delete(self, *names: str) -> None:
        for name in names:
            (self.root / name).unlink()

    def run(self, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
        """The CLI with ``--plan --base HEAD`` from the repository root."""
        cwd = os.getcwd()
        os.chdir(self.root)
        try:
            result = CliRunner().invoke(command, ["--plan", "--base", "HEAD", *args], env=env)
        finally:
            os.chdir(cwd)
        return result.exit_code, result.stdout, result.stderr

    def plan(self, *args: str) -> tuple[int, dict[str, Any]]:
        """The JSON plan, validated against the schema, and the exit code."""
        code, out, err = self.run("--output-format", "json", *args)
        assert code in (0, 1), err
        document = json.loads(out)
        VALIDATOR.validate(document)
        assert code == (0 if document["verdict"] == "hot" else 1)
        return code, document


def modules(document: dict[str, Any]) -> list[str]:
    return [m["module"] for g in document["groups"] for m in g["modules"]]


def entry(document: dict[str, Any], name: str) -> dict[str, Any]:
    return next(m for g in document["groups"] for m in g["modules"] if m["module"] == name)


def codes(items: list[dict[str, Any]]) -> list[str]:
    return [item["code"] for item in items]


def kinds(document: dict[str, Any]) -> list[str]:
    return [item["kind"] for item in document["not_done"]]


PACKAGE = {"app/__init__.py": ""}


# -- which modules, in which order ----------------------------------------------------


def test_dependencies_come_first_whatever_the_file_order(tmp_path: Path) -> None:
    v1 = {
        **PACKAGE,
        "app/a_api.py": "import app.m_service\n\ndef get():\n    return app.m_service.run()\n",
        "app/m_service.py": "import app.z_db\n\ndef run():\n    return app.z_db.query()\n",
        "app/z_db.py": "def query():\n    return 1\n",
    }
    repo = Repo(tmp_path / "repo", v1)
    repo.write({name: text.replace("return", "return 1 +") for name, text in v1.items() if text})
    code, plan = repo.plan()
    assert code == 0
    assert modules(plan) == ["app.z_db", "app.m_service", "app.a_api"]
    assert [g["cycle"] for g in plan["groups"]] == [False, False, False]
    assert {m["why"] for g in plan["groups"] for m in g["modules"]} == {"changed"}


def test_unchanged_by_value_importers_are_added_transitively_after_their_source(
    tmp_path: Path,
) -> None:
    repo = Repo(
        tmp_path / "repo",
        {
            **PACKAGE,
            "app/db.py": "def connect():\n    return 1\n",
            "app/views.py": "from app.db import connect\n\ndef index():\n    return connect()\n",
            "app/urls.py": "from app.views import index\n\nROUTES = {'/': 'index'}\n",
            "app/qualified.py": "import app.db\n\ndef go():\n    return app.db.connect()\n",
            "app/submodule.py": "from app import db\n\ndef go():\n    return db.connect()\n",
            "app/lazy.py": "def go():\n    from app.db import connect\n    return connect()\n",
        },
    )
    repo.write({"app/db.py": "def connect():\n    return 2\n"})
    code, plan = repo.plan()
    assert code == 0
    # urls binds views.index, which is a new function once views is reloaded.
    assert modules(plan) == ["app.db", "app.views", "app.urls"]
    assert entry(plan, "app.db")["why"] == "changed"
    views = entry(plan, "app.views")
    assert views["why"] == "imports-changed-names-by-value"
    assert views["base_sha256"] == views["new_sha256"]
    assert views["reasons"][0]["code"] == "by-value"
    assert "app.db.connect" in views["reasons"][0]["message"]
    assert (views["reasons"][0]["path"], views["reasons"][0]["line"]) == ("app/views.py", 1)


def test_star_imports_base_classes_and_aliases_bind_by_value(tmp_path: Path) -> None:
    repo = Repo(
        tmp_path / "repo",
        {
            **PACKAGE,
            "app/base.py": "class Base:\n    pass\n\ndef helper():\n    return 1\n",
            "app/star.py": "from app.base import *\n",
            "app/sub.py": "import app.base\n\nclass Child(app.base.Base):\n    pass\n",
            "app/alias.py": "import app.base\n\nH = app.base.helper\n",
        },
    )
    repo.write({"app/base.py": "class Base:\n    pass\n\ndef helper():\n    return 2\n"})
    _, plan = repo.plan()
    assert modules(plan) == ["app.base", "app.alias", "app.star", "app.sub"]


def test_import_cycle_is_one_group_in_file_order(tmp_path: Path) -> None:
    v1 = {
        **PACKAGE,
        "app/b.py": "import app.a\n\ndef fb():\n    return 1\n",
        "app/a.py": "import app.b\n\ndef fa():\n    return 1\n",
        "app/user.py": "import app.a\n\ndef use():\n    return 1\n",
        "app/core.py": "def base():\n    return 1\n",
    }
    repo = Repo(tmp_path / "repo", v1)
    v2 = {name: text.replace("return 1", "return 2") for name, text in v1.items() if text}
    v2["app/b.py"] = "import app.a\nimport app.core\n\ndef fb():\n    return 2\n"
    repo.write(v2)
    _, plan = repo.plan()
    groups = [[m["module"] for m in g["modules"]] for g in plan["groups"]]
    assert groups == [["app.core"], ["app.a", "app.b"], ["app.user"]]
    assert [g["cycle"] for g in plan["groups"]] == [False, True, False]
    _, text, _ = repo.run()
    assert "import cycle of 2 modules, reloaded in binding order: app.a, app.b" in text


def test_a_path_through_a_module_the_plan_does_not_reload_neither_orders_nor_cycles(
    tmp_path: Path,
) -> None:
    # Re-executing `import app.x` runs nothing when app.x is not reloaded.
    repo = Repo(
        tmp_path / "repo",
        {
            **PACKAGE,
            "app/a.py": "import app.x\n\ndef f():\n    return 1\n",
            "app/x.py": "import app.b\n",
            "app/b.py": "import app.a\n\ndef g():\n    return 1\n",
        },
    )
    repo.write(
        {
            "app/a.py": "import app.x\n\ndef f():\n    return 2\n",
            "app/b.py": "import app.a\n\ndef g():\n    return 2\n",
        }
    )
    _, plan = repo.plan()
    assert [(g["cycle"], [m["module"] for m in g["modules"]]) for g in plan["groups"]] == [
        (False, ["app.a"]),
        (False, ["app.b"]),
    ]


def test_function_level_and_type_checking_imports_do_not_order_or_cycle(tmp_path: Path) -> None:
    repo = Repo(
        tmp_path / "repo",
        {
            **PACKAGE,
            "app/a.py": "import app.b\n\ndef f():\n    return 1\n",
            "app/b.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import app.a\n\n"
                "def g():\n    import app.a\n    return 1\n"
            ),
        },
    )
    repo.write(
        {
            "app/a.py": "import app.b\n\ndef f():\n    return 2\n",
            "app/b.py": (
                "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import app.a\n\n"
                "def g():\n    import app.a\n    return 2\n"
            ),
        }
    )
    _, plan = repo.plan()
    assert [(g["cycle"], [m["module"] for m in g["modules"]]) for g in plan["groups"]] == [
        (False, ["app.b"]),
        (False, ["app.a"]),
    ]


def test_docstring_and_comment_edits_are_not_in_the_plan(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", {**PACKAGE, "app/db.py": "def f():\n    return 1\n"})
    repo.write({"app/db.py": '"""Docs."""\n\n\ndef f():  # a comment\n    return 1\n'})
    code, plan = repo.plan()
    assert (code, plan["groups"], plan["restart_reasons"]) == (0, [], [])
    _, text, _ = repo.run()
    assert "nothing to reload" in text
    assert "Verdict: HOT" in text


# -- actions and verdicts -------------------------------------------------------------

SESSION_V1 = """\
class Session:
    __vsn__ = 1

    def __init__(self, user):
        self.user = user

    def touch(self):
        self.seen = True
"""

SESSION_V2 = """\
class Session:
    __vsn__ = 2

    def __init__(self, user):
        self.user = user
        self.roles = []

    def touch(self):
        self.seen = True

    def __code_change__(self, old_vsn, extra):
        if old_vsn == 1:
            self.roles = []
"""


def test_hot_plan_exits_0_and_says_so(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", {**PACKAGE, "app/db.py": "def f():\n    return 1\n"})
    repo.write({"app/db.py": "def f():\n    return 2\n"})
    code, plan = repo.plan()
    assert code == 0
    assert plan["verdict"] == "hot"
    assert plan["base"] == {"rev": "HEAD", "commit": repo.git("rev-parse", "HEAD")}
    assert entry(plan, "app.db")["action"] == "reload"
    code, text, _ = repo.run()
    assert code == 0
    commit = repo.git("rev-parse", "HEAD")[:12]
    assert text.splitlines()[0] == f"Reload plan: HEAD ({commit}) -> working tree"
    assert "  1. ~ app.db" in text
    assert "\nVerdict: HOT - 1 module to reload" in text
    assert text.rstrip().splitlines()[-1].startswith("Not done by a hot upgrade: nothing")


def test_version_bump_with_code_change_is_reload_migrate(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", {**PACKAGE, "app/models.py": SESSION_V1})
    repo.write({"app/models.py": SESSION_V2})
    code, plan = repo.plan()
    assert code == 0
    models = entry(plan, "app.models")
    assert models["action"] == "reload+migrate"
    assert models["migrate"] == [{"class": "Session", "old_vsn": 1, "new_vsn": 2}]
    _, text, _ = repo.run()
    assert "^ app.models" in text
    assert "migrate Session: __vsn__ 1 -> 2" in text
    assert "(1 with migration)" in text


def test_version_bump_without_code_change_forces_restart(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", {**PACKAGE, "app/models.py": SESSION_V1})
    repo.write({"app/models.py": SESSION_V2.split("    def __code_change__")[0]})
    code, plan = repo.plan()
    assert code == 1
    models = entry(plan, "app.models")
    assert (models["action"], models["migrate"]) == ("restart", [])
    assert "RL203" in codes(models["reasons"])
    assert "RL203" in codes(plan["restart_reasons"])


def test_removed_module_forces_restart(tmp_path: Path) -> None:
    repo = Repo(
        tmp_path / "repo",
        {**PACKAGE, "app/db.py": "def f():\n    return 1\n", "app/old.py": "X = 1\n"},
    )
    repo.delete("app/old.py")
    code, plan = repo.plan()
    assert code == 1
    assert plan["groups"] == []
    [reason] = plan["restart_reasons"]
    assert (reason["code"], reason["path"], reason["line"]) == ("RL501", "app/old.py", 1)
    _, text, _ = repo.run()
    assert "- app.old" in text
    assert "Verdict: RESTART - 1 reason makes a hot upgrade unsafe" in text


def test_changed_loop_forces_restart_naming_the_finding(tmp_path: Path) -> None:
    worker = "import time\n\ndef poll():\n    while True:\n        time.sleep({})\n"
    repo = Repo(tmp_path / "repo", {**PACKAGE, "app/worker.py": worker.format(1)})
    repo.write({"app/worker.py": worker.format(2)})
    code, plan = repo.plan()
    assert code == 1
    reasons = entry(plan, "app.worker")["reasons"]
    assert entry(plan, "app.worker")["action"] == "restart"
    where = (reasons[0]["code"], reasons[0]["path"], reasons[0]["line"])
    assert where == ("RL404", "app/worker.py", 3)
    _, text, _ = repo.run()
    assert "! app.worker" in text
    assert "RL404 app/worker.py:3: " in text


def test_noqa_accepts_a_restart_finding(tmp_path: Path) -> None:
    worker = "import time\n\ndef poll():  # noqa: RL404\n    while True:\n        time.sleep({})\n"
    repo = Repo(tmp_path / "repo", {**PACKAGE, "app/worker.py": worker.format(1)})
    repo.write({"app/worker.py": worker.format(2)})
    code, plan = repo.plan()
    assert (code, entry(plan, "app.worker")["action"]) == (0, "reload")


def test_deselected_restart_rule_is_named_in_not_done(tmp_path: Path) -> None:
    worker = "import time\n\ndef poll():\n    while True:\n        time.sleep({})\n"
    repo = Repo(tmp_path / "repo", {**PACKAGE, "app/worker.py": worker.format(1)})
    repo.write({"app/worker.py": worker.format(2)})
    code, plan = repo.plan("--ignore", "RL404")
    assert code == 0
    disabled = [n for n in plan["not_done"] if n["kind"] == "rule-disabled"]
    assert [n["message"].split()[0] for n in disabled] == ["RL404"]


def test_module_state_reset_by_the_reload_forces_restart(tmp_path: Path) -> None:
    registry = "HANDLERS = {}\n\ndef register(name, fn):\n    HANDLERS[name] = fn\n    return %d\n"
    repo = Repo(tmp_path / "repo", {**PACKAGE, "app/registry.py": registry % 1})
    repo.write({"app/registry.py": registry % 2})
    code, plan = repo.plan()
    assert code == 1
    assert codes(entry(plan, "app.registry")["reasons"]) == ["RL401"]


@pytest.mark.parametrize(
    ("files", "code"),
    [
        ({"requirements.txt": "requests==2.32.0\n"}, "dependencies"),
        ({"poetry.lock": "# new lock\n"}, "dependencies"),
        ({"app/_speedups.so": b"\x7fELF\x02new"}, "native"),
        ({".python-version": "3.12\n"}, "python-version"),
    ],
)
def test_non_python_changes_force_restart(
    tmp_path: Path, files: dict[str, str | bytes], code: str
) -> None:
    repo = Repo(
        tmp_path / "repo",
        {
            **PACKAGE,
            "app/db.py": "def f():\n    return 1\n",
            "requirements.txt": "requests==2.31.0\n",
            "app/_speedups.so": b"\x7fELF\x02old",
            ".python-version": "3.11\n",
        },
    )
    repo.write(files)
    exit_code, plan = repo.plan()
    assert exit_code == 1
    assert plan["groups"] == []
    [reason] = plan["restart_reasons"]
    assert (reason["code"], reason["path"]) == (code, next(iter(files)))


def test_pyproject_change_outside_dependency_tables_stays_hot(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "app"\ndependencies = ["click"]\n\n[tool.black]\nline-length = {}\n'
    )
    repo = Repo(tmp_path / "repo", {**PACKAGE, "pyproject.toml": pyproject.format(88)})
    repo.write({"pyproject.toml": pyproject.format(100)})
    assert repo.plan()[0] == 0
    repo.write({"pyproject.toml": pyproject.format(100).replace('"click"', '"click>=8"')})
    code, plan = repo.plan()
    assert (code, codes(plan["restart_reasons"])) == (1, ["dependencies"])


def test_changed_config_file_adds_the_module_that_reads_it(tmp_path: Path) -> None:
    repo = Repo(
        tmp_path / "repo",
        {
            **PACKAGE,
            "app/settings.json": '{"debug": false}\n',
            "app/settings.py": (
                "import json\nfrom pathlib import Path\n\n"
                "CONFIG = json.loads((Path(__file__).parent / 'settings.json').read_text())\n"
            ),
        },
    )
    repo.write({"app/settings.json": '{"debug": true}\n'})
    code, plan = repo.plan()
    settings = entry(plan, "app.settings")
    assert (code, settings["why"], settings["action"]) == (0, "reads-changed-file", "reload")
    assert codes(settings["reasons"]) == ["RL304"]
    assert "config-not-reread" not in kinds(plan)


def test_changed_data_file_nobody_reads_is_listed_as_not_reread(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", {**PACKAGE, "app/limits.yaml": "max: 1\n", "README.md": "v1\n"})
    repo.write({"app/limits.yaml": "max: 2\n", "README.md": "v2\n"})
    code, plan = repo.plan()
    assert code == 0
    not_done = [(n["kind"], n["path"]) for n in plan["not_done"]]
    assert not_done == [("config-not-reread", "app/limits.yaml")]


# -- what a hot upgrade does not do ----------------------------------------------------


def test_not_done_lists_lingering_names_new_loops_and_unreachable_references(
    tmp_path: Path,
) -> None:
    repo = Repo(
        tmp_path / "repo",
        {
            **PACKAGE,
            "reloadlint.toml": 'not-reloadable = ["app.frozen"]\n',
            "app/db.py": "def connect():\n    return 1\n\ndef legacy():\n    return 0\n",
            "app/frozen.py": "from app.db import connect\n",
            "app/hooks.py": "import atexit\nimport app.db\n\natexit.register(app.db.connect)\n",
        },
    )
    repo.write(
        {
            "app/db.py": (
                "import time\n\ndef connect():\n    return 2\n\n"
                "def pump():\n    while True:\n        time.sleep(1)\n"
            )
        }
    )
    code, plan = repo.plan()
    # app.hooks handed app.db.connect to atexit: re-executing it would register a second
    # handler and rebind nothing, so it is not reloaded (its RL402 does not force a restart).
    assert (code, modules(plan)) == (0, ["app.db"])
    found = {(n["kind"], n["path"]) for n in plan["not_done"]}
    assert ("removed-names-linger", "app/db.py") in found
    assert ("workers-not-started", "app/db.py") in found
    assert ("stale-references", "app/frozen.py") in found
    assert ("stale-references", "app/hooks.py") in found
    _, text, _ = repo.run()
    assert "Not done by a hot upgrade (" in text
    assert "workers-not-started: app/db.py:6: `app.db.pump` is a new endless loop" in text


def test_changed_module_that_is_not_reloadable_forces_restart(tmp_path: Path) -> None:
    repo = Repo(
        tmp_path / "repo",
        {**PACKAGE, "reloadlint.toml": 'not-reloadable = ["app.boot"]\n', "app/boot.py": "X = 1\n"},
    )
    repo.write({"app/boot.py": "X = 2\n"})
    code, plan = repo.plan()
    assert code == 1
    assert codes(entry(plan, "app.boot")["reasons"]) == ["not-reloadable"]


# -- errors, formats, colour ------------------------------------------------------------


def test_errors_exit_2(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", {**PACKAGE, "app/db.py": "def f():\n    return 1\n"})
    assert repo.run("--base", "no-such-rev")[0] == 2
    repo.write({"app/db.py": "def f(:\n"})
    code, out, err = repo.run()
    assert (code, out) == (2, "")
    assert "cannot plan an upgrade of code that does not load: app/db.py:1" in err
    repo.write({"app/db.py": "def f():\n    return 2\n"})
    code, _, err = repo.run("--output-format", "sarif")
    assert code == 2 and "--plan prints text" in err
    outside = tmp_path / "plain"
    outside.mkdir()
    cwd = os.getcwd()
    os.chdir(outside)
    try:
        result = CliRunner().invoke(command, ["--plan", "--base", "HEAD"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 2 and "not a git repository" in result.stderr


def test_text_has_no_colour_off_a_terminal_and_honours_no_color(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", {**PACKAGE, "app/db.py": "def f():\n    return 1\n"})
    repo.write({"app/db.py": "def f():\n    return 2\n"})
    assert "\x1b[" not in repo.run()[1]
    assert "\x1b[" not in repo.run(env={"NO_COLOR": "1", "FORCE_COLOR": "1"})[1]


def test_render_colours_only_when_asked() -> None:
    module = PlanModule("app.worker", "app/worker.py", "restart", "changed", "0" * 64, "1" * 64)
    module.reasons.append(Reason("RL404", "`poll` loop changed", "app/worker.py", 3, 1))
    migrating = PlanModule("app.models", "app/models.py", "reload+migrate", "changed", None, None)
    migrating.migrate.append(Migration("Session", 1, "two"))
    groups = [Group(False, [migrating]), Group(False, [module])]
    plan = Plan("v1", "a" * 40, groups, [module.reasons[0]], [])
    plain = plan_text.render(plan)
    coloured = plan_text.render(plan, color=True)
    assert "\x1b[" not in plain
    assert "\x1b[1;31mVerdict: RESTART\x1b[0m" in coloured
    assert "migrate Session: __vsn__ 1 -> 'two'" in plain
    assert "  2. ! app.worker" in plain
    assert "Restart needed because (1):\n  - RL404 app/worker.py:3: `poll` loop changed" in plain


def test_output_file_receives_the_plan(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", {**PACKAGE, "app/db.py": "def f():\n    return 1\n"})
    repo.write({"app/db.py": "def f():\n    return 2\n"})
    target = tmp_path / "plan.json"
    code, out, _ = repo.run("--output-format", "json", "-o", str(target))
    assert (code, out) == (0, "")
    VALIDATOR.validate(json.loads(target.read_text()))


# -- end to end: the runtime applies the plan to a process running v1 ------------------

APP_V1 = {
    **PACKAGE,
    "app/db.py": "def connect():\n    return 'v1'\n",
    "app/models.py": SESSION_V1,
    "app/views.py": (
        "from app.db import connect\nfrom app.models import Session\n\n"
        "def open_session(user):\n    return Session(user), connect()\n"
    ),
}

APP_V2 = {
    "app/db.py": "def connect():\n    return 'v2'\n",
    "app/models.py": SESSION_V2,
}

# The running process: imports v1, keeps live instances, records what it loaded,
# then waits for the plan (a path on stdin), applies it and reports its state.
SERVER = """
import json, sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
from reloadlint import runtime
import app.views
live, _ = app.views.open_session("ada")
runtime.record_loaded("app", "app.db", "app.models", "app.views")
print("ready", flush=True)
plan_path = sys.stdin.readline().strip()
report = runtime.apply_plan(plan_path)
fresh, connected = app.views.open_session("bob")
print(json.dumps({
    "reloaded": report.modules_reloaded,
    "migrated": [str(c) for c in report.classes if c.migrated],
    "live_class_is_new": type(live) is app.models.Session,
    "live_roles": getattr(live, "roles", "missing"),
    "live_user": live.user,
    "views_session_is_new": app.views.Session is app.models.Session,
    "views_connect": connected,
    "fresh_roles": fresh.roles,
}), flush=True)
"""


def test_runtime_applies_the_plan_to_a_process_running_v1(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", APP_V1)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(repo.root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None and server.stdin is not None
        assert server.stdout.readline().strip() == "ready"
        repo.write(APP_V2)
        code, plan = repo.plan()
        assert code == 0
        assert modules(plan) == ["app.db", "app.models", "app.views"]
        plan_file = tmp_path / "plan.json"
        plan_file.write_text(json.dumps(plan))
        out, err = server.communicate(f"{plan_file}\n", timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert server.returncode == 0, err
    state = json.loads(out.strip().splitlines()[-1])
    assert state == {
        "reloaded": ["app.db", "app.models", "app.views"],
        "migrated": [state["migrated"][0]],
        "live_class_is_new": True,
        "live_roles": [],
        "live_user": "ada",
        "views_session_is_new": True,
        "views_connect": "v2",
        "fresh_roles": [],
    }
    migrated = "app.models.Session: 1 instance(s) re-pointed, vsn 1 -> 2"
    assert state["migrated"][0].startswith(migrated)


def test_runtime_refuses_a_restart_plan(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", {**PACKAGE, "app/old.py": "X = 1\n"})
    repo.delete("app/old.py")
    _, plan = repo.plan()
    with pytest.raises(runtime.PlanRefused, match="verdict is restart"):
        runtime.apply_plan(plan)


@pytest.mark.parametrize(
    ("v1", "v2", "module", "code"),
    [
        pytest.param(
            "import os\n\nA = os.environ.get('A')\n",
            "import os\n\nA = os.environ.get('A')\nB = os.environ.get('B')\n",
            "app.settings",
            "RL303",
            id="new-env-var",
        ),
        pytest.param(
            "def main():\n    return 1\n\nif __name__ == '__main__':\n    main()\n",
            "def main():\n    return 1\n\nif __name__ == '__main__':\n    main()\n    main()\n",
            "app.settings",
            "RL503",
            id="main-block-changed",
        ),
        pytest.param(
            "class Job:\n    def run(self):\n        self.done = True\n",
            "class Job:\n    def run(self):\n        self.done = True\n        self.result = 1\n\n"
            "    def report(self):\n        return self.result\n",
            "app.settings",
            "RL202",
            id="state-changed-without-vsn-bump",
        ),
    ],
)
def test_upgrade_findings_force_restart_of_their_module(
    tmp_path: Path, v1: str, v2: str, module: str, code: str
) -> None:
    repo = Repo(tmp_path / "repo", {**PACKAGE, "app/settings.py": v1})
    repo.write({"app/settings.py": v2})
    exit_code, plan = repo.plan()
    assert exit_code == 1
    assert (entry(plan, module)["action"], codes(plan["restart_reasons"])) == ("restart", [code])


def test_renamed_module_is_added_and_the_old_name_forces_restart(tmp_path: Path) -> None:
    body = "".join(f"def f{i}():\n    return {i}\n\n" for i in range(12))
    repo = Repo(tmp_path / "repo", {**PACKAGE, "app/old_name.py": body})
    (repo.root / "app/old_name.py").rename(repo.root / "app/new_name.py")
    code, plan = repo.plan()
    assert code == 1
    assert (modules(plan), entry(plan, "app.new_name")["why"]) == (["app.new_name"], "added")
    assert entry(plan, "app.new_name")["base_sha256"] is None
    [reason] = plan["restart_reasons"]
    assert reason["code"] == "RL501" and "app.new_name" in reason["message"]


def test_reloaded_enum_forces_restart_and_environment_reads_are_listed_as_not_done(
    tmp_path: Path,
) -> None:
    colors = (
        "import enum\n\nclass Color(enum.Enum):\n    RED = {}\n\n"
        "class Pen:\n    def __init__(self):\n        self.color = Color.RED\n"
    )
    settings = "import os\n\nLEVEL = os.environ.get('LEVEL')\nN = {}\n"
    repo = Repo(
        tmp_path / "repo",
        {**PACKAGE, "app/colors.py": colors.format(1), "app/settings.py": settings.format(1)},
    )
    repo.write({"app/colors.py": colors.format(2), "app/settings.py": settings.format(2)})
    code, plan = repo.plan()
    # Members stored before the reload stop being the new members: a restart.
    assert code == 1 and codes(plan["restart_reasons"]) == ["RL104"]
    assert entry(plan, "app.colors")["action"] == "restart"
    assert [(n["kind"], n["line"]) for n in plan["not_done"]] == [("env-not-reread", 3)]


def test_a_module_named_like_tests_that_the_application_imports_stays_in_the_plan(
    tmp_path: Path,
) -> None:
    """jinja2's ``tests.py`` holds template tests that ``jinja2.defaults`` binds by value:
    its name matches ``plan-exclude`` but the process runs it. A change to it is not
    lost: tests are not reloadable, so the plan restarts and says why. A test module
    that only tests import stays out of the plan."""
    v1 = {
        "app/__init__.py": "from app.defaults import TESTS\n",  # the application uses it
        "app/defaults.py": "from app.tests import TESTS\n",
        "app/tests.py": "TESTS = {'odd': 1}\n",
        "app/test_defaults.py": "import app.defaults\n\n\ndef test_odd():\n    pass\n",
    }
    repo = Repo(tmp_path / "repo", v1)
    repo.write({"app/test_defaults.py": v1["app/test_defaults.py"] + "\n\nX = 1\n"})
    code, plan = repo.plan()
    assert (code, modules(plan)) == (0, [])
    repo.write({"app/tests.py": "TESTS = {'odd': 1, 'even': 2}\n"})
    code, plan = repo.plan()
    assert code == 1 and "app.tests" in modules(plan)
    [reason] = [r for r in plan["restart_reasons"] if r["path"] == "app/tests.py"]
    assert "`plan-exclude`" in reason["message"] and "application imports it" in reason["message"]
