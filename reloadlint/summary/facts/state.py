"""State facts: what a module changes in module-level state, and what it does to the
process at import time that a reload does again.

Serves RL401 (module-state-reset: :class:`~reloadlint.summary.model.Mutation`,
``init_functions``, ``class_init_functions``, ``unused_functions`` and how the
module reads its containers, ``state_reads``: :mod:`.state_reads`) and RL402
(import-time-side-effect: :class:`~reloadlint.summary.model.Effect`,
:class:`~reloadlint.summary.model.Decoration`, and how functions keep what they
are given, ``keeps``: :mod:`.keeps`); the reload plan reads the decorations too
(registrations a removed function leaves behind).
"""

from __future__ import annotations

import ast

from reloadlint.summary import prepass
from reloadlint.summary.facts import state_reads
from reloadlint.summary.first_use import module_memos
from reloadlint.summary.lazy_init import lazy_globals, memo_names
from reloadlint.summary.model import Decoration, Effect, Mutation
from reloadlint.summary.nodes import argument
from reloadlint.summary.walk import HOOK_ATTRIBUTES, PROCESS_LISTS, Family, Scope, Walk

#: Methods that mutate a container in place.
MUTATING_METHODS = frozenset(
    {
        "append",
        "appendleft",
        "extend",
        "extendleft",
        "insert",
        "pop",
        "popleft",
        "popitem",
        "remove",
        "clear",
        "update",
        "setdefault",
        "add",
        "discard",
        "difference_update",
        "intersection_update",
        "symmetric_difference_update",
        "sort",
        "reverse",
        "rotate",
        "__setitem__",
        "__delitem__",
    }
)
#: Calls that register or start something process-wide -> what they do (RL402 says it).
EFFECT_CALLS: dict[str, str] = {
    "atexit.register": "registers an exit handler",
    "signal.signal": "installs a signal handler",
    "asyncio.create_task": "schedules an asyncio task",
    "asyncio.ensure_future": "schedules an asyncio task",
    "socket.create_server": "binds a listening socket",
    "subprocess.Popen": "starts a process",
    "codecs.register": "registers a codec search function",
    "sys.addaudithook": "adds an audit hook",
}
# Not listed: setters that replace by key or outright (``copyreg.pickle``,
# ``sys.settrace``, ``faulthandler.register``): a reload leaves nothing old behind.

#: Classes whose instances start something when ``.start()`` is called (RL402 asks
#: the project model whether a started object is one, or derives from one).
STARTABLE_CLASSES = frozenset(
    {
        "threading.Thread",
        "threading.Timer",
        "multiprocessing.Process",
        "multiprocessing.context.Process",
    }
)
#: Registration decorators that are plain functions.
#: (Not ``django.dispatch.receiver``: a signal holds its receivers weakly by default, and
#: the reload's new function replaces the old one; ``weak=False`` and ``dispatch_uid``
#: are reported from the keywords, whatever the decorator.)
REGISTRATION_DECORATORS = frozenset(
    {
        "atexit.register",
        "django.contrib.admin.register",
        "django.contrib.admin.decorators.register",
    }
)
#: Methods that add an entry to a container (another module's, at import time).
ADDING_METHODS = frozenset({"append", "appendleft", "insert", "extend", "extendleft", "add"})
#: Methods whose import-time call on a particular receiver is an effect (see ``method_call``).
_EFFECT_METHODS = ("start", "connect", "addHandler", "bind", "listen")


class StateFacts(Family):
    RULES = ("RL401", "RL402")
    CALLS = dict.fromkeys([*EFFECT_CALLS, "builtins.setattr"], "call")
    METHODS = dict.fromkeys([*MUTATING_METHODS, *_EFFECT_METHODS], "method_call")

    def __init__(self, walk: Walk) -> None:
        super().__init__(walk)
        #: top-level function -> per use: "" a call at import time, "g" a call in the body of
        #: top-level function g, None anything else (stored, passed, called later)
        self.function_uses: dict[str, list[str | None]] = {}
        #: the call of the expression statement being walked (its result is discarded)
        self.discarded_call: ast.Call | None = None
        #: the defs being walked, innermost last, with the containers each only fills as
        #: a memo (:func:`~reloadlint.summary.lazy_init.memo_names`), found when a change
        #: in the def first asks (most defs change no container: a scan of each would cost
        #: a tenth of a summary)
        self.memo_scopes: list[tuple[Scope, ast.FunctionDef | ast.AsyncFunctionDef]] = []
        self._memo_names: dict[int, set[str]] = {}
        self._asks_for_handlers: bool | None = None

    # ----------------------------------------------------------------- effects
    def call(self, node: ast.Call, callee: str) -> None:
        if (
            callee in EFFECT_CALLS
            and self.walk.import_time
            and not self._replaces_handler(node, callee)
        ):
            self._effect(Effect("call", self.walk.span(node), callee=callee))
        if callee == "builtins.setattr" and len(node.args) >= 2:
            self._setattr(node)

    def method_call(self, node: ast.Call, func: ast.Attribute, callee: str | None) -> None:
        walk, method, owner = self.walk, func.attr, func.value
        if method in MUTATING_METHODS:
            self._mutation(owner, "method", node.args[-1] if node.args else None, method)
        if not walk.import_time:
            return
        owner_name = walk.qualify(owner)
        if owner_name in PROCESS_LISTS and method in MUTATING_METHODS:
            span = walk.span(node)
            self._effect(Effect("sys-path", span, owner=owner_name, method=method, how="method"))
            return
        self._adds_elsewhere(node, owner, method)
        if method not in _EFFECT_METHODS:
            return
        made_by, called = walk.receiver(owner)
        if method == "start" and called:
            self._effect(Effect("start", walk.span(node), callee=made_by))
        elif method == "connect" and node.args:
            self._signal_keywords(node, "call")
        elif method == "addHandler" and not self._null_handler(node):
            self._effect(Effect("call", walk.span(node), method=method))
        elif method in ("bind", "listen") and called and made_by.startswith("socket."):
            self._effect(Effect("call", walk.span(node), callee=made_by, method=method))

    def _adds_elsewhere(self, node: ast.Call, owner: ast.expr, method: str) -> None:
        """``other.HANDLERS.append(f)`` (or ``.setdefault(k, []).append(f)``, ``.add(f)``)
        at import time: an entry added to another module's container, again on every
        reload; an item assignment (``other.TABLE[k] = f``) replaces and is not one."""
        if method not in ADDING_METHODS or not node.args:
            return
        if method == "add" and all(isinstance(arg, ast.Constant) for arg in node.args):
            return  # a set keeps one of each constant
        if (
            isinstance(owner, ast.Call)
            and isinstance(owner.func, ast.Attribute)
            and owner.func.attr == "setdefault"
        ):
            owner = owner.func.value
        walk = self.walk
        if not isinstance(owner, (ast.Name, ast.Attribute)) or not walk.names_import(owner):
            return
        qualified = walk.qualify(owner)
        if qualified and qualified not in PROCESS_LISTS:
            self._effect(Effect("adds", walk.span(node), owner=qualified, method=method))

    def on_statement_call(self, call: ast.Call) -> None:
        self.discarded_call = call

    def _replaces_handler(self, node: ast.Call, callee: str) -> bool:
        """``signal.signal(SIG, handler)`` as a statement, in a module that never asks for
        the previous handler (``signal.getsignal``): the new handler takes the old one's
        place. Keeping the previous one (``_prev = signal.signal(...)``) chains them, and
        every reload adds a link."""
        if callee != "signal.signal" or node is not self.discarded_call:
            return False
        if self._asks_for_handlers is None:
            self._asks_for_handlers = any(
                isinstance(sub, ast.Attribute) and sub.attr == "getsignal"
                for sub in ast.walk(self.walk.tree)
            )
        return not self._asks_for_handlers

    def _signal_keywords(self, node: ast.Call, how: str) -> bool:
        """A signal receiver connected (``how``: by a ``call`` or a ``decorator``) with
        ``weak=False`` (held strongly: the old one stays next to the new one) or a
        ``dispatch_uid`` (the new one is refused while the old one lives); the default
        weak reference lets a reload replace it (:mod:`.keeps`).

        A decorator connects the new function before the reload rebinds its name, so
        the old one still lives then; a ``connect(f, dispatch_uid=...)`` call after the
        ``def`` finds the old one dead already, unless it is held strongly."""
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        weak = keywords.get("weak")
        strong = isinstance(weak, ast.Constant) and weak.value is False
        if "dispatch_uid" in keywords and (how == "decorator" or strong):
            kind = "receiver-uid-strong" if strong else "receiver-uid"
        elif strong:
            kind = "receiver-strong"
        else:
            return False
        func = node.func
        callee = (self.walk.qualify(func) if how == "decorator" else None) or ast.unparse(func)
        self._effect(Effect(kind, self.walk.span(node), callee=callee, how=how))
        return True

    def _null_handler(self, node: ast.Call) -> bool:
        """``addHandler(logging.NullHandler())``: a library's logger setup; a duplicate does
        nothing."""
        handler = argument(node, 0, "hdlr")
        return (
            isinstance(handler, ast.Call)
            and self.walk.qualify(handler.func) == "logging.NullHandler"
        )

    def _setattr(self, node: ast.Call) -> None:
        walk = self.walk
        target = node.args[0]
        constant = len(node.args) > 2 and walk.same_on_reload(node.args[2])
        if (
            walk.import_time
            and not constant
            and isinstance(target, (ast.Name, ast.Attribute))
            and walk.names_import(target)
        ):
            qualified = walk.qualify(target)
            if qualified:
                # str(): how a constant name reads (bytes: "b'x'")
                arg = node.args[1]
                name = str(arg.value) if isinstance(arg, ast.Constant) else "..."
                span = walk.span(node)
                self._effect(Effect("monkeypatch", span, owner=qualified, attribute=name))

    def on_store_item(self, target: ast.Subscript, value: ast.expr | None) -> None:
        self._mutation(target.value, "item", value)
        self._sys_path_edit(target.value, "item")

    def on_store_attribute(self, target: ast.Attribute, value: ast.expr | None) -> None:
        self._monkeypatch(target, value)
        self._sys_path_edit(target, "replace")

    def _monkeypatch(self, target: ast.Attribute, value: ast.expr | None) -> None:
        walk = self.walk
        if not walk.import_time or walk.scopes[-1].kind == "class":
            return
        if value is not None and walk.same_on_reload(value):
            return  # `mod.flag = True` is set again, identically: nothing old stays behind
        owner = target.value
        if not isinstance(owner, (ast.Name, ast.Attribute)):
            return
        qualified = walk.qualify(owner)
        if qualified is None or qualified.startswith("builtins."):
            return
        if isinstance(owner, ast.Name):
            _, where = walk.resolve(owner.id)
            if where not in ("module", "function"):
                return
        if f"{qualified}.{target.attr}" in HOOK_ATTRIBUTES or qualified in PROCESS_LISTS:
            return
        if not walk.names_import(owner):
            return
        span = walk.span(target)
        self._effect(Effect("monkeypatch", span, owner=qualified, attribute=target.attr))

    def _sys_path_edit(self, node: ast.expr, how: str) -> None:
        walk = self.walk
        if walk.import_time:
            qualified = walk.qualify(node)
            if qualified in PROCESS_LISTS:
                self._effect(Effect("sys-path", walk.span(node), owner=qualified, how=how))

    def _effect(self, effect: Effect) -> None:
        """Record an import-time effect, unless a guard on the process's own state makes it
        happen once per process; one under a guard on the module's namespace is recorded
        as such (a reload that clears the namespace first runs it again)."""
        if not self.walk.idempotent:
            effect.namespace_guarded = self.walk.namespace_guarded
            self.out.effects.append(effect)

    def on_decorator(self, decorator: ast.expr, node: ast.AST) -> None:
        if self.walk.import_time:
            self._registration_decorator(decorator)
            self._decoration(decorator, node)

    def _registration_decorator(self, decorator: ast.expr) -> None:
        walk = self.walk
        func = decorator.func if isinstance(decorator, ast.Call) else decorator
        qualified = walk.qualify(func)
        if isinstance(decorator, ast.Call) and self._signal_keywords(decorator, "decorator"):
            return
        if qualified in REGISTRATION_DECORATORS:
            self._effect(Effect("decorator", walk.span(decorator), callee=qualified))
            return
        if not isinstance(func, ast.Attribute):  # `@bus.subscribe("x")` and bare `@celery_app.task`
            return
        owner = func.value
        if not isinstance(owner, (ast.Name, ast.Attribute)) or not walk.names_import(owner):
            return
        owner_name = walk.qualify(owner)
        if owner_name is None or owner_name.startswith(walk.module + "."):
            return
        # The owner must be an object from another module, not a module: the
        # project model checks that.
        span = walk.span(decorator)
        self._effect(Effect("registration", span, owner=owner_name, method=func.attr))

    def _decoration(self, decorator: ast.expr, node: ast.AST) -> None:
        """Record ``@name``/``@name(...)`` on a definition that runs at import time."""
        walk = self.walk
        called = isinstance(decorator, ast.Call)
        func = decorator.func if isinstance(decorator, ast.Call) else decorator
        qualified = walk.qualify(func)
        enclosing = walk.scopes[-1]
        if qualified is None or qualified.startswith("builtins.") or enclosing.kind == "function":
            return
        name = getattr(node, "name", "")
        target = f"{enclosing.qualname}.{name}" if enclosing.qualname else name
        self.out.decorations.append(Decoration(qualified, walk.span(decorator), target, called))

    # ----------------------------------------------------------------- mutations
    def _mutation(
        self, node: ast.expr, how: str, stored: ast.expr | None = None, method: str = ""
    ) -> None:
        """Record a change to a module-level name (``REG[k] = v``, ``REG[k].append(v)``,
        ``REG.setdefault(k, []).append(v)``).

        Module-level code changing this module's own names is skipped: a reload
        repeats import-time code, and a main block never runs in a reloaded
        module. Another module's names count wherever they change (their
        module's reload loses the change); ``function`` is "" for those.
        ``stored`` is the value put in, when known.
        """
        walk = self.walk
        if walk.type_checking:
            return
        while True:
            if isinstance(node, ast.Subscript):
                node = node.value
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("setdefault", "get")
            ):
                node = node.func.value
            else:
                break
        if not isinstance(node, (ast.Name, ast.Attribute)):
            return
        qualified = walk.qualify(node)
        if not qualified or qualified.startswith("builtins."):
            return
        function = walk.function_scope()
        if not function and not walk.names_import(node):
            return
        stores = stored.id if isinstance(stored, ast.Name) else ""
        memo = bool(function) and isinstance(node, ast.Name) and node.id in self._memos()
        mutation = Mutation(qualified, walk.span(node), how, function, method, stores, memo)
        self.out.mutations.append(mutation)

    def _memos(self) -> set[str]:
        """The containers the innermost function being walked (a lambda's: none) only
        fills as a memo."""
        scope = next((s for s in reversed(self.walk.scopes) if s.kind == "function"), None)
        if scope is not None and self.memo_scopes and self.memo_scopes[-1][0] is scope:
            node = self.memo_scopes[-1][1]
            names = self._memo_names.get(id(node))
            if names is None:
                names = self._memo_names[id(node)] = memo_names(node)
            return names
        return set()

    def on_delete(self, target: ast.expr) -> None:
        walk = self.walk
        if isinstance(target, ast.Subscript):
            self._mutation(target.value, "del-item")
        elif isinstance(target, ast.Name) and walk.scopes[-1].kind == "module" and walk.import_time:
            items = walk.pre.names.get(target.id)
            if items and all(item.kind == "function" for item in items):
                # `del helper`: nothing can call it later
                self.function_uses.setdefault(target.id, [])

    def on_function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, enclosing: Scope, scope: Scope
    ) -> None:
        """``global X`` in a function and an assignment to ``X``: a rebinding of module state."""
        self.memo_scopes.append((scope, node))
        declared = scope.declared_global
        if not declared:
            return
        # A value computed on first use (``if X is None: X = compute()``) is a memo:
        # after a reload the next call computes it again. Not state.
        declared = declared - lazy_globals(node, declared)
        walk = self.walk
        for sub in ast.walk(node):
            if isinstance(sub, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
                for target in targets:
                    for name in prepass._targets(target):
                        if name.id in declared:
                            qualified = f"{walk.module}.{name.id}"
                            mutation = Mutation(
                                qualified,
                                walk.span(name),
                                "global",
                                scope.qualname,
                                memo=_empties(sub),
                            )
                            self.out.mutations.append(mutation)

    def on_function_exit(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, enclosing: Scope
    ) -> None:
        self.memo_scopes.pop()

    # ----------------------------------------------------------------- import-time functions
    def name_hooks(self) -> list[str]:
        """The module's top-level functions (every binding of the name is a def)."""
        names = self.walk.pre.names.items()
        return [name for name, items in names if all(item.kind == "function" for item in items)]

    def on_name(self, node: ast.Name) -> None:
        """Note whether this load of a top-level function is a call at import time (RL401)."""
        walk = self.walk
        if walk.resolve(node.id)[1] != "module":
            return
        where: str | None = None
        if id(node) in walk.callee_names:
            innermost = walk.scopes[-1]
            caller = innermost.qualname
            if walk.import_time:
                where = ""
            elif innermost.kind in ("function", "comprehension") and "." not in caller:
                where = caller or None
        self.function_uses.setdefault(node.id, []).append(where)

    def on_finish(self) -> None:
        out, tree = self.out, self.walk.tree
        out.init_functions = init_functions(self.function_uses)
        prefix = f"{self.walk.module}."
        own = [
            m for m in out.mutations if m.function and not m.memo and m.qualified.startswith(prefix)
        ]
        if own:
            # set up on first use across functions (an init helper, a flag, a fill on a miss)
            memos = module_memos(tree, {m.qualified.removeprefix(prefix) for m in own})
            for mutation in own:
                name = mutation.qualified.removeprefix(prefix)
                mutation.memo = (name, "") in memos or (name, mutation.function) in memos
        state_reads.collect(tree, out, self.function_uses)


def _empties(stmt: ast.AST) -> bool:
    """``X = {}``, ``X = []``, ``X = set()``, ``X = None``: a reset, which records nothing."""
    value = getattr(stmt, "value", None) if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
    if isinstance(value, ast.Constant):
        return value.value is None
    if isinstance(value, (ast.Dict, ast.List, ast.Set, ast.Tuple)):
        return not (getattr(value, "keys", None) or getattr(value, "elts", None))
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id in ("dict", "list", "set", "OrderedDict", "defaultdict")
        and not value.keywords
        and len(value.args) <= (1 if value.func.id == "defaultdict" else 0)
    )


def init_functions(uses: dict[str, list[str | None]]) -> list[str]:
    """Functions that run only while the module is imported: called at import
    time, or only from functions that are (least fixpoint, so that two
    functions calling each other and nothing else do not qualify). A function
    without uses is listed only when deleted at import time (``del helper``)."""
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, where in uses.items():
            if name in found:
                continue
            if all(w == "" or (w and w in found and w != name) for w in where):
                found.add(name)
                changed = True
    return sorted(found)
