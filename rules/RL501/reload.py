"""Can a module the new version no longer has still be imported after the upgrade?

The running process imports every module of the base version. The deploy
swaps in the new version and the changed modules that still exist are
reloaded. Then each base module name is imported again, here and in a
freshly started process: a name that only the running process can still
import is a module a reload could not unload (stale code in `sys.modules`,
and a dotted path that breaks at the next restart).
"""
import importlib
import sys
from pathlib import Path

from reloadkit import fresh, loaded_from, upgrade, upgrade_live, verdict


def module_names():
    found = []
    for path in sorted(Path("app").rglob("*.py")):
        parts = list(path.with_suffix("").parts)
        found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


base_modules = module_names()
for name in base_modules:
    importlib.import_module(name)
changed = upgrade()
existing = [name for name in loaded_from(changed) if Path(sys.modules[name].__spec__.origin).exists()]
upgrade_live(*existing)
here = [name for name in base_modules if importlib.import_module(name) is sys.modules[name]]
restarted = fresh(
    "import importlib.util\n"
    f"for name in {base_modules!r}:\n"
    "    print(name if importlib.util.find_spec(name) is not None else '')\n"
).split()
only_here = [name for name in here if name not in restarted]
verdict(bool(only_here), f"still importable only in the running process: {only_here}")
