"""Does the importer see the new TIMEOUT after `app.settings` is reloaded?"""
import importlib

from reloadkit import edit, reload, verdict

client = importlib.import_module("app.client")
assert client.timeout() == 5
edit("app/settings.py", "TIMEOUT = 5", "TIMEOUT = 30")
reload("app.settings")
result = client.timeout()
verdict(result == 5, f"after reloading app.settings, app.client.timeout() returned {result!r}")
