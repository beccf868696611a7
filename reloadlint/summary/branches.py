"""Which branch of an ``if`` runs on the platform reloadlint runs on.

A module that binds a name in exclusive platform branches (``if sys.platform ==
"win32": import ntpath as path`` / ``else: import posixpath as path``), or in
the fallback of a feature probe (``if hasattr(selectors, "PollSelector"): ...``
/ ``else: ... SelectSelector``), binds it to one object in a given process. The
summary marks what the branch that does not run here binds (and what it does
at import time) as *elsewhere*, as it treats an ``except ImportError:``
fallback: a name resolves to the binding of the branch that runs, and nothing a
branch that does not run does at import time is reported.

Decided here, from reloadlint's own interpreter (never the linted code's):
``sys.platform`` (``==``, ``!=``, ``in``, ``.startswith()``), ``os.name``,
``sys.builtin_module_names`` membership, ``platform.system()``, module-level
names bound to one of those (``_mswindows = sys.platform == "win32"``,
``_names = sys.builtin_module_names``), and ``not``/``and``/``or`` of them.
A feature probe, ``hasattr(M, "name")`` whose branch uses ``M.name``, is taken
to hold: its ``else`` is the fallback for platforms that lack the feature.
Anything else is undecided, and both branches count.
"""

from __future__ import annotations

import ast
import os
import platform
import sys
from functools import cache

#: Not a platform fact: the test is undecided.
UNDECIDED = object()


@cache
def _system() -> str:
    return platform.system()


def _source(node: ast.expr) -> object:
    """The platform fact ``node`` names, or UNDECIDED."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        owner, attr = node.value.id, node.attr
        if owner == "sys" and attr == "platform":
            return sys.platform
        if owner == "sys" and attr == "builtin_module_names":
            return tuple(sys.builtin_module_names)
        if owner == "os" and attr == "name":
            return os.name
    if (
        isinstance(node, ast.Call)
        and not node.args
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "system"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "platform"
    ):
        return _system()
    return UNDECIDED


def evaluate(node: ast.expr, known: dict[str, object]) -> object:
    """The value of ``node`` when it is decided by platform facts (and constants), else
    UNDECIDED. ``known``: module-level names bound to platform facts."""
    value, platform_fact = _evaluate(node, known)
    return value if platform_fact else UNDECIDED


def _evaluate(node: ast.expr, known: dict[str, object]) -> tuple[object, bool]:
    source = _source(node)
    if source is not UNDECIDED:
        return source, True
    if isinstance(node, ast.Name):
        return (known[node.id], True) if node.id in known else (UNDECIDED, False)
    if isinstance(node, ast.Constant):
        return node.value, False
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        items = [_evaluate(e, known) for e in node.elts]
        if any(v is UNDECIDED for v, _ in items):
            return UNDECIDED, False
        return tuple(v for v, _ in items), any(p for _, p in items)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        value, fact = _evaluate(node.operand, known)
        return (UNDECIDED, False) if value is UNDECIDED else (not value, fact)
    if isinstance(node, ast.BoolOp):
        return _bool_op(node, known)
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        return _compare(node, known)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("startswith", "endswith")
        and len(node.args) == 1
        and not node.keywords
    ):
        subject, fact = _evaluate(node.func.value, known)
        arg, _ = _evaluate(node.args[0], known)
        if isinstance(subject, str) and (
            isinstance(arg, str)
            or (isinstance(arg, tuple) and all(isinstance(a, str) for a in arg))
        ):
            return getattr(subject, node.func.attr)(arg), fact
    return UNDECIDED, False


def _bool_op(node: ast.BoolOp, known: dict[str, object]) -> tuple[object, bool]:
    """``and``/``or`` decided as far as the decided operands go (``win and x`` is False
    off Windows whatever ``x`` is)."""
    is_and = isinstance(node.op, ast.And)
    undecided = False
    fact = False
    for operand in node.values:
        value, operand_fact = _evaluate(operand, known)
        if value is UNDECIDED:
            undecided = True
            continue
        fact = fact or operand_fact
        if bool(value) is not is_and:  # a False in an ``and``, a True in an ``or``
            return bool(value), operand_fact
    return (UNDECIDED, False) if undecided else (is_and, fact)


def _compare(node: ast.Compare, known: dict[str, object]) -> tuple[object, bool]:
    left, left_fact = _evaluate(node.left, known)
    right, right_fact = _evaluate(node.comparators[0], known)
    if left is UNDECIDED or right is UNDECIDED:
        return UNDECIDED, False
    op = node.ops[0]
    fact = left_fact or right_fact
    try:
        if isinstance(op, ast.Eq):
            return left == right, fact
        if isinstance(op, ast.NotEq):
            return left != right, fact
        if isinstance(op, ast.In):
            return left in right, fact  # type: ignore[operator]
        if isinstance(op, ast.NotIn):
            return left not in right, fact  # type: ignore[operator]
    except TypeError:
        pass
    return UNDECIDED, False


def _probe(test: ast.expr) -> tuple[ast.expr, str] | None:
    """``hasattr(M, "name")`` -> (M, name)."""
    if (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Name)
        and test.func.id == "hasattr"
        and len(test.args) == 2
        and isinstance(test.args[1], ast.Constant)
        and isinstance(test.args[1].value, str)
        and isinstance(test.args[0], (ast.Name, ast.Attribute))
    ):
        return test.args[0], test.args[1].value
    return None


def _uses(body: list[ast.stmt], owner: ast.expr, name: str) -> bool:
    wanted = ast.dump(owner)
    return any(
        isinstance(node, ast.Attribute) and node.attr == name and ast.dump(node.value) == wanted
        for stmt in body
        for node in ast.walk(stmt)
    )


def runs_here(node: ast.If, known: dict[str, object]) -> bool | None:
    """Whether the body of ``node`` (True) or its ``else`` (False) is the branch that runs
    here; None when the test is not decided (both count)."""
    value = evaluate(node.test, known)
    if value is not UNDECIDED:
        return bool(value)
    test, negated = node.test, False
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, negated = test.operand, True
    probe = _probe(test)
    if probe is None:
        return None
    preferred = node.orelse if negated else node.body
    if not _uses(preferred, *probe):
        return None  # not a probe guarding the feature's use
    return not negated


def platform_alias(value: ast.expr, known: dict[str, object]) -> object:
    """What a module-level ``NAME = value`` binds when ``value`` is a platform fact."""
    return evaluate(value, known)
