import enum

MISSING = object()


class Status(enum.Enum):
    OPEN = 1
    CLOSED = 2
