"""Does a variable set after import reach the code, even after the importer reloads?

A configuration loader (or a test) sets APP_DEBUG once the process runs;
`app.views` is then reloaded as a deploy would.
"""
import importlib
import os

from reloadkit import reload, verdict

os.environ.pop("APP_DEBUG", None)
views = importlib.import_module("app.views")
assert views.debug() is False
os.environ["APP_DEBUG"] = "1"
views = reload("app.views")
result = views.debug()
verdict(result is False, f"after APP_DEBUG=1 was set and app.views reloaded, debug() returned {result!r}")
