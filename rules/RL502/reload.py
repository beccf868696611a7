"""Do the dotted strings still reach code after `app.handlers.old_name` became `app.handlers.v1`?

Each string is used the way its consumer uses it: the module is imported,
the entry string resolved, the patch started, and the task's registered
name resolved back to its function (as a worker routing by name would).
"""
import importlib
import pkgutil

from reloadkit import verdict

dispatch = importlib.import_module("app.dispatch")
testing = importlib.import_module("app.testing")
importlib.import_module("app.tasks")
queue = importlib.import_module("app.worker").queue
(task_name,) = queue.tasks


def start_patch():
    patcher = testing.patched()
    patcher.start()
    patcher.stop()


uses = {
    "import_module": lambda: dispatch.handle(1),
    "entry string": lambda: dispatch.handle_entry(1),
    "mock.patch": start_patch,
    "task name": lambda: pkgutil.resolve_name(task_name),
}
failures = []
for label, use in uses.items():
    try:
        use()
    except (ImportError, AttributeError) as error:
        failures.append(f"{label}: {type(error).__name__}: {error}")
verdict(bool(failures), "; ".join(failures) or "every dotted string resolved")
