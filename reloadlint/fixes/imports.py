"""Where a new import goes, as an import sorter would put it.

A fix that adds ``import app.db`` or ``from . import db`` must not leave the
import block unsorted for the team's sorter (ruff's ``I001``, isort with the
black profile): a block of imports is sorted whole, section by section
(standard library, third party, first party, relative); a section lists its
``import x`` statements first, then its ``from x import y`` statements, each
group by module name ignoring case, and relative imports from the furthest
(``..``) to the closest (``.``), where ``from . import db`` comes before
``from .a import b``; the names of one ``from`` import are sorted CONSTANTS,
then Classes, then the rest. Blank lines and comments inside a block do
not end it. This fix places a new import among the block's statements of
its own package (or among the relative ones), which is where the sorter
puts it whatever the other sections are.

This is the sorters' default order. A section that is not in that order
(another configuration, such as ``force-sort-within-sections``) gets the
new import just above the import it replaces, as before: the section was not
sorted this way, so this fix cannot be what makes the sorter complain.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
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


def group_of(statement: ast.Import | ast.ImportFrom) -> str:
    """What puts a statement in a sorter's section, as far as this fix needs:
    relative imports are one section; an absolute one is in its top-level
    package's (the fix adds ``import app.db`` next to the ``app`` imports)."""
    if isinstance(statement, ast.ImportFrom):
        return "." if statement.level else (statement.module or "").split(".")[0]
    return statement.names[0].name.split(".")[0]


def new_group(level: int, module: str) -> str:
    """:func:`group_of` of a new import."""
    return "." if level else module.split(".")[0]


def insertion_point(
    body: Sequence[ast.stmt],
    index: int,
    key: tuple[object, ...],
    group: str,
    *,
    by_type: bool = True,
    skipped: Callable[[ast.stmt], bool] = lambda statement: False,
) -> tuple[int, bool] | None:
    """Where a statement with ``key`` in section ``group`` goes, in the import
    block around ``body[index]`` (the run of import statements; a sorter sorts
    it whole, blank lines and comments between statements or not): (i, False)
    before ``body[i]``, (i, True) right after it. None when the section's
    statements are not in :func:`module_key` order (another sorter setting)."""
    first = last = index
    while first > 0 and _imports(body[first - 1]):
        first -= 1
    while last + 1 < len(body) and _imports(body[last + 1]):
        last += 1
    peers = [
        i
        for i in range(first, last + 1)
        if group_of(body[i]) == group and not skipped(body[i])  # type: ignore[arg-type]
    ]
    if not peers:
        return None
    keys = [module_key(body[i], by_type) for i in peers]  # type: ignore[arg-type]
    if any(a > b for a, b in pairwise(keys)):
        return None
    for i, existing in zip(peers, keys, strict=True):
        if key < existing:
            return i, False
    return peers[-1], True


def members_sorted(names: Sequence[str], by_type: bool = True) -> bool:
    keys = [member_key(name, by_type) for name in names]
    return all(a <= b for a, b in pairwise(keys))


def _imports(statement: ast.stmt) -> bool:
    return isinstance(statement, (ast.Import, ast.ImportFrom))
