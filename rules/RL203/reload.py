"""Does a live instance behave like a new one after a class-patching upgrade?

The running process made its objects with the base code (`app.models.make()`).
The deploy swaps in the new version; reloadlint's runtime reloads the changed
modules, re-points every live instance at its new class and, where `__vsn__`
changed, calls `__code_change__`. Then each live object must describe itself
exactly as an object made by the new code does. Where the state shape changed
without a version bump, the new methods run on the old fields.
"""
import importlib

from reloadkit import loaded_from, upgrade, upgrade_live, verdict

models = importlib.import_module("app.models")
live = models.make()
report = upgrade_live(*loaded_from(upgrade()))
new = models.make()
problems = []
for old_obj, new_obj in zip(live, new):
    name = type(new_obj).__name__
    try:
        got, want = old_obj.describe(), new_obj.describe()
    except AttributeError as error:
        problems.append(f"live {name}: AttributeError: {error}")
        continue
    if got != want:
        problems.append(f"live {name} says {got!r}, a new one {want!r}")
detail = "; ".join(problems) or f"{len(live)} live objects behave like new ones"
verdict(bool(problems), f"{detail} ({report})")
