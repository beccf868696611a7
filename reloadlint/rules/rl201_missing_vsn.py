"""RL201 missing-vsn."""

from __future__ import annotations

from reloadlint.context import CheckContext
from reloadlint.profiles import not_applicable, on
from reloadlint.rules._stateful import is_stateful
from reloadlint.rules.base import Rule


class MissingVsn(Rule):
    """## What it does
    Flags a *stateful* class of a reloadable module that declares no
    ``__vsn__`` in its body. A class is stateful when a method other than
    ``__init__``, ``__new__``, ``__post_init__`` or ``__setstate__`` assigns an
    attribute of ``self`` (plain, augmented or annotated assignment, or
    ``setattr(self, "name", ...)``), or when it derives, directly or through
    first-party classes, from a configured long-lived base (``stateful-bases``,
    by default ``threading.Thread``, ``asyncio.Protocol``,
    ``asyncio.BaseProtocol`` and ``socketserver.BaseServer``).

    Assignments in private helpers that only the initialisers call
    (``self._build()`` from ``__init__``) count as initialisation. Static and
    class methods, classes defined inside functions, metaclasses, enums, test
    cases and test mixins (classes with ``setUp``/``tearDown``) are not
    considered: no reloader re-points their instances, or they never live
    across a reload.

    ## Why is this bad?
    A reload creates a new class, but live instances keep their old state. A
    class-patching reloader (IPython ``%autoreload``, jurigged, reloadium,
    reloadlint's runtime) points them at the new class, so the *new* methods
    run on the *old* attributes: a method that reads a field the new version
    adds raises ``AttributeError`` on every object created before the
    reload. ``__vsn__`` is how the upgrade knows the state changed: bump it and
    the runtime calls ``__code_change__(old_vsn, extra)`` on each live
    instance to migrate it, as Erlang's ``code_change/3`` does.

    ## Known problems
    Statefulness is read from assignments to ``self``: a class whose methods
    only mutate containers set in ``__init__`` (``self.items.append(x)``), or
    whose state other objects assign (``worker.busy = True``), is not counted
    as stateful. RL202 still reports such a class, in upgrade mode, when its
    state shape changes.

    ## Example
    ```python
    class Poller:
        def __init__(self):
            self.seen = 0

        def poll(self):
            self.seen += 1
    ```

    ## Use instead
    ```python
    class Poller:
        __vsn__ = 1

        def __init__(self):
            self.seen = 0

        def poll(self):
            self.seen += 1
    ```
    and, when a later version changes the state:
    ```python
    class Poller:
        __vsn__ = 2

        def __init__(self):
            self.seen = 0
            self.errors = 0

        def __code_change__(self, old_vsn, extra):
            if old_vsn == 1:
                self.errors = 0
    ```

    ## Fix safety
    There is no automatic fix: the version number is a promise to migrate
    state that only the author can keep.

    ## Options
    - ``stateful-bases``: the long-lived base classes that make a subclass stateful.
    - ``reloadable``, ``not-reloadable``: which first-party modules are hot-reloaded; only those
      are checked.

    ## References
    - [Versioned state: `__vsn__` and
      `__code_change__`](https://reloadlint.readthedocs.io/en/latest/guide/versioning.html)
    - [Erlang: `gen_server`
      `code_change/3`](https://www.erlang.org/doc/apps/stdlib/gen_server.html#c:code_change/3)
    - [IPython
      `%autoreload`](https://ipython.readthedocs.io/en/stable/config/extensions/autoreload.html)
      (what a class-patching reloader does)
    """

    code = "RL201"
    name = "missing-vsn"
    summary = "Stateful class without `__vsn__`"

    profiles = {
        "importlib": on(
            "without `__vsn__` nothing migrates live instances when a change adds to their state"
        ),
        "runtime": on(
            "without `__vsn__` the plan cannot migrate live instances: any change to their "
            "state means restart"
        ),
        "ipython": not_applicable(
            "`%autoreload` never calls `__code_change__`, so declaring `__vsn__` changes "
            "nothing: live instances lack the fields an edit adds whatever the class "
            "declares (RL202 reports such an edit)"
        ),
        "jurigged": not_applicable(
            "jurigged never calls `__code_change__`, so declaring `__vsn__` changes "
            "nothing: live instances lack the fields an edit adds whatever the class "
            "declares (RL202 reports such an edit)"
        ),
    }

    def check(self, ctx: CheckContext) -> None:
        module = ctx.module
        if not ctx.project.is_reloadable(module.name):
            return
        for cls in module.classes:
            if cls.has_vsn:
                continue
            reason = is_stateful(ctx.project, module, cls, ctx.settings)
            if reason is None:
                continue
            ctx.report(
                cls.span,
                f"class `{cls.qualname}` in reloadable module `{module.name}` is stateful "
                f"({reason}) but declares no `__vsn__`; after a class-patching reload its live "
                "instances run the new methods on their old state — add `__vsn__ = 1` and bump "
                "it, with a `__code_change__`, when the state changes",
                symbol=f"{module.name}.{cls.qualname}",
            )
