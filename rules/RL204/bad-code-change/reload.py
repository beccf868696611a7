"""Does a `__code_change__(self, old_vsn)` migrate live sessions?

The deploy bumps `Session.__vsn__`, adds a `roles` field and makes the hook
set it, keeping the hook's one-argument signature. The runtime calls
`obj.__code_change__(old_vsn, extra)`: TypeError, after the reload.
"""
import importlib

from reloadkit import edit, upgrade_live, verdict

from reloadlint import runtime

sessions = importlib.import_module("app.sessions")
live = sessions.Session("ada")

edit("app/sessions.py", "class Session:\n    __vsn__ = 1\n", "class Session:\n    __vsn__ = 2\n")
edit(
    "app/sessions.py",
    "    def __code_change__(self, old_vsn):\n        pass\n",
    "    def __code_change__(self, old_vsn):\n"
    "        if old_vsn == 1:\n"
    "            self.roles = []\n\n"
    "    def can(self, role: str) -> bool:\n"
    "        return role in self.roles\n",
)
try:
    upgrade_live("app.sessions")
    failure = "none"
except runtime.UpgradeError as error:
    failure = str(error).splitlines()[0]
try:
    detail = f"live Session.can('admin') -> {live.can('admin')}; upgrade error: {failure}"
    stale = False
except AttributeError as error:
    detail = f"live Session.can('admin'): AttributeError: {error}; upgrade error: {failure}"
    stale = True
verdict(stale, detail)
