"""Does a computed `__vsn__` change when the class does?

`Session.__vsn__ = VERSION`, the installed release read from package
metadata. The deploy (new source files, as a hot upgrade ships them) adds a
`roles` field and a `__code_change__` that sets it for sessions of release
"1.0". The installed metadata does not change with the source, so both
classes say "1.0": the runtime sees no version change and never calls the hook.
"""
import importlib

from reloadkit import edit, upgrade_live, verdict

sessions = importlib.import_module("app.sessions")
live = sessions.Session("ada")
live.hit()

edit(
    "app/sessions.py",
    "        self.hits = 0\n",
    "        self.hits = 0\n        self.roles: list[str] = []\n\n"
    "    def __code_change__(self, old_vsn, extra):\n"
    '        if old_vsn == "1.0":\n'
    "            self.roles = []\n\n"
    "    def can(self, role: str) -> bool:\n"
    "        return role in self.roles\n",
)
upgraded = upgrade_live("app", "app.sessions")
try:
    detail = f"live Session.can('admin') -> {live.can('admin')} ({upgraded})"
    stale = False
except AttributeError as error:
    detail = f"live Session.can('admin'): AttributeError: {error} ({upgraded})"
    stale = True
verdict(stale, detail)
