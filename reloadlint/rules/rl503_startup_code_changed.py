"""RL503 startup-code-changed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from reloadlint.context import CheckContext
from reloadlint.profiles import on
from reloadlint.rules._upgrade_facts import LINE_ONE, changed_base
from reloadlint.rules.base import Rule
from reloadlint.summary.model import ModuleSummary

if TYPE_CHECKING:
    from reloadlint.project import ProjectModel


class StartupCodeChanged(Rule):
    """## What it does
    In upgrade mode (``--base REV``), flags a change to the application's
    start-up code: a ``__main__`` module, an ``if __name__ == "__main__":``
    block, or a configured entry point (``entrypoints = ["app.factory:create_app"]``
    in ``[tool.reloadlint]``; ``module:function`` or a dotted name; a module
    alone makes its whole top level start-up code). It is reported on line 1
    of the module; the message names the block or function.

    Only code that existed in the base revision counts: the running process
    cannot have started from a block or entry point that did not exist yet.

    ## Why is this bad?
    The running process executed its start-up code once, when it started.
    Reloading the module defines the new version but does not run it again:
    the new route registered in ``create_app()``, the new worker started in
    ``__main__``, the new argument parsed in the main block only take effect
    after a restart, while the rest of the upgrade is already live.

    ## Known problems
    Start-up code is only what is named above: an application factory that a
    server calls by name from outside the project (a WSGI file, a command
    line) is start-up code only once it is listed in ``entrypoints``.

    ## Example
    ```toml
    # pyproject.toml
    [tool.reloadlint]
    entrypoints = ["app.factory:create_app"]
    ```
    ```python
    # app/factory.py, base revision
    def create_app():
        app = App()
        return app

    # app/factory.py, new version
    def create_app():
        app = App()
        app.register(audit_middleware)   # new: never runs in the live process
        return app
    ```

    ## Use instead
    Restart to roll out start-up changes, or move what must change at run time
    out of start-up code into code the application calls on each use.

    ## Fix safety
    There is no automatic fix.

    ## Options
    - ``entrypoints``: the functions and modules that are start-up code (``module:function`` or
      dotted names).

    ## References
    - [What needs a restart](https://reloadlint.readthedocs.io/en/latest/guide/restart.html)
    - [Upgrade mode and the reload
      plan](https://reloadlint.readthedocs.io/en/latest/upgrade.html)
    """

    code = "RL503"
    name = "startup-code-changed"
    summary = "Start-up code changed; it only runs again on restart"
    mode = "upgrade"
    plan_role = "restart"

    profiles = {
        "importlib": on("start-up code already ran: it runs again only on restart"),
        "runtime": on("start-up code already ran: it runs again only on restart"),
        "ipython": on("start-up code already ran: it runs again only on restart"),
        "jurigged": on(
            "start-up code already ran: it runs again only on restart (jurigged runs an "
            "edited `__main__` block's statements, not the code they started)"
        ),
    }

    def check(self, ctx: CheckContext) -> None:
        old = changed_base(ctx)
        if old is None:
            return
        module = ctx.module
        for what in _changed_startup_code(old, module, ctx.settings.entrypoints, ctx.project):
            ctx.report(
                LINE_ONE,
                f"{what} changed, and the running process ran it when it started; a reload "
                "does not run it again, so the change takes effect only on restart — restart the "
                "process",
                symbol=module.name,
                context=what,
            )


def _changed_startup_code(
    old: ModuleSummary, new: ModuleSummary, entrypoints: tuple[str, ...], project: ProjectModel
) -> Iterator[str]:
    """A phrase for each piece of start-up code that differs between two versions of a module."""
    name = new.name
    if name == "__main__" or name.endswith(".__main__"):
        yield f"the `__main__` module `{name}`"
    elif old.main_fingerprint and old.main_fingerprint != new.main_fingerprint:
        where = (
            f"line {new.main_block.line}"
            if new.main_block is not None
            else "removed in the new version"
        )
        yield f'the `if __name__ == "__main__":` block of `{name}` ({where})'
    for entry in entrypoints:
        target = _entrypoint(entry, project)
        if target is None or target[0] != name:
            continue
        qualname = target[1]
        if not qualname or qualname not in old.def_fingerprints:
            # A module, or a value built at start-up (``application = create_app()``):
            # the module's top level is the start-up code.
            yield f"entry point `{entry}` (the top level of `{name}`)"
        elif old.def_fingerprints[qualname] != new.def_fingerprints.get(qualname):
            line = _def_line(new, qualname)
            yield f"entry point `{entry}` ({line})"


def _entrypoint(entry: str, project: ProjectModel) -> tuple[str, str] | None:
    """``(module, qualname)`` of a configured entry point: ``pkg.mod:func``,
    ``pkg.mod:func()`` or ``pkg.mod.func``."""
    text = entry.strip()
    if ":" in text:
        module, _, attribute = text.partition(":")
        return module.strip(), attribute.partition("(")[0].strip()
    split = project.split(text)
    if split is None:
        return None
    return split[0], ".".join(split[1])


def _def_line(module: ModuleSummary, qualname: str) -> str:
    top = qualname.partition(".")[0]
    binding = module.binding(top)
    if qualname not in module.def_fingerprints:
        return "removed in the new version"
    if binding is not None and top == qualname:
        return f"line {binding.span.line}"
    return f"`{qualname}`"
