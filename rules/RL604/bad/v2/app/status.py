"""Order states, stored by value in the orders table."""
from enum import Enum


class Status(str, Enum):
    OPEN = "open"
    CLOSED = "closed"
