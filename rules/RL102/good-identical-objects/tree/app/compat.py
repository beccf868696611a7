"""Names for objects that no reload replaces: a builtin and a standard-library module."""

import json as _json

text_type = str
json = _json

TIMEOUT = 5
