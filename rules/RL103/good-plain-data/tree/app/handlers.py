import enum


class Kind(enum.Enum):  # noqa: RL104 (a restart for a changed enum is accepted here)
    PING = "ping"


class Defaults:
    """Plain data on a class: nothing here runs code."""

    RETRIES = 3
    NAME = "ping"


def ping():
    return "pong v1"
