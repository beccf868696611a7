"""Effects that happen once per process, however often this module reloads."""
import atexit
import contextlib
import dataclasses
import functools
import logging
import sys

from app import clock, decorators
from app.events import bus
from app.formatting import render
from app.routing import Router

log = logging.getLogger("app.handlers")
if not log.handlers:
    log.addHandler(logging.StreamHandler())
logging.getLogger("app").addHandler(logging.NullHandler())
if "plugins" not in sys.path:
    sys.path.insert(0, "plugins")
if "_EXIT_REGISTERED" not in globals():
    atexit.register(lambda: None)
    _EXIT_REGISTERED = True
try:
    _original_now
except NameError:
    _original_now = clock.now
    clock.now = lambda: _original_now() + 1
bus.name = "main"  # an attribute of another module's object: set again, not added

routes = Router()  # created here: a reload makes a new, empty router


@routes.route("/welcome")
def welcome():
    return "welcome"


@functools.lru_cache(maxsize=None)
def double(n):
    return n * 2


@functools.lru_cache
def answer():
    return 42


@contextlib.contextmanager
def quiet():
    yield


@dataclasses.dataclass(frozen=True)
class Event:
    name: str


@decorators.timed("handlers")  # a function of a first-party module, not a registry
def timed_welcome():
    return "welcome"


@render.register(int)  # singledispatch: a reload replaces the implementation for int
def _render_int(value):
    return str(value)


def send_welcome(user):
    return f"welcome {user}"


def setup():
    """Called once from start-up code."""
    bus.subscribe("user.created")(lambda user: send_welcome(user))
    atexit.register(lambda: None)


if __name__ == "__main__":
    setup()

    @bus.subscribe("user.deleted")
    def goodbye(user):
        return f"goodbye {user}"
