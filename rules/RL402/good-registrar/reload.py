"""After `app.handlers` is reloaded with new code, does an event reach the new handlers only?"""
import importlib
import importlib.util

from reloadkit import edit, reload, verdict

registry = importlib.import_module("app.registry")
importlib.import_module("app.handlers")
plugins = importlib.import_module("app.plugins") if importlib.util.find_spec("app.plugins") else None
edit("app/handlers.py", 'f"welcome {event}"', 'f"hello {event}"')
reload("app.handlers")
if plugins is not None:
    plugins = reload("app.plugins")
handled = registry.dispatch("ann")
stale = [result for result in handled if result.startswith("welcome")]
duplicated = len(handled) != len(set(handled)) or (plugins is not None and len(plugins.PLUGINS) != 1)
verdict(bool(stale) or duplicated, f"an event after the reload is handled by {handled}")
