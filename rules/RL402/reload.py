"""After `app.handlers` is reloaded, is each of its effects there once, or once per import?"""
import atexit
import importlib
import logging
import sys

from reloadkit import add_logger, reload, verdict


def shift(clock):
    try:
        return clock.now()
    except RecursionError:  # the patch re-wrapped itself: the old patch calls the new global
        return float("inf")


def effects():
    events = importlib.import_module("app.events")
    clock = importlib.import_module("app.clock")
    handlers = sys.modules["app.handlers"]
    return {
        "log handlers": len(logging.getLogger("app.handlers").handlers),
        "welcome subscribers": len(events.bus.emit("user.created", "ann")),
        "sys.path entries": sys.path.count("plugins"),
        "clock shift": shift(clock),
        "exit handlers": atexit._ncallbacks(),
        "routes": len(handlers.routes.table) if hasattr(handlers, "routes") else 0,
    }


handlers = importlib.import_module("app.handlers")
if hasattr(handlers, "setup"):
    handlers.setup()  # the start-up code of the good case
before = effects()
add_logger("app/handlers.py")
reload("app.handlers")
after = effects()
grown = sorted(key for key in before if after[key] > before[key])
verdict(bool(grown), f"after reloading app.handlers, these grew: {grown or 'none'} ({before} -> {after})")
