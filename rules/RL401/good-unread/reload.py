"""After `app.logs` is reloaded, do the classes it set up still work?"""
import importlib

from reloadkit import add_logger, reload, verdict

importlib.import_module("app.logs")
models = importlib.import_module("app.models")
live = models.Mapper()
before = live.describe()
add_logger("app/logs.py")
reload("app.logs")
after = [live.describe(), models.Mapper().describe()]
verdict(after != [before, before], f"before the reload {before!r}, after it {after!r}")
