"""Per-process state: all of it is lost when this module is reloaded."""
from collections import defaultdict

if "SESSIONS" not in globals():
    SESSIONS = {}
if "HITS" not in globals():
    HITS = defaultdict(int)
if "RECENT" not in globals():
    RECENT = []
if "CONNECTION" not in globals():
    CONNECTION = None


def remember(key, value):
    SESSIONS[key] = value


def recall(key):
    return SESSIONS.get(key)


def connect():
    global CONNECTION
    CONNECTION = object()
    return CONNECTION
