"""Per-process state that survives a reload, and values nothing changes after import."""
from collections import OrderedDict

__all__ = ["recall", "remember"]
VERSION = "1.0"
LIMITS = (10, 100)

# The four reload guards: a reload keeps the live object.
if "SESSIONS" not in globals():
    SESSIONS = {}
HITS = globals().get("HITS", {})
SEEN: set = globals().get("SEEN") or set()
globals().setdefault("RECENT", [])
try:
    CONNECTION
except NameError:
    CONNECTION = None

# Filled at import time only: a reload rebuilds the same contents.
CODES = {}
CODES["ok"] = 200
for _name in ("created", "deleted"):
    CODES[_name] = 0

# Mutable, but never changed after import.
DEFAULTS = {"timeout": 5}
ORDER = OrderedDict(first=1)


def remember(key, value):
    SESSIONS[key] = value
    HITS[key] = HITS.get(key, 0) + 1
    SEEN.add(key)
    RECENT.append(key)  # noqa: F821 - bound by globals().setdefault above


def recall(key):
    return SESSIONS.get(key)


def connect():
    global CONNECTION
    CONNECTION = object()
    return CONNECTION


def timeout():
    return DEFAULTS["timeout"]


def local_codes():
    CODES = {}  # a local that shadows the module's CODES
    CODES["local"] = 1
    return CODES


def override(DEFAULTS):  # a parameter that shadows the module's DEFAULTS
    DEFAULTS["timeout"] = 1
    return DEFAULTS


if __name__ == "__main__":  # never runs in a reloaded module
    CODES["main"] = 1
    DEFAULTS.update(debug=True)
