"""Changes another module's state: that module's reload loses it."""
import app.state
from app import RECENT


def view(name):
    app.state.HITS[name] += 1
    RECENT.append(name)
    del RECENT[:-10]
    return name
