"""RL203 missing-code-change."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from reloadlint.context import CheckContext
from reloadlint.profiles import not_applicable, on
from reloadlint.project import ProjectModel
from reloadlint.rules._stateful import ancestors, state_shape
from reloadlint.rules._upgrade_facts import class_pairs, version
from reloadlint.rules.base import Rule
from reloadlint.summary.model import ClassFact, CodeChange, ModuleSummary

_ORDERINGS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class MissingCodeChange(Rule):
    """## What it does
    In upgrade mode (``--base REV``), flags a class whose ``__vsn__`` changed
    when the class has no ``__code_change__`` (its own, or one inherited from
    a first-party base), or when its ``__code_change__`` tests ``old_vsn``
    only against literals (``==``, ``!=``, ``in (...)``, ``match`` literal
    patterns) and none of them is the old ``__vsn__``. An ordering comparison
    (``old_vsn < 3``) handles the versions it covers; a ``__code_change__``
    that does not test ``old_vsn`` at all, or uses it in a way that cannot be
    read statically, is taken to handle every version.

    A class that declares ``__vsn__`` for the first time is only checked when
    its state shape also changed (its live instances then need a migration
    from version ``None``).

    ## Why is this bad?
    After the upgrade every live instance is re-pointed at the new class and
    ``__code_change__(old_vsn, extra)`` is called on it. Without a hook, or
    with one whose branches all test other versions, nothing migrates the
    instances: the new methods run on the old state, which is what the
    version bump announced would not happen.

    ## Known problems
    A ``__code_change__`` whose test of ``old_vsn`` cannot be read
    statically is taken to handle every version, so a hook that misses the
    live version that way is not reported. Whether a migration is *correct*
    is not checked: only that one exists for the live version.

    ## Example
    ```python
    # app/sessions.py, base revision
    class Session:
        __vsn__ = 2

        def __init__(self, user):
            self.user = user
            self.roles = []

    # app/sessions.py, new version
    class Session:
        __vsn__ = 3

        def __init__(self, user):
            self.user = user
            self.roles = []
            self.tags = set()

        def __code_change__(self, old_vsn, extra):
            if old_vsn == 1:            # nothing handles 2, the live version
                self.roles = []
    ```

    ## Use instead
    ```python
    # app/sessions.py, new version
    class Session:
        __vsn__ = 3

        def __init__(self, user):
            self.user = user
            self.roles = []
            self.tags = set()

        def __code_change__(self, old_vsn, extra):
            if old_vsn < 3:
                self.roles = getattr(self, "roles", [])
                self.tags = set()
    ```

    ## Fix safety
    There is no automatic fix: the migration is the author's to write.

    ## Options
    - ``reloadable``, ``not-reloadable``: which first-party modules are hot-reloaded; only those
      are checked.

    ## References
    - [Versioned state: `__vsn__` and
      `__code_change__`](https://reloadlint.readthedocs.io/en/latest/guide/versioning.html)
    - [Erlang: `gen_server`
      `code_change/3`](https://www.erlang.org/doc/apps/stdlib/gen_server.html#c:code_change/3)
    - [Upgrade mode and the reload
      plan](https://reloadlint.readthedocs.io/en/latest/upgrade.html)
    """

    code = "RL203"
    name = "missing-code-change"
    summary = "__vsn__ changed but __code_change__ does not handle the old version"
    mode = "upgrade"
    plan_role = "restart"

    profiles = {
        "importlib": on("live instances of the old version are not migrated"),
        "runtime": on(
            "the runtime calls `__code_change__` with the old version: one that does not "
            "handle it leaves the instances unmigrated"
        ),
        "ipython": not_applicable(
            "`%autoreload` never calls `__code_change__` (RL202 reports the fields live "
            "instances lack)"
        ),
        "jurigged": not_applicable(
            "jurigged never calls `__code_change__` (RL202 reports the fields live instances lack)"
        ),
    }

    def check(self, ctx: CheckContext) -> None:
        upgrade = ctx.upgrade
        if upgrade is None:
            return
        module = ctx.module
        for old, new, old_module in class_pairs(ctx):
            (old_readable, old_vsn), (new_readable, new_vsn) = version(old), version(new)
            if not (old_readable and new_readable) or not new.has_vsn or old_vsn == new_vsn:
                continue
            before = state_shape(upgrade.base, old_module, old)
            if not old.has_vsn and before == state_shape(ctx.project, module, new):
                continue  # a first __vsn__ on unchanged state: nothing to migrate
            hook, owner = _code_change(ctx.project, module, new)
            change = (
                f"`__vsn__` of `{new.qualname}` in `{module.name}` changed from {old_vsn!r} "
                f"to {new_vsn!r}"
            )
            symbol = f"{module.name}.{new.qualname}"
            if hook is None:
                ctx.report(
                    new.vsn_span or new.span,
                    f"{change} but the class has no `__code_change__`; live instances are "
                    "re-pointed at the new class with their old state — add "
                    f"`__code_change__(self, old_vsn, extra)` that migrates from {old_vsn!r}",
                    symbol=symbol,
                )
            elif hook.callable_ok and not handles(hook, old_vsn):
                own = owner == new.qualname
                where = "" if own else f" (inherited from `{owner}`)"
                ctx.report(
                    hook.span if own else (new.vsn_span or new.span),
                    f"{change} but its `__code_change__`{where} tests `old_vsn` only against "
                    f"{_tested(hook)}, never {old_vsn!r}; live instances of version {old_vsn!r} "
                    f"are not migrated — handle `old_vsn == {old_vsn!r}` too",
                    symbol=symbol,
                )


def _tested(hook: CodeChange) -> str:
    literals = [repr(value) for value in hook.literals]
    orderings = [f"`old_vsn {op} {value!r}`" for op, value in hook.orderings]
    return ", ".join([*literals, *orderings])


def _code_change(
    project: ProjectModel, module: ModuleSummary, cls: ClassFact
) -> tuple[CodeChange | None, str]:
    """The ``__code_change__`` instances of ``cls`` get, and the class defining it
    (the MRO approximated breadth first through first-party bases)."""
    if cls.code_change is not None:
        return cls.code_change, cls.qualname
    for ancestor in ancestors(project, module, cls):
        parent = project.class_fact(ancestor.name)
        if parent is not None and parent.code_change is not None:
            return parent.code_change, ancestor.name
    return None, ""


def handles(hook: CodeChange, old_vsn: object) -> bool:
    """Whether ``__code_change__`` handles instances of version ``old_vsn``, as far as can be read.

    A hook whose ``old_vsn`` use cannot be read, or that tests no version at
    all, handles every version; otherwise a literal must equal the old
    version or an ordering comparison must cover it.
    """
    if hook.untestable or not (hook.literals or hook.orderings):
        return True
    if any(type(literal) is type(old_vsn) and literal == old_vsn for literal in hook.literals):
        return True
    for op, bound in hook.orderings:
        try:
            if _ORDERINGS[op](old_vsn, bound):
                return True
        except (KeyError, TypeError):
            continue
    return False
