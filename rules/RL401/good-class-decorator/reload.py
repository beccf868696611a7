"""A registry a class body fills with its own decorator: does a reload of the module
fill it again?"""
import importlib

from reloadkit import add_logger, reload, verdict

events = importlib.import_module("app.events")
before = (events.lifecycle_names(), events.is_lifecycle("after_begin"))
add_logger("app/events.py")
reload("app.events")
after = (events.lifecycle_names(), events.is_lifecycle("after_begin"))
verdict(after != before, f"before the reload {before!r}, after it {after!r}")
