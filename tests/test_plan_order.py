"""The order of a reload plan, proven by applying it to a live process that runs v1.

A plan's order is right when every by-value binding a reload re-executes
(``from M import name``, a base class, a package re-export) reaches the new
object: a module after the modules whose names it binds. Import statements
that bind a module object (``from . import util``) do not order anything.
Where the binding edges form a cycle, no order works and the plan says
``restart``, naming the cycle.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from liveproc import LiveProcess
from test_plan import Repo, entry, isolated_git, modules  # noqa: F401 (autouse fixture)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def groups(plan: dict) -> list[list[str]]:
    return [[m["module"] for m in g["modules"]] for g in plan["groups"]]


# -- the repro of issue 14: `from . import util` is not a dependency on the package ------

PKG_V1 = {
    "pkg/__init__.py": "from .api import greet\n",
    "pkg/api.py": "from . import util\n\ndef greet():\n    return util.name('hello')\n",
    "pkg/util.py": "def name(word):\n    return word\n",
}
PKG_V2 = {
    "pkg/__init__.py": "from .api import greet, farewell\n",
    "pkg/api.py": (
        "from . import util\n\ndef greet():\n    return util.name('hello')\n\n"
        "def farewell():\n    return util.name('bye')\n"
    ),
}


def test_submodule_import_is_no_cycle_and_the_package_reloads_after_what_it_reexports(
    tmp_path: Path,
) -> None:
    repo = Repo(tmp_path / "repo", PKG_V1)
    with LiveProcess(repo.root, ["pkg"], "old_greet = pkg.greet") as live:
        repo.write(PKG_V2)
        code, plan = repo.plan()
        assert code == 0
        assert groups(plan) == [["pkg.api"], ["pkg"]]
        answer = live.apply(
            plan,
            "answer['farewell'] = pkg.farewell()\n"
            "answer['greet_is_new'] = pkg.greet is sys.modules['pkg.api'].greet\n"
            "answer['old_greet_replaced'] = old_greet is not pkg.greet\n",
        )
    assert answer["raised"] is None, answer
    assert answer["report"]["ok"] and answer["report"]["problems"] == []
    assert answer["report"]["reloaded"] == ["pkg.api", "pkg"]
    assert (answer["farewell"], answer["greet_is_new"], answer["old_greet_replaced"]) == (
        "bye",
        True,
        True,
    )


# -- real cycles: ordered by the edges that bind at import time ------------------------

CYCLE_V1 = {
    "app/__init__.py": "",
    # a_services sorts first by file, but binds z_models.Base: it must reload after it.
    "app/a_services.py": (
        "from app.z_models import Base\n\n"
        "class Service(Base):\n    def run(self):\n        return 'service ' + self.kind()\n"
    ),
    "app/z_models.py": (
        "import app.a_services\n\n"
        "class Base:\n    def kind(self):\n        return 'v1'\n\n"
        "def make():\n    return app.a_services.Service()\n"
    ),
}


def test_an_import_cycle_is_ordered_by_its_binding_edges(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", CYCLE_V1)
    setup = "live = sys.modules['app.z_models'].make()"
    with LiveProcess(repo.root, ["app.a_services"], setup) as live:
        repo.write({"app/z_models.py": CYCLE_V1["app/z_models.py"].replace("'v1'", "'v2'")})
        code, plan = repo.plan()
        assert code == 0
        assert [(g["cycle"], [m["module"] for m in g["modules"]]) for g in plan["groups"]] == [
            (True, ["app.z_models", "app.a_services"])
        ]
        _, text, _ = repo.run()
        assert "import cycle of 2 modules, reloaded in binding order: app.z_models, " in text
        answer = live.apply(
            plan,
            "models, services = sys.modules['app.z_models'], sys.modules['app.a_services']\n"
            "answer['derives'] = issubclass(services.Service, models.Base)\n"
            "answer['live'] = live.run()\n"
            "answer['live_is_new'] = type(live) is services.Service\n",
        )
    assert answer["raised"] is None, answer
    assert answer["report"]["ok"], answer["report"]["text"]
    assert (answer["derives"], answer["live"], answer["live_is_new"]) == (True, "service v2", True)


REEXPORTED = {
    "pkg/__init__.py": "from pkg.errors import Broken\nfrom pkg.sockets import connect\n",
    "pkg/errors.py": "class Broken(Exception):\n    pass\n",
    "pkg/sockets.py": "from pkg.tls import TLS\n\ndef connect():\n    return TLS().wrap()\n",
    "pkg/tls.py": (
        "from pkg import Broken\n\nclass TLS:\n    def wrap(self):\n        return 'tls1'\n\n"
        "    def fail(self):\n        raise Broken()\n"
    ),
}


def test_reading_an_unchanged_object_through_a_package_orders_nothing(tmp_path: Path) -> None:
    # anyio: `from .. import BrokenResourceError` in anyio.streams.tls, which anyio's
    # package re-exports from an unchanged module: not a binding cycle with the package.
    repo = Repo(tmp_path / "repo", REEXPORTED)
    with LiveProcess(repo.root, ["pkg"], "live = pkg.sockets.TLS()") as live:
        repo.write({"pkg/tls.py": REEXPORTED["pkg/tls.py"].replace("tls1", "tls2")})
        code, plan = repo.plan()
        assert code == 0, plan["restart_reasons"]
        assert modules(plan) == ["pkg.tls", "pkg.sockets", "pkg"]
        answer = live.apply(
            plan,
            "answer['connect'] = pkg.connect()\n"
            "answer['same_error'] = sys.modules['pkg.tls'].Broken is pkg.errors.Broken\n"
            "answer['live'] = live.wrap()\n",
        )
    assert answer["raised"] is None and answer["report"]["ok"], answer
    assert (answer["connect"], answer["same_error"], answer["live"]) == ("tls2", True, "tls2")


BINDING_CYCLE = {
    "app/__init__.py": "",
    "app/a.py": "def f():\n    return 'f1'\n\nfrom app.b import g  # noqa: E402\n",
    "app/b.py": "from app.a import f\n\ndef g():\n    return 'g1'\n",
}


def test_a_cycle_of_binding_edges_forces_restart_naming_it(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", BINDING_CYCLE)
    repo.write({"app/a.py": BINDING_CYCLE["app/a.py"].replace("f1", "f2")})
    code, plan = repo.plan()
    assert code == 1
    assert modules(plan) == ["app.a", "app.b"]
    assert [entry(plan, name)["action"] for name in ("app.a", "app.b")] == ["restart", "restart"]
    [reason] = plan["restart_reasons"]
    assert (reason["code"], reason["path"], reason["line"]) == ("import-cycle", "app/a.py", 4)
    assert reason["message"] == (
        "binding cycle: `app.a` binds `app.b.g` (app/a.py:4), `app.b` binds `app.a.f` "
        "(app/b.py:1): whichever of them reloads first keeps the others' old objects, so no "
        "reload order gives every module the new ones; restart to apply the change"
    )
    _, text, _ = repo.run()
    assert "Verdict: RESTART - 1 reason makes a hot upgrade unsafe" in text


def test_an_import_in_the_main_block_binds_nothing(tmp_path: Path) -> None:
    # rich: `if __name__ == "__main__": from rich.console import Console` in a module
    # that rich.console imports from is not a binding cycle: a reload never runs it.
    files = {
        "app/__init__.py": "",
        "app/log_render.py": (
            "def render():\n    return 'r1'\n\n"
            "if __name__ == '__main__':\n    from app.console import Console\n"
        ),
        "app/console.py": "from app.log_render import render\n\nclass Console:\n    pass\n",
    }
    repo = Repo(tmp_path / "repo", files)
    with LiveProcess(repo.root, ["app.console"]) as live:
        repo.write({"app/log_render.py": files["app/log_render.py"].replace("r1", "r2")})
        code, plan = repo.plan()
        assert (code, groups(plan)) == (0, [["app.log_render"], ["app.console"]])
        answer = live.apply(plan, "answer['render'] = app_console.render()")
    assert answer["raised"] is None and answer["report"]["ok"], answer
    assert answer["render"] == "r2"


def test_the_runtime_refuses_a_binding_cycle_in_either_order(tmp_path: Path) -> None:
    # What the restart verdict protects from: each order leaves one module stale.
    repo = Repo(tmp_path / "repo", BINDING_CYCLE)
    with LiveProcess(repo.root, ["app.a"]) as live:
        repo.write({"app/a.py": BINDING_CYCLE["app/a.py"].replace("f1", "f2")})
        _, plan = repo.plan()
        hot = {**plan, "verdict": "hot", "restart_reasons": []}
        first = hot["groups"][0]["modules"]
        for group in ([first[0], first[1]], [first[1], first[0]]):
            document = {
                **hot,
                "groups": [{"cycle": True, "modules": [{**m, "action": "reload"} for m in group]}],
            }
            answer = live.apply(document, "answer['f'] = sys.modules['app.b'].f()")
            assert answer["raised"] == "PlanRefused", answer
            assert "which is reloaded after" in answer["error"]
            assert answer["f"] == "f1"


# -- moved files: same dotted name, another place --------------------------------------

FLAT = {
    "pyproject.toml": '[project]\nname = "app"\n',
    "app/__init__.py": "from app.db import connect\n",
    "app/db.py": "def connect():\n    return 'v1'\n",
}


@pytest.mark.parametrize("paths", [(), ("src",)], ids=["at-the-root", "src-given"])
def test_a_module_whose_file_moved_forces_restart_saying_so(
    tmp_path: Path, paths: tuple[str, ...]
) -> None:
    repo = Repo(tmp_path / "repo", FLAT)
    (repo.root / "src").mkdir()
    repo.git("mv", "app", "src/app")
    repo.write({"src/app/db.py": "def connect():\n    return 'v2'\n"})
    code, plan = repo.plan(*paths)
    assert code == 1
    assert modules(plan) == ["app.db", "app"]
    assert {entry(plan, name)["action"] for name in ("app", "app.db")} == {"restart"}
    [reason] = plan["restart_reasons"]
    assert (reason["code"], reason["path"]) == ("moved", "src/app/__init__.py")
    assert reason["message"].startswith(
        "2 module(s) moved from `./` to `src/` with their names unchanged (app, app.db): "
        "a running process keeps finding them where it loaded them"
    )


def test_the_runtime_refuses_a_module_that_moved(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", FLAT)
    with LiveProcess(repo.root, ["app"]) as live:
        (repo.root / "src").mkdir()
        repo.git("mv", "app", "src/app")
        repo.write({"src/app/db.py": "def connect():\n    return 'v2'\n"})
        _, plan = repo.plan()
        hot = {**plan, "verdict": "hot", "restart_reasons": []}
        for group in hot["groups"]:
            group["modules"] = [{**m, "action": "reload", "reasons": []} for m in group["modules"]]
        answer = live.apply(hot, "answer['connect'] = app.connect()")
    assert answer["raised"] == "PlanRefused", answer
    assert "where the process loaded it from, is gone" in answer["error"]
    assert answer["connect"] == "v1"


# -- files that cannot be analysed block a plan only when the upgrade runs them --------

BROKEN = "print 'python 2 only'\n"


def test_an_unchanged_unparsable_file_nobody_imports_does_not_block_the_plan(
    tmp_path: Path,
) -> None:
    files = {**FLAT, "app/_py2compat.py": BROKEN}
    repo = Repo(tmp_path / "repo", files)
    with LiveProcess(repo.root, ["app"]) as live:
        repo.write({"app/db.py": "def connect():\n    return 'v2'\n"})
        code, _, err = repo.run("--output-format", "json")
        assert code == 0, err
        assert "app/_py2compat.py:1: RL901 " in err
        assert "not part of the change, left out of the plan" in err
        _, plan = repo.plan()
        assert modules(plan) == ["app.db", "app"]
        answer = live.apply(plan, "answer['connect'] = app.connect()")
    assert answer["raised"] is None and answer["report"]["ok"], answer
    assert answer["connect"] == "v2"


@pytest.mark.parametrize(
    "change",
    [
        {"app/_py2compat.py": BROKEN + "# changed\n"},
        {"app/db.py": "import app._py2compat\n\ndef connect():\n    return 'v2'\n"},
    ],
    ids=["changed", "imported-by-changed-code"],
)
def test_an_unparsable_file_the_upgrade_would_run_blocks_the_plan(
    tmp_path: Path, change: dict[str, str]
) -> None:
    repo = Repo(tmp_path / "repo", {**FLAT, "app/_py2compat.py": BROKEN})
    repo.write(change)
    code, out, err = repo.run()
    assert (code, out) == (2, "")
    assert "cannot plan an upgrade of code that does not load: app/_py2compat.py:1:" in err


def test_a_module_that_became_a_package_did_not_move(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo", FLAT)
    with LiveProcess(repo.root, ["app"]) as live:
        repo.delete("app/db.py")
        repo.write({"app/db/__init__.py": "def connect():\n    return 'v2'\n"})
        code, plan = repo.plan()
        assert (code, modules(plan)) == (0, ["app.db", "app"])
        answer = live.apply(plan, "answer['connect'] = app.connect()")
    assert answer["raised"] is None and answer["report"]["ok"], answer
    assert answer["connect"] == "v2"


# -- ordering inside one import cycle ---------------------------------------------------


def _order_by_scanning(
    component: list[str], hard: dict[str, set[str]], soft: dict[str, set[str]]
) -> list[str]:
    """The rule, spelled out: at each step, among the modules whose binding edges are all
    satisfied (or all left, when none is), the first by (waits for an import, name)."""
    remaining, ordered = set(component), []
    while remaining:
        ready = [m for m in remaining if not hard[m] & remaining] or list(remaining)
        pick = min(ready, key=lambda m: (bool(soft[m] & remaining), m))
        ordered.append(pick)
        remaining.discard(pick)
    return ordered


@pytest.mark.parametrize("seed", range(40))
def test_the_order_inside_a_cycle_follows_the_rule(seed: int) -> None:
    import random

    from reloadlint.plan_graph import _order_inside

    rng = random.Random(seed)
    names = [f"m{i:02d}" for i in range(rng.randint(1, 30))]
    outside = ["z.outside"]
    hard = {m: {d for d in [*names, *outside] if rng.random() < 0.08} for m in names}
    soft = {m: {d for d in [*names, *outside] if rng.random() < 0.15} for m in names}
    component = rng.sample(names, len(names))
    ordered, cycles = _order_inside(component, hard, soft, key=lambda m: m)
    assert ordered == _order_by_scanning(component, hard, soft)
    for cycle in cycles:  # each named binding cycle closes through binding edges
        assert all(cycle[(i + 1) % len(cycle)] in hard[m] for i, m in enumerate(cycle))
