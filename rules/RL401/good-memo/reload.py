"""After `app.state` is reloaded, does each memo give the same answer as before?"""

import importlib

from reloadkit import add_logger, reload, verdict

state = importlib.import_module("app.state")
before = state.remember("user:1", "alice")
add_logger("app/state.py")
reload("app.state")
after = state.recall("user:1")
verdict(after != before, f"before the reload the memos gave {before!r}, after it {after!r}")
