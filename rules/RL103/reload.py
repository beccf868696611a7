"""Does the dispatch table reach the new handler after `app.handlers` is reloaded?"""
import importlib

from reloadkit import edit, reload, verdict

registry = importlib.import_module("app.registry")
assert registry.dispatch("ping") == "pong v1"
edit("app/handlers.py", '"pong v1"', '"pong v2"')
reload("app.handlers")
result = registry.dispatch("ping")
verdict(result == "pong v1", f"after reloading app.handlers, dispatch('ping') returned {result!r}")
