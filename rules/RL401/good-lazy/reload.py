"""After `app.state` is reloaded, does its lazily computed value come back the same?"""
import importlib

from reloadkit import add_logger, reload, verdict

state = importlib.import_module("app.state")
before = state.machine()
add_logger("app/state.py")
reload("app.state")
after = state.machine()
verdict(after != before, f"machine() was {before!r} before the reload and {after!r} after it")
