"""Dispatch by dotted path.

Docstrings may show paths such as app.handlers.old_name or app.handlers.v1:handel;
they are documentation, not paths that are resolved.
"""

import importlib
import pkgutil

HANDLER_MODULE = "app.handlers.v1"
ENTRY = "app.handlers.v1:handle"
SCRIPTS = ["app-handle = app.dispatch:main"]
THIRD_PARTY = "json.decoder:JSONDecoder"


def handle(payload):
    """Calls app.handlers.gone:handle -- an old name kept in the docs."""
    module = importlib.import_module("app.handlers.v1")
    return module.handle(payload)


def handle_entry(payload):
    return pkgutil.resolve_name(ENTRY)(payload)


def handle_relative(payload):
    return importlib.import_module(".handlers.v1", package="app").handle(payload)


def other_packages():
    return importlib.import_module("json"), importlib.import_module("email.mime.text")


def main():
    "app.handlers.old_name:main is not called any more"
    return handle({})
