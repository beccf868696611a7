import enum

_marker = globals().get("_marker") or object()  # survives reloads


class Status(str, enum.Enum):
    """A `str` mixin: old and new members still compare equal, but are not the same."""

    OPEN = "open"
    CLOSED = "closed"
