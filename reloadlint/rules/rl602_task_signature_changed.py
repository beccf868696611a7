"""RL602 task-signature-changed."""

from __future__ import annotations

from reloadlint.context import CheckContext
from reloadlint.profiles import RELOADERS, on
from reloadlint.rules._old_values import function_span, tasks
from reloadlint.rules._upgrade_facts import changed_base
from reloadlint.rules.base import Rule
from reloadlint.summary.model import Param

_POSITIONAL = ("posonly", "pos")
FRAMEWORKS = {
    "celery": "Celery task",
    "huey": "Huey task",
    "dramatiq": "Dramatiq actor",
    "rq": "RQ job",
    "arq": "arq job",
}


#: Why the rule applies under every reloader profile.
WHY = "queued messages keep the old arguments whatever reloads the code"


class TaskSignatureChanged(Rule):
    """## What it does
    In upgrade mode (``--base REV``), flags a function registered as a
    background task in both versions whose parameters changed so that a call
    made with the old parameters fails or binds differently:

    - a parameter removed or renamed (old messages pass it by keyword), or a
      positional one dropped (old messages pass it by position);
    - a parameter added without a default, or one that lost its default;
    - the positional order changed, or a positional parameter became
      keyword-only;
    - ``*args`` or ``**kwargs`` removed.

    Tasks are Celery's ``@app.task`` and ``@shared_task`` (``bind=True``
    leaves out ``self``), Huey's ``@huey.task()``, ``@huey.db_task()`` and
    periodic tasks, Dramatiq's ``@dramatiq.actor``, RQ's ``@job`` and
    functions handed to ``queue.enqueue(f, ...)`` (also ``enqueue_call``,
    ``enqueue_at``, ``enqueue_in``), and arq's ``functions = [...]`` (the
    ``ctx`` parameter left out). The decorator's object is resolved through
    imports: ``@app.task`` counts when ``app`` is an object the project makes
    (``Celery(...)``, a factory), not a module such as ``invoke``.

    Compatible changes are not reported: a new parameter with a default
    (keyword-only or appended), a rename that ``**kwargs`` absorbs, a new
    ``*args``/``**kwargs``, a default value changed. In a reload plan the
    findings are listed under "values made by the old version" and do not
    change the verdict.

    ## Why is this bad?
    A message in the broker holds the arguments the old version put there:
    ``send_welcome.delay(user_id=7)`` is ``{"user_id": 7}`` in the queue.
    A worker running the new version calls the new function with them, and
    a renamed parameter raises ``TypeError: unexpected keyword argument``; a
    new required one raises ``missing 1 required positional argument``. The
    upgrade looks fine until the backlog is consumed. A restart does not help:
    the messages were made before it.

    ## Known problems
    Only the function's own signature is read: a task class with a ``run``
    method, a task registered by ``app.register_task`` or
    ``app.task(func)`` called as a function, and Celery canvas signatures
    built in other modules are not followed. A message that never passes a
    parameter by keyword still gets the removal reported.

    ## Example
    ```python
    # app/tasks.py, base revision
    from celery import shared_task

    @shared_task
    def send_welcome(user_id):
        ...

    # app/tasks.py, new version
    from celery import shared_task

    @shared_task
    def send_welcome(account_id, locale):  # messages queued as send_welcome(user_id=7)
        ...
    ```

    ## Use instead
    ```python
    # app/tasks.py, new version
    from celery import shared_task

    @shared_task
    def send_welcome(account_id=None, locale="en", **old):
        account_id = old.get("user_id", account_id)  # messages queued before the rename
        ...
    ```
    Or drain the queue of ``send_welcome`` before deploying.

    ## Fix safety
    There is no automatic fix: how the old arguments map to the new ones is
    the author's decision.

    ## Options
    - ``reloadable``, ``not-reloadable``: which first-party modules are hot-reloaded; only
      their tasks are checked.

    ## References
    - [Celery: Tasks](https://docs.celeryq.dev/en/stable/userguide/tasks.html)
    - [Dramatiq: Actors](https://dramatiq.io/guide.html)
    - [Huey: Guide](https://huey.readthedocs.io/en/latest/guide.html)
    - [RQ: Jobs](https://python-rq.org/docs/jobs/)
    - [Upgrade mode and the reload
      plan](https://reloadlint.readthedocs.io/en/latest/upgrade.html)
    """

    code = "RL602"
    name = "task-signature-changed"
    summary = "Task parameters changed so that messages queued by the old version fail"
    mode = "upgrade"
    plan_role = "old-values"
    profiles = {reloader: on(f"{WHY} (and a restart)") for reloader in RELOADERS}

    def check(self, ctx: CheckContext) -> None:
        upgrade = ctx.upgrade
        module = ctx.module
        if (
            upgrade is None
            or changed_base(ctx) is None
            or not ctx.project.is_reloadable(module.name)
        ):
            return
        before = {task.function: task for task in tasks(upgrade.base, module.name)}
        seen = set()
        for task in tasks(ctx.project, module.name):
            old = before.get(task.function)
            if old is None or task.function in seen:
                continue
            seen.add(task.function)
            problems = incompatible(old.params, task.params)
            span = function_span(module, task.function)
            if not problems or span is None:
                continue
            symbol = f"{module.name}.{task.function}"
            ctx.report(
                span,
                f"{FRAMEWORKS[task.framework]} `{symbol}` changed its parameters: "
                f"{'; '.join(problems)} — messages the old version queued call it with the old "
                "arguments: drain the queue before the upgrade, or keep accepting them "
                "(a default, `**kwargs`)",
                symbol=symbol,
            )


def incompatible(old: tuple[Param, ...], new: tuple[Param, ...]) -> list[str]:
    """How calls valid for ``old`` fail (or bind differently) against ``new``."""
    found = []
    new_positional = [p for p in new if p.kind in _POSITIONAL]
    old_positional = [p for p in old if p.kind in _POSITIONAL]
    by_keyword = {p.name: p for p in new if p.kind in ("pos", "kwonly")}
    new_kinds = {p.kind for p in new}
    old_names = {p.name for p in old}
    reported = set()
    for index, param in enumerate(old_positional):
        if index >= len(new_positional):
            if "*args" in new_kinds:
                break
            if by_keyword.get(param.name, param).kind == "kwonly":
                found.append(
                    f"parameter `{param.name}` became keyword-only (TypeError for old positional "
                    "arguments)"
                )
            else:
                found.append(
                    f"positional parameter `{param.name}` removed (TypeError: too many positional "
                    "arguments, or an unexpected keyword argument)"
                )
            reported.add(param.name)
            break
        now = new_positional[index].name
        if now != param.name and (param.name in by_keyword or now in old_names):
            found.append(
                f"positional order changed (position {index + 1} was `{param.name}`, now "
                f"`{now}`: old positional arguments bind to the wrong parameters)"
            )
            break
    for param in old:
        if (
            param.kind in ("pos", "kwonly")
            and param.name not in set(by_keyword) | reported
            and "**kwargs" not in new_kinds
        ):
            found.append(
                f"parameter `{param.name}` removed or renamed (TypeError: unexpected keyword "
                "argument)"
            )
    for param in new:
        if param.default or param.kind in ("*args", "**kwargs"):
            continue
        previous = next((p for p in old if p.name == param.name), None)
        if previous is None:
            found.append(
                f"parameter `{param.name}` added without a default (TypeError: missing argument)"
            )
        elif previous.default:
            found.append(f"parameter `{param.name}` lost its default (TypeError: missing argument)")
    for star in ("*args", "**kwargs"):
        if star in {p.kind for p in old} and star not in new_kinds:
            found.append(f"`{star}` removed (TypeError for old extra arguments)")
    return found
