"""``concise``: one ``path:row:col: CODE [*] message`` line per finding, for
editors' problem matchers and ``grep``.

Each line is :func:`~reloadlint.output.full.header`'s, put together here
without its per-finding work: a large tree has thousands of findings in a few
hundred files, so each file's (painted) path is worked out once.
"""

from __future__ import annotations

from collections.abc import Sequence

from reloadlint.diagnostics import Diagnostic
from reloadlint.output.base import OutputContext, display_path, ordered
from reloadlint.output.full import _BOLD, _BOLD_RED, _paint
from reloadlint.output.sanitize import message as one_line  # one line, controls shown visibly


def render(diagnostics: Sequence[Diagnostic], ctx: OutputContext) -> str:
    root, color = ctx.root, ctx.color
    paths: dict[str, str] = {}
    lines = []
    for d in ordered(diagnostics, root):
        path = paths.get(d.path)
        if path is None:
            path = paths[d.path] = _paint(one_line(display_path(d.path, root)), _BOLD, color)
        code = _paint(d.code, _BOLD_RED, color)
        marker = " [*]" if d.fixable else ""
        row, column = d.location.row, d.location.column
        lines.append(f"{path}:{row}:{column}: {code}{marker} {one_line(d.message)}\n")
    return "".join(lines)
