"""``pylint``: the parseable ``path:row: [CODE] message`` line that ruff emits
for ``--output-format pylint``, read by tools built for pylint's output
(e.g. Jenkins' warnings plugin). Fields are on one line with controls shown
visibly (:func:`~reloadlint.output.sanitize.message`)."""

from __future__ import annotations

from collections.abc import Sequence

from reloadlint.diagnostics import Diagnostic
from reloadlint.output.base import OutputContext, display_path, ordered
from reloadlint.output.sanitize import message


def line(diagnostic: Diagnostic, ctx: OutputContext) -> str:
    path = message(display_path(diagnostic.path, ctx.root))
    return f"{path}:{diagnostic.location.row}: [{diagnostic.code}] {message(diagnostic.message)}"


def render(diagnostics: Sequence[Diagnostic], ctx: OutputContext) -> str:
    return "".join(f"{line(d, ctx)}\n" for d in ordered(diagnostics, ctx.root))
