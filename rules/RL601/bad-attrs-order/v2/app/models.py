"""Ledger lines, exported as CSV rows with `attrs.astuple` and read back with `Line(*row)`."""
import attrs


@attrs.define
class Line:
    amount: int
    currency: str
