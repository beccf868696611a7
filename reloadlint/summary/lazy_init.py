"""Module globals a function only sets lazily: memos, not state (RL401).

``global X; if X is None: X = compute(); return X`` computes a value on
first use and keeps it. A reload rebinds ``X = None``, and the next call
computes it again: nothing the process recorded is lost, so such a
rebinding is not the module state RL401 is about. A ``global`` assignment
that is not guarded by a test that the name is unset, that is augmented
(``X += 1``), or whose value reads the name (``X = X + [item]``) is state.
"""

from __future__ import annotations

import ast

from reloadlint.summary.prepass import _targets


def lazy_globals(function: ast.AST, declared: set[str]) -> set[str]:
    """The ``global`` names ``function`` only sets lazily: every assignment is guarded by
    a test that the name is unset (``if X is None:``, ``if not X:``, after ``if X is not
    None: return X``; or ``X = X or compute()``) and computes the value without reading
    the name itself."""
    found = set()
    for name in declared:
        assignments: list[tuple[frozenset[str], ast.stmt]] = []
        _assignments(getattr(function, "body", []), name, frozenset(), assignments, declared)
        if assignments and all(
            # reading the old value is an accumulation, unless another global's test
            # guards it: ``if not _built: P = compile(P); _built = True`` builds it once
            (guards and (not _reads(stmt, name) or guards - {name})) or _or_default(stmt, name)
            for guards, stmt in assignments
        ):
            found.add(name)
    return found


def _or_default(stmt: ast.stmt, name: str) -> bool:
    """``X = X or compute()``: computed when unset, kept otherwise."""
    value = getattr(stmt, "value", None)
    return (
        isinstance(stmt, ast.Assign)
        and isinstance(value, ast.BoolOp)
        and isinstance(value.op, ast.Or)
        and _names(value.values[0], name)
        and not any(_mentions(rest, name) for rest in value.values[1:])
    )


def _assignments(
    body: list[ast.stmt],
    name: str,
    guards: frozenset[str],
    out: list[tuple[frozenset[str], ast.stmt]],
    declared: set[str],
) -> None:
    """The assignments to ``name``, each with the names whose test that they are unset
    guards it: ``name`` itself, or another global the function sets with it
    (``if not _built: P1 = ...; _built = True``)."""

    def unset(test: ast.expr) -> frozenset[str]:
        return frozenset(other for other in declared if _is_unset(test, other))

    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if any(t.id == name for target in targets for t in _targets(target)):
                out.append((frozenset() if isinstance(stmt, ast.AugAssign) else guards, stmt))
        if isinstance(stmt, ast.If):
            _assignments(stmt.body, name, guards | unset(stmt.test), out, declared)
            is_set = frozenset({name}) if _is_set(stmt.test, name) else frozenset()
            _assignments(stmt.orelse, name, guards | is_set, out, declared)
            if is_set and stmt.body and isinstance(stmt.body[-1], ast.Return):
                guards = guards | is_set  # ``if X is not None: return X``: what follows runs unset
            continue
        for field_name in ("body", "orelse", "finalbody"):
            _assignments(getattr(stmt, field_name, []), name, guards, out, declared)
        for handler in getattr(stmt, "handlers", ()):
            _assignments(handler.body, name, guards, out, declared)


def _is_unset(test: ast.expr, name: str) -> bool:
    """``X is None``, ``not X``, ``len(X) == 0``, ``not len(X)``."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _names(test.operand, name) or _is_len(test.operand, name)
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, op, right = test.left, test.ops[0], test.comparators[0]
        if isinstance(op, ast.Is) and _names(left, name) and _is_constant(right, None):
            return True
        return isinstance(op, ast.Eq) and _is_len(left, name) and _is_constant(right, 0)
    return False


def _is_set(test: ast.expr, name: str) -> bool:
    """``X is not None``, ``X``, ``len(X)``."""
    if _names(test, name) or _is_len(test, name):
        return True
    return (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.IsNot)
        and _names(test.left, name)
        and _is_constant(test.comparators[0], None)
    )


def _names(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _is_len(node: ast.expr, name: str) -> bool:
    return (
        isinstance(node, ast.Call)
        and _names(node.func, "len")
        and len(node.args) == 1
        and _names(node.args[0], name)
    )


def _is_constant(node: ast.expr, value: object) -> bool:
    return (
        isinstance(node, ast.Constant) and node.value is value
        if value is None
        else (isinstance(node, ast.Constant) and node.value == value and type(node.value) is int)
    )


def _reads(stmt: ast.stmt, name: str) -> bool:
    value = getattr(stmt, "value", None)
    return isinstance(value, ast.expr) and any(
        isinstance(sub, ast.Name) and sub.id == name for sub in ast.walk(value)
    )


def memo_names(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Module-level containers ``function`` only fills as a memo (RL401: not state).

    A memo is filled with values computed without reading it (not a counter's
    ``C[k] = C.get(k, 0) + 1``, not the function's own argument as given: that is a
    registration), under a test of the key or of emptiness (``if key not in CACHE:``,
    ``CACHE.get(key)``, ``try: return CACHE[key]``, ``if not CACHE:``;
    ``CACHE.setdefault(key, {})`` whose result is used does both), and the function
    returns what it found or stored (``return CACHE[key]``). A set that records what
    was done once (``if alias not in CHECKED: check(alias); CHECKED.add(alias)``), or a
    dict that does (``if not DONE.get(path): make(path); DONE[path] = 1``), is one too,
    and so is ``return NAMES.setdefault(key, key)`` (the key is no value given). After a
    reload the next call fills it again: a cost, not lost state.
    """
    params = {a.arg for a in (*function.args.posonlyargs, *function.args.args)}
    params |= {a.arg for a in function.args.kwonlyargs}
    nodes = list(_own_nodes(function))
    used = {
        id(node.value)
        for node in nodes
        if isinstance(node, (ast.Assign, ast.Return)) and isinstance(node.value, ast.Call)
    }
    fills: dict[str, list[tuple[str, ast.expr | None]]] = {}
    spoiled: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                name = _container(target) if isinstance(target, ast.Subscript) else None
                if name:
                    # ``DONE[key] = 1``/``True``: a record of what was done once, as ``.add``
                    once = isinstance(node.value, ast.Constant) and node.value.value in (1, True)
                    fills.setdefault(name, []).append(("add" if once else "item", node.value))
        elif isinstance(node, ast.AugAssign):
            name = _container(node.target) if isinstance(node.target, ast.Subscript) else None
            if name:
                spoiled.add(name)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
        ):
            name, method = node.func.value.id, node.func.attr
            if method == "add" and len(node.args) == 1:
                fills.setdefault(name, []).append(("add", node.args[0]))
            elif method == "setdefault" and id(node) in used:
                # ``self._cache = CACHE.setdefault(name, {})``: get or create, a memo
                default = node.args[1] if len(node.args) > 1 else None
                if default is not None and ast.dump(default) == ast.dump(node.args[0]):
                    default = None  # ``CACHE.setdefault(key, key)``: the key, not a value given
                fills.setdefault(name, []).append(("get-or-create", default))
            elif method in ("update", "setdefault"):
                fills.setdefault(name, []).append(("item", None))
            elif method in ("append", "extend", "insert", "appendleft", "extendleft"):
                spoiled.add(name)
    found = set()
    for name, made in fills.items():
        if name in spoiled or name in params:
            continue
        if any(value is not None and _mentions(value, name) for _, value in made):
            continue  # the new value reads the old one: state (a counter, an accumulation)
        if any(
            value is not None and _is_param(value, params) and kind != "add" for kind, value in made
        ):
            continue  # the function's argument as given: a registration
        if any(kind == "add" for kind, _ in made) and not _other_calls(nodes, name):
            continue  # ``if f not in HOOKS: HOOKS.add(f)``: a registration, not a memo
        lookup = all(kind == "get-or-create" for kind, _ in made)
        if lookup or (
            _tests(nodes, name)
            and (all(kind == "add" for kind, _ in made) or _returns(nodes, name, made))
        ):
            found.add(name)
    return found


def _other_calls(nodes: list[ast.AST], name: str) -> bool:
    """The function does work besides adding to ``name`` (what a done-once set records)."""
    return any(
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and not (isinstance(node.value.func, ast.Attribute) and _names(node.value.func.value, name))
        for node in nodes
    )


def _own_nodes(function: ast.AST) -> list[ast.AST]:
    """The nodes of ``function``'s body, nested definitions excluded."""
    out: list[ast.AST] = []
    stack = list(getattr(function, "body", []))
    push = stack.append
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        out.append(node)
        # ast.iter_child_nodes inlined: its generators cost twice this loop
        for field_name in node._fields:
            value = getattr(node, field_name, None)
            if isinstance(value, ast.AST):
                push(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        push(item)
    return out


def _container(node: ast.expr) -> str | None:
    while isinstance(node, ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _mentions(node: ast.AST, name: str) -> bool:
    return any(isinstance(sub, ast.Name) and sub.id == name for sub in ast.walk(node))


def _is_param(node: ast.expr, params: set[str]) -> bool:
    return isinstance(node, ast.Name) and node.id in params


def _tests(nodes: list[ast.AST], name: str) -> bool:
    """A test of a key in the container, or of the container being empty."""
    for node in nodes:
        if isinstance(node, ast.Compare) and any(
            isinstance(op, (ast.In, ast.NotIn)) and _container(right) == name
            for op, right in zip(node.ops, node.comparators, strict=True)
        ):
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and _names(node.func.value, name)
        ):
            return True
        if isinstance(node, ast.Try) and any(
            isinstance(sub, ast.Subscript) and _container(sub) == name
            for stmt in node.body
            for sub in ast.walk(stmt)
        ):
            return True
        if isinstance(node, ast.If) and _is_unset(node.test, name):
            return True
    return False


def _returns(nodes: list[ast.AST], name: str, made: list[tuple[str, ast.expr | None]]) -> bool:
    """The function uses what it found or stored: it returns the container's content or
    the value it stored, or reads the container by key (``table = CACHE[key]``)."""
    if any(
        isinstance(node, ast.Subscript)
        and isinstance(node.ctx, ast.Load)
        and _container(node) == name
        for node in nodes
    ):
        return True
    stored = {value.id for _, value in made if isinstance(value, ast.Name)}
    for node in nodes:
        if (
            isinstance(node, ast.Return)
            and node.value is not None
            and (
                _mentions(node.value, name)
                or (isinstance(node.value, ast.Name) and node.value.id in stored)
            )
        ):
            return True
    return False
