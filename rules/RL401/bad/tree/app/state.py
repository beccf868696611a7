"""Per-process state: all of it is lost when this module is reloaded."""
from collections import defaultdict

SESSIONS = {}
HITS = defaultdict(int)
RECENT = []
CONNECTION = None


def remember(key, value):
    SESSIONS[key] = value


def recall(key):
    return SESSIONS.get(key)


def connect():
    global CONNECTION
    CONNECTION = object()
    return CONNECTION
