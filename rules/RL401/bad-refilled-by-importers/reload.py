"""After `app.codes` is reloaded, are the functions registered at start-up still known?"""
import importlib

from reloadkit import add_logger, reload, verdict

codes = importlib.import_module("app.codes")
views = importlib.import_module("app.views")
add_logger("app/codes.py")
reload("app.codes")
known = codes.is_internal(views.render)
verdict(not known, f"after the reload, is_internal(views.render) is {known}")
