"""RL303 new-env-var."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reloadlint.context import CheckContext
from reloadlint.profiles import on
from reloadlint.rules._upgrade_facts import LINE_ONE
from reloadlint.rules.base import Rule

if TYPE_CHECKING:
    from reloadlint.upgrade import Upgrade


class NewEnvVar(Rule):
    """## What it does
    In upgrade mode (``--base REV``), flags an environment variable that the
    new version reads (anywhere: at import time or in a function) and that no
    module of the base revision ever read. It is reported on line 1 of the
    module that reads it; the message names the variable and the line.

    ## Why is this bad?
    A process gets its environment when it starts, and nothing outside it can
    add a variable later. The deploy that introduces ``SENTRY_DSN`` also sets
    it for the service, but the running process never sees it: reloaded code
    finds the variable unset (or falls back to its default) until a restart,
    so it behaves differently from a freshly started process running the
    same code.

    ## Known problems
    Only variable names that are string literals are compared; a name
    built at run time (``os.environ[prefix + "_URL"]``) and variables a library
    reads on its own are not seen.

    ## Example
    ```python
    # app/settings.py, base revision
    TIMEOUT = 5.0

    # app/settings.py, new version
    import os

    TIMEOUT = float(os.environ.get("APP_TIMEOUT", "5"))   # the base read no APP_TIMEOUT
    ```

    ## Use instead
    Restart the process to roll out a new variable, or ship the value in a
    way a reload can see: a configuration file the module re-reads, or a
    default in code until the next restart.

    ```python
    # app/settings.py, new version: no new variable in a hot upgrade
    TIMEOUT = 5.0
    ```

    ## Fix safety
    There is no automatic fix: only a restart gives the process a variable.

    ## Options
    No setting of its own: it runs in upgrade mode (``--base REV``) on every first-party module.

    ## References
    - [What needs a restart](https://reloadlint.readthedocs.io/en/latest/guide/restart.html)
    - [Upgrade mode and the reload
      plan](https://reloadlint.readthedocs.io/en/latest/upgrade.html)
    """

    code = "RL303"
    name = "new-env-var"
    summary = "Environment variable the base revision never read"
    mode = "upgrade"
    plan_role = "restart"

    profiles = {
        "importlib": on("a running process cannot be given a new environment variable"),
        "runtime": on("a running process cannot be given a new environment variable"),
        "ipython": on("a running process cannot be given a new environment variable"),
        "jurigged": on("a running process cannot be given a new environment variable"),
    }

    def __init__(self) -> None:
        self._known: tuple[Upgrade, frozenset[str]] | None = None

    def check(self, ctx: CheckContext) -> None:
        upgrade = ctx.upgrade
        if upgrade is None:
            return
        known = self._base_variables(upgrade)
        module = ctx.module
        reported: set[str] = set()
        for read in module.env_reads:
            var = read.var
            if var is None or var in known or var in reported:
                continue
            reported.add(var)
            ctx.report(
                LINE_ONE,
                f"`{module.name}` reads environment variable `{var}` (line {read.span.line}), "
                "which the base revision never read; a running process cannot be given a new "
                "variable, so the reloaded code sees it unset — restart the process with "
                f"`{var}` set",
                symbol=f"{module.name}:{var}",
                context=var,
            )

    def _base_variables(self, upgrade: Upgrade) -> frozenset[str]:
        """Every variable name any base module reads (computed once per run)."""
        if self._known is None or self._known[0] is not upgrade:
            names = frozenset(
                read.var
                for old in upgrade.base.modules.values()
                for read in old.env_reads
                if read.var is not None
            )
            self._known = (upgrade, names)
        return self._known[1]
