"""Does the running process see a data file the deploy changed?

The deploy changes a file and no Python code, so a code-driven hot upgrade
reloads nothing (`runtime.upgrade` of the changed modules that are loaded:
none). `app.api.snapshot()` is then compared with what a freshly started
process returns: a file read at import time keeps its old contents.
"""
import importlib

from reloadkit import fresh, loaded_from, upgrade, upgrade_live, verdict

api = importlib.import_module("app.api")
changed = upgrade()
modules = loaded_from(changed)
upgrade_live(*modules)
reloaded = repr(api.snapshot())
restarted = fresh("import app.api; print(repr(app.api.snapshot()))")
verdict(reloaded != restarted, f"changed {changed}, reloaded {modules}: {reloaded}; a restarted process {restarted}")
