"""Are the members and sentinels stored before a reload still the ones after it?

The change adds a module logger to `app.orders` (an edit outside function
bodies; see `reloadkit.add_logger`). Values stored before it are compared with
the module's after it: the enum member by `==` and `is`, the sentinel by `is`.
"""
import importlib

from reloadkit import add_logger, reload, verdict

orders = importlib.import_module("app.orders")
sentinel = "MISSING" if hasattr(orders, "MISSING") else "_marker"
stored, marker = orders.Status.OPEN, getattr(orders, sentinel)
add_logger("app/orders.py")
reload("app.orders")
problems = []
if not (stored == orders.Status.OPEN and stored is orders.Status.OPEN):
    problems.append(f"stored Status.OPEN == new Status.OPEN: {stored == orders.Status.OPEN}")
if marker is not getattr(orders, sentinel):
    problems.append(f"stored {sentinel} is not the new {sentinel}")
verdict(bool(problems), "; ".join(problems) or "stored members and sentinels are the new ones")
