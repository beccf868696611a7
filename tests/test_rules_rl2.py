"""RL201 missing-vsn, RL204 invalid-version-protocol, and the shared
stateful-class / state-shape helpers of ``reloadlint.rules._stateful``."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

from helpers import codes, run

from reloadlint.config import Settings
from reloadlint.project import ProjectModel
from reloadlint.rules._stateful import is_stateful, state_set_after_init, state_shape
from reloadlint.summary import summarize_bytes
from reloadlint.summary.model import ClassFact, ModuleSummary

RL2 = ("RL201", "RL204")


def rl2(files: Mapping[str, str] | str, **kwargs: object) -> list[str]:
    return codes(files, select=RL2, **kwargs)


def messages(files: Mapping[str, str] | str) -> list[str]:
    return [d.message for d in run(files, select=RL2)]


# ------------------------------------------------------------------ RL201: (a) self attributes


def test_attribute_set_outside_init() -> None:
    assert rl2("class A:\n def f(self): self.x = 1") == ["RL201"]


def test_augmented_annotated_and_setattr_count() -> None:
    assert rl2("class A:\n def f(self): self.n += 1") == ["RL201"]
    assert rl2("class A:\n def f(self): self.n: int = 1") == ["RL201"]
    assert rl2("class A:\n def f(self): setattr(self, 'n', 1)") == ["RL201"]
    assert rl2("class A:\n def f(this): this.n = 1") == ["RL201"]
    assert rl2("class A:\n def f(self):\n  with open('x') as self.fh: pass") == ["RL201"]


def test_initialisers_do_not_count() -> None:
    assert rl2("class A:\n def __init__(self): self.x = 1") == []
    assert rl2("class A:\n def __post_init__(self): self.x = 1") == []
    assert rl2("class A:\n def __setstate__(self, s): self.x = 1") == []
    new = "class A:\n def __new__(cls):\n  self = super().__new__(cls)\n  self.x = 1\n  return self"
    assert rl2(new) == []


def test_class_state_does_not_count() -> None:
    assert rl2("class A:\n @classmethod\n def f(cls): cls.x = 1") == []
    assert rl2("class A:\n @staticmethod\n def f(self): self.x = 1") == []
    assert rl2("class A:\n def __init_subclass__(cls): cls.x = 1") == []
    assert rl2("class A:\n def __new__(cls): cls.count = 1") == []


def test_other_objects_and_declarations_do_not_count() -> None:
    assert rl2("class A:\n def f(self, o): o.x = 1") == []
    assert rl2("class A:\n def f(self): self.x: int") == []
    assert rl2("class A:\n def f(self): self.items['k'] = 1") == []
    assert rl2("class A:\n def f(self): setattr(other, 'n', 1)") == []


def test_private_helpers_called_only_by_initialisers() -> None:
    init = "class A:\n def __init__(self): self._build()\n def _build(self): self.x = 1\n"
    assert rl2(init) == []
    chain = "class A:\n def __init__(self): self._a()\n def _a(self): self._b()\n"
    assert rl2(chain + " def _b(self): self.x = 1") == []
    assert rl2(init + " def _more(self): self._build()") == ["RL201"]
    assert rl2(init + " def refresh(self): self._build()") == ["RL201"]
    lam = "class A:\n def __init__(self):\n  self._build()\n  cb(lambda: self._build())\n"
    assert rl2(lam + " def _build(self): self.x = 1") == ["RL201"]
    comp = "class A:\n def __init__(self): [self._build() for _ in ()]\n"
    assert rl2(comp + " def _build(self): self.x = 1") == []
    assert rl2("class A:\n def __init__(self): self.reset()\n def reset(self): self.x = 1") == [
        "RL201"
    ]
    assert rl2("class A:\n def __init__(self): cb(self._build)\n def _build(self): self.x = 1") == [
        "RL201"
    ]


def test_test_cases_are_never_live() -> None:
    assert (
        rl2("import unittest\nclass T(unittest.TestCase):\n def test_a(self): self.maxDiff = None")
        == []
    )
    assert (
        rl2("class Mixin:\n def setUp(self): self.server = 1\n def test_a(self): self.x = 1") == []
    )
    assert rl2("class Mixin:\n def tearDown(self): self.server = None") == []
    assert rl2("class Probe:\n def test_connection(self): self.ok = True") == ["RL201"]


def test_class_in_a_function_is_not_upgraded() -> None:
    assert rl2("def f():\n class A:\n  def g(self): self.x = 1\n return A") == []


def test_nested_class_is_reported() -> None:
    assert rl2("class A:\n class B:\n  def g(self): self.x = 1") == ["RL201"]


def test_metaclass_and_enum_are_not_stateful() -> None:
    assert rl2("class M(type):\n def __call__(cls): cls._one = 1") == []
    assert rl2("import enum\nclass E(enum.Enum):\n A = 1\n def f(self): self.seen = 1") == []


def test_declared_vsn_is_enough() -> None:
    assert rl2("class A:\n __vsn__ = 1\n def f(self): self.x = 1") == []


def test_inherited_vsn_does_not_count() -> None:
    assert rl2("class A:\n __vsn__ = 1\nclass B(A):\n def f(self): self.y = 1") == ["RL201"]


def test_not_reloadable_module() -> None:
    files = {"app/__init__.py": "", "app/legacy.py": "class A:\n def f(self): self.x = 1\n"}
    assert rl2(files, not_reloadable=("app.legacy",)) == []
    assert rl2(files, not_reloadable=("app.other",)) == ["RL201"]


def test_message_names_class_module_and_attribute() -> None:
    (message,) = messages(
        {"app/__init__.py": "", "app/w.py": "class A:\n def tick(self): self.n = 1\n"}
    )
    assert "`A`" in message and "`app.w`" in message and "`self.n` in `tick()`" in message


# ------------------------------------------------------------------ RL201: (b) long-lived bases


def test_stdlib_base_by_qualified_name() -> None:
    assert rl2("from threading import Thread\nclass W(Thread): pass") == ["RL201"]
    assert rl2("import threading as t\nclass W(t.Thread): pass") == ["RL201"]
    assert rl2("import asyncio\nclass P(asyncio.Protocol): pass") == ["RL201"]
    assert rl2("import socketserver\nclass S(socketserver.BaseServer): pass") == ["RL201"]


def test_known_stdlib_subclasses_of_the_bases() -> None:
    assert rl2("from http.server import HTTPServer\nclass S(HTTPServer): pass") == ["RL201"]
    assert rl2("import asyncio\nclass P(asyncio.DatagramProtocol): pass") == ["RL201"]
    assert rl2("from threading import Timer\nclass T(Timer): pass") == ["RL201"]


def test_unrelated_bases_are_not_stateful() -> None:
    assert rl2("from threading import Event\nclass E(Event): pass") == []
    assert rl2("import socketserver\nclass H(socketserver.BaseRequestHandler): pass") == []


def test_base_through_a_first_party_class() -> None:
    files = {
        "app/__init__.py": "",
        "app/base.py": "from threading import Thread\nclass Base(Thread):\n __vsn__ = 1\n",
        "app/w.py": "from app.base import Base\nclass W(Base): pass\n",
    }
    assert rl2(files) == ["RL201"]
    (message,) = messages(files)
    assert "derives from `threading.Thread` through `app.base.Base`" in message


def test_configured_stateful_bases() -> None:
    files = {
        "app/__init__.py": "from app.base import Actor\n",
        "app/base.py": "class Actor:\n __vsn__ = 1\n",
        "app/w.py": """
            import app
            from threading import Thread
            class W(app.Actor): pass
            class T(Thread): pass
        """,
    }
    found = run(files, select=RL2, stateful_bases=("app.base.Actor",))
    assert [(d.path, d.location.row) for d in found] == [("app/w.py", 4)]  # W, not T


# ------------------------------------------------------------------ RL204


def test_vsn_must_be_an_int_or_str_literal() -> None:
    assert rl2("class A:\n __vsn__ = 1") == []
    assert rl2("class A:\n __vsn__ = -1") == []
    assert rl2("class A:\n __vsn__ = '2024.1'") == []
    assert rl2("VERSION = 1\nclass A:\n __vsn__ = VERSION") == ["RL204"]
    assert rl2("class A:\n __vsn__ = True") == ["RL204"]
    assert rl2("class A:\n __vsn__ = 1.5") == ["RL204"]
    assert rl2("class A:\n __vsn__ = (1, 2)") == ["RL204"]
    assert rl2("class A:\n __vsn__: int") == ["RL204"]


def test_vsn_annotated_in_a_dataclass_is_a_field() -> None:
    dc = "from dataclasses import dataclass\nfrom typing import ClassVar\n@dataclass\nclass A:\n"
    assert rl2(dc + " __vsn__: int = 1") == ["RL204"]
    assert rl2(dc + " __vsn__: ClassVar[int] = 1") == []
    assert rl2(dc + " __vsn__ = 1") == []
    assert rl2("import attr\n@attr.s(auto_attribs=True)\nclass A:\n __vsn__: int = 1") == ["RL204"]
    assert rl2("class A:\n __vsn__: int = 1") == []


def test_one_finding_for_a_field_that_is_also_computed() -> None:
    assert rl2(
        "from dataclasses import dataclass\nV = 1\n@dataclass\nclass A:\n __vsn__: int = V"
    ) == ["RL204"]


def test_code_change_signature() -> None:
    cc = "class A:\n __vsn__ = 1\n "
    assert rl2(cc + "def __code_change__(self, old_vsn, extra): pass") == []
    assert rl2(cc + "def __code_change__(self, old_vsn, extra=None, *, dry=False): pass") == []
    assert rl2(cc + "def __code_change__(self, *args, **kwargs): pass") == []
    assert rl2(cc + "def __code_change__(self, old_vsn, extra, /): pass") == []
    assert rl2(cc + "def __code_change__(self, old_vsn): pass") == ["RL204"]
    assert rl2(cc + "def __code_change__(self, old_vsn, extra, more): pass") == ["RL204"]
    assert rl2(cc + "def __code_change__(self, old_vsn, extra, *, dry): pass") == ["RL204"]
    assert rl2(cc + "def __code_change__(self, **kwargs): pass") == ["RL204"]
    assert rl2(cc + "@staticmethod\n def __code_change__(old_vsn, extra): pass") == ["RL204"]
    assert rl2(cc + "@classmethod\n def __code_change__(cls, old_vsn, extra): pass") == ["RL204"]


def test_code_change_must_run_its_body_when_called() -> None:
    cc = "class A:\n __vsn__ = 1\n "
    assert rl2(cc + "async def __code_change__(self, old_vsn, extra): pass") == ["RL204"]
    assert rl2(cc + "def __code_change__(self, old_vsn, extra): yield") == ["RL204"]
    assert (
        rl2(cc + "def __code_change__(self, old_vsn, extra):\n  def g(): yield\n  self.g = g") == []
    )


def test_rl204_positions() -> None:
    found = run(
        "class A:\n    x = 1\n    __vsn__ = 1.0\n    def __code_change__(self): pass\n", select=RL2
    )
    assert [(d.location.row, d.location.column) for d in found] == [(3, 5), (4, 9)]


def test_rl204_only_in_reloadable_modules() -> None:
    assert rl2("def f():\n class A:\n  __vsn__ = object()\n return A") == []
    files = {"app/__init__.py": "", "app/legacy.py": "class A:\n __vsn__ = None\n"}
    assert rl2(files, not_reloadable=("app.legacy",)) == []
    assert rl2(files) == ["RL204"]


# ------------------------------------------------------------------ the shared helpers


def _project(files: Mapping[str, str]) -> tuple[ProjectModel, dict[str, ModuleSummary]]:
    summaries = {}
    for path, text in files.items():
        name = Path(path).with_suffix("").as_posix().replace("/", ".").removesuffix(".__init__")
        summary, error = summarize_bytes(
            textwrap.dedent(text).encode(), path, name, path.endswith("__init__.py")
        )
        assert error is None
        summaries[name] = summary
    return ProjectModel(summaries.values()), summaries


def _class(summary: ModuleSummary, name: str) -> ClassFact:
    return next(cls for cls in summary.classes if cls.qualname == name)


def shape(source: str, name: str = "A") -> set[str]:
    project, modules = _project({"mod.py": source})
    return set(state_shape(project, modules["mod"], _class(modules["mod"], name)))


def test_state_shape_self_attributes_and_slots() -> None:
    source = """
        class A:
            __slots__ = ("a", "__weakref__")
            def __init__(self): self.b = 1
            def f(self): self.c = 1
    """
    assert shape(source) == {"a", "b", "c"}


def test_state_shape_dataclass_and_attrs_fields() -> None:
    source = """
        import attr
        from dataclasses import dataclass, field
        from typing import ClassVar

        @dataclass
        class A:
            x: int
            y: list = field(default_factory=list)
            z: ClassVar[int] = 0
            w = 3

        @attr.s
        class B:
            p = attr.ib()
            q = 4

        class C:
            x: int
    """
    assert shape(source) == {"x", "y"}
    assert shape(source, "B") == {"p"}
    assert shape(source, "C") == set()


def test_state_shape_records_through_first_party_bases() -> None:
    files = {
        "app/__init__.py": "",
        "app/base.py": "from typing import TypedDict\nclass Base(TypedDict):\n a: int\n",
        "app/m.py": """
            from typing import NamedTuple
            from app.base import Base
            class P(NamedTuple):
                x: int
                y: int = 0
            class T(Base):
                b: str
        """,
    }
    project, modules = _project(files)
    module = modules["app.m"]
    assert state_shape(project, module, _class(module, "P")) == {"x", "y"}
    assert state_shape(project, module, _class(module, "T")) == {"b"}


def test_is_stateful_reasons() -> None:
    files = {
        "app/__init__.py": "",
        "app/m.py": """
            import threading
            class W(threading.Thread):
                def run(self): self.n = 1
            class V:
                __vsn__ = 1
            class P:
                def __init__(self): self.x = 1
        """,
    }
    project, modules = _project(files)
    module, settings = modules["app.m"], Settings()
    assert is_stateful(project, module, _class(module, "W"), settings) == "sets `self.n` in `run()`"
    assert is_stateful(project, module, _class(module, "V"), settings) == "declares `__vsn__`"
    assert is_stateful(project, module, _class(module, "P"), settings) is None
    assert state_set_after_init(_class(module, "W")) == {"n": ["run"]}
