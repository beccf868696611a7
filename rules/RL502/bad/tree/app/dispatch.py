import importlib
import pkgutil

HANDLER_MODULE = "app.handlers.old_name"
ENTRY = "app.handlers.v1:handel"


def handle(payload):
    module = importlib.import_module("app.handlers.old_name")
    return module.handle(payload)


def handle_entry(payload):
    return pkgutil.resolve_name(ENTRY)(payload)
