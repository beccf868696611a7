"""Does a caller reach the new `connect` after `app.db` is reloaded?"""
import importlib

from reloadkit import edit, reload, verdict

views = importlib.import_module("app.views")
assert views.handler() == "v1"
edit("app/db.py", '"v1"', '"v2"')
reload("app.db")
result = views.handler()
verdict(result == "v1", f"after reloading app.db, app.views.handler() returned {result!r}")
