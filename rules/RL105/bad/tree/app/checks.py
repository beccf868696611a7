from app import models


def is_order(obj):
    return isinstance(obj, models.Order)


def safe(call):
    try:
        return call()
    except models.OrderError:
        return None
