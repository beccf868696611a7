"""``json-lines``: the ``json`` objects, one compact object per line, so a
consumer can stream findings without parsing one large document."""

from __future__ import annotations

import json
from collections.abc import Sequence

from reloadlint.diagnostics import Diagnostic
from reloadlint.output.base import OutputContext, ordered
from reloadlint.output.json_format import as_object
from reloadlint.output.sanitize import escape_json


def render(diagnostics: Sequence[Diagnostic], ctx: OutputContext) -> str:
    return "".join(
        escape_json(json.dumps(as_object(d, ctx), ensure_ascii=False, separators=(",", ":"))) + "\n"
        for d in ordered(diagnostics, ctx.root)
    )
