from typing import NamedTuple


class Point(NamedTuple):
    y: float
    x: float
