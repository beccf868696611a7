"""A class registered, at import time, into a set nothing reads: after the module is
reloaded with new code, does the process run the new class, and only it?"""
import importlib

from reloadkit import edit, reload, verdict

importlib.import_module("app.logs")
models = importlib.import_module("app.models")
edit("app/models.py", "mapper v1", "mapper v2")
models = reload("app.models")
said = models.Mapper().describe()
verdict(not said.startswith("mapper v2"), f"a new Mapper after the reload says {said!r}")
