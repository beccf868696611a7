from dataclasses import dataclass


# Annotated class-level default: a live instance without the attribute finds it here.
class Fetcher:
    retries: int = 0

    def __init__(self, url):
        self.url = url

    def retry(self):
        self.retries += 1

    def describe(self):
        return f"{self.url} after {self.retries} retries"


@dataclass
class Point:
    x: int
    label: str = "?"  # a plain dataclass default stays on the class

    def describe(self):
        return f"({self.x}) {self.label}"


def make():
    return [Fetcher("/a"), Point(1)]
