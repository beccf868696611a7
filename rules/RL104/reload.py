"""Is a member stored before a reload still equal to the member after it?"""
import importlib

from reloadkit import reload, verdict

orders = importlib.import_module("app.orders")
stored = orders.Status.OPEN
reload("app.orders")
same = stored == orders.Status.OPEN and stored is orders.Status.OPEN
verdict(not same, f"stored Status.OPEN == new Status.OPEN: {stored == orders.Status.OPEN}")
