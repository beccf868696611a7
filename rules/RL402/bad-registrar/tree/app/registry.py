# Not reloaded: the process-wide list of event handlers.
HANDLERS = globals().get("HANDLERS", [])


def register(func):
    HANDLERS.append(func)
    return func


def handler(kind):
    def decorate(func):
        HANDLERS.append(func)
        return func

    return decorate


def dispatch(event):
    return sorted(h(event) for h in HANDLERS)
