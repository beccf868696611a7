import enum

_marker = globals().get("_marker") or object()  # survives reloads


class Status(str, enum.Enum):
    """A `str` mixin: old and new members still compare equal, but are not the same."""

    OPEN = "open"
    CLOSED = "closed"


class Order:
    """Keeps its status past a reload, and checks it by identity."""

    def __init__(self) -> None:
        self.status = Status.OPEN

    def is_open(self) -> bool:
        return self.status is Status.OPEN
