"""Are members stored before a reload of the module that defines their enum's base,
a base without members, still the current members after it?

The change adds a module logger to `app.choices` (an edit outside function
bodies; see `reloadkit.add_logger`). `app.constants`, which defines the members,
is not reloaded.
"""
import importlib

from reloadkit import add_logger, reload, verdict

constants = importlib.import_module("app.constants")
importlib.import_module("app.choices")
stored = constants.Status.OPEN
add_logger("app/choices.py")
reload("app.choices")
same = stored is constants.Status.OPEN and stored == constants.Status.OPEN
verdict(not same, f"stored Status.OPEN is the current one: {same}; label {stored.label()!r}")
