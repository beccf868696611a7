"""Ledger lines, keyword-only: pickled and stored as `asdict` rows, never by position."""
from dataclasses import dataclass


@dataclass(kw_only=True)
class Line:
    currency: str
    amount: int
