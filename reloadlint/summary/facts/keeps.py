"""How each function keeps what it is given: by key, by adding it, or weakly (RL402).

A decorator method such as ``@Field.register_lookup`` or ``@bus.subscribe("x")``
registers the function it decorates, and whether a reload of the decorated
module leaves the old function registered depends on what the method does
with it:

- ``replaces``: it stores it under a key or in an attribute
  (``cls.lookups[name] = lookup``, ``self.table[tag] = f``): the reload
  registers the new function under the same key, in place of the old one;
- ``weak``: it holds it through a weak reference (``weakref.ref(receiver)``,
  or hands it to a signal's ``connect`` without ``weak=False``): the old
  function dies once the reload rebinds its name, and leaves the registry;
- ``adds``: it appends or adds it (``self.handlers.append((event, f))``): the
  old and the new function both stay registered, and both run.

One summary fact, ``ModuleSummary.keeps``: qualified function name ->
verdict, for the functions where one was seen (the parameters of the
function and of the functions nested in it, ``self``/``cls`` aside). A
function whose verdict is not known is absent. Class-body aliases
(``register_lookup = class_or_instance_method(register_class_lookup, ...)``)
take the verdict of the methods they are made of. Reading only: nothing
here runs analysed code.

The calls and assignments each function holds are gathered by the
summariser's walk, which visits every node once anyway (:class:`KeepsFacts`);
a walk of each function of its own cost a tenth of a summary.
"""

from __future__ import annotations

import ast

from reloadlint.summary.walk import Family, Scope, Walk

#: Strongest first: a weak reference decides over the container it goes into
#: (``self.receivers.append((key, weakref.ref(f)))``), adding over replacing.
_ORDER = ("weak", "adds", "replaces")
_ADDING = frozenset({"append", "add", "insert", "appendleft", "extend", "extendleft"})
_WEAK = frozenset({"ref", "WeakMethod", "proxy", "finalize"})
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


class _Judged:
    """What one function's verdict is made of: the parameters it and the functions
    nested in it are given, and its calls and assignments (anywhere in it)."""

    __slots__ = ("candidates", "node", "params")

    def __init__(self, node: ast.FunctionDef | ast.AsyncFunctionDef, in_class: bool) -> None:
        self.node = node
        self.params = _params(node, in_class)
        # Its decorators, defaults and annotations: the walk visits them before the def.
        self.candidates: list[ast.AST] = _header_calls(node)


def _header_calls(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
    """The calls in a def's decorators, defaults and annotations (mostly names and
    constants: nothing to walk)."""
    args = node.args
    stack: list[ast.AST | None] = [*node.decorator_list, *args.defaults, *args.kw_defaults]
    for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
        if arg is not None:
            stack.append(arg.annotation)
    stack.append(node.returns)
    calls: list[ast.AST] = []
    while stack:
        part = stack.pop()
        kind = type(part)
        if kind is ast.Name or kind is ast.Constant or part is None:
            continue
        if kind is ast.Call:
            calls.append(part)
        stack.extend(ast.iter_child_nodes(part))
    return calls


class KeepsFacts(Family):
    """Gathers, as the walk goes, the calls and assignments of each function that
    ``keeps`` judges (a module's or a class body's own), and records ``keeps``."""

    RULES = ("RL402",)

    def __init__(self, walk: Walk) -> None:
        super().__init__(walk)
        #: the functions judged (their ids) -> whether in a class body
        self.judged: dict[int, bool] = {}
        _judged(walk.tree.body, False, self.judged)
        self.current: _Judged | None = None
        self.done: dict[int, _Judged] = {}

    def on_function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, enclosing: Scope, scope: Scope
    ) -> None:
        current = self.current
        if current is not None:
            current.params |= _params(node, False)
        elif id(node) in self.judged:
            self.current = _Judged(node, self.judged[id(node)])

    def on_function_exit(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, enclosing: Scope
    ) -> None:
        current = self.current
        if current is not None and current.node is node:
            self.done[id(node)] = current
            self.current = None

    def on_call(self, node: ast.Call, callee: str | None) -> None:
        if self.current is not None:
            self.current.candidates.append(node)

    def on_assign(self, node: ast.Assign | ast.AnnAssign, targets: list[ast.expr]) -> None:
        if self.current is not None:
            self.current.candidates.append(node)

    def on_finish(self) -> None:
        self.out.keeps = keeps(self.walk.tree, self.done)


def _judged(body: list[ast.stmt], in_class: bool, out: dict[int, bool]) -> None:
    for stmt in body:
        if isinstance(stmt, ast.ClassDef):
            _judged(stmt.body, True, out)
        elif isinstance(stmt, _FUNCTIONS):
            out[id(stmt)] = in_class


def keeps(tree: ast.Module, gathered: dict[int, _Judged] | None = None) -> dict[str, str]:
    """Qualified function name -> ``replaces``, ``weak`` or ``adds`` (see the module doc).
    ``gathered``: what the walk gathered for each function (by id); a function it lacks
    is walked here."""
    out: dict[str, str] = {}
    _scan(tree.body, "", False, out, gathered or {})
    return out


def _scan(
    body: list[ast.stmt],
    prefix: str,
    in_class: bool,
    out: dict[str, str],
    gathered: dict[int, _Judged],
) -> None:
    for stmt in body:
        if isinstance(stmt, ast.ClassDef):
            _scan(stmt.body, f"{prefix}{stmt.name}.", True, out, gathered)
            _aliases(stmt.body, f"{prefix}{stmt.name}.", out)
        elif isinstance(stmt, _FUNCTIONS):
            judged = gathered.get(id(stmt))
            if judged is not None:
                verdict = _judge(judged.params, judged.candidates)
            else:
                verdict = _verdict(stmt, in_class)
            if verdict:
                out[prefix + stmt.name] = verdict


def _aliases(body: list[ast.stmt], prefix: str, out: dict[str, str]) -> None:
    """``name = other_method`` or ``name = wrapper(method_a, method_b)`` in a class body."""
    for stmt in body:
        if not (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
        ):
            continue
        value = stmt.value
        parts = value.args if isinstance(value, ast.Call) else [value]
        found = [
            out[prefix + part.id]
            for part in parts
            if isinstance(part, ast.Name) and prefix + part.id in out
        ]
        if found:
            out[prefix + stmt.targets[0].id] = _strongest(found)


def _verdict(function: ast.FunctionDef | ast.AsyncFunctionDef, in_class: bool) -> str:
    params = _params(function, in_class)
    # One walk (it is most of this module's cost): the parameters of nested functions
    # count wherever they are, so the candidates are judged once all are known.
    candidates: list[ast.AST] = []
    for node in ast.walk(function):
        if isinstance(node, _FUNCTIONS):
            if node is not function:
                params |= _params(node, False)
        elif isinstance(node, (ast.Call, ast.Assign, ast.AnnAssign)):
            candidates.append(node)
    return _judge(params, candidates)


def _judge(params: set[str], candidates: list[ast.AST]) -> str:
    if not params:
        return ""  # nothing given to it, nothing it could keep
    found = []
    for node in candidates:
        if isinstance(node, ast.Call):
            found.extend(_call(node, params))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            keyed = any(isinstance(t, ast.Subscript) for t in targets)
            attribute = any(isinstance(t, ast.Attribute) for t in targets)
            if (keyed and _mentions(node.value, params)) or (
                attribute and _is_param(node.value, params)
            ):
                found.append("replaces")
    return _strongest(found) if found else ""


def _call(node: ast.Call, params: set[str]) -> list[str]:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    first = node.args[0] if node.args else None
    if name in _WEAK and first is not None and _is_param(first, params):
        return ["weak"]
    if name == "connect" and first is not None and _is_param(first, params):
        strong = any(
            k.arg == "weak" and isinstance(k.value, ast.Constant) and k.value.value is False
            for k in node.keywords
        )
        return ["adds" if strong else "weak"]
    if (
        isinstance(func, ast.Attribute)
        and name in _ADDING
        and any(_mentions(arg, params) for arg in node.args)
    ):
        return ["adds"]
    if name == "setattr" and len(node.args) == 3 and _is_param(node.args[2], params):
        return ["replaces"]
    return []


def _params(function: ast.FunctionDef | ast.AsyncFunctionDef, method: bool) -> set[str]:
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    if method and positional:
        positional = positional[1:]  # self / cls
    names = {a.arg for a in (*positional, *args.kwonlyargs)}
    return names - {"self", "cls"}


def _is_param(node: ast.expr, params: set[str]) -> bool:
    return isinstance(node, ast.Name) and node.id in params


def _mentions(node: ast.expr, params: set[str]) -> bool:
    return any(isinstance(sub, ast.Name) and sub.id in params for sub in ast.walk(node))


def _strongest(verdicts: list[str]) -> str:
    return min(verdicts, key=_ORDER.index)
