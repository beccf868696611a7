"""``concise``: one ``path:row:col: CODE [*] message`` line per finding, for
editors' problem matchers and ``grep``."""

from __future__ import annotations

from collections.abc import Sequence

from reloadlint.diagnostics import Diagnostic
from reloadlint.output.base import OutputContext, ordered
from reloadlint.output.full import header


def render(diagnostics: Sequence[Diagnostic], ctx: OutputContext) -> str:
    return "".join(f"{header(d, ctx)}\n" for d in ordered(diagnostics, ctx.root))
