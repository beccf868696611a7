"""Order states, stored by value in the orders table."""
from enum import Enum


class Status(str, Enum):
    OPEN = "open"
    CLOSED = "closed"

    @classmethod
    def _missing_(cls, value):
        return cls.CLOSED if value == "archived" else None
