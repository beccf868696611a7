import enum


class _Match(enum.Enum):  # only returned and compared within a call
    NONE = 0
    FULL = 1


class Code(enum.IntEnum):  # kept by callers, but compared by value
    OK = 200
    NOT_FOUND = 404


_MISSING = object()  # only compared within the call that passed it
ROUTES = {"/": "home"}


def _matches(path, route):
    return _Match.FULL if path == route else _Match.NONE


def handle(path):
    endpoint = ROUTES.get(path, _MISSING)
    if endpoint is _MISSING or _matches(path, path) is not _Match.FULL:
        return Code.NOT_FOUND, None
    return Code.OK, endpoint
