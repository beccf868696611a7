"""The one record every front end consumes: a finding at a place in a file.

Rows and columns are 1-based and columns count characters (not UTF-8 bytes),
the convention of ruff's JSON output, editors and SARIF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Applicability = Literal["safe", "unsafe"]


@dataclass(frozen=True, slots=True, order=True)
class Position:
    row: int
    column: int


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text between two positions (end exclusive) with ``content``."""

    content: str
    location: Position
    end_location: Position


@dataclass(frozen=True, slots=True)
class Fix:
    applicability: Applicability
    message: str
    edits: tuple[Edit, ...] = ()


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A finding. ``symbol`` and ``context`` key baselines without line numbers."""

    code: str
    name: str
    message: str
    path: str
    location: Position
    end_location: Position
    fix: Fix | None = None
    fixable: bool = False
    symbol: str = ""
    context: str = ""
    noqa_row: int | None = field(default=None, compare=False)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.location.row, self.location.column, self.code)
