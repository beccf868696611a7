"""``pylint``: the parseable ``path:row: [CODE] message`` line that ruff emits
for ``--output-format pylint``, read by tools built for pylint's output
(e.g. Jenkins' warnings plugin)."""

from __future__ import annotations

from collections.abc import Sequence

from reloadlint.diagnostics import Diagnostic
from reloadlint.output.base import OutputContext, display_path, one_line, ordered


def line(diagnostic: Diagnostic, ctx: OutputContext) -> str:
    path = one_line(display_path(diagnostic.path, ctx.root))
    return f"{path}:{diagnostic.location.row}: [{diagnostic.code}] {one_line(diagnostic.message)}"


def render(diagnostics: Sequence[Diagnostic], ctx: OutputContext) -> str:
    return "".join(f"{line(d, ctx)}\n" for d in ordered(diagnostics, ctx.root))
