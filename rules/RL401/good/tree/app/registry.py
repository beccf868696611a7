"""Process-wide registry in a module that is never reloaded (`not-reloadable`)."""
HANDLERS = []


def register(func):
    HANDLERS.append(func)
    return func
