"""What the stale-import fix of one finding changes, decided on one ``ast``
parse of the file shared by all its findings (:mod:`reloadlint.fixes.stale_import`
says what the fix does and when it is offered)."""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass

from reloadlint import noqa
from reloadlint.fixes import imports
from reloadlint.fixes.scopes import Names, module_names

NEWLINE = re.compile(r"\r\n|\r|\n")

#: A text edit of the file: (start, end, replacement), offsets in characters.
TextEdit = tuple[int, int, str]


@dataclass
class Analysis:
    """One file parsed and its names resolved, shared by every finding in it."""

    code: str
    tree: ast.Module
    names: Names
    line_starts: list[int]
    newline: str
    #: the names listed in ``__all__``
    public: frozenset[str]

    @functools.cached_property
    def blocks(self) -> dict[int, list[ast.stmt]]:
        """id of each statement run in the module's namespace -> the block it is in
        (the module's, or an ``if``/``try``/``with``... block at module level);
        computed once, asked per finding."""
        found: dict[int, list[ast.stmt]] = {}
        pending = [self.tree.body]
        while pending:
            block = pending.pop()
            for statement in block:
                found[id(statement)] = block
                if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    continue
                for name in ("body", "orelse", "finalbody"):
                    inner = getattr(statement, name, None)
                    if inner:
                        pending.append(inner)
                for handler in getattr(statement, "handlers", ()) or ():
                    pending.append(handler.body)
        return found

    @functools.cached_property
    def import_of(self) -> dict[int, ast.Import | ast.ImportFrom]:
        """id of each alias of a module-level import -> its statement."""
        return {
            id(alias): statement
            for block in {id(b): b for b in self.blocks.values()}.values()
            for statement in block
            if isinstance(statement, (ast.Import, ast.ImportFrom))
            for alias in statement.names
        }

    def offset(self, line: int, column: int) -> int:
        """The character offset of ``ast``'s (line, UTF-8 byte column)."""
        start = self.line_starts[line - 1]
        text = self.code[start : start + column]
        if not text.isascii():  # the column counts UTF-8 bytes
            raw = self.code[start : self.line_end(line)].encode("utf-8")[:column]
            return start + len(raw.decode("utf-8", "replace"))
        return start + column

    def line_end(self, line: int) -> int:
        """The offset of ``line``'s line ending (or of the end of the file)."""
        if line < len(self.line_starts):
            end = self.line_starts[line]
            return end - len(NEWLINE.search(self.code, end - 2, end).group())  # type: ignore[union-attr]
        return len(self.code)

    def line_text(self, line: int) -> str:
        return self.code[self.line_starts[line - 1] : self.line_end(line)]


@functools.lru_cache(maxsize=2)
def analyse(code: str) -> Analysis | None:
    """Parse and resolve once per file, not once per finding (a file is asked
    about once per finding: for JSON output, ``--diff`` and ``--fix``)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    try:
        names = module_names(tree)
    except RecursionError:
        return None
    starts = [0] + [m.end() for m in NEWLINE.finditer(code)]
    found = NEWLINE.search(code)
    newline = found.group() if found else "\n"
    return Analysis(code, tree, names, starts, newline, frozenset(_all_names(tree)))


@dataclass(frozen=True)
class NewImport:
    """The import a fix needs: ``import app.db`` (level 0) or ``from . import db``."""

    level: int
    module: str  # ``app.db``; or, for a from-import, the part after the dots (may be "")
    name: str = ""  # the name a from-import imports

    @property
    def binds(self) -> str:
        return self.name if self.level else self.module.split(".")[0]

    def text(self) -> str:
        if self.level:
            return f"from {'.' * self.level}{self.module} import {self.name}"
        return f"import {self.module}"

    def key(self, by_type: bool = True) -> tuple[object, ...]:
        return imports.new_import_key(self.level, self.module, self.name, by_type)


@dataclass(frozen=True)
class Plan:
    """What the fix of one finding changes."""

    statement: ast.ImportFrom
    alias: ast.alias
    bound: str
    uses: tuple[ast.Name, ...]
    #: what each use becomes
    qualified: str
    #: the import to add, None when the module already has it
    new_import: NewImport | None
    #: the name the qualified form starts with
    head: str
    #: the import that binds ``head`` (``new_import``, or the one already there)
    binding: NewImport


def plan(
    analysis: Analysis,
    line: int,
    qualified: str,
    *,
    is_package: bool,
    module: str = "",
    keep: frozenset[str] = frozenset(),
) -> Plan | None:
    """The fix of the from-import of ``qualified`` at ``line``, or None when unsafe.

    ``module``: the fixed module's own name (for relative imports of a name a
    package re-exports); without it such an import is made absolute.
    ``keep``: names of the module that other modules of the project use from it
    (import, read or assign as ``module.name``, name in a string): their
    bindings stay (:func:`reloadlint.fixes.exports.kept_names`).
    """
    target, _, attribute = qualified.rpartition(".")
    if not target or is_package:
        return None
    found = _find_alias(analysis, line, attribute)
    if found is None:
        return None
    statement, alias = found
    names = analysis.names
    bound = alias.asname or alias.name
    if bound in analysis.public or bound in names.ambiguous or bound in names.annotation_strings:
        return None
    if bound in keep or "*" in keep or bound in names.strings or _noqa_unused(analysis, statement):
        return None  # exported: importers, patchers or a list of names need the binding here
    if _pytest_reads(bound, module):
        return None
    if bound in names.import_time:
        return None  # the module's own import runs the use: in an import cycle the
        # qualified form fails where the bound one worked, and it cures nothing there
    if not _imports_the_same(statement, target, module):
        return None
    if names.global_bindings.get(bound) != [alias]:
        return None  # the name is bound again: its uses may mean the other binding
    uses = tuple(names.global_uses.get(bound, ()))
    if not uses:
        return None
    relative = _relative(statement, target, module)
    if relative is None and statement.level:
        return None  # `from . import get_console` of the package itself: it stays relative
    if relative is not None:
        level, parent, last = relative
        binding = NewImport(level, parent, last)
        new: NewImport | None = binding
        head = last
        existing = _same_from_import(analysis, level, parent, last, statement)
        if existing is None or head == bound:
            return None
        if existing:
            new = None
        short = f"{last}.{attribute}"
    else:
        binding = new = NewImport(0, target)
        head = target.split(".")[0]
        existing = _plain_import_ok(analysis, target, head, statement)
        if existing is None or head == bound:
            return None
        if existing:
            new = None
        short = qualified
    return Plan(statement, alias, bound, uses, short, new, head, binding)


def _imports_the_same(statement: ast.ImportFrom, target: str, module: str) -> bool:
    """Whether importing ``target`` still imports the module ``statement`` names:
    the same module or a package it is in (``from app import connect`` of
    ``app.db.connect``). ``from app.api import connect`` re-exporting it from
    ``app.db`` is not fixed: ``import app.db`` would no longer import
    ``app.api``, nor run what its import does."""
    stated = statement.module or ""
    if statement.level and not module:
        return bool(stated) and (target == stated or target.endswith("." + stated))
    if statement.level:
        parts = module.split(".")[:-1]  # the package of this (non-package) module
        if statement.level - 1 > len(parts):
            return False
        parts = parts[: len(parts) - (statement.level - 1)]
        stated = ".".join([*parts, stated] if stated else parts)
    return bool(stated) and (target == stated or target.startswith(stated + "."))


def _pytest_reads(name: str, module: str) -> bool:
    """Whether pytest finds ``name`` in the module's namespace: anything in a
    ``conftest.py`` (fixtures, hooks, ``pytest_plugins``), a ``pytest_*`` hook
    anywhere, a ``test*`` function or ``Test*`` class in a test module (an
    imported one is collected there too: removing it changes the tests run)."""
    last = module.rpartition(".")[2]
    if last == "conftest" or name.startswith("pytest_"):
        return True
    test_module = last.startswith("test_") or last.endswith("_test")
    return test_module and name.lower().startswith("test")


def _noqa_unused(analysis: Analysis, statement: ast.stmt) -> bool:
    """Whether a line of the import says its names are there on purpose
    (``# noqa: F401``, or ``# noqa`` without codes): kept for importers."""
    first, last = statement.lineno, statement.end_lineno or statement.lineno
    found, _ = noqa.scan([analysis.line_text(n) for n in range(first, last + 1)])
    return any(codes is None or "F401" in codes for codes in found.values())


def _find_alias(
    analysis: Analysis, line: int, name: str
) -> tuple[ast.ImportFrom, ast.alias] | None:
    """The module-level from-import spanning ``line`` that imports ``name`` (the
    alias on ``line`` itself first, for imports split over several lines); else
    the one module-level from-import of ``name`` (a fix applied above moved it)."""
    statements = {id(s): s for s in analysis.import_of.values() if isinstance(s, ast.ImportFrom)}
    candidates = sorted(
        (
            (node, alias)
            for node in statements.values()
            for alias in node.names
            if alias.name == name
        ),
        key=lambda c: (c[0].lineno, c[0].col_offset),
    )
    spanning = [c for c in candidates if c[0].lineno <= line <= (c[0].end_lineno or line)]
    exact = [c for c in spanning if getattr(c[1], "lineno", None) == line]
    for group in (exact, spanning):
        if group:
            return group[0]
    return candidates[0] if len(candidates) == 1 else None


def _relative(statement: ast.ImportFrom, target: str, module: str) -> tuple[int, str, str] | None:
    """(level, parent, last) of the relative import of module ``target`` from where
    ``statement`` imports (``from . import db``: (1, "", "db")), or None for an
    absolute statement or a target outside the statement's package."""
    level = statement.level
    if not level:
        return None
    stated = statement.module or ""
    if stated and (target == stated or target.endswith("." + stated)):
        base = target[: len(target) - len(stated)].rstrip(".")
    elif module:
        parts = module.split(".")[:-1]  # the package of a (non-package) module
        if level - 1 > len(parts):
            return None
        base = ".".join(parts[: len(parts) - (level - 1)])
    else:
        return None
    if not base or not target.startswith(base + "."):
        return None
    rest = target[len(base) + 1 :]
    parent, _, last = rest.rpartition(".")
    return level, parent, last


def _same_from_import(
    analysis: Analysis, level: int, parent: str, name: str, home: ast.stmt
) -> bool | None:
    """Whether the module already binds ``name`` by ``from <level><parent> import name``
    (True), does not bind it and may (False), or uses it for something else (None)."""
    names = analysis.names
    if name in names.elsewhere or name in names.ambiguous:
        return None
    bindings = names.global_bindings.get(name, [])
    if not bindings:
        return False if name not in names.free_reads else None
    for binding in bindings:
        statement = _statement_of(analysis, binding)
        if not (
            isinstance(binding, ast.alias)
            and binding.asname is None
            and isinstance(statement, ast.ImportFrom)
            and statement.level == level
            and (statement.module or "") == parent
            and _runs_with(analysis, statement, home)
        ):
            return None
    return True


def _plain_import_ok(analysis: Analysis, target: str, top: str, home: ast.stmt) -> bool | None:
    """Whether ``import target`` is there already (True), can be added (False), or
    ``top`` means something else somewhere in the module (None)."""
    names = analysis.names
    if top in names.elsewhere or top in names.ambiguous:
        return None
    bindings = names.global_bindings.get(top, [])
    if not bindings:
        return False if top not in names.free_reads else None
    present = False
    for binding in bindings:
        statement = _statement_of(analysis, binding)
        if not isinstance(binding, ast.alias) or not isinstance(statement, ast.Import):
            return None
        if not _runs_with(analysis, statement, home):
            return None  # ``if TYPE_CHECKING: import app.db``: not there when the code runs
        if binding.asname is not None and binding.asname != binding.name:
            return None  # ``import os as app``
        present = present or (binding.asname is None and binding.name == target)
    return present


def _statement_of(analysis: Analysis, alias: ast.AST) -> ast.stmt | None:
    return analysis.import_of.get(id(alias))


def _runs_with(analysis: Analysis, statement: ast.stmt, home: ast.stmt) -> bool:
    """Whether ``statement`` runs whenever ``home`` (the import fixed) does: it
    stands in the module's own body or in ``home``'s block, not under another
    ``if TYPE_CHECKING:``, ``try:`` or other block (an import there is not one
    the fix can rely on, nor add a second of)."""
    block = analysis.blocks.get(id(statement))
    return block is analysis.tree.body or block is analysis.blocks.get(id(home))


def _all_names(tree: ast.Module) -> set[str]:
    found: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, (ast.AugAssign, ast.AnnAssign)):
            targets = [statement.target]
        else:
            continue
        if not any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            continue
        value = statement.value
        for element in getattr(value, "elts", ()):
            if isinstance(element, ast.Constant) and isinstance(element.value, str):
                found.add(element.value)
    return found
