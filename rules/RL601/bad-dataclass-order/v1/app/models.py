"""Ledger lines (see app.ledger: CSV rows by position)."""
from dataclasses import dataclass


@dataclass
class Line:
    currency: str
    amount: int
