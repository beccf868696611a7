"""Does the upgraded process serve what a restarted one serves?

The process starts the way `boot.py` says (an app factory, `python -m app`,
or a module's `__main__` block). The deploy swaps in the new version and the
changed modules are reloaded in dependency order. `boot.probe` then asks the
running application for a few pages; a freshly started process (new code,
start-up run again) is asked the same.
"""
import importlib

from reloadkit import fresh, loaded_from, upgrade, upgrade_live, verdict

boot = importlib.import_module("boot")
app = boot.boot()
modules = [name for name in loaded_from(upgrade()) if name != "boot"]
upgrade_live(*modules)
here = repr(boot.probe(app))
restarted = fresh("import boot; print(repr(boot.probe(boot.boot())))")
verdict(here != restarted, f"reloaded {modules}: serves {here}; a restarted process serves {restarted}")
