"""Identity facts: what a module keeps by value at import time, which classes it
compares objects against, which named values it stores lastingly or compares by
identity.

Serves RL103 (captured-callable: :class:`~reloadlint.summary.model.Capture`),
RL104 (identity-sensitive-definition: :class:`~reloadlint.summary.model.Store`,
``is`` operands as ``identities``, with the type checks) and RL105
(class-identity-check: :class:`~reloadlint.summary.model.TypeCheck`); the reload
plan reads the captures and RL104's facts too. RL101 and RL102 read the core
walk's imports and their uses, RL104 also its bindings and the classes family's facts.
"""

from __future__ import annotations

import ast

from reloadlint.summary.facts.state import EFFECT_CALLS
from reloadlint.summary.model import Capture, Ref, Store, TypeCheck
from reloadlint.summary.nodes import argument
from reloadlint.summary.walk import FUNCTIONS, HOOK_ATTRIBUTES, Family, Scope

#: Process-wide registrations that keep the callback they are given:
#: callee -> (positional index, keyword name) of the callback argument.
CALLBACK_REGISTRATIONS: dict[str, tuple[int | None, str | None]] = {
    "atexit.register": (0, "func"),
    "signal.signal": (1, "handler"),
    "threading.Thread": (1, "target"),
    "threading.Timer": (1, "function"),
    "weakref.finalize": (1, "func"),
    "functools.partial": (0, "func"),
    "functools.partialmethod": (0, "func"),
    "multiprocessing.Process": (1, "target"),
}
#: Callback-taking methods, whatever the receiver.
CALLBACK_METHODS: dict[str, tuple[int | None, str | None]] = {
    "add_done_callback": (0, "fn"),
    "call_soon": (0, None),
    "call_soon_threadsafe": (0, None),
    "call_later": (1, None),
    "call_at": (1, None),
    "add_reader": (1, None),
    "add_writer": (1, None),
    "add_signal_handler": (1, None),
}
TYPE_CHECK_FUNCTIONS = frozenset({"builtins.isinstance", "builtins.issubclass"})


class IdentityFacts(Family):
    RULES = ("RL103", "RL104", "RL105")
    CALLS = {
        **dict.fromkeys([*CALLBACK_REGISTRATIONS, *TYPE_CHECK_FUNCTIONS], "call"),
        "builtins.setattr": "setattr_call",
    }
    METHODS = dict.fromkeys(CALLBACK_METHODS, "method_call")

    def call(self, node: ast.Call, callee: str) -> None:
        if callee in CALLBACK_REGISTRATIONS and self.walk.import_time:
            self._capture(
                argument(node, *CALLBACK_REGISTRATIONS[callee]), "argument", callee, callback=True
            )
        if callee in TYPE_CHECK_FUNCTIONS and len(node.args) >= 2:
            classes = node.args[1]
            for kind in classes.elts if isinstance(classes, ast.Tuple) else [classes]:
                self._type_check(kind, callee.rpartition(".")[2])

    def method_call(self, node: ast.Call, func: ast.Attribute, callee: str | None) -> None:
        if self.walk.import_time:
            method = func.attr
            self._capture(
                argument(node, *CALLBACK_METHODS[method]), "method-argument", method, callback=True
            )

    def setattr_call(self, node: ast.Call, callee: str) -> None:
        if len(node.args) >= 3:
            self._store(node.args[2])

    def on_call(self, node: ast.Call, callee: str | None) -> None:
        if self.walk.import_time:  # what a call made at import time is given, it may keep
            for argument in (*node.args, *(k.value for k in node.keywords)):
                self._store(argument)

    def on_default(self, default: ast.expr, node: ast.AST) -> None:
        if self.walk.import_time:
            self._capture(default, "default")
            if not isinstance(node, ast.Lambda):
                self._store(default)

    def on_store(self, target: ast.expr, value: ast.expr | None, augmented: bool) -> None:
        if not augmented and (
            isinstance(target, (ast.Subscript, ast.Attribute))
            or (isinstance(target, ast.Name) and self.walk.import_time)
        ):
            self._store(value)

    def on_class(self, node: ast.ClassDef, qualname: str, enclosing: Scope) -> None:
        if self.walk.import_time:
            for base in node.bases:
                self._capture(base, "base")
            metaclass = next((k.value for k in node.keywords if k.arg == "metaclass"), None)
            if metaclass is not None:
                self._capture(metaclass, "metaclass")

    def on_assign(self, node: ast.Assign | ast.AnnAssign, targets: list[ast.expr]) -> None:
        walk = self.walk
        if not walk.import_time or node.value is None:
            return
        kind = walk.scopes[-1].kind
        hooks = [
            t
            for t in targets
            if isinstance(t, ast.Attribute) and walk.qualify(t) in HOOK_ATTRIBUTES
        ]
        if hooks:
            self._capture(node.value, "hook", walk.qualify(hooks[0]) or "")
        elif kind == "module" and any(isinstance(t, ast.Name) for t in targets):
            self._capture(node.value, "module-name")
        elif kind == "class":
            self._capture(node.value, "class-attribute")

    def on_container(self, node: ast.Dict | ast.List | ast.Set | ast.Tuple) -> None:
        walk = self.walk
        if walk.import_time and not walk.in_annotation and not walk.in_slice:
            if isinstance(node, ast.Dict):
                elements = [*(k for k in node.keys if k is not None), *node.values]
            else:
                elements = node.elts
            for element in elements:
                self._capture(element, "container")

    def on_except(self, kind: ast.expr) -> None:
        self._type_check(kind, "except")

    def on_compare(self, node: ast.Compare) -> None:
        walk = self.walk
        if any(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
            for operand in (node.left, *node.comparators):
                qualified = walk.qualify(operand)
                if qualified is not None and not qualified.startswith("builtins."):
                    self.out.identities.append(Ref(qualified, walk.span(operand)))
        left = node.left
        if (
            isinstance(left, ast.Call)
            and self.walk.qualify(left.func) == "builtins.type"
            and len(node.ops) == 1
            and isinstance(node.ops[0], (ast.Is, ast.IsNot, ast.Eq, ast.NotEq))
        ):
            self._type_check(node.comparators[0], "type-comparison")

    def on_decorator(self, decorator: ast.expr, node: ast.AST) -> None:
        """``@fn.register(Cls)`` and ``@fn.register`` with an annotated first parameter."""
        if isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute):
            if (
                decorator.func.attr == "register"
                and decorator.args
                and self.walk.qualify(decorator.func) not in EFFECT_CALLS
            ):
                self._type_check(decorator.args[0], "singledispatch")
        elif (
            isinstance(decorator, ast.Attribute)
            and decorator.attr == "register"
            and isinstance(node, FUNCTIONS)
        ):
            params = [*node.args.posonlyargs, *node.args.args]
            if params and params[0].annotation is not None:
                self._type_check(params[0].annotation, "singledispatch")

    def _capture(
        self, node: ast.expr | None, how: str, target: str = "", *, callback: bool = False
    ) -> None:
        if node is None or not isinstance(node, (ast.Name, ast.Attribute)):
            return
        qualified = self.walk.qualify(node)
        if qualified is None or qualified.startswith("builtins."):
            return
        self.out.captures.append(Capture(qualified, self.walk.span(node), how, target, callback))

    def _store(self, value: ast.expr | None) -> None:
        """Record the named values ``value`` puts somewhere lasting (``self.state = State.NEW``,
        ``f.pass_arg = _PassArg.context``, ``(Kind.A, 1)`` items, ``State(x)``)."""
        pending = [value] if value is not None else []
        how = "import" if self.walk.import_time else "runtime"
        while pending:
            node = pending.pop()
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                pending += node.elts
            elif isinstance(node, ast.Dict):
                pending += [k for k in node.keys if k is not None] + node.values
            elif isinstance(node, ast.IfExp):
                pending += [node.body, node.orelse]
            elif isinstance(node, ast.Starred):
                pending.append(node.value)
            elif isinstance(node, ast.Call):
                pending.append(node.func)
            elif isinstance(node, (ast.Name, ast.Attribute)):
                qualified = self.walk.qualify(node)
                if qualified is not None and not qualified.startswith("builtins."):
                    self.out.stores.append(Store(qualified, self.walk.span(node), how))

    def _type_check(self, node: ast.expr, how: str) -> None:
        if isinstance(node, (ast.Name, ast.Attribute)):
            qualified = self.walk.qualify(node)
            if qualified and not qualified.startswith("builtins."):
                self.out.type_checks.append(TypeCheck(qualified, self.walk.span(node), how))
