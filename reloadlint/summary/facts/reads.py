"""Which definitions read which attributes (RL202: does new code read a new field?).

An attribute a class starts to assign is missing on the instances made before
the upgrade. It matters only if some code of the new version reads it: code
the upgrade did not change could not have read it before (the old instances
never had it), so the question is which *changed or added* definitions load
``<anything>.name`` (or ask ``getattr``/``hasattr`` with the literal name).
The receiver is not resolved: any load of the name counts.

Recorded in upgrade mode only (with the fingerprints that tell which
definitions changed): attribute name -> the qualified names of the innermost
definitions that read it ("" for module-level code).
"""

from __future__ import annotations

import ast

from reloadlint.summary.model import ModuleSummary

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_ASKING = frozenset({"getattr", "hasattr"})


def collect(out: ModuleSummary, tree: ast.Module) -> None:
    """Fill ``out.attribute_reads``."""
    found: dict[str, dict[str, None]] = {}

    def visit(node: ast.AST, where: str) -> None:
        read = _read(node)
        if read:
            found.setdefault(read, {})[where] = None
        if isinstance(node, _DEFINITIONS):
            inner = f"{where}.{node.name}" if where else node.name
            for part in [*node.decorator_list, *_signature(node)]:
                visit(part, where)
            for statement in node.body:
                visit(statement, inner)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, where)

    visit(tree, "")
    out.attribute_reads = {name: list(where) for name, where in sorted(found.items())}


def _signature(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.ClassDef):
        return [*node.bases, *(k.value for k in node.keywords)]
    args = node.args  # type: ignore[attr-defined]
    return [*args.defaults, *(d for d in args.kw_defaults if d is not None)]


def _read(node: ast.AST) -> str:
    """The attribute name ``node`` reads, or ""."""
    if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
        return node.attr
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _ASKING
        and len(node.args) >= 2
        and isinstance(node.args[1], ast.Constant)
        and isinstance(node.args[1].value, str)
    ):
        return node.args[1].value
    return ""
