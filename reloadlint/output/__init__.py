"""Output formats: one module per format, each a pure ``render(diagnostics,
ctx) -> str``; the CLI picks one by name from :data:`FORMATS`.

Every format sorts findings the same way (path, row, column, code), so output
is deterministic whatever order rules and workers produced them in.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, Sequence

from reloadlint.diagnostics import Diagnostic
from reloadlint.output.base import Formatter, OutputContext
from reloadlint.output.summary import statistics, statistics_json, summary_line, with_summary


class _Formats(Mapping[str, Formatter]):
    """Format name -> module, imported when first asked for: a run prints one
    format, and importing them all (xml, hashlib...) cost ~10 ms of every run."""

    def __init__(self, modules: dict[str, str]) -> None:
        self._modules = modules

    def __getitem__(self, name: str) -> Formatter:
        module = self._modules[name]  # KeyError for an unknown format
        return importlib.import_module(f"{__name__}.{module}")

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)


#: Format name (as given to ``--output-format``) -> formatter. The first is the default.
FORMATS: Mapping[str, Formatter] = _Formats(
    {
        "full": "full",
        "concise": "concise",
        "json": "json_format",
        "json-lines": "json_lines",
        "sarif": "sarif",
        "github": "github",
        "gitlab": "gitlab",
        "junit": "junit",
        "pylint": "pylint",
    }
)

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
    "with_summary",
]
