from app import __version__, compat
from app.compat import json, text_type


def user_agent():
    return f"app/{__version__}"


def encode(value):
    return json.dumps(text_type(value))


def timeout():
    return compat.TIMEOUT
