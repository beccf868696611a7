"""Configured `not-reloadable`: a restart, never a reload, replaces this code."""


class Cache:
    def __init__(self) -> None:
        self.data: dict = {}

    def put(self, key: str, value: object) -> None:
        self.data[key] = value
        self.last = key
