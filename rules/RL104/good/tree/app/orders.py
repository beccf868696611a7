from typing import NamedTuple

from app import constants

Status = constants.Status
_marker = globals().get("_marker") or object()  # survives reloads


class Line(NamedTuple):
    sku: str


class Draft:
    def __init__(self):
        self.note = _marker  # kept by every live draft
