"""Names for objects that no reload replaces: a builtin and a standard-library module."""

import json as _json
import logging

text_type = str
json = _json
TimeoutError = TimeoutError  # a local alias of the builtin
log = logging.getLogger("app")
BuiltinFunctionType = type(len)  # a builtin type: no reload replaces it  # the logging registry returns the same logger every time

TIMEOUT = 5
