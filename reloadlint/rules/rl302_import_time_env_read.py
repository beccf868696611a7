"""RL302 import-time-env-read."""

from __future__ import annotations

from reloadlint.context import CheckContext
from reloadlint.profiles import on
from reloadlint.rules.base import Rule
from reloadlint.summary.model import EnvRead


class ImportTimeEnvRead(Rule):
    """## What it does
    Flags a read of the environment at import time (module top level, class
    bodies, decorator expressions, default argument values, evaluated
    annotations): ``os.environ[...]``, ``os.environ.get()``, ``os.getenv()``,
    ``"X" in os.environ`` and copies of ``os.environ`` (``dict(os.environ)``,
    ``os.environ.copy()``, ``{**os.environ}``). Reads inside functions, under
    ``if __name__ == "__main__":`` or ``if TYPE_CHECKING:``, and writes
    (``os.environ["X"] = "1"``, ``os.environ.setdefault(...)`` used as a
    statement) are not flagged.

    ## Why is this bad?
    The value is captured once, when the module is first imported. A variable
    set later in the process (by a test, a plugin, a configuration loader)
    never reaches it, and after a reload of the module, modules that imported
    the value by name keep the old one.

    ## Known problems
    Reads made through a function that the top level calls
    (``DEBUG = env("DEBUG")``), or by a library (a settings class that reads
    the environment when it is instantiated), are not seen.

    ## Example
    ```python
    # app/config.py
    import os

    DEBUG = os.environ.get("APP_DEBUG") == "1"
    ```

    ## Use instead
    ```python
    # app/config.py
    import os

    def debug() -> bool:
        return os.environ.get("APP_DEBUG") == "1"
    ```

    ## Fix safety
    There is no automatic fix: every use of the value has to become a call.

    ## Options
    - ``reloadable``, ``not-reloadable``: which first-party modules are hot-reloaded; only those
      are checked.

    ## References
    - [`os.environ`](https://docs.python.org/3/library/os.html#os.environ)
    - [Where state belongs](https://reloadlint.readthedocs.io/en/latest/guide/state.html)
    - [What needs a restart](https://reloadlint.readthedocs.io/en/latest/guide/restart.html)
    """

    code = "RL302"
    name = "import-time-env-read"
    summary = "Environment read at import time"

    profiles = {
        "importlib": on("a running process never reads its environment again"),
        "runtime": on("a running process never reads its environment again"),
        "ipython": on(
            "a running process never reads its environment again, and `%autoreload` reloads "
            "only edited modules"
        ),
        "jurigged": on(
            "a running process never reads its environment again, and jurigged runs only "
            "edited statements"
        ),
    }

    def check(self, ctx: CheckContext) -> None:
        module = ctx.module
        if not ctx.project.is_reloadable(module.name):
            return
        for read in module.env_reads:
            if not read.import_time:
                continue
            ctx.report(
                read.span,
                f"`{module.name}` reads {_what(read)} at import time ({_how(read)}); the value is "
                "fixed when the module first loads, so a later change never reaches it and "
                "importers keep the old value after a reload — read it when it is needed",
                symbol=read.var or "os.environ",
            )


def _what(read: EnvRead) -> str:
    if read.var is not None:
        return f"environment variable `{read.var}`"
    if read.how == "copy" or read.method == "copy":
        return "a copy of the environment"
    return "the environment"


def _how(read: EnvRead) -> str:
    """How the environment is read, as the message shows it."""
    if read.how == "item":
        return "`os.environ[...]`"
    if read.how == "membership":
        return "`in os.environ`"
    if read.how == "copy":
        return "a copy of `os.environ`"
    if read.how == "call":
        return f"`{read.callee}()`"
    return f"`os.environ.{read.method}()`"
