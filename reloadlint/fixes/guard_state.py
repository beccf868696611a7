"""RL401 fix: wrap ``CACHE = {}`` in ``if "CACHE" not in globals():``.

Before any reload the guarded binding runs exactly as before (the name is
not yet defined on first import); on a reload it keeps the live object.
Offered for a plain top-level assignment of one name only.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping

import libcst as cst
from libcst.metadata import CodeRange


def rewrite(source: str, line: int, name: str) -> str | None:
    """The source with the assignment of ``name`` at ``line`` guarded, or None.

    Only that statement's lines change: they are cut out, rewritten by libcst
    (which indents the statement but not the inside of its strings) and put
    back, so the rest of the file stays exactly as it was.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    statement = next((s for s in tree.body if s.lineno == line), None)
    if statement is None or statement.col_offset != 0 or _too_deep(statement):
        return None
    last = statement.end_lineno or line
    if any(s is not statement and s.lineno <= last and (s.end_lineno or s.lineno) >= line
           for s in tree.body):  # fmt: skip
        return None  # another statement shares its lines
    lines = _NEWLINE_KEPT.findall(source)
    if last > len(lines):
        return None
    snippet = "".join(lines[line - 1 : last])
    ending = snippet[len(snippet.rstrip("\r\n")) :]
    try:
        module = cst.parse_module(snippet if ending else snippet + "\n")
    except cst.ParserSyntaxError:
        return None
    wrapper = cst.MetadataWrapper(module)
    positions = wrapper.resolve(cst.metadata.PositionProvider)
    found = plan(wrapper.module, positions, 1, name)
    if found is None or len(wrapper.module.body) != 1:
        return None
    guarded = wrapper.module.with_changes(body=[found[1]]).code
    if not ending:
        guarded = guarded.rstrip("\n")
    return "".join(lines[: line - 1]) + guarded + "".join(lines[last:])


#: Deeper code gets no fix: libcst's parser takes time quadratic in nesting
#: depth (700 levels: 1.5 s; 2,900: 50 s) and its metadata pass overflows the
#: recursion limit a little past 300 levels anyway.
MAX_FIX_DEPTH = 300


def _too_deep(node: ast.AST) -> bool:
    stack = [(node, 0)]
    while stack:  # iterative: the depth being measured could overflow a recursive walk
        current, depth = stack.pop()
        if depth > MAX_FIX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(current))
    return False


#: Lines with their endings, as Python counts them.
_NEWLINE_KEPT = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def plan(
    module: cst.Module, positions: Mapping[cst.CSTNode, CodeRange], line: int, name: str
) -> tuple[int, cst.If] | None:
    """(index in ``module.body``, the guarded statement that replaces it), or None
    when the top-level statement at ``line`` is not a plain assignment of ``name``."""
    for index, statement in enumerate(module.body):
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        if positions[statement].start.line != line:
            continue
        if len(statement.body) != 1 or not _binds_only(statement.body[0], name):
            return None
        guard = cst.If(
            test=cst.parse_expression(f'"{name}" not in globals()'),
            body=cst.IndentedBlock(body=[statement.with_changes(leading_lines=[])]),
            leading_lines=statement.leading_lines,
        )
        return index, guard
    return None


def _binds_only(small: cst.BaseSmallStatement, name: str) -> bool:
    if isinstance(small, cst.Assign):
        if len(small.targets) != 1:
            return False
        target = small.targets[0].target
        return isinstance(target, cst.Name) and target.value == name
    if isinstance(small, cst.AnnAssign):
        target = small.target
        return small.value is not None and isinstance(target, cst.Name) and target.value == name
    return False
