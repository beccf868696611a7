"""RL101/RL102 fix: ``from app.db import connect`` -> ``import app.db`` and
every use of ``connect`` -> ``app.db.connect``.

Offered only when it provably keeps behaviour before a reload: every
reference is a plain name (not inside a string annotation), the package's
top-level name is not bound to anything else anywhere in the module (a
``def f(app): ...`` parameter or ``app = Flask()`` would capture the new
qualified form), and the name is not part of the module's public surface
(``__all__`` or a package ``__init__``), which importers may rely on.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import libcst as cst
from libcst.metadata import GlobalScope, ImportAssignment, MetadataWrapper, PositionProvider, ScopeProvider


def _dotted(name: str) -> cst.Attribute | cst.Name:
    parts = name.split(".")
    node: cst.Attribute | cst.Name = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


@functools.lru_cache(maxsize=2)
def _analyse(source: str) -> tuple[MetadataWrapper, Mapping, Mapping] | None:
    """Parse and resolve scopes once per file, not once per finding.

    A module with 30 stale imports is asked about 30 times (JSON output,
    ``--fix``), and the libcst parse and scope analysis are most of the cost:
    without this, JSON output for the standard library had not finished after
    15 minutes (the lint itself takes one). The trees are immutable, so
    sharing them between rewrites is safe.
    """
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:
        return None
    wrapper = MetadataWrapper(module)
    return wrapper, wrapper.resolve(ScopeProvider), wrapper.resolve(PositionProvider)


def rewrite(source: str, line: int, qualified: str, *, is_package: bool) -> str | None:
    """The source with the from-import at ``line`` made qualified, or None when unsafe."""
    analysed = _analyse(source)
    if analysed is None:
        return None
    wrapper, scopes, positions = analysed
    global_scope = next((s for s in scopes.values() if isinstance(s, GlobalScope)), None)
    if global_scope is None:
        return None
    target_module, _, attribute = qualified.rpartition(".")
    top = target_module.split(".")[0]
    found = _find_alias(wrapper.module, positions, line, attribute)
    if found is None:
        return None
    statement, alias = found
    bound = alias.evaluated_alias or alias.evaluated_name
    if is_package or bound in _all_names(wrapper.module):
        return None
    assignments = [a for a in global_scope[bound] if isinstance(a, ImportAssignment) and a.node is statement]
    if len(assignments) != 1:
        return None
    references = assignments[0].references
    if not references or any(not isinstance(ref.node, cst.Name) for ref in references):
        return None
    if _top_name_taken(scopes, top):
        return None
    names_to_replace = {ref.node for ref in references}
    add_import = not _has_plain_import(wrapper.module, target_module)
    transformer = _Rewrite(statement, alias, names_to_replace, target_module, qualified, add_import)
    new = wrapper.module.visit(transformer)
    return new.code if transformer.done else None


def _find_alias(module: cst.Module, positions, line: int, name: str):
    for node, position in positions.items():
        if isinstance(node, cst.ImportFrom) and position.start.line <= line <= position.end.line:
            if isinstance(node.names, cst.ImportStar):
                return None
            for alias in node.names:
                if alias.evaluated_name == name and positions[alias].start.line == line:
                    return node, alias
            for alias in node.names:
                if alias.evaluated_name == name:
                    return node, alias
    return None


def _all_names(module: cst.Module) -> set[str]:
    found: set[str] = set()
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
                    targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
                    if any(isinstance(t, cst.Name) and t.value == "__all__" for t in targets):
                        value = small.value
                        for element in getattr(value, "elements", []):
                            if isinstance(element.value, cst.SimpleString):
                                found.add(element.value.evaluated_value)
    return found


def _top_name_taken(scopes, top: str) -> bool:
    """Whether ``top`` is bound anywhere by something other than an ``import top...``."""
    seen = set()
    for scope in scopes.values():
        if scope is None or id(scope) in seen:
            continue
        seen.add(id(scope))
        for assignment in scope.assignments[top] if top in scope.assignments else ():
            if isinstance(assignment, ImportAssignment) and isinstance(assignment.node, cst.Import):
                continue
            return True
    return False


def _has_plain_import(module: cst.Module, dotted: str) -> bool:
    """Whether the module already has a top-level ``import <dotted>``."""
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Import) and any(
                    a.asname is None and a.evaluated_name == dotted for a in small.names
                ):
                    return True
    return False


class _Rewrite(cst.CSTTransformer):
    """Replace the uses, drop the alias, add ``import <module>`` once."""

    def __init__(
        self, statement: cst.ImportFrom, alias: cst.ImportAlias, names: set, target_module: str, qualified: str, add_import: bool
    ) -> None:
        self.statement = statement
        self.alias = alias
        self.names = names
        self.qualified = qualified
        self.import_stmt = cst.Import(names=[cst.ImportAlias(name=_dotted(target_module))])
        self.add_import = add_import
        self.done = False

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        return _dotted(self.qualified) if original in self.names else updated

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
        if not any(small is self.statement for small in original.body):
            return updated
        self.done = True
        before: list[cst.BaseSmallStatement] = []
        for original_small, small in zip(original.body, updated.body):
            if original_small is not self.statement:
                before.append(small)
                continue
            remaining = [a for a, o in zip(small.names, original_small.names) if o is not self.alias]
            if remaining:
                remaining[-1] = remaining[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                before.append(small.with_changes(names=remaining))
            elif self.add_import:
                before.append(self.import_stmt)
                self.add_import = False
        lines: list[cst.SimpleStatementLine] = []
        if self.add_import:
            # Other names stay imported from the module: the qualified import goes just above.
            lines.append(cst.SimpleStatementLine(body=[self.import_stmt], leading_lines=updated.leading_lines))
            updated = updated.with_changes(leading_lines=[])
        if before:
            lines.append(updated.with_changes(body=before))
        if not lines:
            return cst.RemoveFromParent()
        return cst.FlattenSentinel(lines) if len(lines) > 1 else lines[0]
