"""Sessions live in memory for as long as the user is logged in."""
from dataclasses import dataclass
from typing import ClassVar


class Session:
    __vsn__ = 1

    def __init__(self, user: str) -> None:
        self.user = user

    def __code_change__(self, old_vsn, extra=None):
        pass


@dataclass(slots=True)
class Token:
    value: str
    timeout: float = 30.0  # seconds
    __vsn__: ClassVar[int] = 1

    def __code_change__(self, *args):
        pass

    def timeout_seconds(self) -> float:
        return self.timeout


class Cart:
    __vsn__: int = -1  # annotated, but not a dataclass: a class attribute

    def __init__(self) -> None:
        self.items: list[str] = []

    def __code_change__(self, old_vsn, extra, /, *, dry_run=False):
        pass


class Release:
    __vsn__ = "2024.1"

    def __code_change__(self, old_vsn, *rest, **options):
        pass


def make_local():
    class Local:  # defined per call: no reloader upgrades it
        __vsn__ = object()

        def __code_change__(self):
            pass

    return Local()
