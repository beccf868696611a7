"""After `app.state` is reloaded, does its lazily computed value come back the same?"""
import importlib

from reloadkit import edit, reload, verdict

state = importlib.import_module("app.state")
before = state.machine()
edit("app/state.py", "def recall(key):", "def recall(key):  # deployed again")
reload("app.state")
after = state.machine()
verdict(after != before, f"machine() was {before!r} before the reload and {after!r} after it")
