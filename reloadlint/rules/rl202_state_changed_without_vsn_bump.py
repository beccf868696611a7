"""RL202 state-changed-without-vsn-bump."""

from __future__ import annotations

from reloadlint.context import CheckContext
from reloadlint.project import ProjectModel
from reloadlint.rules._stateful import ancestors, is_dataclass_like, state_shape
from reloadlint.rules._upgrade_facts import class_pairs, version
from reloadlint.rules.base import Rule
from reloadlint.summary.model import ClassFact, ModuleSummary
from reloadlint.summary.patterns import ENUM_BASES, METACLASS_BASES


class StateChangedWithoutVsnBump(Rule):
    """## What it does
    In upgrade mode (``--base REV``), flags a class present in both versions
    whose *state shape* changed while its ``__vsn__`` did not (or it has
    none). The state shape is the set of attribute names assigned on ``self``
    in any method, plus dataclass/attrs fields, ``__slots__`` entries and
    ``NamedTuple``/``TypedDict`` fields. The message names the fields added
    and removed.

    An added attribute that the new class body gives a class-level default
    (``retries = 0`` next to ``self.retries += 1``) is not a change: an old
    instance finds the default on its new class. Enums and metaclasses are
    not checked: their instances are never re-pointed at a new class.

    ## Why is this bad?
    A class-patching reload (IPython ``%autoreload``, jurigged, reloadlint's
    runtime) re-points every live instance at the new class, but each
    instance keeps the attributes it had. The new methods then run on the
    old state: a field added in ``__init__`` is missing on every instance made
    before the upgrade (``AttributeError``), a renamed one keeps its old name
    and value. A ``__vsn__`` bump is what tells the runtime to call
    ``__code_change__`` and migrate each instance.

    ## Known problems
    The state shape is static: attributes set with a computed name
    (``setattr(self, name, value)``, ``self.__dict__.update(...)``) or by other
    objects are not part of it, and an attribute that keeps its name but
    changes its type or meaning (a list that becomes a dict) is not a change.

    ## Example
    ```python
    # app/sessions.py, base revision
    class Session:
        __vsn__ = 1

        def __init__(self, user):
            self.user = user

    # app/sessions.py, new version
    class Session:
        __vsn__ = 1

        def __init__(self, user):
            self.user = user
            self.roles = []              # new field, same __vsn__

        def can(self, role):
            return role in self.roles    # AttributeError on live sessions
    ```

    ## Use instead
    ```python
    # app/sessions.py, new version
    class Session:
        __vsn__ = 2

        def __init__(self, user):
            self.user = user
            self.roles = []

        def __code_change__(self, old_vsn, extra):
            if old_vsn == 1:
                self.roles = []
    ```

    ## Fix safety
    There is no automatic fix: the migration is the author's to write.

    ## Options
    - ``reloadable``, ``not-reloadable``: which first-party modules are hot-reloaded; only those
      are checked.
    - ``stateful-bases``: as for RL201.

    ## References
    - [Versioned state: `__vsn__` and
      `__code_change__`](https://reloadlint.readthedocs.io/en/latest/guide/versioning.html)
    - [Erlang: `gen_server`
      `code_change/3`](https://www.erlang.org/doc/apps/stdlib/gen_server.html#c:code_change/3)
    - [Upgrade mode and the reload
      plan](https://reloadlint.readthedocs.io/en/latest/upgrade.html)
    """

    code = "RL202"
    name = "state-changed-without-vsn-bump"
    summary = "Class state changed without a __vsn__ bump"
    mode = "upgrade"

    def check(self, ctx: CheckContext) -> None:
        upgrade = ctx.upgrade
        if upgrade is None:
            return
        module = ctx.module
        for old, new, old_module in class_pairs(ctx):
            (old_readable, old_vsn), (new_readable, new_vsn) = version(old), version(new)
            if (
                not (old_readable and new_readable)
                or old.has_vsn != new.has_vsn
                or old_vsn != new_vsn
            ):
                continue  # a version change is RL203's to judge; an unreadable one RL204's
            if _never_repointed(ctx.project, module, new):
                continue
            before = state_shape(upgrade.base, old_module, old)
            after = state_shape(ctx.project, module, new)
            added = sorted(name for name in after - before if not _class_default(new, name))
            removed = sorted(before - after)
            if not added and not removed:
                continue
            ctx.report(
                new.span,
                f"the state of class `{new.qualname}` in `{module.name}` changed "
                f"({_fields(added, removed)}) but {_vsn_phrase(new)}; live instances keep their "
                "old fields and the new methods run on them — bump `__vsn__` and migrate them in "
                "`__code_change__(self, old_vsn, extra)`",
                symbol=f"{module.name}.{new.qualname}",
            )


def _never_repointed(project: ProjectModel, module: ModuleSummary, cls: ClassFact) -> bool:
    """Enums and metaclasses: their instances (members, classes) keep their class
    across a reload."""
    skip = METACLASS_BASES | ENUM_BASES
    return any(ancestor.name in skip for ancestor in ancestors(project, module, cls))


def _class_default(cls: ClassFact, name: str) -> bool:
    """Whether the class body binds ``name`` to a value an old instance falls back to.

    Only plain classes: dataclass/attrs fields and annotated names may have no
    class attribute at run time, and ``__slots__`` change the layout.
    """
    if is_dataclass_like(cls) or name in cls.slots or name in cls.annotated:
        return False
    return name in cls.body_names and name not in cls.methods


def _fields(added: list[str], removed: list[str]) -> str:
    parts = []
    if added:
        parts.append("added " + ", ".join(f"`{name}`" for name in added))
    if removed:
        parts.append("removed " + ", ".join(f"`{name}`" for name in removed))
    return "; ".join(parts)


def _vsn_phrase(cls: ClassFact) -> str:
    if cls.has_vsn:
        return f"`__vsn__` is still {cls.vsn!r}"
    return "it declares no `__vsn__`"
