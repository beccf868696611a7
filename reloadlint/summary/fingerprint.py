"""Fingerprints of code that ignore layout, comments and docstrings.

Used in upgrade mode to tell whether a module, a definition or a main block
really changed. ``ast.dump`` without positions is the normal form.
"""

from __future__ import annotations

import ast
import hashlib

_WITH_DOCSTRINGS = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def strip_docstrings(tree: ast.AST) -> None:
    """Remove docstrings in place (the tree is not used after fingerprinting)."""
    for node in ast.walk(tree):
        if isinstance(node, _WITH_DOCSTRINGS) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                node.body = node.body[1:] or [ast.Pass()]


def digest(nodes: list[ast.AST] | ast.AST) -> str:
    items = nodes if isinstance(nodes, list) else [nodes]
    h = hashlib.blake2b(digest_size=12)
    for node in items:
        h.update(ast.dump(node, annotate_fields=False, include_attributes=False).encode())
        h.update(b"\0")
    return h.hexdigest()


def definitions(tree: ast.Module) -> dict[str, str]:
    """Qualified name -> fingerprint, for every function and class at any depth."""
    found: dict[str, str] = {}

    def walk(body: list[ast.stmt], prefix: str) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{stmt.name}"
                found[name] = digest(stmt)
                walk(stmt.body, name + ".")
            elif isinstance(stmt, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
                walk(getattr(stmt, "body", []), prefix)
                walk(getattr(stmt, "orelse", []), prefix)

    walk(tree.body, "")
    return found
