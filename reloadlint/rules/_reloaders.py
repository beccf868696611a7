"""What the rules share about the reloader profiles (:mod:`reloadlint.profiles`)."""

from __future__ import annotations

from reloadlint.context import CheckContext


def plan_cannot_reload(ctx: CheckContext, module: str | None = None) -> str | None:
    """Why a reload plan never reloads ``module`` (default: the module being
    checked), so that the names it binds by value stay stale under the
    ``runtime`` profile; None when a plan reloads it after the modules it binds
    from. As the plan decides (:mod:`reloadlint.plan`): a ``__main__`` module
    ran once as the program, and a module that is not reloadable never enters
    a plan."""
    name = ctx.module.name if module is None else module
    if name == "__main__" or name.endswith(".__main__"):
        return "a `__main__` module, which the plan never reloads"
    if not ctx.project.is_reloadable(name):
        return "not reloadable, so the plan never reloads it"
    return None
