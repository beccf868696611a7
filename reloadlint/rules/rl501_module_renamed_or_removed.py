"""RL501 module-renamed-or-removed."""

from __future__ import annotations

from reloadlint.context import ProjectContext
from reloadlint.profiles import on
from reloadlint.rules._upgrade_facts import LINE_ONE
from reloadlint.rules.base import Rule


class ModuleRenamedOrRemoved(Rule):
    """## What it does
    In upgrade mode (``--base REV``), flags a module of the base revision that
    the working tree no longer has: deleted, or renamed (git's rename
    detection names the new module in the message). It is reported on line 1
    of the module's *old* path, since the new tree has no file to point at.

    A module that becomes a package (``app/db.py`` to ``app/db/__init__.py``)
    keeps its name and is not reported. In upgrade mode RL502 also flags
    strings that still name a module reported here.

    ## Why is this bad?
    A reload cannot unload a module. The old module stays in ``sys.modules``
    and keeps working: modules that are not reloaded keep using it, and
    ``import app.old`` still succeeds in the running process, so the upgrade
    seems fine. Persisted references to its dotted path (pickled objects,
    queued task names, ``"app.old:handler"`` entry strings, logger names)
    resolve in the running process and break at the next restart.

    ## Known problems
    Renames come from git's rename detection, which compares contents: a
    module renamed and heavily edited in the same change is reported as removed
    (the message then names no new module).

    ## Example
    ```python
    # app/tasks.py, base revision
    def send_reminders():
        ...

    # app/jobs.py, added by `git mv app/tasks.py app/jobs.py` (and a hot upgrade)
    def send_reminders():
        ...
    ```

    ## Use instead
    Restart the process to roll out a rename. To stay hot-upgradable, keep the
    old module for one release as a shim that re-exports the new one, and
    migrate persisted references before deleting it:

    ```python
    # app/tasks.py, kept for one release
    from app.jobs import *  # noqa: F401,F403
    ```

    ## Fix safety
    There is no automatic fix.

    ## Options
    No setting of its own: it runs in upgrade mode (``--base REV``).

    ## References
    - [git diff `--find-renames`](https://git-scm.com/docs/git-diff)
    - [What needs a restart](https://reloadlint.readthedocs.io/en/latest/guide/restart.html)
    - [Upgrade mode and the reload
      plan](https://reloadlint.readthedocs.io/en/latest/upgrade.html)
    """

    code = "RL501"
    name = "module-renamed-or-removed"
    summary = "Module renamed or removed; the old one stays loaded"
    mode = "upgrade"
    plan_role = "restart"

    profiles = {
        "importlib": on("a reload cannot unload the old module: it stays in `sys.modules`"),
        "runtime": on("a reload cannot unload the old module: it stays in `sys.modules`"),
        "ipython": on("`%autoreload` cannot unload the old module: it stays in `sys.modules`"),
        "jurigged": on("jurigged cannot unload the old module: it stays in `sys.modules`"),
    }

    def check_project(self, ctx: ProjectContext) -> None:
        upgrade = ctx.upgrade
        if upgrade is None:
            return
        for name in upgrade.removed_modules():
            old = upgrade.old(name)
            if old is None:
                continue
            target = upgrade.renamed_to.get(name)
            fate = f"was renamed to `{target}` (git rename detection)" if target else "was removed"
            ctx.report_at(
                upgrade.display_path(old.path),
                LINE_ONE,
                f"module `{name}` {fate}; a reload cannot unload it: the old module stays in "
                "`sys.modules`, modules that are not reloaded keep using it, and persisted "
                f"references to `{name}` (pickles, task names, entry strings) break at the next "
                f"restart — restart, or keep `{name}` as a shim for one release",
                symbol=name,
            )
