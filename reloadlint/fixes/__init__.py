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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reloadlint.diagnostics import Applicability, Diagnostic, Edit, Fix, Position
from reloadlint.fixes import stale_import
from reloadlint.fixes.style import UNLIMITED, Style, width
from reloadlint.rules.registry import rules_by_code


@dataclass(frozen=True)
class FixContext:
    """What a fixer needs to know about the file besides its text."""

    is_package: bool
    #: the module's own name ("" when unknown): a relative import of a name its
    #: package re-exports stays relative only when it is known
    module: str = ""
    #: the line length and import style the team's configuration sets
    style: Style = UNLIMITED
    #: names other modules of the project use from this one: their imports stay
    #: (:func:`reloadlint.fixes.exports.kept_names`)
    keep: frozenset[str] = frozenset()


#: A fixer: (source, the findings of its rule(s) in the file, context) -> the
#: new source with as many of them fixed as can be together, or None.
Fixer = Callable[[str, Sequence[Diagnostic], FixContext], "str | None"]


def _stale_import(
    source: str, diagnostics: Sequence[Diagnostic], context: FixContext
) -> str | None:
    findings = [(d.location.row, d.symbol) for d in diagnostics if d.symbol]
    return stale_import.rewrite_all(
        source,
        findings,
        is_package=context.is_package,
        module=context.module,
        style=context.style,
        keep=context.keep,
    )


def _guard_state(source: str, diagnostics: Sequence[Diagnostic], context: FixContext) -> str | None:
    from reloadlint.fixes import guard_state  # libcst: ~0.3 s to import, only when needed

    text, done = source, False
    # Bottom up: a guard adds a line, which moves only the findings below it.
    for diagnostic in sorted(diagnostics, key=lambda d: -d.location.row):
        name = diagnostic.symbol.rpartition(".")[2]
        new = guard_state.rewrite(text, diagnostic.location.row, name) if name else None
        if new is not None:
            text, done = new, True
    return text if done else None


#: Fixer name -> fixer. A rule names its fixer (``Rule.fixer``), with the fix's
#: title and applicability: :func:`fix_spec` reads them from the rule registry.
#: Guards first: they move lines by row, the stale-import fix finds its imports by name.
FIXERS: dict[str, Fixer] = {
    "guard-state": _guard_state,
    "stale-import": _stale_import,
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


def fixed_source(
    source: str,
    diagnostic: Diagnostic,
    *,
    is_package: bool,
    module: str = "",
    style: Style | None = None,
    keep: frozenset[str] = frozenset(),
) -> str | None:
    """The source with this one diagnostic fixed, if a fix applies and the result parses."""
    context = FixContext(is_package, module, style or UNLIMITED, keep)
    return fixed_file(source, [diagnostic], context)


def fixed_file(source: str, diagnostics: Sequence[Diagnostic], context: FixContext) -> str | None:
    """The source with every fixable diagnostic fixed that can be in one go (each
    fixer once, on the whole file), or None when nothing changes.

    Whatever a fixer returns is checked: it parses, keeps every definition and
    every comment, and makes no line longer than the configured length that
    was not; a combined result that fails is retried finding by finding, each
    checked the same way, so one bad fix costs only itself.
    """
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
    before = bound_names(code)
    if before is None:
        return None
    groups: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        spec = fix_spec(diagnostic.code)
        if spec is not None and spec.fixer in FIXERS:
            groups.setdefault(spec.fixer, []).append(diagnostic)
    text = code
    for name, fixer in FIXERS.items():
        group = groups.get(name)
        if not group:
            continue
        new = _checked(fixer, text, group, context, before)
        if new is None and len(group) > 1:
            for diagnostic in group:
                one = _checked(fixer, new or text, [diagnostic], context, before)
                new = one if one is not None else new
        if new is not None:
            text = new
    if text == code:
        return None
    return bom + (text.replace("\n", "\r") if cr_only else text)


def _checked(
    fixer: Fixer,
    code: str,
    diagnostics: Sequence[Diagnostic],
    context: FixContext,
    before: frozenset[str],
) -> str | None:
    try:
        new = fixer(code, diagnostics, context)
    except Exception:  # a fixer bug must never cost the user their file or the run
        return None
    if new is None or new == code:
        return None
    return new if verified(code, new, before, context.style.line_length) else None


def verified(old: str, new: str, before: frozenset[str], line_length: int | None) -> bool:
    """Whether ``new`` parses, binds every name ``old`` did (``before``), keeps
    every comment, and has no line past ``line_length`` that ``old`` did not have."""
    after = bound_names(new)
    if after is None or not before <= after:
        return False  # does not parse, or a definition went missing: never lose code
    if not comments_kept(old, new):
        return False  # a comment would be lost (a type-ignore or a noqa comment, say)
    return line_length is None or not new_long_lines(old, new, line_length)


@functools.lru_cache(maxsize=4)
def bound_names(source: str) -> frozenset[str] | None:
    """Every name the code defines or assigns in any scope (definitions,
    assignments, parameters: not imports, which a fix may rewrite); None if
    it does not compile. Python's own symbol table makes
    this a C-speed pass (an ``ast`` walk in Python cost more than the fix)."""
    import symtable

    try:
        table = symtable.symtable(source, "<fix>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    names: set[str] = set()
    stack = [table]
    while stack:
        current = stack.pop()
        for symbol in current.get_symbols():
            if symbol.is_assigned() or symbol.is_parameter():
                names.add(symbol.get_name())
        stack.extend(current.get_children())
    return frozenset(names)


@functools.lru_cache(maxsize=4)
def _comments_by_line(source: str) -> dict[int, list[str]] | None:
    try:
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        found: dict[int, list[str]] = {}
        for token in tokens:
            if token.type == tokenize.COMMENT:
                found.setdefault(token.start[0], []).append(token.string.rstrip())
    except (tokenize.TokenError, SyntaxError):
        return None
    return found


def comments_kept(old: str, new: str) -> bool:
    """Whether every comment of ``old`` is still in ``new``: each comment on a line
    that the fix changed must be on one of the lines it wrote (``old`` is
    tokenized once per file, ``new`` not at all; not even ``old`` when no line
    the fix removed or changed has a ``#`` at all)."""
    remaining = Counter(new.splitlines())
    gone = []
    for line in old.splitlines():
        if remaining[line]:
            remaining[line] -= 1
        else:
            gone.append(line)
    if not any("#" in line for line in gone):
        return True
    by_line = _comments_by_line(old)
    if by_line is None:
        return keeps_comments(old, new)
    old_lines = old.splitlines()
    new_lines = Counter(new.splitlines())
    written = Counter(new_lines)
    for line in old_lines:
        if written[line]:
            written[line] -= 1
    changed_text = "\n".join(line for line, count in written.items() for _ in range(count))
    lost: Counter[str] = Counter()
    for number, comments_here in by_line.items():
        line = old_lines[number - 1] if number <= len(old_lines) else ""
        if new_lines[line]:
            new_lines[line] -= 1
            continue
        lost.update(comments_here)
    return all(changed_text.count(comment) >= count for comment, count in lost.items())


def new_long_lines(old: str, new: str, line_length: int) -> list[str]:
    """The lines of ``new`` wider than ``line_length`` that ``old`` does not have,
    beyond as many as the long lines of ``old`` it rewrote."""

    def long(line: str) -> bool:
        # width() counts wide characters twice: only a line that could be long is measured
        return (len(line) > line_length or not line.isascii() or "\t" in line) and (
            width(line) > line_length
        )

    had = Counter(line for line in old.splitlines() if long(line))
    found = []
    for line in new.splitlines():
        if long(line):
            if had[line]:
                had[line] -= 1
            else:
                found.append(line)
    # A long line the fix rewrote is still long: not a new one (the team
    # already allows it, by an E501 exemption say).
    return found[sum(had.values()) :]


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


def fix_for(
    source: str,
    diagnostic: Diagnostic,
    *,
    is_package: bool,
    module: str = "",
    style: Style | None = None,
    keep: frozenset[str] = frozenset(),
) -> Fix | None:
    """The fix as edits against ``source`` (for JSON and SARIF output), computed
    the slow way: the whole fixed file, diffed (the reference
    :mod:`reloadlint.fixes.batch` is tested against)."""
    new = fixed_source(
        source, diagnostic, is_package=is_package, module=module, style=style, keep=keep
    )
    spec = fix_spec(diagnostic.code)
    if new is None or spec is None:
        return None
    return Fix(spec.applicability, spec.title, edits_between(source, new))


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
