"""Can the runtime compare a `__vsn__` that is a dataclass field?

`__vsn__: int = 1` in a dataclass is a field. With `slots=True` the class
attribute is the slot's descriptor, not 1. The deploy stores `timeout` in
milliseconds, bumps `__vsn__` to 2 and adds a `__code_change__` converting
sessions of version 1. The runtime compares two descriptors instead of 1 and
2 and passes a descriptor as `old_vsn`: the conversion never runs.
"""
import importlib

from reloadkit import edit, upgrade_live, verdict

sessions = importlib.import_module("app.sessions")
live = sessions.Session("ada")

edit("app/sessions.py", "    timeout: float = 30.0  # seconds\n", "    timeout: float = 30_000.0  # milliseconds\n")
edit("app/sessions.py", "    __vsn__: int = 1\n", "    __vsn__: int = 2\n")
edit(
    "app/sessions.py",
    "        return self.timeout\n",
    "        return self.timeout / 1000\n\n"
    "    def __code_change__(self, old_vsn, extra):\n"
    "        if old_vsn == 1:\n"
    "            self.timeout *= 1000\n",
)
upgraded = upgrade_live("app.sessions")
seconds = live.timeout_seconds()
verdict(
    seconds != 30.0,
    f"live session timeout after the upgrade: {seconds}s (want 30.0s); {upgraded}",
)
