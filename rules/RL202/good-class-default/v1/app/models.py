from dataclasses import dataclass


class Fetcher:
    def __init__(self, url):
        self.url = url

    def describe(self):
        return self.url


@dataclass
class Point:
    x: int

    def describe(self):
        return f"({self.x})"


def make():
    return [Fetcher("/a"), Point(1)]
