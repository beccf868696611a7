"""Memos, not state: each is filled on demand, and again after a reload."""

import os

_FORMATS = {}  # filled on a miss, returned from the cache
_MODULES = {}  # filled under a membership test
_SEEN_PATHS = set()  # what was done once
_CATALOGUES = {}  # emptied by a reset function
_DEFAULT = None  # kept once computed
_TABLES = {}  # filled under a key test, read by key (base64's _b32tab2)
_CHARS = None  # built together with _BUILT (base64's _a85chars)
_BUILT = False


def render(key):
    try:
        return _FORMATS[key]
    except KeyError:
        pass
    value = key.upper()
    _FORMATS[key] = value
    return value


def module_for(lang):
    if lang not in _MODULES:
        _MODULES[lang] = f"formats.{lang}"
    return _MODULES[lang]


def check_path(path):
    if path not in _SEEN_PATHS:
        os.path.normpath(path)
        _SEEN_PATHS.add(path)


def catalogue(lang):
    global _CATALOGUES
    if lang not in _CATALOGUES:
        _CATALOGUES[lang] = {"hello": f"hello ({lang})"}
    return _CATALOGUES[lang]


def reset_catalogues():
    global _CATALOGUES
    _CATALOGUES = {}


def default():
    global _DEFAULT
    _DEFAULT = _DEFAULT or catalogue("en")
    return _DEFAULT


def encode(text, alphabet="ab"):
    if alphabet not in _TABLES:
        _TABLES[alphabet] = {char: index for index, char in enumerate(alphabet)}
    table = _TABLES[alphabet]
    return [table.get(char, -1) for char in text]


def chars():
    global _CHARS, _BUILT
    if not _BUILT:
        _CHARS = [chr(code) for code in range(97, 100)]
        _BUILT = True
    return _CHARS


def remember(key, value):
    check_path(key)
    return render(key), module_for(value), default(), encode("ba"), chars()


def recall(key):
    check_path(key)
    return render(key), module_for("alice"), default(), encode("ba"), chars()
