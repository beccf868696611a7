"""Does a name the new version removed still work after the upgrade?

The running process imports the base version. The deploy removes names from
`app.billing`; the changed modules are reloaded in dependency order. A fresh
process says which of the base version's names of `app.billing` the new code
still has; any other name that the reloaded module still answers to is the
old object, lingering: `billing.legacy_total(...)` keeps calling the removed
code instead of failing. Only the project's own code counts (a leftover
`json` module or `TYPE_CHECKING` flag is not stale code).
"""
import importlib
import types

from reloadkit import fresh, loaded_from, upgrade, upgrade_live, verdict


def is_app_code(value):
    home = value.__name__ if isinstance(value, types.ModuleType) else getattr(value, "__module__", None)
    return isinstance(home, str) and home.split(".")[0] == "app"


def names(module):
    return sorted(name for name in vars(module) if not name.startswith("__"))


billing = importlib.import_module("app.billing")
for name in ("app.views", "app.reports", "app.api"):
    try:
        importlib.import_module(name)
    except ModuleNotFoundError:
        pass
before = names(billing)
upgrade_live(*loaded_from(upgrade()))
restarted = fresh("import app.billing; print(' '.join(n for n in vars(app.billing) if not n.startswith('__')))")
gone = [name for name in names(billing) if name in before and name not in restarted.split()]
lingering = [name for name in gone if is_app_code(vars(billing)[name])]
detail = f"names the new app.billing lacks but the reloaded one still has: {lingering}"
if "legacy_total" in lingering:
    views = importlib.import_module("app.views")
    detail += f"; app.views.invoice([1.0, 2.0]) still returns {views.invoice([1.0, 2.0])!r} through the removed function"
verdict(bool(lingering), detail)
