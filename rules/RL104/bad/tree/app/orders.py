import enum

MISSING = object()


class Status(enum.Enum):
    OPEN = 1
    CLOSED = 2


class Priority(enum.IntEnum):
    LOW = 1


def is_low(priority):
    return priority is Priority.LOW


class Order:
    def __init__(self):
        self.status = Status.OPEN
        self.priority = Priority.LOW
        self.note = MISSING
