class BaseHandler:
    pass


def ping():
    return "pong v1"


def on_exit():
    pass
