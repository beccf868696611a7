"""RL603 task-name-changed."""

from __future__ import annotations

from reloadlint.context import CheckContext, ProjectContext
from reloadlint.profiles import RELOADERS, on
from reloadlint.project import ProjectModel
from reloadlint.rules._old_values import Task, all_tasks, function_span, tasks
from reloadlint.rules._upgrade_facts import LINE_ONE
from reloadlint.rules.base import Rule
from reloadlint.rules.rl602_task_signature_changed import FRAMEWORKS

#: Why the rule applies under every reloader profile.
WHY = "queued messages keep the old task name whatever reloads the code"


class TaskNameChanged(Rule):
    """## What it does
    In upgrade mode (``--base REV``), flags a background task whose
    registered name exists in the base version and in no task of the new
    one. The name is the explicit one (Celery's and Huey's ``name=``,
    Dramatiq's ``actor_name=``, arq's ``func(f, name=...)``) or the one the
    framework derives: ``module.function`` for Celery, Huey and RQ, the bare
    function name for Dramatiq and arq. So renaming a task function, moving it
    to another module (for Celery, Huey and RQ) or changing its ``name=``
    changes the name; moving a Dramatiq actor does not.

    A task whose function is still in the module is reported at its
    definition; a task whose function is gone, at line 1 of its module (of
    the old path when the module itself was removed or renamed). Names
    computed at run time are not compared. In a reload plan the findings are
    listed under "values made by the old version" and do not change the
    verdict.

    ## Why is this bad?
    A queued message names its task. Workers of the new version look the
    name up in their registry and do not find it: Celery rejects the message
    with "Received unregistered task", Dramatiq raises ``ActorNotFound``, Huey
    cannot deserialise it, RQ fails the job on import. Every message the old
    version queued for that task is lost, and so is each scheduled (ETA,
    periodic) run.

    ## Known problems
    Tasks registered by other means than the decorators and references listed
    for RL602 are not seen, so a name they keep registering is not known to
    the new version either: a rename that such a registration covers is
    reported.

    ## Example
    ```python
    # app/tasks.py, base revision
    from celery import shared_task

    @shared_task
    def send_welcome(user_id):
        ...

    # app/tasks.py, new version: registered as app.tasks.send_greeting
    from celery import shared_task

    @shared_task
    def send_greeting(user_id):
        ...
    ```

    ## Use instead
    ```python
    # app/tasks.py, new version
    from celery import shared_task

    @shared_task(name="app.tasks.send_welcome")  # the name the queued messages carry
    def send_greeting(user_id):
        ...
    ```
    Moving a task to another module changes its derived name the same way
    (``app.mail.tasks.send_welcome``); ``name=`` keeps the old one there too.

    ## Fix safety
    There is no automatic fix: keeping the old name, or draining the queue
    first, is the author's decision.

    ## Options
    - ``reloadable``, ``not-reloadable``: which first-party modules are hot-reloaded; only
      their tasks are checked.

    ## References
    - [Celery: Task names](https://docs.celeryq.dev/en/stable/userguide/tasks.html#names)
    - [Dramatiq: Actors](https://dramatiq.io/guide.html)
    - [Upgrade mode and the reload
      plan](https://reloadlint.readthedocs.io/en/latest/upgrade.html)
    """

    code = "RL603"
    name = "task-name-changed"
    summary = "A task's registered name is gone; queued messages name an unknown task"
    mode = "upgrade"
    plan_role = "old-values"
    profiles = {reloader: on(f"{WHY} (and a restart)") for reloader in RELOADERS}

    def check(self, ctx: CheckContext) -> None:
        upgrade = ctx.upgrade
        module = ctx.module
        if upgrade is None or upgrade.status.get(module.name) != "changed":
            return
        if not ctx.project.is_reloadable(module.name):
            return
        names = _names(ctx.project)
        current = {task.function: task for task in tasks(ctx.project, module.name)}
        for old in tasks(upgrade.base, module.name):
            if old.name is None or old.name in names:
                continue
            now = current.get(old.function)
            span = function_span(module, old.function) if now is not None else None
            ctx.report(
                span or LINE_ONE,
                _message(ctx.project, old, now),
                symbol=f"{module.name}.{old.function}",
            )

    def check_project(self, ctx: ProjectContext) -> None:
        upgrade = ctx.upgrade
        if upgrade is None:
            return
        names = _names(ctx.project)
        for name in upgrade.removed_modules():
            old_module = upgrade.old(name)
            if old_module is None:
                continue
            for old in tasks(upgrade.base, name):
                if old.name is None or old.name in names:
                    continue
                ctx.report_at(
                    upgrade.display_path(old_module.path),
                    LINE_ONE,
                    _message(ctx.project, old, None),
                    symbol=f"{name}.{old.function}",
                )


def _names(project: ProjectModel) -> set[str]:
    return {task.name for task in all_tasks(project) if task.name is not None}


def _message(project: ProjectModel, old: Task, now: Task | None) -> str:
    what = f"{FRAMEWORKS[old.framework]} `{old.name}`"
    if now is not None and now.name is not None:
        fate = f"is now registered as `{now.name}`"
    else:
        moved = [
            t.name
            for t in all_tasks(project)
            if t.function.rpartition(".")[2] == old.function.rpartition(".")[2] and t.name
        ]
        fate = (
            f"is gone (function `{old.module}.{old.function}` removed or renamed)"
            if not moved
            else f"is gone (`{old.function}` is now registered as `{moved[0]}`)"
        )
    keep = {
        "dramatiq": f'`actor_name="{old.name}"`',
        "rq": f"a function at `{old.name}`",
        "arq": f'`func(..., name="{old.name}")`',
    }.get(old.framework, f'`name="{old.name}"`')
    return (
        f"{what} {fate}; messages the old version queued name a task the new workers do not "
        f"know — drain the queue before the upgrade, or keep the old name ({keep}) for one release"
    )
