"""Does a live `Counter` survive a class-patching upgrade that adds a field?

The deploy adds `self.errors` to `__init__` and a `report()` method that
reads it. Where `Counter` declares `__vsn__` (the good tree), the deploy also
bumps it and adds a `__code_change__` that sets the new field, as the
convention asks. The change is then applied with live instances brought
along (reloadlint's runtime re-points them at the new class; IPython and
jurigged patch the class in place).
"""
import importlib
from pathlib import Path

from reloadkit import edit, upgrade_live, verdict

workers = importlib.import_module("app.workers")
counter = workers.Counter()
counter.tick()

versioned = "class Counter:\n    __vsn__ = 1\n" in Path("app/workers.py").read_text(encoding="utf-8")
edit(
    "app/workers.py",
    "        self.count = 0\n",
    "        self.count = 0\n        self.errors = 0\n\n"
    "    def report(self) -> str:\n"
    '        return f"{self.count} ticks, {self.errors} errors"\n',
)
if versioned:
    edit(
        "app/workers.py",
        "class Counter:\n    __vsn__ = 1\n",
        "class Counter:\n    __vsn__ = 2\n\n"
        "    def __code_change__(self, old_vsn, extra):\n"
        "        if old_vsn == 1:\n"
        "            self.errors = 0\n",
    )

upgraded = upgrade_live("app.workers")
try:
    detail = f"live Counter after the upgrade: {counter.report()!r} ({upgraded})"
    stale = False
except AttributeError as error:
    detail = f"live Counter after the upgrade: AttributeError: {error} ({upgraded})"
    stale = True
verdict(stale, detail)
