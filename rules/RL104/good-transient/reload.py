"""Does a reload between calls strand members that only live within a call, or
value-compared members an application kept?"""

import importlib

from reloadkit import add_logger, reload, verdict

routing = importlib.import_module("app.routing")
kept, _ = routing.handle("/")  # the application keeps a returned status
add_logger("app/routing.py")
reload("app.routing")
now, endpoint = routing.handle("/")
missing, _ = routing.handle("/nope")
broken = (now, endpoint, missing) != (kept, "home", routing.Code.NOT_FOUND)
verdict(broken or kept != routing.Code.OK, f"after the reload: {now!r}, {endpoint!r}, {missing!r}")
