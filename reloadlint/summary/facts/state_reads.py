"""How a module reads its own mutable containers (RL401: is what a reload empties state?).

A module-level container that code changes after import is state a reload
throws away, unless nothing the process needs is in it. Three shapes say so
from the module's own code, whatever the container holds:

- **memo**: a dict filled on a miss with a value computed from the key
  (``try: return CACHE[k]`` / ``except KeyError: CACHE[k] = compute(k)``),
  and read only by key: emptied, it is filled again with the same values;
- **duplicate-check**: a container whose every read is a membership test
  that raises (``if ref in SEEN: raise ...``): emptied, the check only
  forgets earlier registrations, which the reload's own re-registrations
  would otherwise trip over;
- **unread**: a container the module only ever adds to (it never looks, and
  never takes entries out again: that would be a lifecycle, objects kept
  alive until they are done); whether another module reads it is the
  project model's question.

Anything else the module does with the name (iterating it, passing it on,
``len``) is a read the rules cannot judge, and the name is not recorded.
``collect`` runs once after the summariser's walk, reading the syntax tree
only, for the state family (:mod:`reloadlint.summary.facts.state`, RL401).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

from reloadlint.summary.model import ModuleSummary

#: Methods that put entries in (their result unused: a statement of its own).
_ADDING = frozenset({"add", "append", "appendleft", "extend", "insert", "update", "setdefault"})
#: Methods that take entries out.
_REMOVING = frozenset({"pop", "popitem", "remove", "discard", "clear"})

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def collect(
    tree: ast.Module, out: ModuleSummary, function_uses: dict[str, list[str | None]]
) -> None:
    """Record how the module reads each of its mutable containers, and which of its
    top-level functions it never uses itself (``function_uses``: the loads of each, as
    the state family counted them)."""
    containers = {
        name
        for name, bindings in out.bindings.items()
        if any(b.kind == "value" and b.value == "mutable" for b in bindings)
    }
    if containers:
        parents: dict[int, ast.AST] = {}
        named = _names(tree, containers, parents)
        uses: dict[str, list[tuple[str, ast.AST]]] = {name: [] for name in containers}
        for node, function in named:
            uses[node.id].append((_use(node, parents), function or node))
        for name, found in uses.items():
            kind = _kind(name, found, parents)
            if kind:
                out.state_reads[name] = kind
    out.class_init_functions = sorted(_class_decorators(tree))
    out.unused_functions = sorted(
        name
        for name, items in out.bindings.items()
        if items and all(b.kind == "function" for b in items) and name not in function_uses
    )


def _class_decorators(tree: ast.Module) -> Iterator[str]:
    """``Class.helper`` for each function of a top-level class body that the body uses
    only as a decorator of its other definitions, and nothing reaches as an attribute
    (``self.helper``): it runs only while the class body runs, at import time
    (sqlalchemy's ``SessionEvents._lifecycle_event``)."""
    attributes: set[str] | None = None  # every attribute name: a whole walk, made if needed
    for cls in tree.body:
        if not isinstance(cls, ast.ClassDef):
            continue
        helpers = {
            node.name: node
            for node in cls.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
        decorating: dict[str, int] = {}
        loads: dict[str, int] = {}
        for node in cls.body:
            decorators = getattr(node, "decorator_list", [])
            for decorator in decorators:
                func = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(func, ast.Name):
                    decorating[func.id] = decorating.get(func.id, 0) + 1
            for part in [node] if not decorators else [*decorators, node]:
                for name in _class_scope_loads(part):
                    loads[name] = loads.get(name, 0) + 1
        for name in helpers:
            if decorating.get(name) and loads.get(name) == decorating[name]:
                if attributes is None:
                    attributes = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
                if name not in attributes:
                    yield f"{cls.name}.{name}"


def _class_scope_loads(node: ast.AST) -> Iterator[str]:
    """Names loaded in the class body's own scope (not inside function bodies)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        defaults: list[ast.expr] = [*node.args.defaults]
        defaults += [d for d in node.args.kw_defaults if d is not None]
        for default in defaults:
            yield from _class_scope_loads(default)
        return
    if isinstance(node, (ast.Lambda, ast.ClassDef)):
        return
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
        yield node.id
    for child in ast.iter_child_nodes(node):
        yield from _class_scope_loads(child)


#: Nodes with no name of a container below them.
_LEAVES = frozenset(
    {
        *ast.expr_context.__subclasses__(), *ast.operator.__subclasses__(),
        *ast.boolop.__subclasses__(), *ast.cmpop.__subclasses__(),
        *ast.unaryop.__subclasses__(), ast.Constant, ast.alias, ast.Import, ast.ImportFrom,
        ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal,
    }
)  # fmt: skip
_FUNCTION_TYPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda})


def _names(
    tree: ast.Module, containers: set[str], parents: dict[int, ast.AST]
) -> list[tuple[ast.Name, ast.AST | None]]:
    """Every ``Name`` that denotes a module-level container, with its enclosing function
    (None at module level); a function that binds the name locally shadows it (a
    function's decorators, defaults and annotations count as inside it). ``parents``
    gets the parent, grandparent and great-grandparent of every name of a container
    that is not a store (all that :func:`_use` and :func:`_memo_fill` look at).

    One walk of the tree with a stack (not ``ast.walk``: its generators cost three times
    this); each function's locals are found only if a name of a container is in it."""
    found: list[tuple[ast.Name, ast.AST | None]] = []
    local_names: dict[int, frozenset[str]] = {}
    leaves = _LEAVES
    functions_types = _FUNCTION_TYPES
    # (node, its enclosing functions innermost last, its parent, its grandparent)
    stack: list[tuple[ast.AST, tuple[ast.AST, ...], ast.AST | None, ast.AST | None]] = [
        (tree, (), None, None)
    ]
    while stack:
        node, functions, parent, grand = stack.pop()
        for field_name in node._fields:
            value = getattr(node, field_name, None)
            children: list[Any] = value if type(value) is list else [value]
            for child in children:
                kind = type(child)
                if kind is ast.Name:
                    if child.id not in containers or type(child.ctx) is ast.Store:
                        continue
                    parents[id(child)] = node
                    if parent is not None:
                        parents[id(node)] = parent
                        if grand is not None:
                            parents[id(parent)] = grand
                    for function in functions:
                        names = local_names.get(id(function))
                        if names is None:
                            names = local_names[id(function)] = _locals(function)
                        if child.id in names:
                            break
                    else:
                        found.append((child, functions[-1] if functions else None))
                elif kind in functions_types:
                    stack.append((child, (*functions, child), node, parent))
                elif kind not in leaves and isinstance(child, ast.AST):
                    stack.append((child, functions, node, parent))
    return found


def _locals(function: ast.AST) -> frozenset[str]:
    """Names a function binds locally (its parameters, plain assignments without ``global``)."""
    declared = {
        name
        for node in ast.walk(function)
        if isinstance(node, (ast.Global, ast.Nonlocal))
        for name in node.names
    }
    args = function.args  # type: ignore[attr-defined]
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    bound = {p.arg for p in params if p is not None}
    body = function.body if isinstance(function.body, list) else []  # type: ignore[attr-defined]
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                bound.add(node.id)
    return frozenset(bound - declared)


def _use(node: ast.Name, parents: dict[int, ast.AST]) -> str:
    """``fill`` (item assignment), ``change`` (entries added), ``remove``, ``key`` (a
    read by key), ``member`` (a membership test), ``member-raise`` (one whose ``if``
    raises), or ``other``."""
    parent = parents.get(id(node))
    if isinstance(parent, ast.Subscript) and parent.value is node:
        if isinstance(parent.ctx, ast.Store):
            return "fill"
        return "remove" if isinstance(parent.ctx, ast.Del) else "key"
    if isinstance(parent, ast.Attribute) and parent.value is node:
        call = parents.get(id(parent))
        if not isinstance(call, ast.Call) or call.func is not parent:
            return "other"
        statement = isinstance(parents.get(id(call)), ast.Expr)
        if parent.attr in _ADDING and statement:
            return "change"
        if parent.attr in _REMOVING and statement:
            return "remove"
        return "key" if parent.attr == "get" and call.args else "other"
    if isinstance(parent, ast.Compare) and node in parent.comparators:
        if len(parent.ops) != 1 or not isinstance(parent.ops[0], (ast.In, ast.NotIn)):
            return "other"
        test = parents.get(id(parent))
        if isinstance(test, ast.If) and test.test is parent:
            raising = test.body if isinstance(parent.ops[0], ast.In) else test.orelse
            if len(raising) == 1 and isinstance(raising[0], ast.Raise):
                return "member-raise"
        return "member"
    return "other"


def _kind(name: str, uses: list[tuple[str, ast.AST]], parents: dict[int, ast.AST]) -> str:
    reads = [how for how, _ in uses if how not in ("fill", "change", "remove")]
    if not reads:
        # entries taken out again: a lifecycle (objects kept alive until done), not a log
        return "" if any(how == "remove" for how, _ in uses) else "unread"
    if all(how == "member-raise" for how in reads):
        return "duplicate-check"
    if any(how not in ("key", "member") for how in reads):
        return ""
    fills = [where for how, where in uses if how == "fill"]
    if fills and all(_memo_fill(name, where, parents) for where in fills):
        return "memo"
    return ""


def _memo_fill(name: str, function: ast.AST, parents: dict[int, ast.AST]) -> bool:
    """Whether every ``name[k] = v`` in ``function`` stores a value computed from ``k``
    that the same function also looks up by ``k`` (fill on a miss)."""
    if not isinstance(function, _FUNCTIONS) or isinstance(function, ast.Lambda):
        return False
    assignments = _assignments(function)
    looked_up: set[str] = set()
    stores: list[tuple[ast.expr, ast.expr]] = []
    for node in ast.walk(function):
        if not (isinstance(node, ast.Name) and node.id == name):
            continue
        parent = parents.get(id(node))
        if isinstance(parent, ast.Subscript) and parent.value is node:
            key = ast.dump(parent.slice)
            if isinstance(parent.ctx, ast.Store):
                statement = parents.get(id(parent))
                if not isinstance(statement, ast.Assign):
                    return False
                stores.append((parent.slice, statement.value))
            else:
                looked_up.add(key)
        elif isinstance(parent, ast.Compare) and node in parent.comparators:
            looked_up.add(ast.dump(parent.left))
        elif isinstance(parent, ast.Attribute) and parent.attr == "get":
            call = parents.get(id(parent))
            if isinstance(call, ast.Call) and call.args:
                looked_up.add(ast.dump(call.args[0]))
    for slot, value in stores:
        if ast.dump(slot) not in looked_up:
            return False
        roots = _roots(slot, assignments, frozenset())
        if roots is None or not roots:
            return False
        found = _roots(value, assignments, frozenset())
        if found is None or not found & roots:
            return False
    return bool(stores)


def _assignments(function: ast.AST) -> dict[str, list[ast.expr] | None]:
    """Each local name of ``function`` and the values plain assignments give it (a
    parameter: none; None for a name bound otherwise: a loop, ``with``, ``+=``...)."""
    found: dict[str, list[ast.expr] | None] = {}
    args = function.args  # type: ignore[attr-defined]
    for param in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
        if param is not None:
            found[param.arg] = []
    plain = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    plain.add(id(target))
                    values = found.setdefault(target.id, [])
                    if values is not None:
                        values.append(node.value)
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and id(node) not in plain:
            found[node.id] = None
    return found


def _roots(
    expr: ast.expr, assignments: dict[str, list[ast.expr] | None], seen: frozenset[str]
) -> set[str] | None:
    """The parameters ``expr`` is computed from; names that are not local (module
    names, builtins) are fixed. None when a local cannot be traced."""
    roots: set[str] = set()
    for node in ast.walk(expr):
        if not isinstance(node, ast.Name) or node.id not in assignments:
            continue
        values = assignments[node.id]
        if values is None or node.id in seen:
            return None
        if not values:  # a parameter
            roots.add(node.id)
            continue
        for value in values:
            found = _roots(value, assignments, seen | {node.id})
            if found is None:
                return None
            roots |= found
    return roots
