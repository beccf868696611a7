# Not reloaded: handlers stored by key, so a registration replaces the previous one.
HANDLERS = globals().get("HANDLERS", {})


def register(func):
    HANDLERS[func.__name__] = func
    return func


def handler(kind):
    def decorate(func):
        HANDLERS[kind] = func
        return func

    return decorate


def dispatch(event):
    return sorted(h(event) for h in HANDLERS.values())
