from app import handlers

# Data read from classes of another module: a member, an int, a string, a docstring
# and a copied dict. None of them is code that a reload replaces.
DEFAULT_KIND = handlers.Kind.PING
RETRIES = handlers.Defaults.RETRIES
NAME = handlers.Defaults.NAME
ABOUT = handlers.Defaults.__doc__
OPTIONS = {**handlers.Defaults.__dict__}


def dispatch(name):
    table = {"ping": handlers.ping}  # built at call time, not import time
    return table[name]()
