"""A registry filled by a decorator factory used only while the module is
imported: does the reload rebuild what the process had?"""

import importlib

from reloadkit import add_logger, reload, verdict

resolvers = importlib.import_module("app.resolvers")
before = (
    resolvers.resolve(int, "3"),
    resolvers.resolve(str, " a "),
    sorted(resolvers.RESOLVERS, key=str),
)
add_logger("app/resolvers.py")
reload("app.resolvers")
after = (
    resolvers.resolve(int, "3"),
    resolvers.resolve(str, " a "),
    sorted(resolvers.RESOLVERS, key=str),
)
verdict(after != before, f"before the reload {before!r}, after it {after!r}")
