"""After `app.errors` is reloaded, does its memo give the same answers?"""
import importlib

from reloadkit import add_logger, reload, verdict

errors = importlib.import_module("app.errors")
kinds = (TypeError, ValueError, KeyError)
before = [errors.error_code(kind) for kind in kinds]
add_logger("app/errors.py")
reload("app.errors")
after = [errors.error_code(kind) for kind in kinds]
verdict(after != before, f"error codes were {before!r} before the reload and {after!r} after it")
