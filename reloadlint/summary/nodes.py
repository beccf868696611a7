"""Small questions about single AST nodes that several families of facts ask."""

from __future__ import annotations

import ast

#: What :func:`literal` answers for an expression that is not a literal.
NO_LITERAL = object()


def literal(node: ast.expr) -> object:
    """The value of a literal expression (``3``, ``("a", 1)``), else :data:`NO_LITERAL`."""
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return NO_LITERAL


def argument(node: ast.Call, index: int | None, keyword: str | None) -> ast.expr | None:
    """The argument given by ``keyword``, else at position ``index`` (when no ``*args``
    comes before it); None when absent."""
    if keyword is not None:
        for kw in node.keywords:
            if kw.arg == keyword:
                return kw.value
    if (
        index is not None
        and index < len(node.args)
        and not any(isinstance(a, ast.Starred) for a in node.args[: index + 1])
    ):
        return node.args[index]
    return None
