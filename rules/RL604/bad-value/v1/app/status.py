"""Order states, stored by value in the orders table."""
from enum import Enum


class Status(Enum):
    OPEN = 1
    PAID = 2
