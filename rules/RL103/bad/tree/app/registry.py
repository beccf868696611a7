import atexit
import functools

from app import handlers

ROUTES = {"ping": handlers.ping}
DEFAULT = handlers.ping
atexit.register(handlers.on_exit)
greet = functools.partial(handlers.ping)


class PingHandler(handlers.BaseHandler):
    handle = handlers.ping


def dispatch(name, table=ROUTES, fallback=handlers.ping):
    return table[name]()
