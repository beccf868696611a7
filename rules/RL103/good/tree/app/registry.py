import json

from app import handlers


def _local():
    return "local"


ROUTES = {"ping": "ping", "local": _local}  # names, and this module's own functions
ENCODE = json.dumps  # the standard library is never reloaded


def dispatch(name):
    table = {"ping": handlers.ping}  # built at call time, not import time
    return table[name]()
