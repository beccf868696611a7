"""``full`` (the default): each finding's header line, then the source line
with a caret underline, so a reader sees *what* is stale without opening the
file.

    app/views.py:3:20: RL101 [*] `connect` is imported by value ...
      |
    3 | from app.db import connect
      |                    ^^^^^^^

Carets are placed by terminal cell width (wide CJK characters take two
cells, combining marks and other zero-width characters none, tabs are shown
as four spaces), so they sit under the reported characters whatever the
script.

The source line is the analysed file's text, so it is shown the way rustc
shows it (see :mod:`reloadlint.output.sanitize`): escape sequences, other
control characters and bidirectional overrides as visible one-cell symbols,
never raw. A line wider than :data:`MAX_SOURCE_WIDTH` cells (minified or
generated code) is cut around the reported column, with ``…`` where text was
left out, and the carets still point at the reported characters.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from reloadlint.diagnostics import Diagnostic
from reloadlint.output import sanitize
from reloadlint.output.base import OutputContext, display_path, ordered

_TAB = "    "
_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_RED = "\x1b[31m"
_BOLD_RED = "\x1b[1;31m"

#: The most terminal cells of a source line shown (rustc's default without a
#: terminal is 140 columns; this leaves room for the gutter in 132).
MAX_SOURCE_WIDTH = 120
#: Cells of context kept before the reported column when a line is cut.
LEFT_CONTEXT = 40
ELLIPSIS = "…"


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color else text


def _cell_width(char: str) -> int:
    """Cells one character of the *shown* text takes."""
    if char == "\t":
        return len(_TAB)
    if unicodedata.combining(char):
        return 0
    if unicodedata.category(char) == "Cf" and char != "\u00ad":  # zero-width joiners, BOM...
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _char_width(char: str) -> int:
    """Cells one character of the *source* takes once shown (a control shows
    as a one-cell picture, an undecodable byte as ``\\xNN``)."""
    if " " <= char <= "~":
        return 1
    return sum(_cell_width(shown) for shown in sanitize.visible(char))


def _width(text: str) -> int:
    """Terminal cells ``text`` from the source takes as shown."""
    if text.isascii() and text.isprintable():  # nearly every line: one cell a character
        return len(text)
    return sum(_char_width(char) for char in text)


def _show(text: str) -> str:
    """Source text as printed: controls visible, tabs expanded."""
    return sanitize.visible(text).replace("\t", _TAB)


def header(diagnostic: Diagnostic, ctx: OutputContext) -> str:
    """``path:row:col: CODE [*] message``, every field on one line and terminal-safe."""
    path = _paint(sanitize.message(display_path(diagnostic.path, ctx.root)), _BOLD, ctx.color)
    code = _paint(diagnostic.code, _BOLD_RED, ctx.color)
    marker = " [*]" if diagnostic.fixable else ""
    row, column = diagnostic.location.row, diagnostic.location.column
    return f"{path}:{row}:{column}: {code}{marker} {sanitize.message(diagnostic.message)}"


def _span(line: str, diagnostic: Diagnostic) -> tuple[int, int]:
    """The reported characters of ``line`` as [start, end) indexes.

    A range reaching past the line (multi-line, or ending beyond it) is
    clipped at the line's end.
    """
    start = min(max(diagnostic.location.column - 1, 0), len(line))
    if diagnostic.end_location.row > diagnostic.location.row:
        return start, len(line)
    return start, min(max(diagnostic.end_location.column - 1, start), len(line))


def _window(line: str, start: int, max_width: int) -> tuple[int, int]:
    """The [first, last) characters of ``line`` to show so that at most
    ``max_width`` cells (ellipses included) are printed, starting up to
    :data:`LEFT_CONTEXT` cells before ``start``; the whole line if it fits.

    Only a few times ``max_width`` characters around ``start`` are measured,
    so a 50,000-character line costs no more than a short one.
    """
    if len(line) <= max_width and _width(line) <= max_width:
        return 0, len(line)
    budget = max_width - 2 * len(ELLIPSIS)
    reach = 4 * max_width  # no character is wider than 4 cells
    low, high = max(0, start - reach), min(len(line), start + reach)
    first, used = start, 0
    while first > low and used + _char_width(line[first - 1]) <= min(LEFT_CONTEXT, budget):
        first -= 1
        used += _char_width(line[first])
    last = start
    while last < high and used + _char_width(line[last]) <= budget:
        used += _char_width(line[last])
        last += 1
    while last == len(line) and first > low and used + _char_width(line[first - 1]) <= budget:
        first -= 1  # the end of the line is shown: use the room left for more context
        used += _char_width(line[first])
    return first, last


def excerpt(
    line: str, diagnostic: Diagnostic, max_width: int | None = MAX_SOURCE_WIDTH
) -> tuple[str, int, int]:
    """(the source line as shown, caret indent, caret length), in cells.

    The line is cut to ``max_width`` cells around the reported column (None:
    never cut); an empty range still gets one caret, and carets stop where
    the shown text does.
    """
    start, end = _span(line, diagnostic)
    first, last = (0, len(line)) if max_width is None else _window(line, start, max_width)
    before = ELLIPSIS if first > 0 else ""
    after = ELLIPSIS if last < len(line) else ""
    shown = before + _show(line[first:last]) + after
    indent = len(before) + _width(line[first:start])
    return shown, indent, max(_width(line[start : min(end, last)]), 1)


def underline(line: str, diagnostic: Diagnostic) -> tuple[int, int]:
    """(indent, length) in terminal cells of the caret run under the whole ``line``."""
    _, indent, length = excerpt(line, diagnostic, max_width=None)
    return indent, length


def _frame(diagnostic: Diagnostic, ctx: OutputContext) -> list[str]:
    line = ctx.source_line(diagnostic.path, diagnostic.location.row)
    if line is None:
        return []
    shown, indent, length = excerpt(line.rstrip("\r\n"), diagnostic)
    number = str(diagnostic.location.row)
    gutter = " " * len(number)
    carets = _paint("^" * length, _RED, ctx.color)
    return [
        f"{gutter} |",
        f"{number} | {shown}".rstrip(),
        f"{gutter} | {' ' * indent}{carets}",
    ]


def _help(diagnostic: Diagnostic, ctx: OutputContext) -> list[str]:
    if ctx.show_fixes and diagnostic.fix is not None and diagnostic.fix.message:
        gutter = " " * len(str(diagnostic.location.row))
        return [f"{gutter} = help: {sanitize.message(diagnostic.fix.message)}"]
    return []


def render(diagnostics: Sequence[Diagnostic], ctx: OutputContext) -> str:
    blocks = [
        "\n".join([header(d, ctx), *_frame(d, ctx), *_help(d, ctx)])
        for d in ordered(diagnostics, ctx.root)
    ]
    return "\n\n".join(blocks) + "\n" if blocks else ""
