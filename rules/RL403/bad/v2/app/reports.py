from app.billing import legacy_total


def monthly(prices):
    return legacy_total(prices)
