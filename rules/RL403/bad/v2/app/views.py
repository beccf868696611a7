from app import billing


def invoice(prices):
    return billing.legacy_total(prices)
