"""The plan's reasons on the kind of tree a released library has: what is in the
plan's scope, which changes are dependency changes, and which findings force a
restart (``reloadlint --plan --base HEAD`` on real git repositories)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitrepo import isolate_git
from liveproc import LiveProcess
from test_plan import PACKAGE, Repo, codes, modules

from reloadlint.cli import command

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(tmp_path, monkeypatch)


# -- scope: the library, not its tests, docs, examples and packaging -----------------

LIBRARY = {
    **PACKAGE,
    "app/core.py": "def greet():\n    return 'hello'\n",
    "tests/__init__.py": "",
    "tests/test_core.py": "from app.core import greet\n\ndef test_greet():\n    assert greet()\n",
    "conftest.py": "import app.core\n",
    "docs/conf.py": "project = 'app'\n",
    "examples/demo.py": "from app.core import greet\n\nprint(greet())\n",
    "setup.py": "from setuptools import setup\n\nsetup(name='app')\n",
    "noxfile.py": "def tests(session):\n    session.run('pytest')\n",
    "app/test_helpers.py": "def helper():\n    return 1\n",
}

#: Each file of LIBRARY but the package changed in a way that forces a restart.
OUTSIDE_CHANGES = {
    # RL402: an import-time side effect in a module that would be reloaded
    "tests/test_core.py": "import sys\nsys.path.append('x')\nfrom app.core import greet\n",
    # RL202 (a class in both versions whose state changed) and RL404 (an endless loop changed)
    "conftest.py": "class Server:\n    def start(self):\n        self.proc = 1\n\n"
    "def serve(s):\n    while True:\n        s.poll(2)\n",
    "docs/conf.py": "import os\nproject = os.environ['PROJECT']\n",
    "examples/demo.py": "import atexit\nfrom app.core import greet\n\natexit.register(print)\n",
    # (a changed requirement set is a restart wherever it is declared: see below)
    "setup.py": "from setuptools import setup\n\nsetup(name='app', version='2')\n",
    "noxfile.py": "import os\n\nPY = os.environ.get('NOX_PY')\n",
    "app/test_helpers.py": "import atexit\n\natexit.register(print)\n",
}


def test_a_library_root_plans_the_library(tmp_path: Path) -> None:
    base = {
        **LIBRARY,
        "conftest.py": "class Server:\n    def start(self):\n        self.pid = 1\n\n"
        "def serve(s):\n    while True:\n        s.poll(1)\n",
    }
    repo = Repo(tmp_path / "repo", base)
    repo.write({**OUTSIDE_CHANGES, "app/core.py": "def greet():\n    return 'hi'\n"})
    code, plan = repo.plan()
    assert modules(plan) == ["app.core"]
    assert plan["restart_reasons"] == []
    assert code == 0 and plan["verdict"] == "hot"
    # Nothing outside the library shows up in what the upgrade will not do either.
    assert not [n for n in plan["not_done"] if not (n["path"] or "app/").startswith("app/")]


def test_a_declared_test_tool_plugin_is_not_the_application(tmp_path: Path) -> None:
    # anyio.pytest_plugin: only pytest loads it; its runner state is no application state.
    plugin = "_runner = None\n\ndef get_runner():\n    global _runner\n    _runner = object()\n"
    pyproject = '[project]\nname = "app"\n\n[project.entry-points.pytest11]\napp = "app.plugin"\n'
    files = {**LIBRARY, "app/plugin.py": plugin, "pyproject.toml": pyproject}
    repo = Repo(tmp_path / "repo", files)
    repo.write({"app/plugin.py": plugin + "\nVERSION = 2\n", "app/core.py": "X = 2\n"})
    code, plan = repo.plan()
    assert (code, modules(plan), plan["restart_reasons"]) == (0, ["app.core"], [])
    # pydantic 1.10 declares its Hypothesis plugin in setup.py.
    setup = "from setuptools import setup\nsetup(entry_points={'hypothesis': ['_ = app.plugin']})\n"
    files = {**LIBRARY, "app/plugin.py": plugin, "setup.py": setup}
    repo = Repo(tmp_path / "hypothesis", files)
    repo.write({"app/plugin.py": plugin + "\nVERSION = 2\n", "app/core.py": "X = 2\n"})
    code, plan = repo.plan()
    assert (code, modules(plan), plan["restart_reasons"]) == (0, ["app.core"], [])


def test_removed_test_modules_are_not_removed_modules(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", {**LIBRARY, "tests/test_old.py": "def test():\n    pass\n"})
    repo.delete("tests/test_old.py")
    repo.write({"app/core.py": "def greet():\n    return 'hi'\n"})
    code, plan = repo.plan()
    assert code == 0 and modules(plan) == ["app.core"]


def test_plan_exclude_is_configurable(tmp_path: Path) -> None:
    config = "[tool.reloadlint]\nplan-exclude = []\n"
    repo = Repo(tmp_path / "repo", {**LIBRARY, "pyproject.toml": config})
    repo.write({"tests/test_core.py": OUTSIDE_CHANGES["tests/test_core.py"]})
    code, plan = repo.plan()
    assert code == 1 and "tests.test_core" in modules(plan)
    assert codes(plan["restart_reasons"]) == ["RL402"]


def test_extend_plan_exclude_adds_to_the_defaults(tmp_path: Path) -> None:
    config = '[tool.reloadlint]\nextend-plan-exclude = ["tools/"]\n'
    tools = {"tools/release.py": "import os\n\nTOKEN = os.environ['TOKEN']\n"}
    repo = Repo(tmp_path / "repo", {**LIBRARY, **tools, "pyproject.toml": config})
    repo.write({**OUTSIDE_CHANGES, "tools/release.py": "import os\n\nT = os.environ['T2']\n"})
    code, plan = repo.plan()
    assert (code, modules(plan), plan["restart_reasons"]) == (0, [], [])


def test_tree_mode_leaves_out_what_the_plan_leaves_out(tmp_path: Path) -> None:
    # One definition of the application (reloadlint.scope): tests are not reloadable in
    # tree mode either, unless the configuration says they are.
    repo = Repo(tmp_path / "repo", LIBRARY)
    repo.write({"tests/test_core.py": OUTSIDE_CHANGES["tests/test_core.py"]})
    code, out = lint(repo.root, "--select", "RL402", "--output-format", "concise")
    assert code == 0 and "RL402" not in out
    repo.write({"pyproject.toml": "[tool.reloadlint]\nplan-exclude = []\n"})
    code, out = lint(repo.root, "--select", "RL402", "--output-format", "concise")
    assert code == 1 and "tests/test_core.py:2:1: RL402" in out


def lint(root: Path, *args: str) -> tuple[int, str]:
    """``reloadlint --base HEAD ARGS .`` from ``root`` (the lint, not the plan)."""
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(command, ["--no-cache", "--base", "HEAD", *args, "."])
    finally:
        os.chdir(cwd)
    return result.exit_code, result.stdout


# -- dependencies: the runtime requirement set, not file touches ----------------------

SETUP_CFG = (
    "[metadata]\nname = app\n\n[options]\ninstall_requires =\n    click>=8\n    Jinja2 >=3.1, <4\n"
)
SETUP_BY_NAME = "import setuptools\nREQS = {}\nsetuptools.setup(install_requires=REQS)\n"
PYPROJECT = '[project]\nname = "app"\ndependencies = ["click>=8", "jinja2<4,>=3.1"]\n'


def dependency_reasons(tmp_path: Path, v1: dict[str, str], v2: dict[str, str]) -> list[str]:
    repo = Repo(tmp_path / "repo", {**PACKAGE, "app/core.py": "X = 1\n", **v1})
    repo.write(v2)
    for name in set(v1) - set(v2):
        repo.delete(name)
    _, plan = repo.plan()
    return [r["message"] for r in plan["restart_reasons"] if r["code"] == "dependencies"]


def test_the_same_requirements_moved_from_setup_cfg_to_pyproject_is_no_change(
    tmp_path: Path,
) -> None:
    v1 = {"setup.cfg": SETUP_CFG, "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\n'}
    v2 = {"pyproject.toml": '[build-system]\nrequires = ["setuptools>=64"]\n\n' + PYPROJECT}
    assert dependency_reasons(tmp_path, v1, v2) == []


@pytest.mark.parametrize(
    ("v1", "v2"),
    [
        # A documentation page that happens to be named like a constraints file.
        ({"docs/constraints.txt": "see a\n"}, {"docs/constraints.txt": "see b\n"}),
        # Development pins.
        ({"requirements-dev.txt": "pytest==8.0\n"}, {"requirements-dev.txt": "pytest==8.1\n"}),
        ({"requirements/tests.txt": "pytest==8.0\n"}, {"requirements/tests.txt": "pytest==8.1\n"}),
        ({"requirements_test.txt": "pytest\n"}, {"requirements_test.txt": "pytest\nmock\n"}),
        # Extras, development groups and build requirements are not what runs.
        (
            {"pyproject.toml": PYPROJECT},
            {
                "pyproject.toml": PYPROJECT + '\n[project.optional-dependencies]\nfast = ["x"]\n'
                '\n[dependency-groups]\ndev = ["pytest"]\n'
            },
        ),
        # The same requirements, spelled differently.
        (
            {"requirements.txt": "Jinja2>=3.1,<4\nclick\n"},
            {"requirements.txt": "click  # cli\njinja2 <4, >=3.1\n"},
        ),
        # A requirement dropped (httpx 0.28 no longer needs sniffio): the process keeps
        # what it imported, the new code imports nothing new.
        ({"pyproject.toml": PYPROJECT}, {"pyproject.toml": PYPROJECT.replace('"click>=8", ', "")}),
        # An sdist's metadata: only Requires-Dist without an extra counts.
        (
            {"PKG-INFO": "Metadata-Version: 2.1\nName: app\nVersion: 1\nRequires-Dist: click\n"},
            {
                "PKG-INFO": "Metadata-Version: 2.1\nName: app\nVersion: 2\nRequires-Dist: click\n"
                'Requires-Dist: pytest; extra == "test"\n'
            },
        ),
    ],
)
def test_changes_that_are_not_dependency_changes(
    tmp_path: Path, v1: dict[str, str], v2: dict[str, str]
) -> None:
    assert dependency_reasons(tmp_path, v1, v2) == []


@pytest.mark.parametrize(
    ("v1", "v2", "detail"),
    [
        ({"setup.cfg": SETUP_CFG}, {"setup.cfg": SETUP_CFG + "    rich\n"}, "new: `rich`"),
        (
            {"setup.py": "from setuptools import setup\nsetup(install_requires=['a>=1'])\n"},
            {"setup.py": "from setuptools import setup\nsetup(install_requires=['a>=2'])\n"},
            "new: `a>=2`; gone: `a>=1`",
        ),
        (
            {"setup.py": SETUP_BY_NAME.format("['a']")},
            {"setup.py": SETUP_BY_NAME.format("['a', 'b']")},
            "new: `b`",
        ),
        (
            {"PKG-INFO": "Metadata-Version: 2.1\nName: app\nRequires-Dist: click\n"},
            {"PKG-INFO": "Metadata-Version: 2.1\nName: app\nRequires-Dist: click>=8.1\n"},
            "new: `click>=8.1`; gone: `click`",
        ),
        ({"uv.lock": "version = 1\n"}, {"uv.lock": "version = 1\n# new pins\n"}, "new: `uv.lock "),
    ],
)
def test_changed_requirement_sets(
    tmp_path: Path, v1: dict[str, str], v2: dict[str, str], detail: str
) -> None:
    [message] = dependency_reasons(tmp_path, v1, v2)
    assert f"runtime requirements changed ({detail}" in message


# -- RL104 in a reloaded module ---------------------------------------------------------

ENUMS = (
    "import enum\n\nclass Color(enum.Enum):\n    RED = 1\n\nMISSING = object()\n\n"
    "class Brush:\n    def __init__(self):\n        self.color = Color.RED\n"
    "        self.mark = MISSING\n"
)


def test_an_identity_sensitive_definition_in_a_reloaded_module_forces_restart(
    tmp_path: Path,
) -> None:
    repo = Repo(tmp_path / "repo", {**PACKAGE, "app/colors.py": ENUMS, "app/core.py": "X = 1\n"})
    repo.write({"app/colors.py": ENUMS + "\ndef paint():\n    return Color.RED\n"})
    code, plan = repo.plan()
    assert code == 1 and codes(plan["restart_reasons"]) == ["RL104", "RL104"]
    # In a module the plan does not reload, it changes nothing.
    repo = Repo(tmp_path / "other", {**PACKAGE, "app/colors.py": ENUMS, "app/core.py": "X = 1\n"})
    repo.write({"app/core.py": "X = 2\n"})
    code, plan = repo.plan()
    assert (code, modules(plan)) == (0, ["app.core"])


CARDS = (
    "import enum\n\nclass Brand(str, enum.Enum):\n    VISA = 'visa'\n    OTHER = 'other'\n\n"
    "class Card:\n    def __init__(self, number):\n"
    "        self.brand = Brand.VISA if number.startswith('4') else Brand.OTHER\n"
)
CARDS_TEST = (
    "from app.cards import Brand, Card\n\ndef test_brand():\n"
    "    assert Card('4').brand is Brand.VISA\n"
)


def test_identity_checks_only_tests_make_do_not_force_restart(tmp_path: Path) -> None:
    # pydantic 1.10.18: PaymentCardBrand(str, Enum) is compared with `is` only by a test.
    repo = Repo(
        tmp_path / "repo", {**LIBRARY, "app/cards.py": CARDS, "tests/test_cards.py": CARDS_TEST}
    )
    repo.write({"app/cards.py": CARDS + "\nVERSION = 2\n"})
    code, plan = repo.plan()
    assert (code, modules(plan), plan["restart_reasons"]) == (0, ["app.cards"], [])
    _, out = lint(repo.root, "--select", "RL104", "--output-format", "concise")
    assert "app/cards.py:3:7: RL104" in out  # the linter still reports it
    # The application's own `is` check is an identity use a reload breaks.
    own = CARDS + "\ndef is_visa(card):\n    return card.brand is Brand.VISA\n"
    repo = Repo(tmp_path / "app", {**LIBRARY, "app/cards.py": own})
    repo.write({"app/cards.py": own + "\nVERSION = 2\n"})
    code, plan = repo.plan()
    assert code == 1 and codes(plan["restart_reasons"]) == ["RL104"]


TOOL = "def pretty(x):\n    return repr(x)\n\nif __name__ == '__main__':\n    print(pretty(1))\n"


def test_a_demo_main_block_of_an_imported_module_does_not_force_restart(tmp_path: Path) -> None:
    # rich 13.9: rich.traceback's demo block changed; the process imported rich.traceback
    # (rich.logging does), it did not start from it.
    files = {**LIBRARY, "app/tool.py": TOOL, "app/core.py": "from app.tool import pretty\n"}
    repo = Repo(tmp_path / "repo", files)
    repo.write({"app/tool.py": TOOL.replace("pretty(1)", "pretty(2)")})
    code, plan = repo.plan()
    assert (code, plan["restart_reasons"]) == (0, [])
    # A module nothing imports is a script: its main block is how the process started.
    repo = Repo(tmp_path / "script", {**LIBRARY, "app/tool.py": TOOL})
    repo.write({"app/tool.py": TOOL.replace("pretty(1)", "pretty(2)")})
    code, plan = repo.plan()
    assert code == 1 and codes(plan["restart_reasons"]) == ["RL503"]


def test_a_removed_module_nothing_uses_after_the_reload_does_not_force_restart(
    tmp_path: Path,
) -> None:
    # httpx 0.28 dropped httpx._compat; every module that imported it is reloaded.
    compat = "def zstd():\n    return None\n"
    core = "from app._compat import zstd\n\ndef decoders():\n    return [zstd()]\n"
    repo = Repo(tmp_path / "repo", {**LIBRARY, "app/_compat.py": compat, "app/core.py": core})
    repo.delete("app/_compat.py")
    repo.write({"app/core.py": "def decoders():\n    return []\n"})
    code, plan = repo.plan()
    assert (code, modules(plan), plan["restart_reasons"]) == (0, ["app.core"], [])
    # A module the plan does not reload still imports it: it keeps using the old one.
    files = {**LIBRARY, "app/_compat.py": compat, "app/core.py": core, "app/cli.py": core}
    repo = Repo(tmp_path / "kept", files)
    repo.delete("app/_compat.py")
    repo.write({"app/core.py": "def decoders():\n    return []\n"})
    code, plan = repo.plan()
    assert code == 1 and codes(plan["restart_reasons"]) == ["RL501"]


# -- RL401: state the application changes, not its tests --------------------------------

PORTS = (
    "PORT_BY_SCHEME = {'http': 80, 'https': 443}\n\n"
    "def port(scheme):\n    return PORT_BY_SCHEME[scheme]\n"
)
PATCHING_TEST = (
    "from app import ports\n\ndef test_port():\n"
    "    ports.PORT_BY_SCHEME['http+unix'] = 0\n    assert ports.port('http+unix') == 0\n"
)


def test_module_state_only_tests_change_does_not_force_restart(tmp_path: Path) -> None:
    # urllib3 2.2.3: a test writes `port_by_scheme[...]`; the library only reads it.
    repo = Repo(
        tmp_path / "repo", {**LIBRARY, "app/ports.py": PORTS, "tests/test_ports.py": PATCHING_TEST}
    )
    repo.write({"app/ports.py": PORTS + "\ndef ports():\n    return sorted(PORT_BY_SCHEME)\n"})
    code, plan = repo.plan()
    assert (code, modules(plan), plan["restart_reasons"]) == (0, ["app.ports"], [])
    _, out = lint(repo.root, "--select", "RL401", "--output-format", "concise")
    assert "RL401" not in out  # tree mode agrees: a test's patch is not state (scope.py)
    # The same state changed by the application's own code is state a reload resets.
    registering = "from app import ports\n\nports.PORT_BY_SCHEME['ws'] = 80\n"
    repo = Repo(tmp_path / "app", {**LIBRARY, "app/ports.py": PORTS, "app/web.py": registering})
    repo.write({"app/ports.py": PORTS + "\ndef ports():\n    return sorted(PORT_BY_SCHEME)\n"})
    code, plan = repo.plan()
    assert code == 1 and codes(plan["restart_reasons"]) == ["RL401"]


def test_a_broken_changed_test_file_does_not_block_the_plan(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", LIBRARY)
    repo.write({"tests/test_core.py": "def broken(:\n", "app/core.py": "X = 2\n"})
    code, plan = repo.plan()
    assert (code, modules(plan)) == (0, ["app.core"])


# -- registrations through first-party functions ----------------------------------------

REGISTRY = (
    "HANDLERS = globals().get('HANDLERS', {})\n\n"
    "def register(func):\n    HANDLERS[func.__name__] = func\n    return func\n\n"
    "def dispatch(name):\n    return HANDLERS[name]()\n"
)
HANDLERS_V1 = (
    "from app.registry import register\n\n"
    "@register\ndef greet():\n    return 'hello v1'\n\n"
    "@register\ndef legacy():\n    return 'legacy v1'\n"
)
HANDLERS_V2 = (
    "from app.registry import register\n\n@register\ndef greet():\n    return 'hello v2'\n"
)


def test_a_removed_registered_function_is_named_and_forces_restart(tmp_path: Path) -> None:
    repo = Repo(
        tmp_path / "repo", {**PACKAGE, "app/registry.py": REGISTRY, "app/handlers.py": HANDLERS_V1}
    )
    live = LiveProcess(repo.root, ["app.registry", "app.handlers"])  # runs v1
    try:
        repo.write({"app/handlers.py": HANDLERS_V2})
        code, plan = repo.plan()
        assert code == 1 and codes(plan["restart_reasons"]) == ["still-registered"]
        [reason] = plan["restart_reasons"]
        assert "`app.handlers.legacy`" in reason["message"]
        assert "`app.registry.register`" in reason["message"]
        assert (reason["path"], reason["line"]) == ("app/handlers.py", 7)
        # The hazard: applied anyway, the upgrade leaves `legacy` registered, running v1.
        forced = {**plan, "verdict": "hot", "restart_reasons": []}
        for group in forced["groups"]:
            for module in group["modules"]:
                module["action"], module["reasons"] = "reload", []
        check = "answer['handled'] = [app_registry.dispatch(n) for n in ('greet', 'legacy')]"
        answer = live.apply(forced, check)
    finally:
        live.close()
    assert answer["raised"] is None
    assert answer["handled"] == ["hello v2", "legacy v1"]


def test_a_function_still_registered_under_its_name_is_no_reason(tmp_path: Path) -> None:
    repo = Repo(
        tmp_path / "repo", {**PACKAGE, "app/registry.py": REGISTRY, "app/handlers.py": HANDLERS_V1}
    )
    repo.write({"app/handlers.py": HANDLERS_V1.replace("v1", "v2")})
    code, plan = repo.plan()
    assert (code, plan["restart_reasons"]) == (0, [])
