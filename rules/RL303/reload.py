"""Does the upgraded code see the environment a restarted process would?

The running process was started with the base deployment's environment. The
new deployment also sets the variables the new code reads, but only a new
process gets them: after the upgrade and the reloads, `app.settings.snapshot()`
is compared with what a freshly started process (new code, new environment)
returns.
"""
import importlib
import os

from reloadkit import fresh, loaded_from, upgrade, upgrade_live, verdict

BASE_ENV = {"APP_DB": "postgres://db/app"}
NEW_ENV = {**BASE_ENV, "APP_TIMEOUT": "9", "APP_TOKEN": "s3cret"}

for name in NEW_ENV:
    os.environ.pop(name, None)
os.environ.update(BASE_ENV)  # how this process was started

settings = importlib.import_module("app.settings")
upgrade_live(*loaded_from(upgrade()))
reloaded = repr(settings.snapshot())
restarted = fresh("import app.settings; print(repr(app.settings.snapshot()))", env=NEW_ENV)
verdict(reloaded != restarted, f"after the reload {reloaded}; a restarted process {restarted}")
