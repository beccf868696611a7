def total(prices):
    return round(sum(prices), 2)


def legacy_total(prices):
    return sum(prices)
