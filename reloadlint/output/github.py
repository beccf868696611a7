"""``github``: GitHub Actions workflow commands, which the runner turns into
annotations on the pull request's diff.

    ::error title=reloadlint (RL101),file=app/v.py,line=3,col=1,endLine=3,endColumn=27::RL101 …

The runner parses the line itself, so values are escaped as its toolkit does
(``escapeData``/``escapeProperty`` in @actions/core): ``%``, CR and LF
everywhere, plus ``:`` and ``,`` in properties, which would otherwise end the
property list or a property. The runner prints the line in the job's log,
which renders ANSI escapes, so other control characters and bidirectional
overrides are shown visibly (:func:`~reloadlint.output.sanitize.visible`).
"""

from __future__ import annotations

from collections.abc import Sequence

from reloadlint.diagnostics import Diagnostic
from reloadlint.output.base import OutputContext, display_path, ordered
from reloadlint.output.sanitize import visible


def escape_data(text: str) -> str:
    shown = visible(text, keep="\t\r\n")  # CR and LF: escaped just below
    return shown.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(diagnostic: Diagnostic, ctx: OutputContext) -> str:
    properties = {
        "title": f"reloadlint ({diagnostic.code})",
        "file": display_path(diagnostic.path, ctx.root),
        "line": str(diagnostic.location.row),
        "col": str(diagnostic.location.column),
        "endLine": str(diagnostic.end_location.row),
        "endColumn": str(diagnostic.end_location.column),
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::error {joined}::{escape_data(f'{diagnostic.code} {diagnostic.message}')}"


def render(diagnostics: Sequence[Diagnostic], ctx: OutputContext) -> str:
    return "".join(f"{annotation(d, ctx)}\n" for d in ordered(diagnostics, ctx.root))
