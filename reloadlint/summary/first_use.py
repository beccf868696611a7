"""Module globals set up on first use across functions: memos, not state (RL401).

:mod:`reloadlint.summary.lazy_init` reads one function at a time. Some values are
set up by one function and guarded or read by another; after a reload the next
call sets them up again, so nothing the process recorded is lost:

- an init helper, called only where a name it sets is unset (``if _re is None:
  _init_regex()``), that sets its globals from nothing it is given (not from its
  parameters, not from their old values);
- a private flag of one function's own procedure: every change to it is a constant,
  made by that function, which tests it, and no other function reads it
  (``_O_TMPFILE_WORKS = False`` once a probe fails, a re-entrancy flag, a "checked"
  flag);
- a container filled on a miss: a function that tests the key (``if k in CACHE``)
  calls the function that fills it, with values it computes (not an argument as
  given, not from the container's old contents), as ``linecache.getlines`` calls
  ``updatecache``.

The module's functions are indexed once (their own nodes, the names they mention,
test and call), so the cost is one pass over the functions plus a little per
candidate name, not a walk of the module per name.
"""

from __future__ import annotations

import ast
from collections import Counter

from reloadlint.summary.lazy_init import (
    _container,
    _is_param,
    _is_set,
    _is_unset,
    _mentions,
    _own_nodes,
    _reads,
)
from reloadlint.summary.prepass import _targets

_Function = ast.FunctionDef | ast.AsyncFunctionDef


class _Index:
    """What each function of the module does, from one pass over its own nodes."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.top = _module_functions(tree.body)
        self.every: list[_Function] = []
        self.lambda_names: set[str] = set()
        self.references: Counter[str] = Counter()
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.every.append(node)
            elif isinstance(node, ast.Name):
                self.references[node.id] += 1
            elif isinstance(node, ast.Lambda):
                self.lambda_names.update(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
        self.own = {id(f): _own_nodes(f) for f in self.every}
        self.names = {
            id(f): {n.id for n in nodes if isinstance(n, ast.Name)}
            for f in self.every
            for nodes in (self.own[id(f)],)
        }
        self.declared = {
            id(f): {name for n in self.own[id(f)] if isinstance(n, ast.Global) for name in n.names}
            for f in self.every
        }

    def assignments(self, function: _Function, names: set[str]) -> dict[str, list[ast.stmt]]:
        found: dict[str, list[ast.stmt]] = {}
        if not names:
            return found
        for node in self.own[id(function)]:
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    for name in _targets(target):
                        if name.id in names:
                            found.setdefault(name.id, []).append(node)
        return found

    def tested(self, function: _Function) -> set[str]:
        """The containers ``function`` tests a key of, or for emptiness."""
        found: set[str] = set()
        for node in self.own[id(function)]:
            if isinstance(node, ast.Compare):
                for op, right in zip(node.ops, node.comparators, strict=True):
                    if isinstance(op, (ast.In, ast.NotIn)):
                        found.add(_container(right) or "")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and isinstance(node.func.value, ast.Name)
            ):
                found.add(node.func.value.id)
            elif isinstance(node, ast.Try):
                found.update(
                    _container(sub) or ""
                    for stmt in node.body
                    for sub in ast.walk(stmt)
                    if isinstance(sub, ast.Subscript)
                )
            elif isinstance(node, ast.If):
                found.update(
                    n.id
                    for n in ast.walk(node.test)
                    if isinstance(n, ast.Name) and _is_unset(node.test, n.id)
                )
        return found

    def called(self, function: _Function) -> set[str]:
        return {
            node.func.id
            for node in self.own[id(function)]
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        }


def module_memos(tree: ast.Module, wanted: set[str]) -> set[tuple[str, str]]:
    """The changes that set up ``wanted`` globals on first use, as (name, function):
    the changes ``function`` makes to ``name`` (every function's, for "") are a memo's.
    ``wanted``: the names the module changes in its functions, not already known as
    a memo's (only those are looked at)."""
    index = _Index(tree)
    found = _init_helpers(index, wanted)
    found |= {(name, "") for name in _private_flags(index, wanted)}
    return found | {(name, "") for name in _filled_on_miss(index, wanted)}


def _module_functions(body: list[ast.stmt]) -> dict[str, _Function]:
    """The module's top-level functions (also those defined in ``if``/``try`` blocks)."""
    found: dict[str, _Function] = {}
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found[stmt.name] = stmt
        elif isinstance(stmt, (ast.If, ast.Try, ast.With)):
            for field_name in ("body", "orelse", "finalbody"):
                found.update(_module_functions(getattr(stmt, field_name, [])))
            for handler in getattr(stmt, "handlers", ()):
                found.update(_module_functions(handler.body))
    return found


def _parameters(function: _Function) -> set[str]:
    args = function.args
    names = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    return names | {a.arg for a in (args.vararg, args.kwarg) if a is not None}


def _init_helpers(index: _Index, wanted: set[str]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for name, function in index.top.items():
        assigned = index.assignments(function, index.declared[id(function)] & wanted)
        if not assigned:
            continue
        params = _parameters(function)
        if any(
            isinstance(stmt, ast.AugAssign)
            or _reads(stmt, target)
            or (isinstance(stmt, ast.Assign) and any(_mentions(stmt, p) for p in params))
            for target, stmts in assigned.items()
            for stmt in stmts
        ):
            continue
        calls: list[frozenset[str]] = []
        _guarded_calls(index.tree.body, name, frozenset(), calls, top=True)
        for other in index.top.values():
            if other is not function and name in index.names[id(other)]:
                _guarded_calls(other.body, name, frozenset(), calls, top=False)
        if (
            calls
            and len(calls) == index.references[name]  # none elsewhere (a method, a closure)
            and all(guards & set(assigned) for guards in calls)
        ):
            found.update((target, name) for target in assigned)
    return found


def _guarded_calls(
    body: list[ast.stmt], callee: str, guards: frozenset[str], out: list[frozenset[str]], top: bool
) -> None:
    """The references to ``callee`` in ``body``, each with the names a test that they are
    unset guards it (none at the module's top level: not a first use)."""
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(stmt, ast.If):
            _calls_in(stmt.test, callee, guards, out, top)
            names = [n.id for n in ast.walk(stmt.test) if isinstance(n, ast.Name)]
            unset = frozenset(n for n in names if _is_unset(stmt.test, n))
            is_set = frozenset(n for n in names if _is_set(stmt.test, n))
            _guarded_calls(stmt.body, callee, guards | unset, out, top)
            _guarded_calls(stmt.orelse, callee, guards | is_set, out, top)
            if is_set and stmt.body and isinstance(stmt.body[-1], (ast.Return, ast.Raise)):
                guards = guards | is_set  # ``if X is not None: return X``: what follows runs unset
            continue
        compound = False
        for field_name in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, field_name, None)
            if isinstance(inner, list):
                compound = True
                _guarded_calls(inner, callee, guards, out, top)
        for handler in getattr(stmt, "handlers", ()):
            _guarded_calls(handler.body, callee, guards, out, top)
        if compound:
            for field_name in ("test", "iter"):
                part = getattr(stmt, field_name, None)
                if isinstance(part, ast.expr):
                    _calls_in(part, callee, guards, out, top)
            for item in getattr(stmt, "items", ()):
                _calls_in(item.context_expr, callee, guards, out, top)
        else:
            _calls_in(stmt, callee, guards, out, top)


def _calls_in(
    node: ast.AST, callee: str, guards: frozenset[str], out: list[frozenset[str]], top: bool
) -> None:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id == callee:
            out.append(frozenset() if top else guards)


def _private_flags(index: _Index, wanted: set[str]) -> set[str]:
    setters: dict[str, list[_Function]] = {}
    constant: dict[str, bool] = {}
    for function in index.every:
        names = index.declared[id(function)] & {w for w in wanted if w.startswith("_")}
        for target, stmts in index.assignments(function, names).items():
            setters.setdefault(target, []).append(function)
            plain = all(
                isinstance(s, ast.Assign) and isinstance(s.value, ast.Constant) for s in stmts
            )
            constant[target] = constant.get(target, True) and plain
    found: set[str] = set()
    for target, owners in setters.items():
        if len(owners) != 1 or not constant[target] or target in index.lambda_names:
            continue
        (owner,) = owners
        if not any(
            isinstance(n, (ast.If, ast.While, ast.IfExp)) and _mentions(n.test, target)
            for n in index.own[id(owner)]
        ):
            continue  # not a flag the function consults: what it records is for others
        inside = {id(n) for n in ast.walk(owner)}
        if not any(
            target in index.names[id(function)]
            for function in index.every
            if id(function) not in inside
        ):
            found.add(target)
    return found


def _filled_on_miss(index: _Index, wanted: set[str]) -> set[str]:
    fillers: dict[str, set[str]] = {}
    spoiled: set[str] = set()
    for function in index.every:
        name = function.name if index.top.get(function.name) is function else ""
        params = _parameters(function)
        for node in index.own[id(function)]:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    container = _container(target) if isinstance(target, ast.Subscript) else None
                    if container is None:
                        continue
                    if not name or _mentions(node.value, container) or _given(node.value, params):
                        spoiled.add(container)  # filled by a method, or with what is given
                    fillers.setdefault(container, set()).add(name)
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Subscript):
                spoiled.add(_container(node.target) or "")
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.attr in ("append", "extend", "insert", "add", "update")
            ):
                spoiled.add(node.func.value.id)
    candidates = {c: names for c, names in fillers.items() if c in wanted and c not in spoiled}
    if not candidates:
        return set()
    found: set[str] = set()
    for function in index.top.values():
        tested = index.tested(function) & set(candidates)
        if not tested:
            continue
        called = index.called(function) - {function.name}
        found.update(c for c in tested if called & candidates[c])
    return found


def _given(value: ast.expr, params: set[str]) -> bool:
    """A parameter stored as given: ``handler``, ``[klass, instance]``, ``(name, f)``."""
    if isinstance(value, (ast.Tuple, ast.List, ast.Set)):
        return any(_given(element, params) for element in value.elts)
    if isinstance(value, ast.Dict):
        return any(_given(v, params) for v in value.values if v is not None)
    return _is_param(value, params)
