"""RL401 fix: wrap ``CACHE = {}`` in ``if "CACHE" not in globals():``.

Before any reload the guarded binding runs exactly as before (the name is
not yet defined on first import); on a reload it keeps the live object.
Offered for a plain top-level assignment of one name only.
"""

from __future__ import annotations

import libcst as cst


def rewrite(source: str, line: int, name: str) -> str | None:
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:
        return None
    wrapper = cst.MetadataWrapper(module)
    positions = wrapper.resolve(cst.metadata.PositionProvider)
    body = list(wrapper.module.body)
    for index, statement in enumerate(body):
        if not isinstance(statement, cst.SimpleStatementLine) or positions[statement].start.line != line:
            continue
        if len(statement.body) != 1 or not _binds_only(statement.body[0], name):
            return None
        guard = cst.If(
            test=cst.parse_expression(f'"{name}" not in globals()'),
            body=cst.IndentedBlock(body=[statement.with_changes(leading_lines=[])]),
            leading_lines=statement.leading_lines,
        )
        body[index] = guard
        return wrapper.module.with_changes(body=body).code
    return None


def _binds_only(small: cst.BaseSmallStatement, name: str) -> bool:
    if isinstance(small, cst.Assign):
        return len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name) and small.targets[0].target.value == name
    if isinstance(small, cst.AnnAssign):
        return small.value is not None and isinstance(small.target, cst.Name) and small.target.value == name
    return False
