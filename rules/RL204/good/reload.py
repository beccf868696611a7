"""Do live instances migrate when `__vsn__` is a literal and the hook fits?

The deploy adds a `roles` field to `Session` and stores `Token.timeout` in
milliseconds, bumping each class's `__vsn__` (a plain literal, and a
`ClassVar` in the slotted dataclass) and making the hooks migrate version 1.
"""
import importlib

from reloadkit import edit, upgrade_live, verdict

sessions = importlib.import_module("app.sessions")
session = sessions.Session("ada")
token = sessions.Token("t0k3n")

edit("app/sessions.py", "class Session:\n    __vsn__ = 1\n", "class Session:\n    __vsn__ = 2\n")
edit(
    "app/sessions.py",
    "    def __code_change__(self, old_vsn, extra=None):\n        pass\n",
    "    def __code_change__(self, old_vsn, extra=None):\n"
    "        if old_vsn == 1:\n"
    "            self.roles = []\n\n"
    "    def can(self, role: str) -> bool:\n"
    "        return role in self.roles\n",
)
edit("app/sessions.py", "    timeout: float = 30.0  # seconds\n", "    timeout: float = 30_000.0  # milliseconds\n")
edit("app/sessions.py", "    __vsn__: ClassVar[int] = 1\n", "    __vsn__: ClassVar[int] = 2\n")
edit(
    "app/sessions.py",
    "    def __code_change__(self, *args):\n        pass\n",
    "    def __code_change__(self, *args):\n"
    "        if args[0] == 1:\n"
    "            self.timeout *= 1000\n",
)
edit("app/sessions.py", "        return self.timeout\n", "        return self.timeout / 1000\n")

report = upgrade_live("app.sessions")
try:
    can = session.can("admin")
    seconds = token.timeout_seconds()
except AttributeError as error:
    verdict(True, f"AttributeError after the upgrade: {error}")
else:
    verdict(
        can or seconds != 30.0,
        f"live Session.can('admin') -> {can}, live Token timeout {seconds}s; {report}",
    )
