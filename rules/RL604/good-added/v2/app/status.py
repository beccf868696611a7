"""Order states, stored by value in the orders table."""
from enum import IntEnum, auto


class Status(IntEnum):
    OPEN = auto()
    PAID = auto()
    SHIPPED = auto()
    REFUNDED = 10
