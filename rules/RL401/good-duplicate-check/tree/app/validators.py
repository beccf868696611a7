# Only a duplicate check reads it: after a reload it forgets earlier registrations,
# which the reloaded modules then make again.
_SEEN = set()


def validator(func):
    ref = f"{func.__module__}.{func.__qualname__}"
    if ref in _SEEN:
        raise ValueError(f"duplicate validator {ref}")
    _SEEN.add(ref)
    return func
