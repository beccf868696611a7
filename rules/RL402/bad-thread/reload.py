"""After `app.service` is reloaded, how many of its worker threads run?"""
import importlib
import threading

from reloadkit import add_logger, reload, verdict


def workers():
    return sum(1 for thread in threading.enumerate() if thread.name == "app-worker")


importlib.import_module("app.service")
before = workers()
add_logger("app/service.py")
reload("app.service")
after = workers()
verdict(after > before, f"worker threads before the reload: {before}, after: {after}")
