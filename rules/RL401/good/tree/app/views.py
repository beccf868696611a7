"""Changes guarded state of app.state and state of a module that is not reloaded."""
import app.state
from app.registry import register


@register
def view(name):
    app.state.SESSIONS[name] = True
    app.state.HITS[name] = 1
    return name
