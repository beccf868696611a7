"""After `app.text`, `app.once` and `app.records` are reloaded, does everything they set
up on first use give the same answers as before, and is what was shown once still
recorded?"""
import importlib

from reloadkit import add_logger, reload, verdict

use = importlib.import_module("app.use")
value = "a 'b c' d12, e3"
before = use.summary(value), use.shown("hello")
add_logger("app/text.py")
add_logger("app/once.py")
add_logger("app/records.py")
reload("app.text")
reload("app.once")
reload("app.records")
after = use.summary(value), use.shown("hello")
verdict(after != (before[0], False), f"before the reload {before!r}, after it {after!r}")
