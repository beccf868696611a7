"""Module state in a plan: what a reload empties only forces a restart when the
application needs it (``reloadlint --plan --base HEAD`` on real git repositories,
and the plan applied in a live process where it says hot)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from gitrepo import isolate_git
from liveproc import LiveProcess
from test_plan import PACKAGE, Repo, codes, modules
from test_plan_reasons import LIBRARY, lint

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(tmp_path, monkeypatch)


# pydantic 1.10's `_DEFINED_TYPES`: filled by the library, read only by its Hypothesis plugin.
TYPES = (
    "from weakref import WeakSet\n\n_DEFINED = WeakSet()\n\n\n"
    "def registered(cls):\n    _DEFINED.add(cls)\n    return cls\n\n\n"
    "@registered\nclass PositiveInt(int):\n    pass\n\n\n"
    "def conint():\n    return registered(type('ConstrainedInt', (int,), {}))\n"
)
PLUGIN = "import app.types\n\nSTRATEGIES = [t.__name__ for t in list(app.types._DEFINED)]\n"
PLUGIN_PYPROJECT = (
    '[project]\nname = "app"\n\n[project.entry-points.hypothesis]\n_ = "app.hypo:STRATEGIES"\n'
)


def test_state_only_a_test_tool_plugin_reads_does_not_force_restart(tmp_path: Path) -> None:
    files = {**LIBRARY, "app/types.py": TYPES, "app/hypo.py": PLUGIN}
    repo = Repo(tmp_path / "repo", {**files, "pyproject.toml": PLUGIN_PYPROJECT})
    repo.write({"app/types.py": TYPES + "\n\n@registered\nclass NegativeInt(int):\n    pass\n"})
    code, plan = repo.plan()
    assert (code, modules(plan), plan["restart_reasons"]) == (0, ["app.types"], [])
    _, out = lint(repo.root, "--select", "RL401", "--output-format", "concise")
    assert "app/types.py:3:1: RL401" in out  # the linter still reports it: the plugin reads it
    # Read by the application itself, the same state is state a reload resets.
    reading = "import app.types\n\n\ndef known():\n    return len(app.types._DEFINED)\n"
    repo = Repo(tmp_path / "app", {**files, "app/report.py": reading})
    repo.write({"app/types.py": TYPES + "\n\n@registered\nclass NegativeInt(int):\n    pass\n"})
    code, plan = repo.plan()
    assert code == 1 and codes(plan["restart_reasons"]) == ["RL401"]


# sqlalchemy.testing: a library's test-support package, and a dialect's provisioning
# module that only it loads.
TESTING = {
    "app/testing/__init__.py": "",
    "app/testing/config.py": "db = None\n\n\ndef set_current(url):\n    global db\n    db = url\n",
    "app/provision.py": (
        "from app.testing import config\n\n_conns = set()\n\n\n"
        "def connect(url):\n    _conns.add(url)\n    _conns.clear()\n    config.set_current(url)\n"
    ),
}


def test_a_testing_package_and_what_only_it_loads_stay_out_of_the_plan(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", {**LIBRARY, **TESTING})
    repo.write(
        {
            "app/testing/config.py": TESTING["app/testing/config.py"] + "\nurl = None\n",
            "app/provision.py": TESTING["app/provision.py"] + "\nVERSION = 2\n",
            "app/core.py": "def greet():\n    return 'hi'\n",
        }
    )
    code, plan = repo.plan()
    assert (code, modules(plan), plan["restart_reasons"]) == (0, ["app.core"], [])
    # A module the application imports is the application, whatever it imports.
    uses = {**LIBRARY, **TESTING, "app/core.py": "import app.provision\n"}
    repo = Repo(tmp_path / "app", uses)
    repo.write({"app/provision.py": TESTING["app/provision.py"] + "\nVERSION = 2\n"})
    code, plan = repo.plan()
    assert code == 1 and "app.provision" in modules(plan)
    assert codes(plan["restart_reasons"]) == ["RL401"]


# jinja2's `internal_code`: filled only by `@internalcode` in the modules that import it.
CODES = (
    "internal_code = set()\n\n\n"
    "def internal(func):\n    internal_code.add(func.__code__)\n    return func\n\n\n"
    "def is_internal(func):\n    return func.__code__ in internal_code\n"
)
VIEWS = "from app.codes import internal\n\n\n@internal\ndef render(name):\n    return name\n"


def test_a_registry_its_importers_fill_again_is_hot(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", {**PACKAGE, "app/codes.py": CODES, "app/views.py": VIEWS})
    live = LiveProcess(repo.root, ["app.codes", "app.views"])  # runs v1
    try:
        repo.write({"app/codes.py": CODES + "\n\ndef count():\n    return len(internal_code)\n"})
        code, plan = repo.plan()
        assert (code, plan["verdict"], plan["restart_reasons"]) == (0, "hot", [])
        assert modules(plan) == ["app.codes", "app.views"]
        check = (
            "answer['known'] = sys.modules['app.codes'].is_internal("
            "sys.modules['app.views'].render)\n"
            "answer['count'] = sys.modules['app.codes'].count()"
        )
        answer = live.apply(plan, check)
    finally:
        live.close()
    assert answer["raised"] is None and answer["report"]["ok"]
    assert (answer["known"], answer["count"]) == (True, 1)
    # Called at run time too, it is state the reload loses.
    calling = VIEWS + "\n\ndef later(func):\n    return internal(func)\n"
    repo = Repo(tmp_path / "app", {**PACKAGE, "app/codes.py": CODES, "app/views.py": calling})
    repo.write({"app/codes.py": CODES + "\nVERSION = 2\n"})
    code, plan = repo.plan()
    assert code == 1 and codes(plan["restart_reasons"]) == ["RL401"]
