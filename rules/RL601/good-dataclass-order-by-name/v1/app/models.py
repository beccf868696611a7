"""Ledger lines (see app.store: kept by field name)."""
from dataclasses import dataclass


@dataclass
class Line:
    currency: str
    amount: int
