"""Import-time effects: each reload of this module adds another one."""
import atexit
import logging
import sys

from app import clock
from app.events import bus

log = logging.getLogger("app.handlers")
log.addHandler(logging.StreamHandler())
atexit.register(lambda: None)
sys.path.insert(0, "plugins")

_original_now = clock.now


def _shifted_now():
    return _original_now() + 1


clock.now = _shifted_now


@bus.subscribe("user.created")
def send_welcome(user):
    return f"welcome {user}"
