"""Literal values read from the syntax alone, for the values family's facts: no
expression is evaluated but by :func:`ast.literal_eval`."""

from __future__ import annotations

import ast


def constant(node: ast.expr | None) -> object:
    if isinstance(node, ast.Constant):
        return node.value
    return None


def string(node: ast.expr | None) -> str | None:
    value = constant(node)
    return value if isinstance(value, str) else None


def strings(node: ast.expr | None) -> list[str]:
    """A literal string, or the literal strings of ``AliasChoices("a", "b")``."""
    if node is None:
        return []
    if isinstance(node, ast.Call):
        return [s for arg in node.args if (s := string(arg)) is not None]
    found = string(node)
    return [found] if found is not None else []


def true(node: ast.expr | None) -> bool:
    return constant(node) is True


def stable_repr(value: object) -> str:
    """``repr``, but a set's items sorted: a set of strings is printed in hash order,
    which differs from process to process, and two summaries of the same member
    must compare equal (RL604 compares the base's with the working tree's)."""
    if isinstance(value, set):
        return "{" + ", ".join(sorted(map(stable_repr, value))) + "}" if value else "set()"
    if isinstance(value, tuple):
        items = [stable_repr(item) for item in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(map(stable_repr, value)) + "]"
    if isinstance(value, dict):
        pairs = (f"{stable_repr(k)}: {stable_repr(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    return repr(value)
