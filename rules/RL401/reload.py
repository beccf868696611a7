"""Is what the process recorded in `app.state` still there after `app.state` is reloaded?"""
import importlib

from reloadkit import edit, reload, verdict

state = importlib.import_module("app.state")
state.remember("user:1", "alice")
edit("app/state.py", "def recall(key):", "def recall(key):  # deployed again")
reload("app.state")
kept = state.recall("user:1")
verdict(kept is None, f"after reloading app.state, recall('user:1') returned {kept!r}")
