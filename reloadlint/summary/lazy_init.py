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
    None: return X``) and computes the value without reading the name itself."""
    found = set()
    for name in declared:
        assignments: list[tuple[bool, ast.stmt]] = []
        _assignments(getattr(function, "body", []), name, False, assignments)
        if assignments and all(guarded and not _reads(stmt, name) for guarded, stmt in assignments):
            found.add(name)
    return found


def _assignments(
    body: list[ast.stmt], name: str, guarded: bool, out: list[tuple[bool, ast.stmt]]
) -> None:
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if any(t.id == name for target in targets for t in _targets(target)):
                out.append((guarded and not isinstance(stmt, ast.AugAssign), stmt))
        if isinstance(stmt, ast.If):
            _assignments(stmt.body, name, guarded or _is_unset(stmt.test, name), out)
            _assignments(stmt.orelse, name, guarded or _is_set(stmt.test, name), out)
            if _is_set(stmt.test, name) and stmt.body and isinstance(stmt.body[-1], ast.Return):
                guarded = True  # ``if X is not None: return X``: what follows runs unset
            continue
        for field_name in ("body", "orelse", "finalbody"):
            _assignments(getattr(stmt, field_name, []), name, guarded, out)
        for handler in getattr(stmt, "handlers", ()):
            _assignments(handler.body, name, guarded, out)


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
