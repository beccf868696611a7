"""Type aliases and type variables: a reload rebuilds equal ones."""
from collections.abc import Iterable
from typing import Literal, Optional, TypeVar, Union

AlignMethod = Literal["left", "center", "right"]
StyleType = Union[str, "Style"]
MaybeWidth = Optional[int]
Lines = Iterable[str]
T = TypeVar("T")


class Style:
    pass
