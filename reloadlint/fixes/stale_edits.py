"""The stale-import fix as text edits: the import statements rewritten (libcst
on their own lines only, their parentheses, commas and comments kept), new
imports placed where an import sorter puts them, uses replaced where ``ast``
says they are; nothing else in the file changes."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from reloadlint.fixes import imports
from reloadlint.fixes.stale_plan import NEWLINE, Analysis, NewImport, Plan, TextEdit
from reloadlint.fixes.style import UNLIMITED, Style, width


class Refused(Exception):
    """This set of plans cannot be applied as text (a layout this fix does not handle)."""


def edits(analysis: Analysis, plans: Sequence[Plan], *, style: Style | None) -> list[TextEdit]:
    """The text edits applying every plan at once (raises :class:`Refused`).

    The plans must not conflict (:func:`compatible`) and must keep lines
    within the line length (:func:`within_length`).
    """
    style = style or UNLIMITED
    line_length = style.line_length
    code = analysis.code
    out: list[TextEdit] = []
    # The import statements: names removed, names merged in, new imports placed.
    removed: dict[int, set[str]] = {}
    statements: dict[int, ast.ImportFrom] = {}
    for item in plans:
        statements[id(item.statement)] = item.statement
        removed.setdefault(id(item.statement), set()).add(item.bound)
    added: dict[int, list[str]] = {}

    def deletes(statement: ast.stmt) -> bool:
        """Whether the plans remove every name ``statement`` imports."""
        gone = removed.get(id(statement), set())
        names = getattr(statement, "names", ())
        return bool(names) and all((a.asname or a.name) in gone for a in names)

    #: new import -> the statement that adds it (``from . import a`` and
    #: ``from . import b`` are one statement, as a sorter combines them)
    inserted: dict[NewImport, _Insertion] = {}
    combined: dict[tuple[int, str], _Insertion] = {}
    seen: set[NewImport] = set()
    for item in plans:
        new = item.new_import
        if new is None or new in seen:
            continue
        seen.add(new)
        merge = None if style.force_single_line else _merge_target(analysis, new, item.statement)
        if merge is not None:
            statements[id(merge)] = merge
            added.setdefault(id(merge), []).append(new.name)
            continue
        together = combined.get((new.level, new.module)) if new.level else None
        together = None if style.force_single_line else together
        if together is not None:
            together.names.append(new.name)
            inserted[new] = together
            continue
        offset = _insertion_offset(
            analysis, item.statement, new, style.order_by_type, deleted=deletes
        )
        indent = _indent(analysis, item.statement)
        inserted[new] = _Insertion(offset, new, indent, [new.name], style.order_by_type)
        if new.level:
            combined[(new.level, new.module)] = inserted[new]
    spans = {key: _statement_span(analysis, statement) for key, statement in statements.items()}
    inner: dict[int, list[TextEdit]] = {}
    grown: dict[int, int] = {}
    for item in plans:
        for use in item.uses:
            start = analysis.offset(use.lineno, use.col_offset)
            end = start + len(item.bound)
            if code[start:end] != item.bound or use.end_lineno != use.lineno:
                raise Refused("a use is not where ast says")
            home = next((k for k, (a, b) in spans.items() if a <= start < b), None)
            (inner.setdefault(home, []) if home is not None else out).append(
                (start, end, item.qualified)
            )
            grown[use.lineno] = grown.get(use.lineno, 0) + len(item.qualified) - len(item.bound)
    if line_length is not None:
        for line, growth in grown.items():
            text = analysis.line_text(line)
            if width(text) + growth > line_length and width(text) <= line_length:
                raise Refused(f"line {line} would grow past {line_length} characters")
    for key, statement in statements.items():
        edit, comment = _rewrite_statement(
            analysis,
            statement,
            removed.get(key, set()),
            added.get(key, []),
            inner.get(key, []),
            style.order_by_type,
        )
        out.append(edit)
        if comment:
            _carry_comment(inserted, plans, statement, comment)
    placed = {id(entry): entry for entry in inserted.values()}.values()
    for entry in sorted(placed, key=lambda e: (e.offset, e.new.key(e.by_type))):
        out.append((entry.offset, entry.offset, entry.text(analysis.newline)))
    out.sort(key=lambda edit: (edit[0], edit[1]))
    for (_, end, _), (start, _, _) in pairwise(out):
        if start < end:
            raise Refused("overlapping edits")
    if line_length is not None:
        for start, end, replacement in out:
            if "\n" in replacement or "\r" in replacement or start == end:
                for written in NEWLINE.split(replacement):
                    if width(written) > line_length:
                        raise Refused(f"an import line would be longer than {line_length}")
    return out


def within_length(analysis: Analysis, plans: Sequence[Plan], style: Style | None) -> list[Plan]:
    """The plans that, applied in order, grow no line past the line length (a line
    already longer may grow: the fix does not make it a new violation)."""
    line_length = style.line_length if style is not None else None
    if line_length is None:
        return list(plans)
    kept = []
    grown: dict[int, int] = {}
    for item in plans:
        growth = len(item.qualified) - len(item.bound)
        mine: dict[int, int] = {}
        for use in item.uses:
            mine[use.lineno] = mine.get(use.lineno, 0) + growth
        fits = True
        for line, more in mine.items():
            text_width = width(analysis.line_text(line))
            if text_width <= line_length and text_width + grown.get(line, 0) + more > line_length:
                fits = False
                break
        if fits:
            kept.append(item)
            for line, more in mine.items():
                grown[line] = grown.get(line, 0) + more
    return kept


def compatible(plans: Sequence[Plan]) -> list[Plan]:
    """The plans that can be applied together, in order. A plan waits for a later
    pass when its new name is a name another plan removes, or when another plan
    binds the same name to another module (``from . import db`` and
    ``from .sub import db``); any number of ``import app.x`` share ``app``."""
    kept: list[Plan] = []
    meaning: dict[str, object] = {}
    bounds: set[str] = set()
    aliases: set[int] = set()
    for item in plans:
        if id(item.alias) in aliases or item.head in bounds or item.bound in meaning:
            continue
        binding = item.binding
        identity: object = binding if binding.level else ("package", item.head)
        if meaning.get(item.head, identity) != identity:
            continue
        kept.append(item)
        aliases.add(id(item.alias))
        bounds.add(item.bound)
        meaning[item.head] = identity
    return kept


def apply_edits(code: str, changes: Iterable[TextEdit]) -> str:
    parts = []
    position = 0
    for start, end, text in sorted(changes, key=lambda edit: (edit[0], edit[1])):
        parts += [code[position:start], text]
        position = end
    parts.append(code[position:])
    return "".join(parts)


def _indent(analysis: Analysis, statement: ast.stmt) -> str:
    start = analysis.line_starts[statement.lineno - 1]
    return analysis.code[start : analysis.offset(statement.lineno, statement.col_offset)]


def _merge_target(
    analysis: Analysis, new: NewImport, home: ast.ImportFrom
) -> ast.ImportFrom | None:
    """A from-import of the same module in ``home``'s import block to add the name to."""
    if not new.level:
        return None
    body = _body_of(analysis, home)
    for statement in _block(body, body.index(home)):
        if (
            isinstance(statement, ast.ImportFrom)
            and statement.level == new.level
            and (statement.module or "") == new.module
            and all(alias.name != "*" and alias.asname is None for alias in statement.names)
        ):
            return statement
    return None


def _block(body: list[ast.stmt], index: int) -> list[ast.stmt]:
    first = last = index
    while first > 0 and isinstance(body[first - 1], (ast.Import, ast.ImportFrom)):
        first -= 1
    while last + 1 < len(body) and isinstance(body[last + 1], (ast.Import, ast.ImportFrom)):
        last += 1
    return body[first : last + 1]


def _body_of(analysis: Analysis, statement: ast.stmt) -> list[ast.stmt]:
    """The block ``statement`` is in: the module's, or one of an ``if``/``try``... at
    module level (``if __name__ == "__main__":`` imports, ``try: ... except ImportError``)."""
    return analysis.blocks.get(id(statement), [statement])


def _insertion_offset(
    analysis: Analysis,
    home: ast.ImportFrom,
    new: NewImport,
    by_type: bool,
    deleted: Callable[[ast.stmt], bool],
) -> int:
    """Where ``new`` goes: its sorted place in ``home``'s import block, else just
    above ``home``. Above the comment lines on top of the statement it goes
    before, unless that statement is deleted: then the comment stays on top
    of the import that replaces it."""
    body = _body_of(analysis, home)
    if _isort_skip(analysis, home):
        raise Refused("the import is marked isort: skip")
    before: ast.stmt = home
    found = imports.insertion_point(
        body,
        body.index(home),
        new.key(by_type),
        imports.new_group(new.level, new.module),
        by_type=by_type,
        skipped=lambda statement: _isort_skip(analysis, statement),
    )
    if found is not None:
        index, after = found
        if after:
            last = body[index].end_lineno or body[index].lineno
            if last >= len(analysis.line_starts):
                raise Refused("the import block ends the file without a newline")
            return analysis.line_starts[last]
        before = body[index]
    if deleted(before):
        return analysis.line_starts[before.lineno - 1]
    return _line_start_with_comments(analysis, before)


def _isort_skip(analysis: Analysis, statement: ast.stmt) -> bool:
    """A statement the sorters leave where it is (``# isort: skip``, ``# isort:skip``)."""
    lines = range(statement.lineno, (statement.end_lineno or statement.lineno) + 1)
    return any("isort:" in analysis.line_text(n).replace(" ", "") for n in lines)


def _line_start_with_comments(analysis: Analysis, statement: ast.stmt) -> int:
    """The start of ``statement``'s first line, above the comment lines right on top of it."""
    line = statement.lineno
    while line > 1 and analysis.line_text(line - 1).lstrip().startswith("#"):
        line -= 1
    return analysis.line_starts[line - 1]


@dataclass
class _Insertion:
    """A new import statement: where it goes, and what it carries."""

    offset: int
    new: NewImport
    indent: str
    #: the names a from-import imports (one for ``import app.db``)
    names: list[str]
    #: isort's ``order-by-type``
    by_type: bool
    #: the comment of the import it replaces, with its leading spaces
    comment: str = ""

    def text(self, newline: str) -> str:
        statement = self.new.text()
        if self.new.level:
            names = sorted(set(self.names), key=lambda name: imports.member_key(name, self.by_type))
            statement = f"from {'.' * self.new.level}{self.new.module} import {', '.join(names)}"
        return f"{self.indent}{statement}{self.comment}{newline}"


def _carry_comment(
    inserted: dict[NewImport, _Insertion],
    plans: Sequence[Plan],
    statement: ast.ImportFrom,
    comment: str,
) -> None:
    """The comment after an import the fix deletes goes with the import that
    replaces it, as an import sorter moves a comment with its import."""
    for item in plans:
        entry = inserted.get(item.new_import) if item.new_import is not None else None
        if item.statement is statement and entry is not None and not entry.comment:
            entry.comment = "  " + comment
            return
    raise Refused("a comment after the import would be lost")


def _statement_span(analysis: Analysis, statement: ast.ImportFrom) -> tuple[int, int]:
    """The lines holding ``statement`` (from after their indentation to their end)."""
    first, last = statement.lineno, statement.end_lineno or statement.lineno
    line_start = analysis.line_starts[first - 1]
    text = analysis.code[line_start : analysis.line_end(first)]
    return line_start + len(text) - len(text.lstrip(" \t")), analysis.line_end(last)


def _rewrite_statement(
    analysis: Analysis,
    statement: ast.ImportFrom,
    remove: set[str],
    add: list[str],
    inner: Sequence[TextEdit],
    by_type: bool = True,
) -> tuple[TextEdit, str]:
    """The edit of the lines of one from-import: the names in ``remove`` dropped (by
    the name they bind), those in ``add`` put in their sorted place, ``inner``
    (uses on those lines) applied, nothing else changed. A line left empty is
    deleted: its comment, if it has one, is returned with the edit (else "")."""
    span = _statement_span(analysis, statement)
    start, end = span
    if not inner:
        simple = simple_rewrite(analysis, statement, span, remove, add, by_type)
        if simple is not None:
            return simple
    snippet = apply_edits(
        analysis.code[start:end], [(a - start, b - start, t) for a, b, t in inner]
    )
    from reloadlint.fixes import import_cst

    try:
        return import_cst.rewrite_statement(
            analysis, statement, span, snippet, remove, add, by_type
        )
    except import_cst.Unparsable as error:
        raise Refused(str(error)) from None


#: ``from module import a, b as c  # comment`` alone on its line
_SIMPLE = re.compile(
    r"from[ \t]+(?P<module>[.\w]+)[ \t]+import[ \t]+(?P<names>[\w \t,]+?)"
    r"(?P<comment>[ \t]*#.*)?"
)
_ALIAS = re.compile(r"(\w+)(?:[ \t]+as[ \t]+(\w+))?")


def simple_rewrite(
    analysis: Analysis,
    statement: ast.ImportFrom,
    span: tuple[int, int],
    remove: set[str],
    add: list[str],
    by_type: bool,
) -> tuple[TextEdit, str] | None:
    """:func:`_rewrite_statement` of a one-line import without parentheses as text,
    or None for any other layout (libcst's job)."""
    start, end = span
    found = _SIMPLE.fullmatch(analysis.code[start:end])
    if found is None or statement.lineno != statement.end_lineno:
        return None
    parts = [part.strip() for part in found.group("names").split(",")]
    aliases = [_ALIAS.fullmatch(part) for part in parts]
    if any(a is None for a in aliases) or [
        (a.group(1), a.group(2)) for a in aliases if a is not None
    ] != [(a.name, a.asname) for a in statement.names]:
        return None
    kept = [part for part, a in zip(parts, statement.names, strict=True)
            if (a.asname or a.name) not in remove]  # fmt: skip
    comment = found.group("comment") or ""
    if not kept and not add:
        line = statement.lineno
        following = analysis.line_starts[line] if line < len(analysis.line_starts) else end
        return (analysis.line_starts[line - 1], following, ""), comment.strip()
    names = list(kept)
    for name in add:
        order = [_ALIAS.fullmatch(n).group(2) or n for n in names]  # type: ignore[union-attr]
        index = len(names)
        if imports.members_sorted(order, by_type):
            key = imports.member_key(name, by_type)
            index = next(
                (i for i, n in enumerate(order) if key < imports.member_key(n, by_type)),
                len(names),
            )
        names.insert(index, name)
    text = f"from {found.group('module')} import {', '.join(names)}{comment}"
    return (start, end, text), ""
