from unittest import mock


def patched():
    return mock.patch("app.handlers.v1.handle")


def patched_new_attribute():
    return mock.patch("app.handlers.v1.retries", create=True)


def patched_builtin():
    return mock.patch("app.handlers.v1.open")


def patched_third_party():
    return mock.patch("json.decoder.gone")
