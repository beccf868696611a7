"""After `app.db` is reloaded with new code, does `app.cli` reach the new code?"""
import importlib

from reloadkit import edit, reload, verdict

cli = importlib.import_module("app.cli")
edit("app/db.py", '"connected"', '"connected again"')
reload("app.db")
result = cli.main()
stale = result != "connected again" or hasattr(cli, "connect")
verdict(stale, f"app.cli.main() returned {result!r}; a by-value `connect`: {hasattr(cli, 'connect')}")
