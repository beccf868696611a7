"""Fixes: libcst codemods that keep formatting and comments.

Each fixer takes the file's source and one diagnostic and returns the new
source, or None when the fix is not provably safe here. Fixes are computed
only when asked for (``--fix``, ``--diff``, or a format that carries edits),
so the lint itself never pays for a libcst parse.
"""

from __future__ import annotations

import ast
import difflib
import functools
import io
import tokenize
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from reloadlint.diagnostics import Applicability, Diagnostic, Edit, Fix, Position
from reloadlint.fixes import guard_state, stale_import
from reloadlint.rules.registry import rules_by_code

Fixer = Callable[[str, Diagnostic, bool], "str | None"]


def _stale_import(source: str, diagnostic: Diagnostic, is_package: bool) -> str | None:
    if not diagnostic.symbol:
        return None
    row = diagnostic.location.row
    return stale_import.rewrite(source, row, diagnostic.symbol, is_package=is_package)


def _guard_state(source: str, diagnostic: Diagnostic, is_package: bool) -> str | None:
    name = diagnostic.symbol.rpartition(".")[2]
    return guard_state.rewrite(source, diagnostic.location.row, name) if name else None


#: Fixer name -> fixer. A rule names its fixer (``Rule.fixer``), with the fix's
#: title and applicability: :func:`fix_spec` reads them from the rule registry.
FIXERS: dict[str, Fixer] = {
    "stale-import": _stale_import,
    "guard-state": _guard_state,
}


@dataclass(frozen=True)
class FixSpec:
    """How the findings of one rule are fixed, as the rule declares it."""

    fixer: str
    applicability: Applicability
    title: str


@functools.cache
def fix_spec(code: str) -> FixSpec | None:
    """What rule ``code`` declares about its fix; None when it has none."""
    rule = rules_by_code().get(code)
    if rule is None or not rule.fixer:
        return None
    return FixSpec(rule.fixer, rule.fix_applicability, rule.fix_title)


#: Deeper code gets no fix: libcst's parser takes time quadratic in nesting
#: depth (700 levels: 1.5 s; 2,900: 50 s, for each fix) and its metadata pass
#: overflows the recursion limit a little past 300 levels anyway.
MAX_FIX_DEPTH = 300


def fixed_source(source: str, diagnostic: Diagnostic, *, is_package: bool) -> str | None:
    """The source with this one diagnostic fixed, if a fix applies and the result parses."""
    spec = fix_spec(diagnostic.code)
    fixer = FIXERS.get(spec.fixer) if spec is not None else None
    # A UTF-8 BOM is not Python (ast.parse rejects it in a str, libcst drops it):
    # fix the code after it and put it back.
    bom = "\ufeff" if source.startswith("\ufeff") else ""
    code = source[len(bom) :]
    # libcst drops the last line ending of a file whose lines end in CR alone (old
    # Mac style): such a file is fixed with LF endings, turned back after. (Python
    # reads any CR as a line end, in strings too: nothing else changes.)
    cr_only = "\r" in code and "\n" not in code
    if cr_only:
        code = code.replace("\r", "\n")
    before = _fixable_names(code) if fixer is not None else None
    if fixer is None or before is None:
        return None
    try:
        new = fixer(code, diagnostic, is_package)
    except Exception:  # a fixer bug must never cost the user their file or the run
        return None
    if new is None or new == code:
        return None
    after = _defined_names(new)
    if after is None or not before <= after:
        return None  # does not parse, or a definition went missing: never lose code
    if not keeps_comments(code, new):
        return None  # a comment would be lost (a type-ignore or a noqa comment, say)
    return bom + (new.replace("\n", "\r") if cr_only else new)


def comments(text: str) -> Counter[str] | None:
    """Every comment of ``text`` (None if it does not tokenize)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    return Counter(token.string.rstrip() for token in tokens if token.type == tokenize.COMMENT)


def keeps_comments(old: str, new: str) -> bool:
    """Whether every comment of ``old`` is still in ``new`` (as many times)."""
    before, after = comments(old), comments(new)
    return before is not None and after is not None and not before - after


def fix_for(source: str, diagnostic: Diagnostic, *, is_package: bool) -> Fix | None:
    """The fix as edits against ``source`` (for JSON and SARIF output)."""
    new = fixed_source(source, diagnostic, is_package=is_package)
    spec = fix_spec(diagnostic.code)
    if new is None or spec is None:
        return None
    return Fix(spec.applicability, spec.title, edits_between(source, new))


@functools.lru_cache(maxsize=4)
def _fixable_names(source: str) -> frozenset[str] | None:
    """:func:`_defined_names` of a file to fix, or None when it nests deeper than
    :data:`MAX_FIX_DEPTH`. Cached: a file is asked about once per finding."""
    names = _defined_names(source, max_depth=MAX_FIX_DEPTH)
    return None if names is None else frozenset(names)


def _defined_names(source: str, *, max_depth: int | None = None) -> set[str] | None:
    """Every name the code defines or assigns, at any depth; None if it does not
    parse (or nests deeper than ``max_depth``).

    A fix may add names (``import app.db``) but never drop one: a fixer bug
    that returned a truncated or emptied file would still parse.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    names: set[str] = set()
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:  # iterative: the depth being measured could overflow a recursive walk
        node, depth = stack.pop()
        if max_depth is not None and depth > max_depth:
            return None
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return names


def edits_between(old: str, new: str) -> tuple[Edit, ...]:
    """Whole-line edits that turn ``old`` into ``new``."""
    a = old.splitlines(keepends=True)
    b = new.splitlines(keepends=True)
    edits = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        edits.append(Edit("".join(b[j1:j2]), Position(i1 + 1, 1), Position(i2 + 1, 1)))
    return tuple(edits)
