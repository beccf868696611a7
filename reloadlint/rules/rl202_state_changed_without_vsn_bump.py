"""RL202 state-changed-without-vsn-bump."""

from __future__ import annotations

from reloadlint.context import CheckContext
from reloadlint.profiles import CLASS_PATCHERS, on
from reloadlint.project import ProjectModel
from reloadlint.rules._instance_state import (
    SeededKeys,
    effective_shape,
    has_class_default,
    hierarchy,
    layout_phrase,
    read_by_new_code,
    seeded_keys,
)
from reloadlint.rules._stateful import ancestors, state_shape
from reloadlint.rules._upgrade_facts import class_pairs, version
from reloadlint.rules.base import Rule
from reloadlint.summary.facts.class_kinds import ENUM_BASES, METACLASS_BASES
from reloadlint.summary.model import ClassFact, ModuleSummary


class StateChangedWithoutVsnBump(Rule):
    """## What it does
    In upgrade mode (``--base REV``), flags a class present in both versions
    whose *state shape* changed while its ``__vsn__`` did not (or it has
    none). The state shape is the set of attribute names assigned on ``self``
    in any method, plus dataclass/attrs fields, ``__slots__`` entries and
    ``NamedTuple``/``TypedDict`` fields. The message names the fields added
    and removed.

    What counts is what a live instance carries, its *effective* shape: the
    state of its class and of its first-party base classes. So

    - an attribute that moved between a base class and a subclass is not a
      change for the subclass (its old instances have it); a base class
      that starts assigning an attribute is reported once, at that base;
    - an added attribute with a class-level default, annotated or not
      (``retries: int = 0`` next to ``self.retries += 1``, or a plain
      dataclass default), is not a change: an old instance finds the
      default on its new class;
    - a change that only removes attributes is not reported: old instances
      carry a superset of what the new methods read;
    - an added attribute that no new code reads is not a change: code the
      upgrade left alone never read it (old instances never had it), so only
      a changed or added definition that loads ``x.name`` (or asks
      ``getattr``/``hasattr``) in a module that knows the class (its own, or
      one that imports the class or its module) can fail on an old instance;
      tests and other code the plan leaves out never meet one. A
      dataclass, attrs class or record reads every field (its generated
      ``__repr__``, ``__eq__``...).

    Two more changes are reported. A changed ``__slots__`` declaration
    (added, removed, other names), even with a ``__vsn__`` bump: the instance
    layout differs, so a live instance cannot be re-pointed at the new class
    at all. And state held in dict keys: when a class-level dict of defaults
    (``default_config = {...}``) gains keys, instances made before the
    upgrade hold a copy of the old dict (``self.config =
    dict(self.default_config)``, directly or through a method ``__init__``
    calls, anywhere in the class hierarchy), and new code reading
    ``self.config["NEW_KEY"]`` raises KeyError on every one of them.

    Enums and metaclasses are not checked: their instances are never
    re-pointed at a new class.

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
    Reads of a new attribute are found by name, not by type: a read through
    a computed name (``getattr(obj, field)``), or duck-typed code in a
    module that never imports the class, is not seen; code outside the
    project written for the new version may still ask an old instance for
    it.

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
    plan_role = "restart"
    profiles = {
        "importlib": on(
            "live instances re-pointed at the new class keep their old fields, and a changed "
            "layout cannot be re-pointed at all"
        ),
        "runtime": on(
            "the runtime re-points live instances and migrates them only when `__vsn__` "
            "changes: without a bump the new methods run on the old fields"
        ),
        "ipython": on(
            "`%autoreload` patches the new methods into live instances and never calls "
            "`__code_change__`: whatever `__vsn__` says, they lack the fields the change "
            "adds (a changed `__slots__` layout is no problem: nothing is re-pointed)"
        ),
        "jurigged": on(
            "jurigged patches the new methods into live instances and never calls "
            "`__code_change__`: whatever `__vsn__` says, they lack the fields the change "
            "adds (a changed `__slots__` layout is no problem: nothing is re-pointed)"
        ),
    }

    def check(self, ctx: CheckContext) -> None:
        upgrade = ctx.upgrade
        if upgrade is None:
            return
        module, project = ctx.module, ctx.project
        patcher = CLASS_PATCHERS.get(ctx.settings.reloader)
        for old, new, old_module in class_pairs(ctx):
            if _never_repointed(project, module, new):
                continue
            symbol = f"{module.name}.{new.qualname}"
            if patcher is not None:
                _report_patched(ctx, patcher, old, new, old_module)
                continue
            changed_layout = layout_phrase(old, new)
            if changed_layout is not None:
                ctx.report(
                    new.span,
                    f"the instance layout of class `{new.qualname}` in `{module.name}` changed "
                    f"({changed_layout}): live instances cannot be re-pointed at the new class "
                    "(`__class__` assignment fails), so they keep running the old methods — "
                    "restart, or keep the layout and migrate the state in `__code_change__`",
                    symbol=symbol,
                )
                continue
            (old_readable, old_vsn), (new_readable, new_vsn) = version(old), version(new)
            if (
                not (old_readable and new_readable)
                or old.has_vsn != new.has_vsn
                or old_vsn != new_vsn
            ):
                continue  # a version change is RL203's to judge; an unreadable one RL204's
            added, removed = _added_fields(ctx, old, new, old_module)
            if added:
                ctx.report(
                    new.span,
                    f"the state of class `{new.qualname}` in `{module.name}` changed "
                    f"({_fields(added, removed)}) but {_vsn_phrase(new)}; live instances keep "
                    "their old fields and the new methods run on them — bump `__vsn__` and "
                    "migrate them in `__code_change__(self, old_vsn, extra)`",
                    symbol=symbol,
                )
            for seeded in _new_keys(ctx, old, new, old_module):
                ctx.report(
                    new.span,
                    f"class `{new.qualname}` in `{module.name}` gains "
                    f"{_names(seeded.keys)} in its `{seeded.defaults}` but {_vsn_phrase(new)}; "
                    f"live instances copied the old `{seeded.defaults}` into `self."
                    f"{seeded.attribute}`, and the new code reads "
                    + ", ".join(f'`self.{seeded.attribute}["{k}"]`' for k in seeded.keys)
                    + ": KeyError on every instance made before the upgrade — bump `__vsn__` "
                    "and add the keys in `__code_change__(self, old_vsn, extra)`",
                    symbol=symbol,
                )


def _added_fields(
    ctx: CheckContext, old: ClassFact, new: ClassFact, old_module: ModuleSummary
) -> tuple[list[str], list[str]]:
    """The instance attributes the class gained (that neither a class-level default
    covers nor an ancestor present in both versions made), and those it lost."""
    upgrade = ctx.upgrade
    assert upgrade is not None
    before = effective_shape(upgrade.base, old_module, old)
    after = effective_shape(ctx.project, ctx.module, new)
    added = sorted(
        name
        for name in after - before
        if not has_class_default(ctx.project, ctx.module, new, name)
        and _made_here(ctx, ctx.module, new, name)
        and read_by_new_code(ctx.project, upgrade, ctx.module, new, name)
    )
    return added, sorted(before - after)


def _report_patched(
    ctx: CheckContext, patcher: str, old: ClassFact, new: ClassFact, old_module: ModuleSummary
) -> None:
    """Under a reloader that patches the class in place: the live instances get the new
    methods and keep their fields, whatever ``__vsn__`` says (nothing migrates them)."""
    symbol = f"{ctx.module.name}.{new.qualname}"
    added, _ = _added_fields(ctx, old, new, old_module)
    if added:
        lacking = ", ".join(f"`{name}`" for name in added)
        ctx.report(
            new.span,
            f"class `{new.qualname}` in `{ctx.module.name}` gained {lacking}; {patcher} "
            f"patches the new methods into the live instances, which lack {lacking}: "
            "AttributeError — give each new field a class-level default, or make the "
            "instances again",
            symbol=symbol,
        )
    for seeded in _new_keys(ctx, old, new, old_module):
        ctx.report(
            new.span,
            f"class `{new.qualname}` in `{ctx.module.name}` gains {_names(seeded.keys)} in "
            f"its `{seeded.defaults}`; {patcher} patches the new methods into the live "
            f"instances, which copied the old `{seeded.defaults}` into `self."
            f"{seeded.attribute}`: KeyError on each of them — read the keys with `.get`, or "
            "make the instances again",
            symbol=symbol,
        )


def _made_here(ctx: CheckContext, module: ModuleSummary, cls: ClassFact, name: str) -> bool:
    """Whether the class, rather than an ancestor present in both versions, gained ``name``.

    Each change is reported once, at the class that made it: an attribute an
    existing base class started to assign is that base's finding, not one
    per subclass. One that comes with a new base class is the subclass's.
    """
    project, upgrade = ctx.project, ctx.upgrade
    assert upgrade is not None
    if name in state_shape(project, module, cls):
        return True
    for member in list(hierarchy(project, module, cls))[1:]:
        if name not in state_shape(project, member.module, member.cls):
            continue
        old_module = upgrade.old(member.module.name)
        old = (
            next((c for c in old_module.classes if c.qualname == member.cls.qualname), None)
            if old_module is not None
            else None
        )
        if old is not None:
            return False  # that base's own change (or an old attribute it always had)
    return True


def _new_keys(
    ctx: CheckContext, old: ClassFact, new: ClassFact, old_module: ModuleSummary
) -> list[SeededKeys]:
    """Keys the class-level dicts gained that new code reads from the instances' copies."""
    found = []
    for seeded in seeded_keys(ctx.project, ctx.module, new):
        before = old.dict_defaults.get(seeded.defaults)
        if before is None:
            continue  # a new dict: old instances never had a copy of it
        gained = tuple(k for k in seeded.keys if k in new.dict_defaults[seeded.defaults])
        gained = tuple(k for k in gained if k not in before)
        if gained:
            found.append(SeededKeys(seeded.defaults, seeded.attribute, gained))
    return found


def _never_repointed(project: ProjectModel, module: ModuleSummary, cls: ClassFact) -> bool:
    """Enums and metaclasses: their instances (members, classes) keep their class
    across a reload."""
    skip = METACLASS_BASES | ENUM_BASES
    return any(ancestor.name in skip for ancestor in ancestors(project, module, cls))


def _names(keys: tuple[str, ...]) -> str:
    return ("key " if len(keys) == 1 else "keys ") + ", ".join(f'`"{k}"`' for k in keys)


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
