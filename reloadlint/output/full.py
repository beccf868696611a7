"""``full`` (the default): each finding's header line, then the source line
with a caret underline, so a reader sees *what* is stale without opening the
file.

    app/views.py:3:20: RL101 [*] `connect` is imported by value ...
      |
    3 | from app.db import connect
      |                    ^^^^^^^

Carets are placed by terminal cell width (wide CJK characters take two
cells, combining marks none, tabs are shown as four spaces), so they sit
under the reported characters whatever the script.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from reloadlint.diagnostics import Diagnostic
from reloadlint.output.base import OutputContext, display_path, one_line, ordered, printable

_TAB = "    "
_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_RED = "\x1b[31m"
_BOLD_RED = "\x1b[1;31m"


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color else text


def _cell_width(char: str) -> int:
    if char == "\t":
        return len(_TAB)
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _width(text: str) -> int:
    """Terminal cells ``text`` takes as printed (undecodable bytes print as
    ``\\xNN``, so they are measured that way)."""
    return sum(_cell_width(char) for char in printable(text))


def header(diagnostic: Diagnostic, ctx: OutputContext) -> str:
    """``path:row:col: CODE [*] message``: shared with ``concise``."""
    path = _paint(one_line(display_path(diagnostic.path, ctx.root)), _BOLD, ctx.color)
    code = _paint(diagnostic.code, _BOLD_RED, ctx.color)
    marker = " [*]" if diagnostic.fixable else ""
    row, column = diagnostic.location.row, diagnostic.location.column
    return f"{path}:{row}:{column}: {code}{marker} {one_line(diagnostic.message)}"


def underline(line: str, diagnostic: Diagnostic) -> tuple[int, int]:
    """(indent, length) in terminal cells of the caret run under ``line``.

    A range reaching past the line (multi-line, or ending beyond it) is
    clipped at the line's end; an empty range still gets one caret.
    """
    start = max(diagnostic.location.column - 1, 0)
    start = min(start, len(line))
    if diagnostic.end_location.row > diagnostic.location.row:
        end = len(line)
    else:
        end = min(max(diagnostic.end_location.column - 1, start), len(line))
    return _width(line[:start]), max(_width(line[start:end]), 1)


def _frame(diagnostic: Diagnostic, ctx: OutputContext) -> list[str]:
    line = ctx.source_line(diagnostic.path, diagnostic.location.row)
    if line is None:
        return []
    line = line.rstrip("\r\n")
    indent, length = underline(line, diagnostic)
    number = str(diagnostic.location.row)
    gutter = " " * len(number)
    carets = _paint("^" * length, _RED, ctx.color)
    return [
        f"{gutter} |",
        f"{number} | {printable(line.replace(chr(9), _TAB))}".rstrip(),
        f"{gutter} | {' ' * indent}{carets}",
    ]


def _help(diagnostic: Diagnostic, ctx: OutputContext) -> list[str]:
    if ctx.show_fixes and diagnostic.fix is not None and diagnostic.fix.message:
        gutter = " " * len(str(diagnostic.location.row))
        return [f"{gutter} = help: {one_line(diagnostic.fix.message)}"]
    return []


def render(diagnostics: Sequence[Diagnostic], ctx: OutputContext) -> str:
    blocks = [
        "\n".join([header(d, ctx), *_frame(d, ctx), *_help(d, ctx)])
        for d in ordered(diagnostics, ctx.root)
    ]
    return "\n\n".join(blocks) + "\n" if blocks else ""
