"""A registry filled by a decorator factory used only while the module is
imported: does the reload rebuild what the process had?"""

import importlib

from reloadkit import edit, reload, verdict

resolvers = importlib.import_module("app.resolvers")
before = (
    resolvers.resolve(int, "3"),
    resolvers.resolve(str, " a "),
    sorted(resolvers.RESOLVERS, key=str),
)
edit("app/resolvers.py", "def resolve(kind, value):", "def resolve(kind, value):  # deployed again")
reload("app.resolvers")
after = (
    resolvers.resolve(int, "3"),
    resolvers.resolve(str, " a "),
    sorted(resolvers.RESOLVERS, key=str),
)
verdict(after != before, f"before the reload {before!r}, after it {after!r}")
