"""RL404 loop-changed."""

from __future__ import annotations

from reloadlint.context import CheckContext
from reloadlint.profiles import on
from reloadlint.rules._upgrade_facts import changed_base
from reloadlint.rules.base import Rule
from reloadlint.summary.model import LoopFunction


def describe(loop: LoopFunction) -> str:
    """The looping statement, as messages and plans show it: ``while True:``,
    ``serve_forever()``."""
    return f"`while {loop.code}:`" if loop.how == "while" else f"`{loop.code}()`"


class LoopChanged(Rule):
    """## What it does
    In upgrade mode (``--base REV``), flags a function that runs an endless
    loop (``while True:``/``while 1:``, a ``while`` that only tests a stop flag
    or event such as ``while not stop.is_set()`` or ``while self.running``, a
    ``serve_forever()``/``run_forever()`` call) in both versions, when the
    loop itself changed. It is reported on the ``def`` line.

    A ``while`` whose own body has a ``break`` or a ``return`` is a bounded
    loop (a parser scanning its input, a retry loop), not a worker's: it is
    not reported. Only the loop statement counts (its condition and body;
    docstrings and layout ignored): what runs before the loop, the
    signature, annotations and decorators are not what a thread inside the
    loop executes, and a change in a helper the loop calls is not a change of
    the loop either.

    ## Why is this bad?
    A thread that is already inside the loop keeps executing the code object
    it entered; a reload gives the module a new function, but nothing moves a
    running frame onto it. Only what the loop looks up on each iteration
    through module attributes or module globals is new. The worker keeps
    running the old loop body until it is restarted.

    ## Known problems
    Only the loop forms listed above count as endless: a worker written as
    ``for job in iter(queue.get, None):`` or ``while queue:`` is not
    recognised, and a change in a helper that the loop calls is not a change
    of the loop.

    ## Example
    ```python
    # app/worker.py, base revision
    def run(stop):
        while not stop.is_set():
            job = queue.get()
            handle(job)

    # app/worker.py, new version
    def run(stop):
        while not stop.is_set():
            job = queue.get()
            handle(job, retries=3)      # changed in the loop body
    ```

    ## Use instead
    Keep the loop a thin shell that calls into module-level functions, and put
    the logic that changes there; or restart the worker thread as part of the
    upgrade.

    ```python
    # app/worker.py, base revision
    def run(stop):
        while not stop.is_set():
            process_one()               # looked up on every iteration: reload reaches it

    def process_one():
        handle(queue.get())

    # app/worker.py, new version
    def run(stop):
        while not stop.is_set():
            process_one()

    def process_one():
        handle(queue.get(), retries=3)
    ```

    ## Fix safety
    There is no automatic fix.

    ## Options
    No setting of its own: it runs in upgrade mode (``--base REV``).

    ## References
    - [What needs a restart](https://reloadlint.readthedocs.io/en/latest/guide/restart.html)
    - [Upgrade mode and the reload
      plan](https://reloadlint.readthedocs.io/en/latest/upgrade.html)
    """

    code = "RL404"
    name = "loop-changed"
    summary = "Endless loop changed; a running worker keeps the old loop"
    mode = "upgrade"
    plan_role = "restart"

    profiles = {
        "importlib": on("a thread already inside the loop keeps running the old loop body"),
        "runtime": on("a thread already inside the loop keeps running the old loop body"),
        "ipython": on(
            "a thread already inside the loop keeps running the old code object, whatever "
            "`%autoreload` patches"
        ),
        "jurigged": on(
            "a thread already inside the loop keeps running the old code object, whatever "
            "jurigged patches"
        ),
    }

    def check(self, ctx: CheckContext) -> None:
        old = changed_base(ctx)
        if old is None:
            return
        was_loop = {loop.qualname: loop for loop in old.loops}
        module = ctx.module
        for loop in module.loops:
            before = was_loop.get(loop.qualname)
            if before is None:
                continue  # not a loop a running thread can be inside of
            if before.fingerprint == loop.fingerprint:
                continue
            ctx.report(
                loop.span,
                f"`{module.name}.{loop.qualname}` runs an endless loop ({describe(loop)}) and "
                "its code changed; a thread already inside it keeps running the old loop body "
                "after a reload — restart that worker, or keep the changing logic in functions "
                "the loop calls through the module",
                symbol=f"{module.name}.{loop.qualname}",
            )
