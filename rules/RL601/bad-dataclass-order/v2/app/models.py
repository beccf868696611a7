"""Ledger lines (see app.ledger: CSV rows by position)."""
from dataclasses import dataclass


@dataclass
class Line:
    amount: int
    currency: str
