"""``json``: an array of objects with ruff's field names, so tooling written
for ``ruff --output-format json`` reads reloadlint's output unchanged.

``filename`` is absolute; ``url`` is the rule's page on the documentation site
(:mod:`reloadlint.docsite`);
``noqa_row`` falls back to the finding's first row when the engine did not
set one, which is where a ``# noqa`` would go.

Text is written as is (JSON escapes control characters), except that
bidirectional overrides, C1 controls and line separators are written as
``\\uXXXX`` escapes too (:func:`~reloadlint.output.sanitize.escape_json`):
the parsed values are the same, and the document is safe to print.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from reloadlint.diagnostics import Diagnostic, Fix, Position
from reloadlint.output.base import OutputContext, absolute_path, ordered, printable, rule_url
from reloadlint.output.sanitize import escape_json


def _position(position: Position) -> dict[str, int]:
    return {"row": position.row, "column": position.column}


def _fix(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {
        "applicability": fix.applicability,
        "message": printable(fix.message),
        "edits": [
            {
                "content": printable(edit.content),
                "location": _position(edit.location),
                "end_location": _position(edit.end_location),
            }
            for edit in fix.edits
        ],
    }


def as_object(diagnostic: Diagnostic, ctx: OutputContext) -> dict[str, Any]:
    """One finding as a JSON-ready dict (shared with ``json-lines``)."""
    return {
        "code": diagnostic.code,
        "name": diagnostic.name,
        "message": printable(diagnostic.message),
        "filename": printable(str(absolute_path(diagnostic.path, ctx.root))),
        "location": _position(diagnostic.location),
        "end_location": _position(diagnostic.end_location),
        "fix": _fix(diagnostic.fix),
        "url": rule_url(diagnostic.code, ctx),
        "noqa_row": (
            diagnostic.noqa_row if diagnostic.noqa_row is not None else diagnostic.location.row
        ),
    }


def render(diagnostics: Sequence[Diagnostic], ctx: OutputContext) -> str:
    objects = [as_object(d, ctx) for d in ordered(diagnostics, ctx.root)]
    return escape_json(json.dumps(objects, indent=2, ensure_ascii=False)) + "\n"
