"""RL101/RL102 fix: ``from app.db import connect`` -> ``import app.db`` and
every use of ``connect`` -> ``app.db.connect``.

Offered only when it provably keeps behaviour before a reload: every
reference is a plain name (not inside a string annotation), the imported
name is bound nowhere else in the module (``connect = retry(connect)`` would
be bypassed), the package's top-level name is not bound to anything else
anywhere in the module (a ``def f(app): ...`` parameter, ``app = Flask()``
or ``import os as app`` would capture the new qualified form), and the name
is not part of the module's public surface (``__all__`` or a package
``__init__``), which importers may rely on. Comments around the import stay
where they were; a fix that would lose one is not offered
(:func:`reloadlint.fixes.keeps_comments`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

import libcst as cst
from libcst.metadata import (
    CodeRange,
    GlobalScope,
    ImportAssignment,
    MetadataWrapper,
    PositionProvider,
    Scope,
    ScopeProvider,
)


def _dotted(name: str) -> cst.Attribute | cst.Name:
    parts = name.split(".")
    node: cst.Attribute | cst.Name = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


@dataclass(frozen=True)
class Analysis:
    """One file parsed and resolved, shared by every finding in it.

    ``import_froms`` and ``scopes`` are the parts of the metadata each
    finding looks up, collected once: scanning every node's position and scope
    per finding was most of the cost after the parse itself.
    """

    wrapper: MetadataWrapper
    positions: Mapping[cst.CSTNode, CodeRange]
    global_scope: GlobalScope
    #: every distinct scope of the module
    scopes: tuple[Scope, ...]
    #: every ``from ... import`` with its position, in source order
    import_froms: tuple[tuple[cst.ImportFrom, CodeRange], ...]
    #: the names listed in ``__all__``
    public: frozenset[str]

    @property
    def module(self) -> cst.Module:
        return self.wrapper.module


@functools.lru_cache(maxsize=2)
def analyse(source: str) -> Analysis | None:
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
    # The tree was parsed here and is never modified (transformers build new
    # nodes), so the wrapper's defensive deep copy (a fifth of the cost) is skipped.
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    scope_map = wrapper.resolve(ScopeProvider)
    positions = wrapper.resolve(PositionProvider)
    scopes = tuple({id(s): s for s in scope_map.values() if s is not None}.values())
    global_scope = next((s for s in scopes if isinstance(s, GlobalScope)), None)
    if global_scope is None:
        return None
    import_froms = tuple(
        (node, position) for node, position in positions.items() if isinstance(node, cst.ImportFrom)
    )
    public = frozenset(_all_names(wrapper.module))
    return Analysis(wrapper, positions, global_scope, scopes, import_froms, public)


@dataclass(frozen=True)
class Plan:
    """What the fix of one finding changes: the import, the uses, the new import."""

    statement: cst.ImportFrom
    alias: cst.ImportAlias
    #: the ``Name`` nodes of every use, each to become ``qualified``
    names: frozenset[cst.Name]
    target_module: str
    qualified: str
    add_import: bool

    def transformer(self) -> _Rewrite:
        """A fresh transformer applying this plan (transformers keep state)."""
        return _Rewrite(
            self.statement,
            self.alias,
            set(self.names),
            self.target_module,
            self.qualified,
            self.add_import,
        )


def plan(analysis: Analysis, line: int, qualified: str, *, is_package: bool) -> Plan | None:
    """The fix of the from-import of ``qualified`` at ``line``, or None when unsafe."""
    target_module, _, attribute = qualified.rpartition(".")
    top = target_module.split(".")[0]
    found = _find_alias(analysis.import_froms, analysis.positions, line, attribute)
    if found is None:
        return None
    statement, alias = found
    bound = alias.evaluated_alias or alias.evaluated_name
    if is_package or bound in analysis.public:
        return None
    everywhere = list(analysis.global_scope[bound])
    assignments = [a for a in everywhere if isinstance(a, ImportAssignment) and a.node is statement]
    if len(assignments) != 1 or len(everywhere) != 1:
        return None  # the name is bound again: its uses may mean the other binding
    references = assignments[0].references
    if not references or any(not isinstance(ref.node, cst.Name) for ref in references):
        return None
    if _top_name_taken(analysis.scopes, top):
        return None
    names = frozenset(ref.node for ref in references if isinstance(ref.node, cst.Name))
    add_import = not _has_plain_import(analysis.module, target_module)
    return Plan(statement, alias, names, target_module, qualified, add_import)


def rewrite(source: str, line: int, qualified: str, *, is_package: bool) -> str | None:
    """The source with the from-import at ``line`` made qualified, or None when unsafe."""
    analysis = analyse(source)
    if analysis is None:
        return None
    found = plan(analysis, line, qualified, is_package=is_package)
    if found is None:
        return None
    transformer = found.transformer()
    new = analysis.module.visit(transformer)
    return new.code if transformer.done else None


def _find_alias(
    import_froms: Iterable[tuple[cst.ImportFrom, CodeRange]],
    positions: Mapping[cst.CSTNode, CodeRange],
    line: int,
    name: str,
) -> tuple[cst.ImportFrom, cst.ImportAlias] | None:
    """The from-import spanning ``line`` that imports ``name`` (the alias on
    ``line`` itself first, for imports split over several lines)."""
    for node, position in import_froms:
        if position.start.line <= line <= position.end.line:
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
                    if isinstance(small, cst.Assign):
                        targets = [t.target for t in small.targets]
                    else:
                        targets = [small.target]
                    if any(isinstance(t, cst.Name) and t.value == "__all__" for t in targets):
                        value = small.value
                        for element in getattr(value, "elements", []):
                            if isinstance(element.value, cst.SimpleString):
                                name = element.value.evaluated_value
                                if isinstance(name, str):  # b"x" names nothing
                                    found.add(name)
    return found


def _top_name_taken(scopes: Iterable[Scope], top: str) -> bool:
    """Whether ``top`` is bound anywhere by something other than an ``import top...``."""
    for scope in scopes:
        if top not in scope.assignments:
            continue
        for assignment in scope.assignments[top]:
            node = assignment.node if isinstance(assignment, ImportAssignment) else None
            if isinstance(node, cst.Import) and not _renames_to(node, top):
                continue  # ``import top`` or ``import top.sub``: the same package
            return True
    return False


def _renames_to(statement: cst.Import, top: str) -> bool:
    """Whether ``statement`` binds ``top`` to another module (``import os as app``)."""
    return any(
        alias.asname is not None and alias.evaluated_alias == top and alias.evaluated_name != top
        for alias in statement.names
    )


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
        self,
        statement: cst.ImportFrom,
        alias: cst.ImportAlias,
        names: set[cst.Name],
        target_module: str,
        qualified: str,
        add_import: bool,
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

    def leave_SimpleStatementLine(
        self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine
    ) -> (
        cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine] | cst.RemovalSentinel
    ):
        if not any(small is self.statement for small in original.body):
            return updated
        self.done = True
        before: list[cst.BaseSmallStatement] = []
        for original_small, small in zip(original.body, updated.body, strict=False):
            if original_small is not self.statement:
                before.append(small)
                continue
            # ``small`` is the visited ``self.statement``: an ImportFrom of names, not a star.
            new_names = cast("Sequence[cst.ImportAlias]", cast(cst.ImportFrom, small).names)
            old_names = cast("Sequence[cst.ImportAlias]", self.statement.names)
            pairs = zip(new_names, old_names, strict=False)
            remaining = [a for a, o in pairs if o is not self.alias]
            if remaining:
                if not self.statement.lpar:
                    last = remaining[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                elif old_names[-1] is self.alias:
                    last = _ends_like(remaining[-1], new_names[-1])
                else:
                    last = remaining[-1]  # a trailing comma stays legal in parentheses
                remaining[-1] = last
                before.append(small.with_changes(names=remaining))
            elif self.add_import:
                before.append(self.import_stmt)
                self.add_import = False
        lines: list[cst.SimpleStatementLine] = []
        if self.add_import:
            # Other names stay imported from the module: the qualified import goes just above.
            leading = updated.leading_lines
            lines.append(cst.SimpleStatementLine(body=[self.import_stmt], leading_lines=leading))
            updated = updated.with_changes(leading_lines=[])
        if before:
            lines.append(updated.with_changes(body=before))
        if not lines:
            return cst.RemoveFromParent()
        return cst.FlattenSentinel(lines) if len(lines) > 1 else lines[0]


def _ends_like(last: cst.ImportAlias, removed: cst.ImportAlias) -> cst.ImportAlias:
    """``last``, now the last name in parentheses, laid out as ``removed`` (the
    old last one) ended: its comma, if it had one, or none; a comment after
    ``last``'s own comma stays, with the line break and indent ``removed`` had
    before the closing parenthesis."""
    comma = last.comma
    if not isinstance(comma, cst.Comma):
        return last
    ours, theirs = comma.whitespace_after, getattr(removed.comma, "whitespace_after", None)
    if isinstance(ours, cst.ParenthesizedWhitespace):
        if isinstance(theirs, cst.ParenthesizedWhitespace):
            ours = ours.with_changes(indent=theirs.indent, last_line=theirs.last_line)
        return last.with_changes(comma=comma.with_changes(whitespace_after=ours))
    if isinstance(removed.comma, cst.Comma):
        return last.with_changes(comma=removed.comma)
    return last.with_changes(comma=cst.MaybeSentinel.DEFAULT)
