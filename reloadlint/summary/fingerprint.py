"""Fingerprints of code that ignore layout, comments and docstrings.

Used in upgrade mode to tell whether a module, a definition or a main block
really changed. The normal form is ``ast.dump`` without positions (spelled
by :func:`_text`, which is faster and serialises each definition once).
"""

from __future__ import annotations

import ast
import hashlib

_WITH_DOCSTRINGS = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def strip_docstrings(tree: ast.AST) -> None:
    """Remove docstrings in place (the tree is not used after fingerprinting).

    Only statement lists are walked: a docstring belongs to a module, class or
    function, and those appear only in statement lists (an expression walk
    would cost as much as the fingerprint itself).
    """
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, _WITH_DOCSTRINGS) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                # located: later walks (loop_statements) read every statement's line
                node.body = node.body[1:] or [ast.copy_location(ast.Pass(), first)]
        for field in _STATEMENT_LISTS:
            statements = getattr(node, field, None)
            if statements:
                stack.extend(statements)
        for handler in getattr(node, "handlers", None) or ():
            stack.append(handler)
        for case in getattr(node, "cases", None) or ():
            stack.append(case)


_STATEMENT_LISTS = ("body", "orelse", "finalbody")
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def digest(nodes: list[ast.stmt] | ast.AST, memo: dict[int, str] | None = None) -> str:
    """A fingerprint of ``nodes``; ``memo`` (one per tree) shares the work with
    :func:`definitions`."""
    items = nodes if isinstance(nodes, list) else [nodes]
    cache = memo if memo is not None else {}
    text = "\0".join(_text(node, cache) for node in items)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def _text(node: ast.AST, memo: dict[int, str]) -> str:
    """The normal form of ``node``: what ``ast.dump(node, annotate_fields=False,
    include_attributes=False)`` says (types, fields, values; no positions),
    in a cheaper spelling. The text of each definition is kept in ``memo``,
    so a method's fingerprint does not serialise it again after its class's."""
    kind = type(node)
    definition = kind in _DEFINITIONS
    if definition:
        found = memo.get(id(node))
        if found is not None:
            return found
    parts = [kind.__name__, "("]
    append = parts.append
    for name in kind._fields:
        value = getattr(node, name, None)
        if isinstance(value, ast.AST):
            append(_text(value, memo))
        elif type(value) is list:
            append("[")
            for item in value:
                append(_text(item, memo) if isinstance(item, ast.AST) else repr(item))
                append(",")
            append("]")
        else:
            append(repr(value))
        append(",")
    append(")")
    text = "".join(parts)
    if definition:
        memo[id(node)] = text
    return text


def definitions(tree: ast.Module, memo: dict[int, str] | None = None) -> dict[str, str]:
    """Qualified name -> fingerprint, for every function and class at any depth."""
    found: dict[str, str] = {}
    cache = memo if memo is not None else {}

    def walk(body: list[ast.stmt], prefix: str) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{stmt.name}"
                found[name] = digest(stmt, cache)
                walk(stmt.body, name + ".")
            elif isinstance(stmt, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
                walk(getattr(stmt, "body", []), prefix)
                walk(getattr(stmt, "orelse", []), prefix)

    walk(tree.body, "")
    return found


def loop_statements(tree: ast.Module, lines: dict[str, int]) -> dict[str, ast.stmt]:
    """Qualified function name -> its statement at the given line (the looping one).

    Only the function's own statements are searched, not nested definitions.
    """
    found: dict[str, ast.stmt] = {}

    def walk(body: list[ast.stmt], prefix: str) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{stmt.name}"
                line = lines.get(name)
                if line is not None and not isinstance(stmt, ast.ClassDef):
                    statement = _statement_at(stmt.body, line)
                    if statement is not None:
                        found[name] = statement
                walk(stmt.body, name + ".")
            elif isinstance(stmt, (ast.If, ast.Try, ast.With, ast.For, ast.While)):
                walk(getattr(stmt, "body", []), prefix)
                walk(getattr(stmt, "orelse", []), prefix)

    walk(tree.body, "")
    return found


def _statement_at(body: list[ast.stmt], line: int) -> ast.stmt | None:
    stack = list(body)
    while stack:
        stmt = stack.pop()
        if stmt.lineno == line:
            return stmt
        if isinstance(stmt, _DEFINITIONS):
            continue
        for field in _STATEMENT_LISTS:
            stack.extend(getattr(stmt, field, None) or ())
        for handler in getattr(stmt, "handlers", None) or ():
            stack.extend(handler.body)
        for case in getattr(stmt, "cases", None) or ():
            stack.extend(case.body)
    return None
