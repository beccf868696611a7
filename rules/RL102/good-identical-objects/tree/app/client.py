from app import __version__, compat
from app.compat import BuiltinFunctionType, TimeoutError, json, log, text_type


def user_agent():
    return f"app/{__version__}"


def encode(value):
    return json.dumps(text_type(value))


def timeout():
    return compat.TIMEOUT


def fail():
    log.warning("timed out")
    raise TimeoutError


def is_builtin(function):
    return isinstance(function, BuiltinFunctionType)
