"""Every finding's fix in one file from one libcst parse (JSON and SARIF output).

Computing each finding's fix on its own (:func:`reloadlint.fixes.fix_for`)
visits and regenerates the whole module with libcst, parses the result and
diffs it against the file, per finding: on Django's 3,400 fixable findings
that took twelve minutes. Here a file is parsed and its scopes resolved once,
and each finding costs only what it changes:

- the module is cut into its top-level statements ("pieces"), whose texts
  concatenate to the file (checked: a file libcst does not print back
  exactly takes the one-by-one path, whose fixes also rewrite the lines
  libcst prints differently);
- the piece holding the import is regenerated with the fix's transformer
  (it may split or drop the import); every other use is a ``Name`` whose
  text is replaced in place by the qualified name, which is what
  regenerating that piece would print;
- the result is checked as :func:`reloadlint.fixes.fixed_source` checks a
  whole file (it parses, no definition is lost), on the changed pieces: a
  complete top-level statement that parses on its own parses in the file;
- the edits are :func:`reloadlint.fixes.edits_between` of the file and the
  fixed file, as before (diffing only the changed pieces is cheaper but
  attributes a repeated line, such as a blank line around a removed import,
  differently now and then).

The edits are the ones the one-by-one computation gives (a test compares
them on the corpus; Django and the standard library give identical JSON).
Anything this path does not handle, or does not verify, falls back to the
one-by-one computation for that finding, so the fast path can only be
faster, never different.
"""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

from reloadlint.diagnostics import Diagnostic, Edit, Fix
from reloadlint.fixes import (
    _defined_names,
    _fixable_names,
    edits_between,
    fix_for,
    fix_spec,
    guard_state,
    keeps_comments,
    stale_import,
)

_NEWLINE = re.compile(r"\r\n|\r|\n")


class _Fallback(Exception):
    """This finding needs the one-by-one computation."""


@dataclass
class _Piece:
    """One top-level statement as text: ``code[start:end]``, lines ``first..last``."""

    node: cst.BaseStatement
    start: int
    end: int
    first_line: int
    last_line: int
    #: the last statement of a file without a final newline (the module drops it)
    unterminated: bool = False
    names: frozenset[str] | None = field(default=None)


@dataclass(frozen=True)
class _Change:
    """A finding's fix as new texts of some pieces (index -> text).

    ``renamed`` are the pieces whose only change is uses of ``name`` printed
    as a qualified name: the only definition they can lose is ``name``.
    """

    texts: dict[int, str]
    name: str = ""
    renamed: frozenset[int] = frozenset()


class FileFixes:
    """The fixes of one file's findings, sharing one parse.

    ``fix(diagnostic)`` returns what :func:`reloadlint.fixes.fix_for` (the
    one-by-one computation) returns, computed from the shared parse when this
    path applies and by ``fix_for`` itself when it does not.
    """

    def __init__(self, source: str, *, is_package: bool) -> None:
        self.source = source
        self.is_package = is_package
        self.bom = "\ufeff" if source.startswith("\ufeff") else ""
        self.code = source[len(self.bom) :]
        self.analysis: stale_import.Analysis | None = None
        self.pieces: list[_Piece] = []
        #: libcst prints the module exactly as the file is
        self.round_trips = False
        # As fixed_source: code nested too deeply for libcst gets no fix and no parse.
        self.fixable = _fixable_names(self.code) is not None
        if self.fixable:
            try:
                self.analysis = stale_import.analyse(self.code)
                if self.analysis is not None:
                    self.pieces, self.round_trips = _pieces(self.analysis.module, self.code)
            except Exception:  # findings take the slow path, which guards itself
                self.analysis, self.pieces = None, []
        self.first_lines = [piece.first_line for piece in self.pieces]
        self.line_starts = [0] + [m.end() for m in _NEWLINE.finditer(self.code)]

    # ---------------------------------------------------------------- per finding

    def fix(self, diagnostic: Diagnostic) -> Fix | None:
        """What :func:`reloadlint.fixes.fix_for` returns for this finding."""
        spec = fix_spec(diagnostic.code)
        if spec is None or not self.fixable:
            return None
        try:
            change = self.change(diagnostic, spec.fixer)
            if change is None or self._unchanged(change) or not self.keeps_definitions(change):
                return None
            if not self.keeps_comments(change):
                return None
            edits = self.edits(change)
        except Exception:  # _Fallback, or a surprise of this path: the slow path decides
            return fix_for(self.source, diagnostic, is_package=self.is_package)
        return Fix(spec.applicability, spec.title, edits)

    def change(self, diagnostic: Diagnostic, fixer: str) -> _Change | None:
        """The pieces this finding's fix (by ``fixer``, its name) rewrites; None
        when the fixer offers no fix; raises :class:`_Fallback` when this path
        cannot tell.

        The plans are the fixers' own (``stale_import.plan``, ``guard_state.plan``):
        only how the result is printed, checked and diffed differs.
        """
        if self.analysis is None:
            raise _Fallback  # libcst could not parse it (the fixers will say so)
        if not self.round_trips:
            # libcst prints some line differently (it drops the space in
            # ``except (A, B) :``): the one-by-one fix rewrites that line too.
            raise _Fallback
        if fixer == "guard-state":
            return self._guard(diagnostic)
        if fixer == "stale-import":
            return self._qualify(diagnostic)
        raise _Fallback

    def _qualify(self, diagnostic: Diagnostic) -> _Change | None:
        assert self.analysis is not None
        if not diagnostic.symbol:
            return None
        plan = stale_import.plan(
            self.analysis, diagnostic.location.row, diagnostic.symbol, is_package=self.is_package
        )
        if plan is None:
            return None
        positions = self.analysis.positions
        home = self._piece_at(positions[plan.statement].start.line)
        transformer = plan.transformer()
        texts = {home: self._print(self.pieces[home].node.visit(transformer), home)}
        if not transformer.done:
            raise _Fallback
        replacements: dict[int, list[tuple[int, int]]] = {}
        for name in plan.names:
            if name.lpar or name.rpar:
                raise _Fallback  # the span would have to include the parentheses
            line = positions[name].start.line
            index = self._piece_at(line)
            if index == home:
                continue  # the transformer rewrote the uses in its own piece
            start = self.line_starts[line - 1] + positions[name].start.column
            end = start + len(name.value)
            if self.code[start:end] != name.value or positions[name].end.line != line:
                raise _Fallback
            replacements.setdefault(index, []).append((start, end))
        for index, spans in replacements.items():
            texts[index] = self._replace(index, spans, plan.qualified)
        bound = plan.alias.evaluated_alias or plan.alias.evaluated_name
        return _Change(texts, bound, frozenset(replacements))

    def _guard(self, diagnostic: Diagnostic) -> _Change | None:
        assert self.analysis is not None
        name = diagnostic.symbol.rpartition(".")[2]
        if not name:
            return None
        found = guard_state.plan(
            self.analysis.module, self.analysis.positions, diagnostic.location.row, name
        )
        if found is None:
            return None
        index, guard = found
        return _Change({index: self._print(guard, index)})

    def _unchanged(self, change: _Change) -> bool:
        return all(
            text == self.code[self.pieces[index].start : self.pieces[index].end]
            for index, text in change.texts.items()
        )

    # ---------------------------------------------------------------- pieces

    def _piece_at(self, line: int) -> int:
        index = bisect.bisect_right(self.first_lines, line) - 1
        if index < 0 or line > self.pieces[index].last_line:
            raise _Fallback
        return index

    def _print(
        self,
        node: cst.CSTNode | cst.FlattenSentinel[cst.CSTNode] | cst.RemovalSentinel,
        index: int,
    ) -> str:
        """What the module prints for the result of a transformer as its piece ``index``."""
        assert self.analysis is not None
        module = self.analysis.module
        if isinstance(node, cst.RemovalSentinel):
            text = ""
        elif isinstance(node, cst.FlattenSentinel):
            text = "".join(module.code_for_node(part) for part in node.nodes)
        else:
            text = module.code_for_node(node)
        return _unterminated(text, module) if self.pieces[index].unterminated else text

    def _replace(self, index: int, spans: list[tuple[int, int]], text: str) -> str:
        piece = self.pieces[index]
        out = []
        position = piece.start
        for start, end in sorted(spans):
            if start < position or end > piece.end:
                raise _Fallback
            out += [self.code[position:start], text]
            position = end
        out.append(self.code[position : piece.end])
        return "".join(out)

    # ---------------------------------------------------------------- checks and edits

    def names(self, index: int) -> frozenset[str]:
        """The names piece ``index`` defines (as ``fixes._defined_names`` counts them)."""
        piece = self.pieces[index]
        if piece.names is None:
            found = _frozen_names(self.code[piece.start : piece.end])
            if found is None:
                raise _Fallback  # the file parsed as a whole: a piece that does not is a surprise
            piece.names = found
        return piece.names

    def keeps_definitions(self, change: _Change) -> bool:
        """``fixed_source``'s check on the whole new file, made on the changed
        pieces: each parses (alone, so in the file too), and every name the
        file defined is still defined somewhere.

        A piece changed only by printing uses of ``name`` qualified keeps its
        syntax tree but for those uses, so it defines what it did, less
        ``name`` at most: its names are computed again only if it defined
        ``name`` (a parse is much cheaper than a walk of the tree).
        """
        old: set[str] = set()
        new: set[str] = set()
        for index, text in change.texts.items():
            if text and not text.endswith(("\n", "\r")) and not self.pieces[index].unterminated:
                raise _Fallback  # would run into the next statement
            before = self.names(index)
            if index in change.renamed and change.name not in before:
                if not _parses(text):
                    return False
                after: frozenset[str] | None = before
            else:
                after = _frozen_names(text)
            if after is None:
                return False
            old |= before
            new |= after
        lost = old - new
        if not lost:
            return True
        kept: set[str] = set()
        for index in range(len(self.pieces)):
            if index not in change.texts:
                kept |= self.names(index)
        return lost <= kept

    def keeps_comments(self, change: _Change) -> bool:
        """``fixed_source``'s comment check, on the pieces the fix rewrote with a
        transformer (the others only had names qualified: no comment can go)."""
        for index, text in change.texts.items():
            if index in change.renamed:
                continue
            piece = self.pieces[index]
            if not keeps_comments(self.code[piece.start : piece.end], text):
                return False
        return True

    def edits(self, change: _Change) -> tuple[Edit, ...]:
        """``edits_between(source, fixed)``, exactly: the whole file is diffed.

        Diffing only the changed pieces is several times cheaper but not the
        same: where lines repeat (blank lines around a removed import) the
        whole-file diff may attribute a deleted line to the neighbouring
        statement. Building the fixed text costs one string join.
        """
        parts = [self.bom]
        position = 0
        for index in sorted(change.texts):
            piece = self.pieces[index]
            parts += [self.code[position : piece.start], change.texts[index]]
            position = piece.end
        parts.append(self.code[position:])
        return edits_between(self.source, "".join(parts))


def _pieces(module: cst.Module, code: str) -> tuple[list[_Piece], bool]:
    """The module's top-level statements as spans of ``code``, and whether
    they, with the module's header and footer, print exactly as ``code``."""
    header = "".join(module.code_for_node(line) for line in module.header)
    exact = code.startswith(header)
    position = len(header)
    line = 1 + len(_NEWLINE.findall(header))
    pieces = []
    for number, node in enumerate(module.body, start=1):
        text = module.code_for_node(node)
        # Without a final newline (and no comment after the last statement) the
        # module drops the newline that ends its last statement.
        last_thing = number == len(module.body) and not module.footer
        unterminated = last_thing and not module.has_trailing_newline
        if unterminated:
            text = _unterminated(text, module)
        exact = exact and code.startswith(text, position)
        newlines = len(_NEWLINE.findall(text))
        end = position + len(text)
        last = line + max(newlines - 1 + unterminated, 0)
        pieces.append(_Piece(node, position, end, line, last, unterminated))
        position, line = end, line + newlines
    footer = "".join(module.code_for_node(line) for line in module.footer)
    if module.footer and not module.has_trailing_newline:
        footer = _unterminated(footer, module)
    return pieces, exact and code[position:] == footer


def _unterminated(text: str, module: cst.Module) -> str:
    """``text`` as the last thing in a module without a final newline."""
    newline = module.default_newline
    return text[: -len(newline)] if text.endswith(newline) else text


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _frozen_names(text: str) -> frozenset[str] | None:
    names = _defined_names(text)
    return None if names is None else frozenset(names)


def fixes_for_file(
    source: str, diagnostics: Sequence[Diagnostic], *, is_package: bool
) -> list[Fix | None]:
    """Each diagnostic's fix against ``source``, as ``fix_for`` gives it, from one parse."""
    fixes = FileFixes(source, is_package=is_package)
    return [fixes.fix(diagnostic) for diagnostic in diagnostics]
