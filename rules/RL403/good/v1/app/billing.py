import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from decimal import Decimal


def total(prices):
    return round(sum(prices), 2)


def legacy_total(prices):
    return sum(prices)


def tax(prices) -> "Decimal":
    return json.loads("0.2") * total(prices)
