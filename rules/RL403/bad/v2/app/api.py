from app.billing import *


def quote(prices):
    return legacy_total(prices)
