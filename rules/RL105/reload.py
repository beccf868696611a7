"""Does an isinstance check still accept an object made before the reload?"""
import importlib

from reloadkit import add_logger, reload, verdict

models = importlib.import_module("app.models")
checks = importlib.import_module("app.checks")
order = models.Order()
assert checks.is_order(order)
add_logger("app/models.py")
reload("app.models")
result = checks.is_order(order)
verdict(not result, f"after reloading app.models, is_order(old order) returned {result!r}")
