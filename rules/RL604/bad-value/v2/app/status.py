"""Order states, stored by value in the orders table."""
from enum import Enum


class Status(Enum):
    OPEN = "open"
    PAID = "paid"
