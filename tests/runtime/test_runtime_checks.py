"""The runtime never overstates: preflight refuses what would go wrong, and what it
could not foresee is a problem in the report, never "upgrade complete".

Real reloads of little packages written under tmp_path (the fixtures of
test_runtime.py), each plan validated against the schema.
"""

from __future__ import annotations

import importlib
import sys

import pytest
from test_runtime import Project, make_plan

from reloadlint._runtime import checks
from reloadlint.runtime import PlanRefused, UpgradeError, apply_plan, upgrade

# -- preflight: every binding reaches the new object or an unchanged one ---------------


def test_a_package_reloaded_before_what_it_reexports_is_refused(project: Project) -> None:
    # Issue 14's repro, applied in the order the old planner gave: package first.
    project.write("pkg", "from .api import greet\n", package=True)
    project.write("pkg.util", "def name(word):\n    return word\n")
    project.write("pkg.api", "from . import util\n\ndef greet():\n    return 'hi'\n")
    pkg = importlib.import_module("pkg")
    old_greet = pkg.greet
    project.write("pkg", "from .api import greet, farewell\n", package=True)
    project.write(
        "pkg.api",
        "from . import util\n\ndef greet():\n    return 'hi'\n\n"
        "def farewell():\n    return 'bye'\n",
    )

    with pytest.raises(PlanRefused) as refused:
        apply_plan(make_plan(project.entry("pkg"), project.entry("pkg.api")))

    assert refused.value.problems == [
        "pkg: line 1: imports `greet` from `pkg.api`, which is reloaded after `pkg`: "
        "it would bind the old object",
        "pkg: line 1: imports `farewell` from `pkg.api`, which is reloaded after `pkg`: "
        "its old version lacks it",
    ]
    assert pkg.greet is old_greet and not hasattr(pkg, "farewell")
    report = apply_plan(make_plan(project.entry("pkg.api"), project.entry("pkg")))
    assert report.ok and pkg.farewell() == "bye" and pkg.greet is sys.modules["pkg.api"].greet


def test_a_base_class_from_a_module_reloaded_later_is_refused(project: Project) -> None:
    project.write("pkg", "", package=True)
    project.write("pkg.base", "class Base:\n    pass\n")
    project.write("pkg.child", "import pkg.base\n\nclass Child(pkg.base.Base):\n    pass\n")
    child = importlib.import_module("pkg.child")
    project.write("pkg.base", "class Base:\n    def hello(self):\n        return 'hi'\n")
    project.write("pkg.child", "import pkg.base\n\nclass Child(pkg.base.Base):\n    x = 1\n")

    with pytest.raises(PlanRefused) as refused:
        apply_plan(make_plan(project.entry("pkg.child"), project.entry("pkg.base")))

    assert refused.value.problems == [
        "pkg.child: line 3: `class Child` derives from `Base` from `pkg.base`, which is reloaded "
        "after `pkg.child`: it would bind the old object"
    ]
    assert not hasattr(child.Child, "x")


def test_a_name_the_new_source_does_not_define_is_refused(project: Project) -> None:
    project.write("pkg", "", package=True)
    project.write("pkg.db", "def connect():\n    return 1\n")
    project.write("pkg.views", "from pkg.db import connect\n")
    views = importlib.import_module("pkg.views")
    project.write("pkg.db", "def open_connection():\n    return 2\n")
    project.write("pkg.views", "from pkg.db import connect, open_connection\n")

    with pytest.raises(PlanRefused) as refused:
        apply_plan(make_plan(project.entry("pkg.db"), project.entry("pkg.views")))

    assert refused.value.problems == [
        "pkg.views: line 1: imports `connect` from `pkg.db`, whose new source does not define it"
    ]
    assert views.connect() == 1


def test_an_unreloaded_module_that_holds_an_old_object_is_refused(project: Project) -> None:
    project.write("pkg", "from pkg.models import Thing\n", package=True)
    project.write("pkg.models", "class Thing:\n    pass\n")
    project.write("pkg.views", "from pkg import Thing\n")
    views = importlib.import_module("pkg.views")
    old_thing = views.Thing
    project.write("pkg.models", "class Thing:\n    version = 2\n")
    project.write("pkg.views", "from pkg import Thing\n\nX = 1\n")

    # `pkg` re-exports Thing but is not in the plan: views would bind the old class.
    with pytest.raises(PlanRefused) as refused:
        apply_plan(make_plan(project.entry("pkg.models"), project.entry("pkg.views")))

    assert refused.value.problems == [
        "pkg.views: line 1: imports `Thing` from `pkg`, which is not reloaded and holds the old "
        "`pkg.models.Thing`: reload `pkg` after `pkg.models` too"
    ]
    assert views.Thing is old_thing


def test_a_value_two_modules_share_is_not_taken_for_an_old_object(project: Project) -> None:
    # starlette: `ASGIApp = typing.Callable[...]` in types.py and an equal alias in
    # testclient.py are one object (typing caches it); reloading testclient does not
    # make `from starlette.types import ASGIApp` stale.
    alias = "import typing\n\nApp = typing.Callable[[int], int]\n"
    project.write("pkg", "", package=True)
    project.write("pkg.types", alias)
    project.write("pkg.client", alias + "VERSION = 1\n")
    project.write("pkg.routing", "from pkg.types import App\n")
    importlib.import_module("pkg.client")
    routing = importlib.import_module("pkg.routing")
    project.write("pkg.client", alias + "VERSION = 2\n")
    project.write("pkg.routing", "from pkg.types import App\n\nX = 1\n")

    report = apply_plan(make_plan(project.entry("pkg.client"), project.entry("pkg.routing")))

    assert report.ok and routing.X == 1


def test_an_equal_value_made_again_is_not_stale(project: Project) -> None:
    # httpx: `RequestExtensions = typing.Mapping[str, typing.Any]`, bound by value in
    # httpcore too; the reload makes an equal alias (typing's cache may have let it go).
    source = (
        "import typing\n\nExtensions = typing.Mapping[str, typing.Any]\n"
        "LIMITS = {{'a': 1}}\nV = {}\n"
    )
    project.write("pkg", "", package=True)
    project.write("pkg.client", source.format(1))
    project.write("other", "from pkg.client import Extensions, LIMITS\n", package=True)
    importlib.import_module("other")
    project.write("pkg.client", source.format(2))

    report = apply_plan(make_plan(project.entry("pkg.client")))

    assert report.ok, report.problems


def test_a_value_another_module_made_alike_is_not_stale(project: Project) -> None:
    # httpx 0.28 changed `ResponseExtensions = typing.MutableMapping[str, typing.Any]`;
    # httpcore's own equal alias was the same cached object, and it is not httpx's.
    alias = "import typing\n\nExtensions = typing.MutableMapping[str, typing.Any]\n"
    project.write("pkg", "", package=True)
    project.write("pkg.types", alias)
    project.write("other", alias, package=True)
    importlib.import_module("pkg.types")
    other = importlib.import_module("other")
    shared = other.Extensions
    project.write("pkg.types", alias.replace("MutableMapping", "Mapping"))

    report = apply_plan(make_plan(project.entry("pkg.types")))

    assert report.ok, report.problems
    assert other.Extensions is shared


def test_a_main_block_is_not_run_by_a_reload(project: Project) -> None:
    project.write("pkg", "", package=True)
    project.write(
        "pkg.render", "X = 1\n\nif __name__ == '__main__':\n    from pkg.console import C\n"
    )
    project.write("pkg.console", "class C:\n    pass\n")
    render = importlib.import_module("pkg.render")
    importlib.import_module("pkg.console")
    project.write(
        "pkg.render", "X = 2\n\nif __name__ == '__main__':\n    from pkg.console import C\n"
    )
    project.write("pkg.console", "class C:\n    v = 2\n")

    report = apply_plan(make_plan(project.entry("pkg.render"), project.entry("pkg.console")))

    assert report.ok and render.X == 2


def test_a_module_never_imported_here_is_not_refused_for_its_imports(project: Project) -> None:
    project.write("pkg", "", package=True)
    project.write("pkg.core", "X = 1\n")
    project.write("pkg.test_core", "import pytest_not_installed_xyz\n")
    core = importlib.import_module("pkg.core")
    project.write("pkg.core", "X = 2\n")
    project.write("pkg.test_core", "import pytest_not_installed_xyz\n\nY = 1\n")
    entries = (project.entry("pkg.core"), project.entry("pkg.test_core"))

    report = apply_plan(make_plan(*entries))

    assert report.ok and core.X == 2 and report.modules_skipped == ["pkg.test_core"]
    # ... unless a module the upgrade reloads imports it: then its imports must resolve.
    project.write("pkg.core", "import pkg.test_core\n\nX = 3\n")
    project.write("pkg.test_core", "import pytest_not_installed_xyz\n\nY = 2\n")
    with pytest.raises(PlanRefused) as refused:
        apply_plan(make_plan(project.entry("pkg.core"), project.entry("pkg.test_core")))
    assert refused.value.problems == [
        "pkg.test_core: line 1: imports `pytest_not_installed_xyz`, which cannot be found"
    ]
    assert core.X == 2


def test_submodules_optional_and_unchanged_names_are_accepted(project: Project) -> None:
    project.write("pkg", "", package=True)
    project.write("pkg.util", "def name():\n    return 'u1'\n")
    project.write("pkg.api", "from . import util\n\ndef greet():\n    return util.name()\n")
    api = importlib.import_module("pkg.api")
    project.write("pkg.util", "def name():\n    return 'u2'\n")
    project.write(
        "pkg.api",
        "from . import util\nfrom os import path\n"
        "try:\n    from pkg.util import speedup\nexcept ImportError:\n    speedup = None\n\n"
        "def greet():\n    return util.name()\n",
    )

    # api before util: `from . import util` binds the module object, which a reload keeps.
    report = apply_plan(make_plan(project.entry("pkg.api"), project.entry("pkg.util")))

    assert report.ok and api.greet() == "u2" and api.speedup is None


def test_a_submodule_of_a_package_with_getattr_is_a_module_binding(project: Project) -> None:
    # werkzeug: `from . import datastructures` in werkzeug.http, and werkzeug/__init__.py
    # has a module __getattr__ (its names cannot all be read from the syntax).
    init = "def __getattr__(name):\n    raise AttributeError(name)\n\nVERSION = {}\n"
    project.write("pkg", init.format(1), package=True)
    project.write("pkg.data", "X = 1\n")
    project.write("pkg.http", "def f():\n    return ds.X\n\nfrom . import data as ds\n")
    http = importlib.import_module("pkg.http")
    project.write("pkg", init.format(2), package=True)
    project.write("pkg.data", "X = 2\n")
    project.write("pkg.http", "def f():\n    return ds.X * 10\n\nfrom . import data as ds\n")

    plan = make_plan(project.entry("pkg.data"), project.entry("pkg.http"), project.entry("pkg"))
    report = apply_plan(plan)

    assert report.ok and http.f() == 20


def test_order_is_checked_for_upgrade_without_a_plan_too(project: Project) -> None:
    project.write("pkg", "", package=True)
    project.write("pkg.a", "from pkg.b import g\n\ndef f():\n    return g()\n")
    project.write("pkg.b", "import pkg.a\n\ndef g():\n    return 1\n")
    importlib.import_module("pkg.a")
    project.write("pkg.b", "import pkg.a\n\ndef g():\n    return 2\n\ndef h():\n    return 3\n")
    project.write("pkg.a", "from pkg.b import g, h\n\ndef f():\n    return g() + h()\n")

    report = upgrade("pkg.a", "pkg.b")  # upgrade() orders b first: a binds b's names

    assert report.modules_reloaded == ["pkg.b", "pkg.a"]
    assert report.ok and sys.modules["pkg.a"].f() == 5


# -- preflight: live instances that cannot follow their class ---------------------------

FROZEN = """
import dataclasses

@dataclasses.dataclass(frozen=True)
class Point:
    x: int

    def norm(self):
        return {}
"""


def test_frozen_dataclass_instances_are_repointed(project: Project) -> None:
    project.write("shop", "", package=True)
    project.write("shop.geo", FROZEN.format("abs(self.x)"))
    geo = importlib.import_module("shop.geo")
    point = geo.Point(-3)
    project.write("shop.geo", FROZEN.format("abs(self.x) * 10"))

    report = apply_plan(make_plan(project.entry("shop.geo")))

    assert type(point) is geo.Point and point.norm() == 30
    assert report.ok and report.for_class("shop.geo.Point").repointed == 1


SLOTTED = """
import dataclasses

@dataclasses.dataclass(slots=True)
class Point:
    x: int{}
"""


def test_slotted_dataclass_whose_fields_change_is_refused_with_live_instances(
    project: Project,
) -> None:
    project.write("shop", "", package=True)
    project.write("shop.geo", SLOTTED.format(""))
    geo = importlib.import_module("shop.geo")
    old_class, point = geo.Point, geo.Point(1)
    project.write("shop.geo", SLOTTED.format("\n    y: int = 0"))

    with pytest.raises(PlanRefused) as refused:
        apply_plan(make_plan(project.entry("shop.geo")))

    assert refused.value.problems == [
        "shop.geo.Point: 1 live instance(s) cannot be re-pointed at the new class: its "
        "`__slots__` change from (x) to (x, y): 'Point' object layout differs from 'Point'; "
        "restart to upgrade them"
    ]
    assert geo.Point is old_class and type(point) is old_class
    project.write("shop.geo", SLOTTED.format("\n\n    def twice(self):\n        return 2 * self.x"))
    report = apply_plan(make_plan(project.entry("shop.geo")))  # same fields: same layout
    assert report.ok and point.twice() == 2


@pytest.mark.parametrize(
    ("v1", "v2", "why"),
    [
        pytest.param(
            "class Flag(int):\n    pass\n",
            "class Flag(int):\n    def on(self):\n        return bool(self)\n",
            "CPython cannot change the class of its instances ('Flag' object layout differs",
            id="int-subclass-with-dict",
        ),
        pytest.param(
            "import attrs\n\n@attrs.define\nclass Job:\n    n: int\n",
            "import attrs\n\n@attrs.define\nclass Job:\n    n: int\n\n    def twice(self):\n"
            "        return 2 * self.n\n",
            "CPython cannot change the class of its instances ('Job' object layout differs",
            id="attrs-define-weakref-slot",
        ),
        pytest.param(
            "class Cell:\n    __slots__ = ('v',)\n",
            "class Cell:\n    __slots__ = tuple(['v', 'w'])\n",
            "the new source computes `__slots__`, so the layout of the new class is unknown",
            id="computed-slots",
        ),
    ],
)
def test_instances_whose_class_cannot_be_assigned_are_refused(
    project: Project, v1: str, v2: str, why: str
) -> None:
    project.write("shop", "", package=True)
    project.write("shop.things", v1)
    things = importlib.import_module("shop.things")
    cls = next(v for k, v in vars(things).items() if isinstance(v, type) and k[0].isupper())
    live = cls(1) if cls.__name__ != "Cell" else cls()
    project.write("shop.things", v2)

    with pytest.raises(PlanRefused) as refused:
        apply_plan(make_plan(project.entry("shop.things")))

    [problem] = refused.value.problems
    assert problem.startswith(f"shop.things.{cls.__name__}: 1 live instance(s) cannot be")
    assert why in problem
    assert type(live) is cls and getattr(things, cls.__name__) is cls


def test_a_new_base_that_changes_the_layout_is_refused_with_live_instances(
    project: Project,
) -> None:
    # werkzeug 3.1: `class Headers:` became `class Headers(cabc.MutableMapping[str, str])`.
    project.write("shop", "", package=True)
    project.write("shop.headers", "class Headers:\n    pass\n")
    headers = importlib.import_module("shop.headers")
    live = headers.Headers()
    project.write(
        "shop.headers",
        "import collections.abc as cabc\n\n"
        "class Headers(cabc.MutableMapping[str, str]):\n    __getitem__ = __setitem__ = None\n",
    )

    with pytest.raises(PlanRefused) as refused:
        apply_plan(make_plan(project.entry("shop.headers")))

    assert refused.value.problems == [
        "shop.headers.Headers: 1 live instance(s) cannot be re-pointed at the new class: "
        "its layout base changes from builtins.object to collections.abc.MutableMapping: "
        "'Headers' object layout differs from 'Headers'; restart to upgrade them"
    ]
    assert type(live) is headers.Headers


def test_empty_slots_made_by_a_call_are_read(project: Project) -> None:
    # pydantic 1.10: `__slots__: Tuple[str, ...] = tuple()`.
    source = (
        "from typing import Tuple\n\nclass Representation:\n"
        "    __slots__: Tuple[str, ...] = tuple()\n    V = {}\n"
    )
    project.write("shop", "", package=True)
    project.write("shop.fields", source.format(1))
    fields = importlib.import_module("shop.fields")
    live = fields.Representation()
    project.write("shop.fields", source.format(2))

    report = apply_plan(make_plan(project.entry("shop.fields")))

    assert report.ok and type(live) is fields.Representation and live.V == 2


def test_slots_on_a_replaced_base_are_refused_with_live_instances(project: Project) -> None:
    # pydantic 1.10's FieldInfo(Representation) adds slots on a base the reload replaces:
    # CPython refuses to re-point it (the new class sits on another base object).
    source = (
        "class Representation:\n    __slots__ = ()\n\n"
        "class FieldInfo(Representation):\n    __slots__ = ('name',)\n    V = {}\n"
    )
    project.write("shop", "", package=True)
    project.write("shop.fields", source.format(1))
    fields = importlib.import_module("shop.fields")
    live = fields.FieldInfo()
    project.write("shop.fields", source.format(2))

    with pytest.raises(PlanRefused) as refused:
        apply_plan(make_plan(project.entry("shop.fields")))

    assert refused.value.problems == [
        "shop.fields.FieldInfo: 1 live instance(s) cannot be re-pointed at the new class: its "
        "own layout ((name)) sits on shop.fields.Representation, which the upgrade replaces "
        "(or whose layout changes), and CPython wants the same base object under both classes "
        "('FieldInfo' object layout differs from 'FieldInfo'); restart to upgrade them"
    ]
    assert type(live) is fields.FieldInfo and live.V == 1


def test_a_mixin_that_becomes_generic_does_not_stop_its_subclasses(project: Project) -> None:
    # werkzeug 3.1: `class ImmutableDictMixin:` became `ImmutableDictMixin(t.Generic[K, V])`;
    # ImmutableDict(ImmutableDictMixin, dict) instances still follow their class.
    v1 = "class Mixin:\n    pass\n\nclass Frozen(Mixin, dict):\n    pass\n"
    v2 = (
        "import typing\n\nK = typing.TypeVar('K')\n\nclass Mixin(typing.Generic[K]):\n"
        "    pass\n\nclass Frozen(Mixin[K], dict):\n    def kind(self):\n        return 2\n"
    )
    project.write("shop", "", package=True)
    project.write("shop.frozen", v1)
    frozen = importlib.import_module("shop.frozen")
    live = frozen.Frozen(a=1)
    project.write("shop.frozen", v2)

    report = apply_plan(make_plan(project.entry("shop.frozen")))

    assert report.ok, report.problems
    assert type(live) is frozen.Frozen and live.kind() == 2 and live["a"] == 1


def test_typing_namedtuple_instances_are_repointed(project: Project) -> None:
    source = "import typing\n\nclass Rule(typing.NamedTuple):\n    pattern: str\n{}"
    project.write("shop", "", package=True)
    project.write("shop.rules", source.format(""))
    rules = importlib.import_module("shop.rules")
    live = rules.Rule("x")
    project.write(
        "shop.rules", source.format("\n    def twice(self):\n        return 2 * self.pattern\n")
    )

    report = apply_plan(make_plan(project.entry("shop.rules")))

    assert report.ok and type(live) is rules.Rule and live.twice() == "xx"


def test_namedtuple_instances_are_repointed(project: Project) -> None:
    source = "import collections\n\nPair = collections.namedtuple('Pair', 'a b')\nVERSION = {}\n"
    project.write("shop", "", package=True)
    project.write("shop.pairs", source.format(1))
    pairs = importlib.import_module("shop.pairs")
    live = pairs.Pair(1, 2)
    project.write("shop.pairs", source.format(2))

    report = apply_plan(make_plan(project.entry("shop.pairs")))

    assert report.ok and type(live) is pairs.Pair and pairs.VERSION == 2


# -- after the upgrade: what preflight could not see is a problem -----------------------

DYNAMIC_CHILD = """
import importlib

Base = getattr(importlib.import_module("pkg.base"), "Base")

class Child(Base):
    pass
"""


def test_a_class_reloaded_before_its_base_is_a_problem(project: Project) -> None:
    project.write("pkg", "", package=True)
    project.write("pkg.base", "class Base:\n    pass\n")
    project.write("pkg.child", DYNAMIC_CHILD)
    importlib.import_module("pkg.child")
    project.write("pkg.base", "class Base:\n    def hello(self):\n        return 'hi'\n")

    report = apply_plan(make_plan(project.entry("pkg.child"), project.entry("pkg.base")))

    child, base = sys.modules["pkg.child"], sys.modules["pkg.base"]
    assert not issubclass(child.Child, base.Base)  # what the problem says
    assert report.problems == [
        "pkg.child.Child was reloaded before its base pkg.base.Base: "
        "it still derives from the old class",
        "pkg.child.Base still names the old pkg.base.Base: pkg.child was reloaded before pkg.base",
    ]
    assert not report.ok and not report.completed
    assert str(report).startswith("upgrade INCOMPLETE: 2 problem(s)")


def test_a_reexport_outside_the_plan_that_names_the_old_object_is_a_problem(
    project: Project,
) -> None:
    project.write("pkg", "from pkg.models import Thing\n", package=True)
    project.write("pkg.models", "class Thing:\n    pass\n")
    pkg = importlib.import_module("pkg")
    project.write("pkg.models", "class Thing:\n    version = 2\n")

    report = apply_plan(make_plan(project.entry("pkg.models")))

    assert pkg.Thing is not sys.modules["pkg.models"].Thing
    assert report.problems == [
        "pkg.Thing still names the old pkg.models.Thing: pkg is not reloaded"
    ]
    assert not report.ok


def test_a_class_the_new_source_no_longer_defines_is_not_a_problem(project: Project) -> None:
    # werkzeug 3.1 dropped OrderedMultiDict from structures.py: the old class lingers.
    project.write("pkg", "", package=True)
    project.write(
        "pkg.structures",
        "class MultiDict(dict):\n    pass\n\nclass OrderedMultiDict(MultiDict):\n    pass\n",
    )
    structures = importlib.import_module("pkg.structures")
    lingering = structures.OrderedMultiDict
    project.write("pkg.structures", "class MultiDict(dict):\n    version = 2\n")

    report = apply_plan(make_plan(project.entry("pkg.structures")))

    assert report.ok, report.problems
    assert structures.OrderedMultiDict is lingering


def test_a_module_outside_the_package_holding_an_old_object_is_a_problem(
    project: Project,
) -> None:
    project.write("pkg", "", package=True)
    project.write("pkg.templates", "class Template:\n    pass\n")
    project.write("webapp", "from pkg.templates import Template\n", package=True)
    importlib.import_module("webapp")
    project.write("pkg.templates", "class Template:\n    version = 2\n")

    report = apply_plan(make_plan(project.entry("pkg.templates")))

    assert report.problems == [
        "webapp.Template still names the old pkg.templates.Template: webapp is not reloaded"
    ]


def test_a_removed_name_that_lingers_is_a_note_not_a_problem(project: Project) -> None:
    project.write("pkg", "", package=True)
    project.write("pkg.cart", "class Session:\n    pass\n\nDefault = Session\n")
    cart = importlib.import_module("pkg.cart")
    project.write("pkg.cart", "class Session:\n    x = 1\n")

    report = apply_plan(make_plan(project.entry("pkg.cart")))

    assert report.ok
    assert report.notes[-1] == (
        "pkg.cart.Default still names the old pkg.cart.Session: "
        "the new source no longer defines pkg.cart.Default"
    )
    assert cart.Default is not cart.Session


STARLETTE_EXCEPTIONS = """\
class HTTPException(Exception):
    def __init__(self, status_code, headers=None):
        self.status_code = status_code
"""

STARLETTE_MIDDLEWARE = """\
from pkg.exceptions import HTTPException


class ExceptionMiddleware:
    def __init__(self, app):
        self.app = app
        self._exception_handlers = {HTTPException: self.http_exception}

    def http_exception(self, exc):
        return exc.status_code

    def __call__(self):
        try:
            return self.app()
        except Exception as exc:
            for cls in type(exc).__mro__:
                if cls in self._exception_handlers:
                    return self._exception_handlers[cls](exc)
            raise
"""


def test_a_live_object_holding_a_replaced_class_is_a_problem(project: Project) -> None:
    # starlette 0.41.3 changed only an annotation of HTTPException: every live
    # middleware's handler table still keys the old class and 404s escaped.
    project.write("pkg", "", package=True)
    project.write("pkg.exceptions", STARLETTE_EXCEPTIONS)
    project.write("pkg.middleware", STARLETTE_MIDDLEWARE)
    project.write(
        "pkg.routing",
        "from pkg.exceptions import HTTPException\n\n"
        "def not_found():\n    raise HTTPException(404)\n",
    )
    middleware, routing = (importlib.import_module(f"pkg.{m}") for m in ("middleware", "routing"))
    live = middleware.ExceptionMiddleware(lambda: routing.not_found())
    assert live() == 404
    project.write("pkg.exceptions", STARLETTE_EXCEPTIONS.replace("headers=None", "headers=()"))

    report = apply_plan(
        make_plan(*(project.entry(f"pkg.{m}") for m in ("exceptions", "middleware", "routing")))
    )

    with pytest.raises(sys.modules["pkg.exceptions"].HTTPException):
        live()  # what the problem says: the live table misses the new class
    assert report.problems == [
        "1 live pkg.middleware.ExceptionMiddleware object(s) still hold the old "
        "pkg.exceptions.HTTPException in `_exception_handlers`: they were made before the "
        "upgrade and the new code uses the new class"
    ]
    assert not report.ok
    fresh = sys.modules["pkg.middleware"].ExceptionMiddleware(lambda: routing.not_found())
    assert fresh() == 404


def test_a_live_object_holding_a_class_the_upgrade_kept_is_not_a_problem(
    project: Project,
) -> None:
    project.write("pkg", "", package=True)
    project.write("pkg.exceptions", STARLETTE_EXCEPTIONS)
    project.write("pkg.middleware", STARLETTE_MIDDLEWARE)
    middleware = importlib.import_module("pkg.middleware")
    live = middleware.ExceptionMiddleware(lambda: 1)
    project.write("pkg.middleware", STARLETTE_MIDDLEWARE + "\nVERSION = 2\n")

    report = apply_plan(make_plan(project.entry("pkg.middleware")))

    assert report.ok, report.problems
    assert type(live) is sys.modules["pkg.middleware"].ExceptionMiddleware


def test_annotations_and_generic_aliases_of_a_replaced_class_are_not_problems(
    project: Project,
) -> None:
    # werkzeug: `header_property[str]` in a class body, cached by typing; jinja2: a
    # classmethod's `__annotations__` naming Environment. Code, not live state.
    generic = "from typing import Generic, TypeVar\nT = TypeVar('T')\n\n"
    prop = "class prop(Generic[T]):\n    pass\n"
    project.write("pkg", "", package=True)
    project.write("pkg.props", generic + prop)
    project.write(
        "pkg.models",
        "from pkg.props import prop\n\nclass M:\n    x = prop[str]()\n\n"
        "    @classmethod\n    def make(cls, p: prop) -> 'M':\n        return cls()\n",
    )
    importlib.import_module("pkg.models")
    project.write("pkg.props", generic + prop + "\nVERSION = 2\n")

    report = apply_plan(make_plan(project.entry("pkg.props"), project.entry("pkg.models")))

    assert report.ok, report.problems


# -- no raw exception ever escapes ------------------------------------------------------


@pytest.mark.parametrize("plan", [42, None, ["a list"], b"{}"], ids=repr)
def test_a_plan_of_the_wrong_type_is_refused(plan: object) -> None:
    with pytest.raises(PlanRefused):
        apply_plan(plan)  # type: ignore[arg-type]


def test_an_error_after_the_point_of_no_return_says_what_was_and_was_not_done(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("shop", "", package=True)
    project.write("shop.cart", "class Session:\n    pass\n")
    cart = importlib.import_module("shop.cart")
    live = cart.Session()
    project.write("shop.cart", "class Session:\n    x = 1\n")

    def broken(*args: object) -> None:
        raise MemoryError("the checks ran out of memory")

    monkeypatch.setattr(checks, "consistency", broken)
    with pytest.raises(UpgradeError) as failed:
        apply_plan(make_plan(project.entry("shop.cart")))

    message = str(failed.value)
    assert message.startswith(
        "checking the process for objects of the old version raised "
        "MemoryError('the checks ran out of memory') after the point of no return; "
        "not done: nothing else"
    )
    report = failed.value.report
    assert report.steps[1:] == [
        "reloaded shop.cart",
        "re-pointed 1 instance(s) of shop.cart.Session",
        "FAILED checking the process for objects of the old version: "
        "MemoryError('the checks ran out of memory')",
    ]
    assert (report.failed, report.completed, report.ok) == (True, False, False)
    assert type(live) is cart.Session


def test_a_reload_that_exits_is_an_upgrade_error(project: Project) -> None:
    project.write("shop", "", package=True)
    project.write("shop.a", "A = 1\n")
    project.write("shop.b", "B = 1\n")
    importlib.import_module("shop.a")
    importlib.import_module("shop.b")
    project.write("shop.a", "import sys\nA = 2\nsys.exit(3)\n")
    project.write("shop.b", "B = 2\n")

    with pytest.raises(UpgradeError) as failed:
        apply_plan(make_plan(project.entry("shop.a"), project.entry("shop.b")))

    assert "reloading shop.a raised SystemExit(3)" in str(failed.value)
    assert "not reloaded: shop.b; no instance was re-pointed, no __code_change__ ran" in str(
        failed.value
    )


def test_a_preflight_that_breaks_is_a_refusal(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("shop", "", package=True)
    project.write("shop.cart", "X = 1\n")
    cart = importlib.import_module("shop.cart")
    project.write("shop.cart", "X = 2\n")

    def broken(*args: object) -> list[str]:
        raise RecursionError("too deep")

    monkeypatch.setattr(checks, "binding_problems", broken)
    with pytest.raises(PlanRefused, match=r"preflight could not check the upgrade: RecursionError"):
        apply_plan(make_plan(project.entry("shop.cart")))
    assert cart.X == 1


# -- a module that moved ---------------------------------------------------------------


def test_a_module_whose_file_moved_is_refused(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write("app", "", package=True)
    project.write("app.db", "X = 1\n")
    db = importlib.import_module("app.db")
    old_file = db.__file__
    # The deploy moved the package to src/ (flat -> src layout) and the process's
    # path now finds the new place first.
    src = project.root / "src"
    (src / "app").mkdir(parents=True)
    (src / "app" / "__init__.py").write_text("")
    (src / "app" / "db.py").write_text("X = 2\n")
    (project.root / "app" / "db.py").unlink()
    monkeypatch.setattr(sys.modules["app"], "__path__", [str(src / "app")])

    with pytest.raises(PlanRefused) as refused:
        apply_plan(make_plan(_entry_at(project, "app.db", "src/app/db.py")))

    [problem] = refused.value.problems
    assert problem.startswith(f"app.db: the process loaded it from {old_file}, a reload would load")
    assert "the module moved" in problem and problem.endswith(
        "restart to load it from the new place"
    )
    assert db.X == 1


def _entry_at(project: Project, module: str, path: str) -> dict[str, object]:
    import hashlib

    entry = project.entry(module)
    entry["path"] = path
    entry["new_sha256"] = hashlib.sha256((project.root / path).read_bytes()).hexdigest()
    return entry
