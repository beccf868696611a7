"""RL401 fix: wrap ``CACHE = {}`` in ``if "CACHE" not in globals():``.

Before any reload the guarded binding runs exactly as before (the name is
not yet defined on first import); on a reload it keeps the live object.
Offered for a plain top-level assignment of one name only.
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst
from libcst.metadata import CodeRange


def rewrite(source: str, line: int, name: str) -> str | None:
    """The source with the assignment of ``name`` at ``line`` guarded, or None."""
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:
        return None
    wrapper = cst.MetadataWrapper(module)
    positions = wrapper.resolve(cst.metadata.PositionProvider)
    found = plan(wrapper.module, positions, line, name)
    if found is None:
        return None
    index, guard = found
    body = list(wrapper.module.body)
    body[index] = guard
    return wrapper.module.with_changes(body=body).code


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
