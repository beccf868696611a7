import json

from app.util import helper


def total(prices):
    return helper(sum(prices))


def _legacy_rounding(value):
    return int(value)


class LegacyInvoice:
    pass


def export(prices):
    return json.dumps({"total": total(prices)})
