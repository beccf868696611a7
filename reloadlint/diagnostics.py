"""The one record every front end consumes: a finding at a place in a file.

Rows and columns are 1-based and columns count characters (not UTF-8 bytes),
the convention of ruff's JSON output, editors and SARIF.

``Position`` and ``Diagnostic`` are treated as immutable but not declared
``frozen``: a frozen data class sets each field through
``object.__setattr__``, which made building a warm run's findings from the
cache (tens of thousands on a large tree) cost twice as much. They stay
hashable (``unsafe_hash``); nothing mutates them (``dataclasses.replace``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Applicability = Literal["safe", "unsafe"]


@dataclass(slots=True, order=True, unsafe_hash=True)
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


@dataclass(slots=True, unsafe_hash=True)
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
