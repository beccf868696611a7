"""Ledger lines, exported as CSV rows with `dataclasses.astuple` and read back with `Line(*row)`."""
from dataclasses import dataclass


@dataclass
class Line:
    amount: int
    currency: str
