"""Where a new import goes, as an import sorter would put it.

A fix that adds ``import app.db`` or ``from . import db`` must not leave the
import block unsorted for the team's sorter (ruff's ``I001``, isort with the
black profile): within a block of top-level imports, sections are separated
by a blank line; a section lists its ``import x`` statements first, then its
``from x import y`` statements, each group by module name ignoring case, and
relative imports from the furthest (``..``) to the closest (``.``), where
``from . import db`` comes before ``from .a import b``; the names of one
``from`` import are sorted CONSTANTS, then Classes, then the rest.

This is the sorters' default order. A section that is not in that order
(another configuration, such as ``force-sort-within-sections``) gets the
new import just above the import it replaces, as before: the section was not
sorted this way, so this fix cannot be what makes the sorter complain.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from itertools import pairwise


def module_key(statement: ast.Import | ast.ImportFrom, by_type: bool = True) -> tuple[object, ...]:
    """The sorter's key of a statement within its section (the first name
    imported breaks ties: one name per statement under ``force-single-line``)."""
    if isinstance(statement, ast.Import):
        return new_import_key(0, statement.names[0].name, "", by_type)
    return new_import_key(statement.level, statement.module or "", statement.names[0].name, by_type)


def new_import_key(level: int, module: str, name: str, by_type: bool = True) -> tuple[object, ...]:
    """:func:`module_key` of ``import module`` (``name`` "") or of
    ``from <level dots>module import name``."""
    if not name:
        return (0, 0, module.lower(), module, (0, "", ""))
    return (1, -level, module.lower(), module, member_key(name, by_type))


def member_key(name: str, by_type: bool = True) -> tuple[int, str, str]:
    """The order of names in one ``from`` import: CONSTANTS, Classes, the rest
    (``order-by-type``, the sorters' default), else by name ignoring case."""
    if not by_type or (len(name) > 1 and name.isupper()):
        kind = 0
    elif name[:1].isupper():
        kind = 1
    else:
        kind = 2
    return (kind, name.lower(), name)


def section_of(body: Sequence[ast.stmt], index: int, blank: set[int]) -> tuple[int, int]:
    """The section around ``body[index]``: the run of import statements without a
    blank line (``blank``: the file's blank line numbers) between them, as
    (first, last) indexes of ``body``."""
    first = last = index
    while first > 0 and _imports(body[first - 1]) and not _gap(body[first - 1], body[first], blank):
        first -= 1
    while (
        last + 1 < len(body)
        and _imports(body[last + 1])
        and not _gap(body[last], body[last + 1], blank)
    ):
        last += 1
    return first, last


def insertion_index(
    body: Sequence[ast.stmt],
    section: tuple[int, int],
    key: tuple[object, ...],
    by_type: bool = True,
) -> int | None:
    """Where a statement with ``key`` goes in the sorted ``section`` of ``body``:
    the index of the statement it goes before (``last + 1``: after the
    section); None when the section is not sorted by :func:`module_key`."""
    first, last = section
    keys = [module_key(body[i], by_type) for i in range(first, last + 1)]  # type: ignore[arg-type]
    if any(a > b for a, b in pairwise(keys)):
        return None
    for offset, existing in enumerate(keys):
        if key < existing:
            return first + offset
    return last + 1


def members_sorted(names: Sequence[str], by_type: bool = True) -> bool:
    keys = [member_key(name, by_type) for name in names]
    return all(a <= b for a, b in pairwise(keys))


def _imports(statement: ast.stmt) -> bool:
    return isinstance(statement, (ast.Import, ast.ImportFrom))


def _gap(before: ast.stmt, after: ast.stmt, blank: set[int]) -> bool:
    end = before.end_lineno or before.lineno
    return any(line in blank for line in range(end + 1, after.lineno))
