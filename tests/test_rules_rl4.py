"""RL401 module-state-reset and RL402 import-time-side-effect."""

from __future__ import annotations

from collections.abc import Mapping

from helpers import codes, located, run


def rl401(files: Mapping[str, str] | str, **kwargs: object) -> list[str]:
    return codes(files, select=("RL401",), **kwargs)


def rl402(files: Mapping[str, str] | str, **kwargs: object) -> list[str]:
    return codes(files, select=("RL402",), **kwargs)


# ------------------------------------------------------------------ RL401: what is state


def test_mutated_containers() -> None:
    assert rl401("C = {}\ndef f(k): C[k] = 1") == ["RL401"]
    assert rl401("C = []\ndef f(k): C.append(k)") == ["RL401"]
    assert rl401("C = set()\ndef f(k): C.discard(k)") == ["RL401"]
    assert rl401("C = {}\ndef f(k): del C[k]") == ["RL401"]
    assert rl401("C = {k: 0 for k in 'ab'}\ndef f(k): C[k] += 1") == ["RL401"]
    assert rl401(
        "import collections\nC = collections.defaultdict(list)\ndef f(k): C[k].append(1)"
    ) == ["RL401"]
    assert rl401("from collections import deque\nC = deque()\ndef f(k): C.appendleft(k)") == [
        "RL401"
    ]
    assert rl401("import weakref\nC = weakref.WeakValueDictionary()\ndef f(k, v): C[k] = v") == [
        "RL401"
    ]
    assert rl401("C: dict[str, int] = {}\ndef f(k): C.setdefault(k, 0)") == ["RL401"]


def test_nested_item_changes_count() -> None:
    assert rl401("C = {'a': {}}\ndef f(k): C['a'][k] = 1") == ["RL401"]


def test_global_rebinding_of_any_value() -> None:
    assert rl401("CONN = None\ndef connect():\n global CONN\n CONN = object()") == ["RL401"]
    assert rl401("N = 0\ndef bump():\n global N\n N += 1") == ["RL401"]


def test_reported_at_the_binding() -> None:
    assert located("X = 1\nC = {}\ndef f(k): C[k] = 1", select=("RL401",)) == [
        ("mod.py", 2, "RL401")
    ]


def test_message_names_module_symbol_and_mutation() -> None:
    [found] = run(
        {"app/__init__.py": "", "app/s.py": "C = {}\ndef f(k): C[k] = 1"}, select=("RL401",)
    )
    assert "`C`" in found.message and "`app.s`" in found.message and "`app.s.f`" in found.message
    assert found.symbol == "app.s.C"


# ------------------------------------------------------------------ RL401: near misses


def test_constants_all_and_unmutated_containers() -> None:
    assert rl401("__all__ = ['f']\nX = (1, 2)\nD = {'a': 1}\ndef f(): return D['a']") == []


def test_not_a_listed_container() -> None:
    assert rl401("import types\nNS = types.SimpleNamespace()\ndef f(): NS.x = 1") == []


def test_the_four_reload_guards() -> None:
    mutate = "\ndef f(k): C[k] = 1"
    assert rl401("if 'C' not in globals():\n    C = {}" + mutate) == []
    assert rl401("C = globals().get('C', {})" + mutate) == []
    assert rl401("C = globals().get('C') or {}" + mutate) == []
    assert rl401("C: dict = globals().get('C', {})" + mutate) == []
    assert rl401("globals().setdefault('C', {})" + mutate) == []
    assert rl401("C = globals().setdefault('C', {})" + mutate) == []
    assert rl401("try:\n    C\nexcept NameError:\n    C = {}" + mutate) == []


def test_import_time_mutation_is_repeated_by_the_reload() -> None:
    assert rl401("R = {}\nR['a'] = 1\nfor k in 'bc':\n    R[k] = 2\nR.update(d=3)") == []


def test_local_and_parameter_shadows() -> None:
    assert rl401("C = {}\ndef f():\n    C = {}\n    C['x'] = 1") == []
    assert rl401("C = {}\ndef f(C):\n    C['x'] = 1") == []
    assert rl401("C = {}\ndef f():\n    return [C for C in ([],)][0].append(1)") == []


def test_main_block_and_type_checking() -> None:
    assert rl401("C = {}\nif __name__ == '__main__':\n    C['x'] = 1\n    C.clear()") == []


def test_global_name_without_a_top_level_binding() -> None:
    assert rl401("def connect():\n global CONN\n CONN = object()") == []


def test_not_reloadable_module() -> None:
    files = {"app/__init__.py": "", "app/s.py": "C = {}\ndef f(k): C[k] = 1"}
    assert rl401(files, not_reloadable=("app.s",)) == []


# ------------------------------------------------------------------ RL401: other modules' changes


STATE = {"app/__init__.py": "", "app/state.py": "CACHE = []\nHITS = {}\n"}


def test_changed_from_another_module_through_a_from_import() -> None:
    files = {**STATE, "app/views.py": "from app.state import CACHE\ndef view(x): CACHE.append(x)"}
    assert located(files, select=("RL401",)) == [("app/state.py", 1, "RL401")]


def test_changed_from_another_module_through_the_qualified_name() -> None:
    files = {**STATE, "app/views.py": "import app.state\ndef view(k): app.state.HITS[k] = 1"}
    assert located(files, select=("RL401",)) == [("app/state.py", 2, "RL401")]


def test_changed_through_a_package_reexport() -> None:
    files = {
        **STATE,
        "app/__init__.py": "from app.state import CACHE",
        "app/views.py": "from app import CACHE\ndef v(x): CACHE.append(x)",
    }
    assert located(files, select=("RL401",)) == [("app/state.py", 1, "RL401")]


def test_changed_by_another_module_at_its_import_time() -> None:
    files = {**STATE, "app/plugin.py": "from app.state import HITS\nHITS['plugin'] = 1"}
    assert located(files, select=("RL401",)) == [("app/state.py", 2, "RL401")]


def test_another_module_changing_a_guarded_name() -> None:
    files = {
        "app/__init__.py": "",
        "app/state.py": "HITS = globals().get('HITS', {})",
        "app/v.py": "from app import state\ndef v(k): state.HITS[k] = 1",
    }
    assert rl401(files) == []


def test_another_modules_local_of_the_same_name() -> None:
    files = {**STATE, "app/views.py": "def view(x):\n    CACHE = []\n    CACHE.append(x)"}
    assert rl401(files) == []


# ------------------------------------------------------------------ RL402: effects


def test_process_wide_calls() -> None:
    assert rl402("import atexit\natexit.register(print)") == ["RL402"]
    # A handler that keeps the previous one chains them: every reload adds a link.
    assert rl402("import signal\n_prev = signal.signal(signal.SIGTERM, print)") == ["RL402"]
    chained = (
        "import signal\n_prev = signal.getsignal(1)\nsignal.signal(1, lambda s, f: _prev(s, f))"
    )
    assert rl402(chained) == ["RL402"]
    # One handler per signal: the reload's handler takes the old one's place.
    assert rl402("import signal\nsignal.signal(signal.SIGTERM, print)") == []
    assert rl402("import asyncio\nasyncio.ensure_future(None)") == ["RL402"]
    assert rl402("import socket\nsocket.create_server(('', 8000))") == ["RL402"]
    assert rl402("import socket\ns = socket.socket()\ns.bind(('', 0))\ns.listen()") == [
        "RL402",
        "RL402",
    ]
    assert rl402("import subprocess\nsubprocess.Popen(['true'])") == ["RL402"]


def test_logging_handlers() -> None:
    assert rl402("import logging\nlogging.getLogger('x').addHandler(logging.StreamHandler())") == [
        "RL402"
    ]
    assert rl402(
        "import logging\nlog = logging.getLogger('x')\nlog.addHandler(logging.FileHandler('f'))"
    ) == ["RL402"]


def test_sys_path_edits() -> None:
    assert rl402("import sys\nsys.path.insert(0, 'x')") == ["RL402"]
    assert rl402("import sys\nsys.meta_path.append(object())") == ["RL402"]
    assert rl402("import sys\nsys.path[:0] = ['x']") == ["RL402"]


def test_threads_timers_processes() -> None:
    assert rl402("import threading\nthreading.Thread(target=print).start()") == ["RL402"]
    assert rl402("from threading import Timer\nt = Timer(1, print)\nt.start()") == ["RL402"]
    assert rl402("import multiprocessing\nmultiprocessing.Process(target=print).start()") == [
        "RL402"
    ]


def test_first_party_thread_subclass() -> None:
    worker = "import threading\nclass Base(threading.Thread): pass\nclass Worker(Base): pass\n"
    files = {
        "app/__init__.py": "",
        "app/worker.py": worker,
        "app/boot.py": "from app.worker import Worker\nWorker().start()",
    }
    assert located(files, select=("RL402",)) == [("app/boot.py", 2, "RL402")]


def test_start_of_something_else() -> None:
    assert rl402("import re\nPOS = re.match('a', 'a').start()") == []
    assert rl402("class Engine:\n def start(self): pass\nEngine().start()") == []


def test_monkeypatching_another_module() -> None:
    # A patch that wraps the value it replaces stacks a wrapper on every reload ...
    wrap = "import json, functools\njson.dumps = functools.partial(json.dumps, indent=2)"
    assert rl402(wrap) == ["RL402"]
    # ... one that keeps nothing of it is replaced by the reload's own (good-replacing-patch).
    assert rl402("import json\njson.dumps = repr") == []
    assert rl402("import json\nsetattr(json, 'dumps', repr)") == []
    files = {
        "app/__init__.py": "",
        "app/clock.py": "def now(): return 0",
        "app/p.py": "from app import clock\nclock.now = lambda: 1",
    }
    assert located(files, select=("RL402",)) == []


def test_monkeypatch_near_misses() -> None:
    assert rl402("class A: pass\nA.x = 1") == []
    assert rl402("import types\nns = types.SimpleNamespace()\nns.x = 1") == []
    objects = {
        "app/__init__.py": "",
        "app/ext.py": "class Bus: pass\nbus = Bus()",
        "app/p.py": "from app.ext import bus\nbus.name = 'p'",
    }
    assert rl402(objects) == []


def test_registration_decorators() -> None:
    bus = (
        "class Bus:\n def subscribe(self, e): return lambda f: f\n task = subscribe\nbus = Bus()\n"
    )
    files = {"app/__init__.py": "", "app/events.py": bus}
    assert rl402(
        {**files, "app/h.py": "from app.events import bus\n@bus.subscribe('x')\ndef h(): pass"}
    ) == ["RL402"]
    assert rl402({**files, "app/h.py": "from app.events import bus\n@bus.task\ndef h(): pass"}) == [
        "RL402"
    ]
    assert rl402(
        {**files, "app/h.py": "import app.events\n@app.events.bus.subscribe('x')\ndef h(): pass"}
    ) == ["RL402"]
    # A signal holds its receivers weakly by default: the new function replaces the old one.
    receiver = "from django.dispatch import receiver\n@receiver(print{})\ndef h(): pass"
    assert rl402(receiver.format("")) == []
    assert rl402(receiver.format(", weak=False")) == ["RL402"]
    assert rl402(receiver.format(", dispatch_uid='h'")) == ["RL402"]
    assert rl402("import blinker\ns = blinker.signal('x')\ndef h(): pass\ns.connect(h)") == []
    assert rl402("import blinker\ndef h(): pass\nblinker.signal('x').connect(h, weak=False)") == [
        "RL402"
    ]
    assert rl402("import atexit\n@atexit.register\ndef bye(): pass") == ["RL402"]


def test_class_owners_register_only_by_name() -> None:
    plugin = (
        "class Plugin:\n"
        "    @classmethod\n    def register(cls, name): return lambda f: f\n"
        "    @staticmethod\n    def application(f): return f\n"
    )
    files = {"app/__init__.py": "", "app/plugin.py": plugin}
    assert rl402(
        {**files, "app/h.py": "from app.plugin import Plugin\n@Plugin.register('x')\ndef h(): pass"}
    ) == ["RL402"]
    assert (
        rl402(
            {
                **files,
                "app/h.py": "from app.plugin import Plugin\n@Plugin.application\ndef h(): pass",
            }
        )
        == []
    )


def test_wrapping_methods_of_objects() -> None:
    files = {
        "app/__init__.py": "",
        "app/ext.py": "class Cache:\n def memoize(self): return lambda f: f\ncache = Cache()",
    }
    assert (
        rl402({**files, "app/h.py": "from app.ext import cache\n@cache.memoize()\ndef h(): pass"})
        == []
    )


def test_registration_near_misses() -> None:
    assert (
        rl402("from flask import Flask\napp = Flask(__name__)\n@app.route('/')\ndef index(): pass")
        == []
    )
    assert rl402("import functools\n@functools.lru_cache(maxsize=None)\ndef f(): pass") == []
    assert rl402("import pytest\n@pytest.mark.parametrize('a', [1])\ndef test(a): pass") == []
    assert (
        rl402("from unittest import mock\n@mock.patch.object(print, 'x')\ndef test(m): pass") == []
    )
    modules = {"app/__init__.py": "", "app/deco.py": "def timed(label): return lambda f: f"}
    assert (
        rl402({**modules, "app/h.py": "from app import deco\n@deco.timed('x')\ndef h(): pass"})
        == []
    )
    dispatch = {
        "app/__init__.py": "",
        "app/fmt.py": "import functools\n@functools.singledispatch\ndef fmt(v): pass",
    }
    assert (
        rl402(
            {**dispatch, "app/h.py": "from app.fmt import fmt\n@fmt.register(int)\ndef _(v): pass"}
        )
        == []
    )


# ------------------------------------------------------------ RL402: not at import time, idempotent


def test_functions_and_main_block() -> None:
    assert rl402("import atexit\ndef setup(): atexit.register(print)") == []
    assert rl402("import atexit\nif __name__ == '__main__':\n    atexit.register(print)") == []


def test_idempotence_guards() -> None:
    log = "import logging\nlog = logging.getLogger('x')\n"
    add = "\n    log.addHandler(logging.StreamHandler())"
    register = "\n    atexit.register(print)\n    _DONE = True"
    assert rl402("import sys\nif 'x' not in sys.path:\n    sys.path.insert(0, 'x')") == []
    assert rl402(log + "if not log.handlers:" + add) == []
    assert rl402(log + "if not log.hasHandlers():" + add) == []
    assert rl402("import atexit\nif '_DONE' not in globals():" + register) == []
    assert rl402("import atexit\ntry:\n    _DONE\nexcept NameError:" + register) == []


def test_null_handler() -> None:
    assert (
        rl402("import logging\nlogging.getLogger(__name__).addHandler(logging.NullHandler())") == []
    )


def test_guard_does_not_cover_the_else_branch() -> None:
    assert rl402(
        "import sys\nif 'x' not in sys.path:\n    pass\nelse:\n    sys.path.remove('x')"
    ) == ["RL402"]


def test_rl402_not_reloadable_module() -> None:
    assert rl402("import atexit\natexit.register(print)", not_reloadable=("mod",)) == []


def test_helpers_that_only_run_at_import_time() -> None:
    helper = (
        "OPS = {}\ndef def_op(name, op):\n    OPS[name] = op\n"
        "def jump_op(name, op):\n    def_op(name, op)\n"
    )
    assert rl401(helper + "def_op('a', 1)\njump_op('b', 2)") == []
    assert rl401(helper + "def_op('a', 1)\ndel def_op, jump_op") == []
    registry = (
        "R = {}\ndef register(f):\n    R[f.__name__] = f\n    return f\n@register\ndef a(): pass\n"
    )
    assert rl401(registry) == []


def test_helpers_that_can_run_later() -> None:
    helper = "OPS = {}\ndef def_op(name, op):\n    OPS[name] = op\ndef_op('a', 1)\n"
    assert rl401(helper + "def later(): def_op('b', 2)") == ["RL401"]
    assert rl401(helper + "HOOK = def_op") == ["RL401"]
    assert rl401(helper + "__all__ = ['def_op']") == ["RL401"]
    assert rl401("OPS = {}\ndef f(): g(); OPS['f'] = 1\ndef g(): f()") == ["RL401"]
    files = {
        "app/__init__.py": "",
        "app/ops.py": helper,
        "app/use.py": "from app.ops import def_op\ndef f(): def_op('c', 3)",
    }
    assert rl401(files) == ["RL401"]


def test_monkeypatch_with_a_value_a_reload_computes_identically() -> None:
    assert rl402("import json\njson.flag = True") == []
    assert rl402("from json import JSONDecodeError\nJSONDecodeError.__module__ = __name__") == []
    assert rl402("import json, os\njson.sep = os.sep") == []
    assert rl402("import json\nsetattr(json, 'flag', True)") == []
    assert rl402("import json\n(json.a, json.b) = (None, 1)") == []
    # a function that keeps nothing of the value it replaces: the reload's own replaces it
    assert rl402("import json\njson.a, json.b = None, repr") == []
    assert rl402(
        "import json, functools\njson.dumps = functools.partial(json.dumps, indent=2)"
    ) == ["RL402"]
    assert rl402("import json\njson.dumps = lambda o: '{}'") == []


# ------------------------------------------------------------------ RL402: first-party registrars

REGISTRAR = """
REGISTRY = []
KEYED = {}
SEEN = set()

def register(func):
    REGISTRY.append(func)
    return func

def handler(kind):
    def decorate(func):
        REGISTRY.append(func)
        return func
    return decorate

def by_name(func):
    KEYED[func.__name__] = func
    return func

def remember(func):
    SEEN.add(func)
    return func

def forget(func):
    REGISTRY.remove(func)
    return func
"""


def registered(decorator: str, registry: str = REGISTRAR) -> list[str]:
    files = {
        "app/__init__.py": "",
        "app/registry.py": registry,
        "app/jobs.py": f"from app import registry\n\n{decorator}\ndef job():\n    pass\n",
    }
    return rl402(files)


def test_registrations_through_first_party_functions() -> None:
    assert registered("@registry.register") == ["RL402"]
    assert registered("@registry.handler('x')") == ["RL402"]  # a decorator factory
    assert registered("@registry.remember") == ["RL402"]  # a set grows too


def test_registrars_that_replace_or_remove_are_not_reported() -> None:
    assert registered("@registry.by_name") == []  # the reload replaces the entry
    assert registered("@registry.forget") == []


def test_a_registry_in_the_decorated_module_is_rebuilt_by_its_reload() -> None:
    local = "REGISTRY = []\n\ndef register(f):\n    REGISTRY.append(f)\n    return f\n\n"
    assert rl402(local + "@register\ndef job():\n    pass\n") == []
    guarded = local.replace("REGISTRY = []", "REGISTRY = globals().get('REGISTRY', [])")
    assert rl402(guarded + "@register\ndef job():\n    pass\n") == ["RL402"]


def test_registered_methods_and_the_message() -> None:
    files = {
        "app/__init__.py": "",
        "app/registry.py": REGISTRAR,
        "app/jobs.py": "from app.registry import register\n\n"
        "class Jobs:\n    @register\n    def run(self):\n        pass\n",
    }
    [found] = run(files, select=("RL402",))
    assert (found.path, found.location.row) == ("app/jobs.py", 4)
    assert "`app.jobs.Jobs.run`" in found.message and "`app.registry.REGISTRY`" in found.message


def test_a_value_computed_on_first_use_is_a_memo_not_state() -> None:
    early_return = (
        "_ID = None\ndef machine_id():\n    global _ID\n    if _ID is not None:\n"
        "        return _ID\n    _ID = compute()\n    return _ID\n"
    )
    guarded = (
        "_V = None\ndef version():\n    global _V\n    if _V is None:\n        _V = load()\n"
        "    return _V\n"
    )
    by_length = (
        "MAP = {}\ndef mapping():\n    global MAP\n    if len(MAP) == 0:\n        MAP = load()\n"
        "    return MAP\n"
    )
    falsy = "C = None\ndef get():\n    global C\n    if not C:\n        C = make()\n    return C\n"
    for source in (early_return, guarded, by_length, falsy):
        assert rl401(source) == [], source


def test_global_rebindings_that_are_state() -> None:
    # Not guarded, augmented, reading the old value, or guarded by something else.
    assert rl401("C = None\ndef set_(v):\n    global C\n    C = v\n") == ["RL401"]
    assert rl401("N = 0\ndef bump():\n    global N\n    if N is None:\n        N += 1\n") == [
        "RL401"
    ]
    assert rl401(
        "L = None\ndef add(x):\n    global L\n    if L is None:\n        L = (L or []) + [x]\n"
    ) == ["RL401"]
    assert rl401("C = None\ndef f(x):\n    global C\n    if x is None:\n        C = 1\n") == [
        "RL401"
    ]
