"""Ledger lines (see app.ledger: SQL rows by position)."""
import attrs


@attrs.define
class Line:
    amount: int
    currency: str
