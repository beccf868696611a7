"""Output formats: one module per format, each a pure ``render(diagnostics,
ctx) -> str``; the CLI picks one by name from :data:`FORMATS`.

Every format sorts findings the same way (path, row, column, code), so output
is deterministic whatever order rules and workers produced them in.
"""

from __future__ import annotations

from collections.abc import Sequence

from reloadlint.diagnostics import Diagnostic
from reloadlint.output import (
    concise,
    full,
    github,
    gitlab,
    json_format,
    json_lines,
    junit,
    pylint,
    sarif,
)
from reloadlint.output.base import Formatter, OutputContext
from reloadlint.output.summary import statistics, statistics_json, summary_line

#: Format name (as given to ``--output-format``) -> formatter. The first is the default.
FORMATS: dict[str, Formatter] = {
    "full": full,
    "concise": concise,
    "json": json_format,
    "json-lines": json_lines,
    "sarif": sarif,
    "github": github,
    "gitlab": gitlab,
    "junit": junit,
    "pylint": pylint,
}

DEFAULT_FORMAT = "full"


def render(format_name: str, diagnostics: Sequence[Diagnostic], ctx: OutputContext) -> str:
    """The diagnostics in the named format; ValueError names the known ones."""
    try:
        formatter = FORMATS[format_name]
    except KeyError:
        known = ", ".join(FORMATS)
        raise ValueError(
            f"unknown output format {format_name!r}; expected one of: {known}"
        ) from None
    return formatter.render(diagnostics, ctx)


__all__ = [
    "DEFAULT_FORMAT",
    "FORMATS",
    "Formatter",
    "OutputContext",
    "render",
    "statistics",
    "statistics_json",
    "summary_line",
]
