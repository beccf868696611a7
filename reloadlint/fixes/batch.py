"""Every finding's fix in one file from one parse (JSON, JSON Lines and SARIF).

Computing each finding's fix on its own (:func:`reloadlint.fixes.fix_for`)
writes and checks the whole fixed file and diffs it against the old one, per
finding. Here the file is parsed and its names resolved once
(:func:`reloadlint.fixes.stale_import.analyse`), and each finding costs only
what it changes:

- its edits are the stale-import fix's own text edits, widened to whole
  lines (the form :func:`reloadlint.fixes.edits_between` gives);
- the checks :func:`reloadlint.fixes.fixed_source` makes on a whole file
  are made where the fix can change something: the rewritten import
  statement parses and keeps its comments; a use is replaced only where its
  exact text stands (a name replaced by a dotted name in a load is always
  valid, and no edit can drop a definition); no line grows past the line
  length. ``--fix`` still checks every whole file it writes;
- a finding of another fixer (the RL401 guard) takes the one-by-one path.

Applying a finding's edits gives exactly what ``fixed_source`` gives for it
(a test checks this on the corpus and on real projects).
"""

from __future__ import annotations

import ast
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from reloadlint.diagnostics import Diagnostic, Edit, Fix, Position
from reloadlint.fixes import comments, fix_for, fix_spec, stale_import
from reloadlint.fixes.style import Style

_NEWLINE = re.compile(r"\r\n|\r|\n")


def fixes_for_file(
    source: str,
    diagnostics: Sequence[Diagnostic],
    *,
    is_package: bool,
    module: str = "",
    style: Style | None = None,
    keep: frozenset[str] = frozenset(),
) -> list[Fix | None]:
    """Each diagnostic's fix against ``source``, as ``fix_for`` gives it, from one parse."""
    out: list[Fix | None] = [None] * len(diagnostics)
    bom = "\ufeff" if source.startswith("\ufeff") else ""
    code = source[len(bom) :]
    cr_only = "\r" in code and "\n" not in code
    if cr_only:
        code = code.replace("\r", "\n")
    analysis = stale_import.analyse(code)
    slow: list[int] = []
    for index, diagnostic in enumerate(diagnostics):
        spec = fix_spec(diagnostic.code)
        if spec is None:
            continue
        if spec.fixer != "stale-import":
            slow.append(index)
            continue
        if analysis is None:
            continue  # does not parse: no fix (the one-by-one path says the same)
        found = stale_import.plan(
            analysis,
            diagnostic.location.row,
            diagnostic.symbol,
            is_package=is_package,
            module=module,
            keep=keep,
        )
        if found is None:
            continue
        try:
            changes = stale_import.edits(analysis, [found], style=style)
        except stale_import.Refused:
            continue
        if _statements_ok(analysis.code, changes):
            edits = line_edits(source, changes, bom, cr_only)
            out[index] = Fix(spec.applicability, spec.title, edits)
    for index in slow:
        out[index] = fix_for(
            source, diagnostics[index], is_package=is_package, module=module,
            style=style, keep=keep,
        )  # fmt: skip
    return out


def _statements_ok(code: str, changes: Sequence[stale_import.TextEdit]) -> bool:
    """Each rewritten import statement parses alone, and every comment of the
    statements rewritten or deleted is in what replaces them (a deleted
    import's comment moves to the new import)."""
    lost: Counter[str] = Counter()
    written: Counter[str] = Counter()
    for start, end, text in changes:
        if start != end and "import" not in code[start:end]:
            continue  # a use
        if text:
            try:
                ast.parse(text.strip())
            except (SyntaxError, ValueError):
                return False
        old, new = comments(code[start:end]), comments(text)
        if old is None or new is None:
            return False
        lost += old
        written += new
    return not lost - written


@dataclass
class _Span:
    """Whole lines [first, end) (0-based) and the changes that fall in them."""

    first: int
    end: int
    changes: list[stale_import.TextEdit]


@functools.lru_cache(maxsize=2)
def _line_starts(source: str) -> list[int]:
    return [0] + [m.end() for m in _NEWLINE.finditer(source)]


def line_edits(
    source: str, changes: Sequence[stale_import.TextEdit], bom: str, cr_only: bool
) -> tuple[Edit, ...]:
    """``changes`` (offsets in the code after the BOM) as whole-line edits of ``source``."""
    shift = len(bom)
    starts = _line_starts(source)

    def line_of(offset: int) -> int:
        import bisect

        return bisect.bisect_right(starts, offset) - 1  # 0-based

    spans: list[_Span] = []
    for start, end, text in sorted(changes):
        first = line_of(start + shift)
        last = line_of(end + shift)
        if end + shift > starts[last] or (start == end and start + shift > starts[first]):
            last += 1  # the edit ends inside the line: the whole line is replaced
        last = max(last, first + (1 if start != end else 0))
        if spans and first <= spans[-1].end:
            spans[-1].end = max(spans[-1].end, last)
            spans[-1].changes.append((start, end, text))
        else:
            spans.append(_Span(first, last, [(start, end, text)]))
    out = []
    for span in spans:
        stop = starts[span.end] if span.end < len(starts) else len(source)
        parts = []
        position = starts[span.first]
        for start, end, text in span.changes:
            parts += [source[position : start + shift], text]
            position = end + shift
        parts.append(source[position:stop])
        content = "".join(parts)
        if cr_only:
            content = content.replace("\n", "\r")
        out.append(Edit(content, Position(span.first + 1, 1), Position(span.end + 1, 1)))
    return tuple(out)
