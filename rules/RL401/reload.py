"""Is what the process recorded in `app.state` still there after `app.state` is reloaded?"""
import importlib

from reloadkit import add_logger, reload, verdict

state = importlib.import_module("app.state")
state.remember("user:1", "alice")
add_logger("app/state.py")
reload("app.state")
kept = state.recall("user:1")
verdict(kept is None, f"after reloading app.state, recall('user:1') returned {kept!r}")
