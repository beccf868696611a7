# A memo, not state: each entry is computed from its key, and again after a reload.
_CODE_CACHE = {}


def error_code(cls):
    try:
        return _CODE_CACHE[cls]
    except KeyError:
        code = _compute_code(cls)
        _CODE_CACHE[cls] = code
        return code


def _compute_code(cls):
    base = "type_error" if issubclass(cls, TypeError) else "value_error"
    return f"{base}.{cls.__name__.lower()}"
