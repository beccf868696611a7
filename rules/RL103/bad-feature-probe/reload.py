"""After `app.selectors` is reloaded, does the selector picked at import time run the new code?"""
import importlib

from reloadkit import edit, reload, verdict

subproc = importlib.import_module("app.subproc")
assert subproc.wait() == "poll v1"
edit("app/selectors.py", '"poll v1"', '"poll v2"')
reload("app.selectors")
result = subproc.wait()
verdict(result == "poll v1", f"after reloading app.selectors, wait() returned {result!r}")
