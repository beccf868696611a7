from app import models


def is_order(obj):
    return getattr(obj, "kind", None) == "order"


def is_text(obj):
    return isinstance(obj, str)  # builtins are never reloaded


def make():
    return models.Order()
