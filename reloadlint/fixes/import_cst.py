"""The libcst half of the stale-import fix: rewriting an import statement
that :func:`reloadlint.fixes.stale_edits.simple_rewrite` cannot (parentheses
over several lines, comments between names, several statements on a line),
keeping its layout. Imported only then: libcst costs ~0.3 s to import, as
much as linting a small project."""

from __future__ import annotations

import ast
import functools

import libcst as cst

from reloadlint.fixes import imports
from reloadlint.fixes.stale_plan import Analysis, TextEdit


class Unparsable(Exception):
    """The statement's lines are not one simple statement line libcst can rewrite."""


def rewrite_statement(
    analysis: Analysis,
    statement: ast.ImportFrom,
    span: tuple[int, int],
    snippet: str,
    remove: set[str],
    add: list[str],
    by_type: bool = True,
) -> tuple[TextEdit, str]:
    """The edit of the lines ``span`` of one from-import (their text, uses already
    replaced: ``snippet``): the names in ``remove`` dropped (by the name they
    bind), those in ``add`` put in their sorted place; libcst keeps the layout
    and any other statement on those lines. A line left empty is deleted: its comment, if it
    has one, is returned with the edit (else "")."""
    first, last = statement.lineno, statement.end_lineno or statement.lineno
    start, end = span
    try:
        module = _parse_statement(snippet + analysis.newline)
    except cst.ParserSyntaxError:
        raise Unparsable("libcst cannot parse the import's lines") from None
    if len(module.body) != 1 or not isinstance(module.body[0], cst.SimpleStatementLine):
        raise Unparsable("the import's lines are not one simple line")
    line = module.body[0]
    index = next(
        (i for i, small in enumerate(line.body) if _same_statement(small, statement)), None
    )
    if index is None:
        raise Unparsable("the import is not on its lines")
    node = line.body[index]
    assert isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar)
    old = list(node.names)
    kept = [alias for alias in old if _binds(alias) not in remove]
    body = list(line.body)
    if not kept and not add:
        del body[index]
        if not body:
            comment = line.trailing_whitespace.comment
            following = (
                analysis.line_starts[last]
                if last < len(analysis.line_starts)
                else len(analysis.code)
            )
            deleted = (analysis.line_starts[first - 1], following, "")
            return deleted, comment.value if comment is not None else ""
        body[-1] = body[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
    else:
        body[index] = node.with_changes(names=_with_names(node, old, kept, add, by_type))
    text = module.with_changes(body=[line.with_changes(body=body)]).code
    return (start, end, text[: len(text) - len(analysis.newline)]), ""


@functools.lru_cache(maxsize=64)
def _parse_statement(text: str) -> cst.Module:
    """libcst's tree of an import statement's lines: the costliest step of a fix,
    made once per statement when several findings are fixed one by one (JSON
    edits); the tree is immutable, so sharing it is safe."""
    return cst.parse_module(text)


def _same_statement(small: cst.BaseSmallStatement, statement: ast.ImportFrom) -> bool:
    if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
        return False
    module = cst.Module([]).code_for_node(small.module) if small.module is not None else ""
    names = [(a.evaluated_name, a.evaluated_alias) for a in small.names]
    return (
        len(small.relative) == statement.level
        and module == (statement.module or "")
        and names == [(a.name, a.asname) for a in statement.names]
    )


def _binds(alias: cst.ImportAlias) -> str:
    return alias.evaluated_alias or alias.evaluated_name


def _with_names(
    node: cst.ImportFrom,
    old: list[cst.ImportAlias],
    kept: list[cst.ImportAlias],
    add: list[str],
    by_type: bool = True,
) -> list[cst.ImportAlias]:
    names = list(kept)
    if kept and old[-1] is not kept[-1]:
        names[-1] = _ends_like(kept[-1], old[-1]) if node.lpar else names[-1]
    for name in add:
        alias = cst.ImportAlias(name=cst.Name(name))
        order = [_binds(a) for a in names]
        if imports.members_sorted(order, by_type):
            index = next(
                (
                    i
                    for i, n in enumerate(order)
                    if imports.member_key(name, by_type) < imports.member_key(n, by_type)
                ),
                len(names),
            )
        else:
            index = len(names)
        names.insert(index, alias)
    if not node.lpar:
        names = [
            a.with_changes(comma=cst.MaybeSentinel.DEFAULT)
            if i == len(names) - 1
            else a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            for i, a in enumerate(names)
        ]
        return names
    if not add:
        return names
    template = next(
        (a.comma for a in old[:-1] if isinstance(a.comma, cst.Comma)),
        cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
    )
    last_comma = old[-1].comma
    fixed = []
    for i, alias in enumerate(names):
        if i < len(names) - 1:
            fixed.append(alias.with_changes(comma=template))
        else:
            fixed.append(alias.with_changes(comma=last_comma))
    return fixed


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
