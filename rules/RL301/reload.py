"""Is a changed configuration file seen after the module that uses it reloads?

`app.api` is reloaded as a deploy would; `app.settings` (which only reads a
file) is not: its source did not change, only the JSON did.
"""
import importlib

from reloadkit import edit, reload, verdict

api = importlib.import_module("app.api")
assert api.rate() == 10
edit("app/limits.json", '"rate": 10', '"rate": 50')
api = reload("app.api")
result = api.rate()
verdict(result == 10, f"after limits.json changed and app.api reloaded, rate() returned {result!r}")
