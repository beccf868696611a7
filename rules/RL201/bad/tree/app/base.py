"""A first-party base for background services."""
from threading import Thread


class Service(Thread):
    def __init__(self, name: str) -> None:
        super().__init__(name=name, daemon=True)
