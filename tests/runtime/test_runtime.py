"""The runtime, proven with real reloads of little packages written under tmp_path.

Every plan a test applies is first validated against ``plan.schema.json``, so
the schema and the runtime cannot drift apart unnoticed.
"""

from __future__ import annotations

import ast
import copy
import gc
import hashlib
import importlib
import json
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from reloadlint import runtime
from reloadlint.runtime import (
    PlanRefused,
    RuntimeUpgradeError,
    UpgradeError,
    apply_plan,
    record_loaded,
    upgrade,
)

VALIDATOR = jsonschema.Draft202012Validator(json.loads(runtime.SCHEMA_PATH.read_text()))


class Project:
    """A throwaway source tree on ``sys.path`` whose modules can be rewritten."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.history: dict[str, list[str]] = {}  # module -> sha256 of each version written
        self._clock = 1_700_000_000

    def write(self, module: str, source: str, *, package: bool = False) -> None:
        """Write (a new version of) ``module``; its parent packages must exist."""
        relpath = Path(*module.split(".")) / "__init__.py" if package else None
        path = self.root / (relpath or Path(*module.split(".")).with_suffix(".py"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
        # Strictly increasing mtimes: cached bytecode of an older version is never trusted.
        self._clock += 10
        os.utime(path, (self._clock, self._clock))
        self.history.setdefault(module, []).append(hashlib.sha256(path.read_bytes()).hexdigest())

    def entry(
        self, module: str, *, migrate: tuple[tuple[str, Any, Any], ...] = (), why: str = "changed"
    ) -> dict[str, Any]:
        """A plan entry for ``module``: base is the previous version written, new the last."""
        shas = self.history[module]
        is_package = (self.root / Path(*module.split(".")) / "__init__.py").exists()
        path = "/".join(module.split(".")) + ("/__init__.py" if is_package else ".py")
        return {
            "module": module,
            "path": path,
            "action": "reload+migrate" if migrate else "reload",
            "why": why,
            "base_sha256": None if why == "added" else shas[-2 if len(shas) > 1 else -1],
            "new_sha256": shas[-1],
            "migrate": [{"class": c, "old_vsn": old, "new_vsn": new} for c, old, new in migrate],
            "reasons": [],
        }


def make_plan(*entries: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """A schema-valid plan reloading ``entries`` in order (one group each)."""
    plan = {
        "schema_version": 1,
        "tool": {"name": "reloadlint", "version": "0.1.0"},
        "base": {"rev": "HEAD~1", "commit": "0123456789abcdef0123456789abcdef01234567"},
        "verdict": "hot",
        "groups": [{"cycle": False, "modules": [entry]} for entry in entries],
        "restart_reasons": [],
        "not_done": [],
        **overrides,
    }
    VALIDATOR.validate(plan)
    return plan


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    """A project on sys.path; every module it imported is forgotten afterwards."""
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(runtime, "_LOADED_SHA256", {})
    before = set(sys.modules)
    proj = Project(tmp_path)
    proj.write("shop", "", package=True)
    yield proj
    for name in set(sys.modules) - before:
        del sys.modules[name]


SESSION_V1 = """
    class Session:
        __vsn__ = 1

        def __init__(self, user):
            self.user = user
"""

SESSION_V2 = """
    class Session:
        __vsn__ = 2

        def __init__(self, user):
            self.user = user
            self.items = []

        def __code_change__(self, old_vsn, extra):
            if old_vsn == 1:
                self.items = list(extra["seed"])

        def add(self, item):
            self.items.append(item)
            return len(self.items)
"""


def test_live_instance_keeps_its_data_and_gains_the_new_field(project: Project) -> None:
    project.write("shop.cart", SESSION_V1)
    cart = importlib.import_module("shop.cart")
    old_class, live = cart.Session, cart.Session("ada")
    project.write("shop.cart", SESSION_V2)

    plan = make_plan(project.entry("shop.cart", migrate=(("Session", 1, 2),)))
    report = apply_plan(plan, extra={"seed": ["tea"]})

    assert cart.Session is not old_class
    assert type(live) is cart.Session
    assert live.user == "ada"
    assert live.items == ["tea"]
    assert live.add("jam") == 2
    assert report.completed
    assert report.modules_reloaded == ["shop.cart"]
    session = report.for_class("shop.cart.Session")
    assert (session.old_vsn, session.new_vsn, session.repointed, session.migrated) == (1, 2, 1, 1)
    assert report.hooks_called == 1


def test_class_without_vsn_bump_is_repointed_without_migration(project: Project) -> None:
    project.write(
        "shop.greet",
        """
        class Greeter:
            __vsn__ = 1
            def __init__(self, name):
                self.name = name
            def hello(self):
                return "hi " + self.name
            def __code_change__(self, old_vsn, extra):
                raise AssertionError("no version bump, no migration")

        class Plain:
            def kind(self):
                return "old"
        """,
    )
    greet = importlib.import_module("shop.greet")
    greeter, plain = greet.Greeter("ada"), greet.Plain()
    project.write(
        "shop.greet",
        """
        class Greeter:
            __vsn__ = 1
            def __init__(self, name):
                self.name = name
            def hello(self):
                return "hello " + self.name
            def shout(self):
                return self.hello().upper()
            def __code_change__(self, old_vsn, extra):
                raise AssertionError("no version bump, no migration")

        class Plain:
            def kind(self):
                return "new"
        """,
    )

    report = apply_plan(make_plan(project.entry("shop.greet")))

    assert type(greeter) is greet.Greeter and type(plain) is greet.Plain
    assert greeter.shout() == "HELLO ADA"
    assert plain.kind() == "new"
    assert [(c.name, c.repointed, c.hooks_called) for c in report.classes] == [
        ("shop.greet.Greeter", 1, 0),
        ("shop.greet.Plain", 1, 0),
    ]


LOGGED_V1 = """
    from shop import log
    log.events.append("{name} v1 executed")
    VERSION = 1

    def f():
        return 1

    class Thing:
        pass
"""


@pytest.mark.parametrize(
    "broken",
    ["def f(:\n    pass\n", "return 42\n", "nonlocal x\n"],
    ids=["parse-error", "return-outside-function", "module-nonlocal"],
)
def test_failing_compile_leaves_every_module_untouched(project: Project, broken: str) -> None:
    project.write("shop.log", "events = []\n")
    project.write("shop.a", LOGGED_V1.format(name="a"))
    project.write("shop.b", LOGGED_V1.format(name="b"))
    log, a = importlib.import_module("shop.log"), importlib.import_module("shop.a")
    importlib.import_module("shop.b")
    old_f, thing = a.f, a.Thing()
    project.write("shop.a", "VERSION = 2\ndef f():\n    return 2\nclass Thing:\n    pass\n")
    project.write("shop.b", broken)

    with pytest.raises(PlanRefused) as refused:
        apply_plan(make_plan(project.entry("shop.a"), project.entry("shop.b")))

    assert "shop.b: does not compile" in str(refused.value)
    assert "nothing was changed" in str(refused.value)
    assert log.events == ["a v1 executed", "b v1 executed"]  # neither module ran again
    assert (a.VERSION, a.f, type(thing)) == (1, old_f, a.Thing)


def test_restart_plan_is_refused(project: Project) -> None:
    project.write("shop.worker", "def loop():\n    while True:\n        pass\n")
    worker = importlib.import_module("shop.worker")
    old_loop = worker.loop
    project.write("shop.worker", "def loop():\n    while True:\n        print()\n")
    entry = project.entry("shop.worker")
    reason = {"code": "RL404", "message": "loop changed", "path": "shop/worker.py", "line": 1}
    entry.update(action="restart", reasons=[reason])

    with pytest.raises(PlanRefused) as refused:
        apply_plan(make_plan(entry, verdict="restart", restart_reasons=[reason]))

    assert "verdict is restart" in str(refused.value)
    assert "RL404: loop changed" in str(refused.value)
    assert worker.loop is old_loop


def test_unknown_schema_version_is_refused(project: Project) -> None:
    project.write("shop.cart", SESSION_V1)
    cart = importlib.import_module("shop.cart")
    old_class = cart.Session
    project.write("shop.cart", SESSION_V2)
    future = make_plan(project.entry("shop.cart", migrate=(("Session", 1, 2),)))
    future["schema_version"] = 2

    assert not VALIDATOR.is_valid(future)
    with pytest.raises(PlanRefused, match="unknown schema_version 2"):
        apply_plan(future)
    assert cart.Session is old_class


def test_new_sha_mismatch_is_refused(project: Project) -> None:
    project.write("shop.cart", SESSION_V1)
    cart = importlib.import_module("shop.cart")
    old_class = cart.Session
    project.write("shop.cart", SESSION_V2)
    plan = make_plan(project.entry("shop.cart", migrate=(("Session", 1, 2),)))
    project.write(
        "shop.cart", textwrap.dedent(SESSION_V2) + "\nX = 'edited after the plan was made'\n"
    )

    with pytest.raises(PlanRefused, match="is not the plan's new version"):
        apply_plan(plan)
    assert cart.Session is old_class


def test_base_sha_must_match_what_the_process_recorded(project: Project) -> None:
    project.write("shop.cart", SESSION_V1)
    cart = importlib.import_module("shop.cart")
    record_loaded("shop.cart")
    old_class = cart.Session
    project.write("shop.cart", SESSION_V2)
    plan = make_plan(project.entry("shop.cart", migrate=(("Session", 1, 2),)))
    wrong_base = copy.deepcopy(plan)
    wrong_base["groups"][0]["modules"][0]["base_sha256"] = "0" * 64

    with pytest.raises(PlanRefused, match="the process loaded sha256"):
        apply_plan(wrong_base)
    assert cart.Session is old_class

    report = apply_plan(plan, extra={"seed": []})
    assert not any("not verified" in note for note in report.notes)


def test_after_an_upgrade_the_new_source_counts_as_loaded(project: Project) -> None:
    project.write("shop.cart", SESSION_V1)
    importlib.import_module("shop.cart")
    record_loaded("shop.cart")
    project.write("shop.cart", SESSION_V2)
    apply_plan(make_plan(project.entry("shop.cart", migrate=(("Session", 1, 2),))), extra={})
    project.write("shop.cart", textwrap.dedent(SESSION_V2) + "\nVERSION = 3\n")

    report = apply_plan(make_plan(project.entry("shop.cart")))  # base is v2 now

    assert report.modules_reloaded == ["shop.cart"]


def test_unrecorded_base_is_reported_as_unverified(project: Project) -> None:
    project.write("shop.cart", SESSION_V1)
    importlib.import_module("shop.cart")
    project.write("shop.cart", SESSION_V2)

    report = apply_plan(
        make_plan(project.entry("shop.cart", migrate=(("Session", 1, 2),))), extra={"seed": []}
    )

    assert "shop.cart: base not verified (record_loaded() was not called)" in report.notes


def test_subclasses_and_instances_held_in_containers_are_migrated(project: Project) -> None:
    project.write(
        "shop.models",
        """
        class Account:
            __vsn__ = 1
            def __init__(self, owner):
                self.owner = owner

        class Premium(Account):
            pass
        """,
    )
    store_source = """
        from shop import models

        class Business(models.Account):
            def __init__(self, owner, vat):
                super().__init__(owner)
                self.vat = vat

        class Holder:
            def __init__(self, item):
                self.item = item
    """
    project.write("shop.store", store_source)
    models, store = importlib.import_module("shop.models"), importlib.import_module("shop.store")
    in_list = [models.Account("list")]
    in_dict = {"key": models.Premium("dict")}
    deep = {"rows": [(models.Account("tuple"),)]}
    holder = store.Holder(store.Business("attr", vat="FR1"))
    project.write(
        "shop.models",
        """
        class Account:
            __vsn__ = 2
            def __init__(self, owner):
                self.owner = owner
                self.balance = 0
            def __code_change__(self, old_vsn, extra):
                self.balance = 0
                self.migrated_from = old_vsn
            def deposit(self, amount):
                self.balance += amount
                return self.balance

        class Premium(Account):
            pass
        """,
    )

    plan = make_plan(
        project.entry("shop.models", migrate=(("Account", 1, 2), ("Premium", 1, 2))),
        project.entry("shop.store", why="imports-changed-names-by-value"),
    )
    report = apply_plan(plan)

    migrated = [in_list[0], in_dict["key"], deep["rows"][0][0], holder.item]
    assert [type(obj) for obj in migrated] == [
        models.Account,
        models.Premium,
        models.Account,
        store.Business,
    ]
    assert all(obj.migrated_from == 1 and obj.deposit(5) == 5 for obj in migrated)
    assert [obj.owner for obj in migrated] == ["list", "dict", "tuple", "attr"]
    assert holder.item.vat == "FR1"
    assert type(holder) is store.Holder
    counts = {c.name: (c.repointed, c.migrated) for c in report.classes}
    assert counts == {
        "shop.models.Account": (2, 2),
        "shop.models.Premium": (1, 1),
        "shop.store.Business": (1, 1),
        "shop.store.Holder": (1, 0),
    }


def test_subclass_outside_the_reloaded_modules_is_a_problem(project: Project) -> None:
    project.write("shop.cart", SESSION_V1)
    project.write("shop.legacy", "from shop import cart\nclass Old(cart.Session):\n    pass\n")
    legacy = importlib.import_module("shop.legacy")
    project.write("shop.cart", SESSION_V2)

    plan = make_plan(project.entry("shop.cart", migrate=(("Session", 1, 2),)))
    report = apply_plan(plan, extra={"seed": []})

    assert not issubclass(legacy.Old, sys.modules["shop.cart"].Session)  # what the problem says
    assert report.problems == [
        "shop.legacy.Old is not reloaded and still derives from the old shop.cart.Session"
    ]
    assert not report.completed and not report.ok
    assert str(report).startswith("upgrade INCOMPLETE: 1 problem(s) leave the process")


def test_code_change_failure_names_class_and_versions_and_lists_done_steps(
    project: Project,
) -> None:
    project.write(
        "shop.jobs", "class Job:\n    __vsn__ = 1\n    def __init__(self, n):\n        self.n = n\n"
    )
    jobs = importlib.import_module("shop.jobs")
    live = [jobs.Job(1), jobs.Job(2), jobs.Job(3)]
    project.write(
        "shop.jobs",
        """
        class Job:
            __vsn__ = 2
            def __code_change__(self, old_vsn, extra):
                if self.n == 2:
                    raise ValueError("cannot migrate job 2")
                self.retries = 0
        """,
    )

    with pytest.raises(UpgradeError) as failed:
        apply_plan(make_plan(project.entry("shop.jobs", migrate=(("Job", 1, 2),))))

    message = str(failed.value)
    assert "shop.jobs.Job (vsn 1 -> 2): 1 of 3 instance(s) failed, 2 migrated" in message
    assert "ValueError('cannot migrate job 2')" in message
    assert "there is no undo" in message
    assert isinstance(failed.value.__cause__, ValueError)
    report = failed.value.report
    assert not report.completed
    assert report.steps[1:] == [
        "reloaded shop.jobs",
        "re-pointed 3 instance(s) of shop.jobs.Job",
        "called __code_change__(1, extra) on 3 instance(s) of shop.jobs.Job: 2 migrated, 1 failed",
    ]
    assert [getattr(job, "retries", None) for job in live] == [0, None, 0]


def test_garbage_instances_are_not_migrated(project: Project) -> None:
    project.write("shop.cart", SESSION_V1)
    cart = importlib.import_module("shop.cart")
    live = cart.Session("ada")
    gc.disable()  # keep the cycle below alive until the runtime collects it
    try:
        first, second = cart.Session("garbage-1"), cart.Session("garbage-2")
        first.other, second.other = second, first
        del first, second
        project.write("shop.cart", SESSION_V2)
        report = apply_plan(
            make_plan(project.entry("shop.cart", migrate=(("Session", 1, 2),))), extra={"seed": []}
        )
    finally:
        gc.enable()

    assert report.for_class("shop.cart.Session").migrated == 1
    assert live.items == []


def test_reload_that_raises_stops_and_says_what_ran(project: Project) -> None:
    project.write("shop.a", "A = 1\n")
    project.write("shop.b", "B = 1\n")
    a, b = importlib.import_module("shop.a"), importlib.import_module("shop.b")
    project.write("shop.a", "A = 2\nraise RuntimeError('boom at import')\n")
    project.write("shop.b", "B = 2\n")

    with pytest.raises(UpgradeError, match=r"not reloaded: shop\.b") as failed:
        apply_plan(make_plan(project.entry("shop.a"), project.entry("shop.b")))

    assert failed.value.report.modules_reloaded == []
    assert "FAILED reloading shop.a: RuntimeError('boom at import')" in failed.value.report.steps
    assert (a.A, b.B) == (2, 1)  # a half ran, b never did


def test_slots_layout_change_with_live_instances_is_refused_in_preflight(
    project: Project,
) -> None:
    project.write("shop.geo", "class Point:\n    __slots__ = ('x',)\n")
    geo = importlib.import_module("shop.geo")
    old_class, point = geo.Point, geo.Point()
    point.x = 1
    project.write("shop.geo", "class Point:\n    __slots__ = ('x', 'y')\n")

    with pytest.raises(PlanRefused) as refused:
        apply_plan(make_plan(project.entry("shop.geo")))

    assert refused.value.problems == [
        "shop.geo.Point: 1 live instance(s) cannot be re-pointed at the new class: its "
        "`__slots__` change from (x) to (x, y): 'Point' object layout differs from 'Point'; "
        "restart to upgrade them"
    ]
    assert geo.Point is old_class and type(point) is old_class
    del point  # without live instances the same plan applies
    report = apply_plan(make_plan(project.entry("shop.geo")))
    assert report.ok and geo.Point.__slots__ == ("x", "y")


def test_layout_change_preflight_cannot_predict_is_a_problem_not_hidden(project: Project) -> None:
    # The new base adds a slot: the class's own __slots__ are the same, its layout is not.
    project.write("shop.geo", "class Point:\n    __slots__ = ('x',)\n")
    geo = importlib.import_module("shop.geo")
    old_class, point = geo.Point, geo.Point()
    point.x = 1
    project.write(
        "shop.geo",
        "class Base:\n    __slots__ = ('z',)\n\nclass Point(Base):\n    __slots__ = ('x',)\n",
    )

    report = apply_plan(make_plan(project.entry("shop.geo")))

    assert type(point) is old_class and point.x == 1
    assert report.for_class("shop.geo.Point").not_repointed == 1
    assert report.problems == [
        "1 instance(s) of shop.geo.Point keep the old class: "
        "TypeError: __class__ assignment: 'Point' object layout differs from 'Point'"
    ]
    assert not report.ok and not report.completed
    assert "problem: 1 instance(s) of shop.geo.Point keep the old class" in str(report)


def test_migration_from_a_version_the_process_does_not_run_is_refused(project: Project) -> None:
    project.write("shop.cart", SESSION_V1)
    cart = importlib.import_module("shop.cart")
    old_class = cart.Session
    project.write("shop.cart", SESSION_V2)

    with pytest.raises(PlanRefused, match="does not run the plan's base"):
        apply_plan(make_plan(project.entry("shop.cart", migrate=(("Session", 7, 8),))))
    assert cart.Session is old_class


def test_unresolvable_top_level_import_is_refused(project: Project) -> None:
    project.write("shop.cart", SESSION_V1)
    cart = importlib.import_module("shop.cart")
    old_class = cart.Session
    project.write(
        "shop.cart",
        "try:\n    import optional_speedups_xyz\nexcept ImportError:\n    pass\n"
        "import shop.nowhere_xyz\n" + textwrap.dedent(SESSION_V2),
    )

    with pytest.raises(PlanRefused) as refused:
        apply_plan(make_plan(project.entry("shop.cart", migrate=(("Session", 1, 2),))))

    assert refused.value.problems == [
        "shop.cart: line 5: imports `shop.nowhere_xyz`, which cannot be found"
    ]
    assert cart.Session is old_class


def test_listed_module_the_process_never_imported_is_skipped(project: Project) -> None:
    project.write("shop.cart", "X = 1\n")
    cart = importlib.import_module("shop.cart")
    project.write("shop.cart", "X = 2\n")
    project.write("shop.extra", "Y = 1\n")

    plan = make_plan(project.entry("shop.extra", why="added"), project.entry("shop.cart"))
    report = apply_plan(plan)

    assert report.modules_skipped == ["shop.extra"]
    assert "shop.extra" not in sys.modules
    assert (report.modules_reloaded, cart.X) == (["shop.cart"], 2)


def test_plan_is_accepted_as_json_text_or_as_a_path(project: Project, tmp_path: Path) -> None:
    project.write("shop.cart", "X = 1\n")
    cart = importlib.import_module("shop.cart")
    project.write("shop.cart", "X = 2\n")
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(make_plan(project.entry("shop.cart"))))

    apply_plan(str(plan_path))
    assert cart.X == 2
    project.write("shop.cart", "X = 3\n")
    apply_plan(json.dumps(make_plan(project.entry("shop.cart"))))
    assert cart.X == 3


def test_report_reads_well(project: Project) -> None:
    project.write("shop.cart", SESSION_V1)
    cart = importlib.import_module("shop.cart")
    _live = cart.Session("ada")
    project.write("shop.cart", SESSION_V2)
    not_done = [{"kind": "workers-not-started", "message": "shop.worker.loop keeps running"}]

    plan = make_plan(project.entry("shop.cart", migrate=(("Session", 1, 2),)), not_done=not_done)
    text = str(apply_plan(plan, extra={"seed": []}))

    assert text.splitlines()[:3] == [
        "upgrade complete",
        "  modules reloaded (1): shop.cart",
        "  shop.cart.Session: 1 instance(s) re-pointed, vsn 1 -> 2, 1 migrated by __code_change__",
    ]
    assert "  note: plan: not done: workers-not-started: shop.worker.loop keeps running" in text


def test_enum_members_keep_their_class_and_say_so(project: Project) -> None:
    project.write("shop.colors", "import enum\nclass Color(enum.Enum):\n    RED = 1\n")
    colors = importlib.import_module("shop.colors")
    old_class, favourite = colors.Color, colors.Color.RED
    project.write(
        "shop.colors", "import enum\nclass Color(enum.Enum):\n    RED = 1\n    BLUE = 2\n"
    )

    report = apply_plan(make_plan(project.entry("shop.colors")))

    assert type(favourite) is old_class and colors.Color is not old_class
    assert "shop.colors.Color: enum members and classes keep their old class" in report.notes
    assert report.classes == []


def test_upgrade_reloads_dependencies_before_dependents(project: Project) -> None:
    project.write("shop.rates", "def rate():\n    return 1\n")
    project.write("shop.db", "from shop.rates import rate\ndef connect():\n    return rate()\n")
    project.write("shop.api", "from shop import db\nconnect = db.connect\n")
    api = importlib.import_module("shop.api")
    project.write("shop.rates", "def rate():\n    return 2\n")

    report = upgrade("shop.db", api, "shop.rates")  # neither given nor reversed order works

    assert report.modules_reloaded == ["shop.rates", "shop.db", "shop.api"]
    assert api.connect() == 2  # each module re-bound its by-value name after its dependency


def test_removed_alias_does_not_hide_the_new_class(project: Project) -> None:
    project.write(
        "shop.cart",
        "Default = None\nclass Session:\n    pass\nDefault = Session\n",
    )
    cart = importlib.import_module("shop.cart")
    live = cart.Session()
    project.write("shop.cart", "class Session:\n    def ping(self):\n        return 'pong'\n")

    apply_plan(make_plan(project.entry("shop.cart")))

    assert cart.Default is not cart.Session  # the alias lingers with the old class...
    assert live.ping() == "pong"  # ...but the instance moved to the class named Session


def test_upgrade_migrates_without_a_plan(project: Project) -> None:
    project.write("shop.cart", SESSION_V1)
    cart = importlib.import_module("shop.cart")
    live = cart.Session("ada")
    project.write("shop.cart", SESSION_V2)

    report = upgrade(cart, extra={"seed": ["tea"]})

    assert (live.user, live.items) == ("ada", ["tea"])
    assert report.hooks_called == 1


def test_upgrade_refuses_a_module_that_is_not_imported(project: Project) -> None:
    project.write("shop.cart", "X = 1\n")
    with pytest.raises(PlanRefused, match=r"shop\.cart: not imported in this process"):
        upgrade("shop.cart")
    assert "shop.cart" not in sys.modules


def test_upgrades_never_interleave(project: Project) -> None:
    project.write("shop.cart", "X = 1\n")
    cart = importlib.import_module("shop.cart")
    project.write("shop.cart", "X = 2\n")
    finished = threading.Event()

    def upgrade_then_signal() -> None:
        upgrade(cart)
        finished.set()

    worker = threading.Thread(target=upgrade_then_signal)

    with runtime._LOCK:  # as if another upgrade were in progress
        worker.start()
        assert not finished.wait(0.3)
        assert cart.X == 1
    worker.join(timeout=10)
    assert finished.is_set() and cart.X == 2


def test_refusal_and_failure_share_a_base_class() -> None:
    assert issubclass(PlanRefused, RuntimeUpgradeError)
    assert issubclass(UpgradeError, RuntimeUpgradeError)


def test_runtime_imports_nothing_else_from_reloadlint() -> None:
    code = (
        "import sys, reloadlint.runtime\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'reloadlint'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    imported = ast.literal_eval(out.stdout)
    assert {"reloadlint", "reloadlint.runtime", "reloadlint._runtime"} <= set(imported)
    assert [
        m for m in imported if not m.startswith(("reloadlint.runtime", "reloadlint._runtime"))
    ] == ["reloadlint"]


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(VALIDATOR.schema)


def _module(**fields: Any) -> dict[str, Any]:
    entry = {
        "module": "app.db",
        "path": "src/app/db.py",
        "action": "reload",
        "why": "changed",
        "base_sha256": "a" * 64,
        "new_sha256": "b" * 64,
        "migrate": [],
        "reasons": [],
    }
    return {**entry, **fields}


@pytest.mark.parametrize(
    ("change", "valid"),
    [
        ({}, True),
        ({"restart_reasons": [{"code": "RL501", "message": "gone"}]}, False),
        ({"groups": [{"cycle": False, "modules": [_module(action="restart")]}]}, False),
        ({"verdict": "restart", "restart_reasons": []}, False),
        ({"groups": [{"cycle": False, "modules": [_module(action="reload+migrate")]}]}, False),
        ({"groups": [{"cycle": False, "modules": [_module(why="added")]}]}, False),
        ({"groups": [{"cycle": False, "modules": [_module(), _module(module="app.api")]}]}, False),
        ({"groups": [{"cycle": True, "modules": [_module(), _module(module="app.api")]}]}, True),
        ({"groups": [{"cycle": False, "modules": [_module(new_sha256="XYZ")]}]}, False),
        ({"verdict": "maybe"}, False),
        ({"extra_field": 1}, False),
    ],
    ids=[
        "minimal-hot",
        "hot-with-restart-reasons",
        "hot-with-restart-module",
        "restart-without-reasons",
        "migrate-action-without-classes",
        "added-module-with-base-hash",
        "two-modules-not-marked-cycle",
        "cycle-group",
        "bad-hash",
        "unknown-verdict",
        "unknown-field",
    ],
)
def test_schema_encodes_the_plan_invariants(change: dict[str, Any], valid: bool) -> None:
    plan = {
        "schema_version": 1,
        "tool": {"name": "reloadlint", "version": "0.1.0"},
        "base": {"rev": "HEAD~1", "commit": "0123456789abcdef0123456789abcdef01234567"},
        "verdict": "hot",
        "groups": [{"cycle": False, "modules": [_module()]}],
        "restart_reasons": [],
        "not_done": [],
        **change,
    }
    assert VALIDATOR.is_valid(plan) is valid
