from app import billing


def invoice(prices):
    return (billing.total(prices), billing.legacy_total(prices), billing.tax(prices))
