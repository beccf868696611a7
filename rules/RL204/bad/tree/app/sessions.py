"""Sessions live in memory for as long as the user is logged in."""
from app import VERSION


class Session:
    __vsn__ = VERSION

    def __init__(self, user: str) -> None:
        self.user = user
        self.hits = 0

    def hit(self) -> None:
        self.hits += 1
