"""After `app.validators` is reloaded, do the validators and the duplicate check still
work?"""
import importlib

from reloadkit import add_logger, reload, verdict

validators = importlib.import_module("app.validators")
models = importlib.import_module("app.models")
models.install()
before = models.clean("  ann ")
add_logger("app/validators.py")
reload("app.validators")
problems = []
after = models.clean("  ann ")
if after != before:
    problems.append(f"clean() gave {before!r} before the reload and {after!r} after it")


def extra(value):
    return value


validators.validator(extra)
try:
    validators.validator(extra)
    problems.append("a duplicate registered after the reload was accepted")
except ValueError:
    pass
verdict(bool(problems), "; ".join(problems) or "the validators and the duplicate check work")
