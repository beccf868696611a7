from unittest import mock


def patched():
    return mock.patch("app.handlers.v1.handler")
