"""RL403 removed-name-lingers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reloadlint.context import CheckContext
from reloadlint.profiles import Reloader, on
from reloadlint.rules._upgrade_facts import LINE_ONE
from reloadlint.rules.base import Rule
from reloadlint.summary.model import Binding, ModuleSummary, Span

if TYPE_CHECKING:
    from reloadlint.project import ProjectModel
    from reloadlint.upgrade import Upgrade


@dataclass(frozen=True)
class RemovedName:
    """A top-level name of a base module that the new version of the module no longer binds."""

    module: str
    name: str
    old: Binding  # as bound in the base revision

    @property
    def qualified(self) -> str:
        return f"{self.module}.{self.name}"

    @property
    def what(self) -> str:
        kind = self.old.kind
        return {"function": "function", "class": "class", "import": "imported name"}.get(
            kind, "value"
        )


@dataclass
class _Reference:
    removed: RemovedName
    span: Span
    how: str  # attribute, from-import, star-import


@dataclass
class _Index:
    """Every removed name, and every first-party reference to one, computed once per run."""

    removed: dict[str, list[RemovedName]] = field(default_factory=dict)  # by module
    references: dict[str, list[_Reference]] = field(default_factory=dict)  # by referring module
    referenced: set[str] = field(default_factory=set)  # qualified names with a reference


class RemovedNameLingers(Rule):
    """## What it does
    In upgrade mode (``--base REV``), flags a top-level name that the base
    version of a module defines and the new version no longer does. It is
    reported at every first-party reference that still names it (``M.name``,
    ``from M import name``, and ``from M import *`` in modules that would
    still copy it), or once, on line 1 of ``M``, when no reference remains.

    A removed *import* of a module, or of anything from outside the project,
    is reported only where something still reaches it through ``M``: the
    leftover (``json``, ``TYPE_CHECKING``) is not stale code.

    ## Why is this bad?
    ``importlib.reload(M)`` runs the new source in the *old* module dict and
    never deletes anything. The removed function stays in ``M``'s namespace:
    ``M.name`` keeps working and calls the old code, ``from M import *``
    keeps copying it, and a reference that a fresh process would reject with
    ``AttributeError`` or ``ImportError`` passes every test run against the
    reloaded process. The upgrade looks fine until the next restart breaks it.

    ## Known problems
    References that name the removed attribute in a string
    (``getattr(M, "name")``, a dotted path in configuration) are not found;
    when no reference is found the finding is on line 1 of the module.

    ## Example
    ```python
    # app/billing.py, base revision
    def total(items):
        return sum(item.price for item in items)

    def legacy_total(items):
        return total(items)

    # app/billing.py, new version: `legacy_total` was deleted
    def total(items):
        return sum(item.price for item in items)

    # app/views.py, unchanged
    from app import billing

    def invoice(items):
        return billing.legacy_total(items)   # still works after the reload, fails on restart
    ```

    ## Use instead
    Update every reference in the same change, and restart (or remove the
    name from the live module after the reload: ``del app.billing.legacy_total``).
    To stay hot-upgradable, keep the name for one release:

    ```python
    # app/billing.py, new version
    def total(items):
        return sum(item.price for item in items)

    legacy_total = total  # delete in the next release, rolled out with a restart

    # app/views.py
    from app import billing

    def invoice(items):
        return billing.total(items)
    ```

    ## Fix safety
    There is no automatic fix: only the author knows what replaced the name.

    ## Options
    No setting of its own: it runs in upgrade mode (``--base REV``) on every first-party module.

    ## References
    - [`importlib.reload`](https://docs.python.org/3/library/importlib.html#importlib.reload)
    - [What needs a restart](https://reloadlint.readthedocs.io/en/latest/guide/restart.html)
    - [Upgrade mode and the reload
      plan](https://reloadlint.readthedocs.io/en/latest/upgrade.html)
    """

    code = "RL403"
    name = "removed-name-lingers"
    summary = "Name removed from a module lingers after a reload"
    mode = "upgrade"
    plan_role = "not-done"

    profiles = {
        "importlib": on("a reload leaves every removed name in the module's namespace"),
        "runtime": on(
            "the runtime reloads with `importlib.reload`: removed names stay in the namespace"
        ),
        "ipython": on(
            "only removed classes: `%autoreload` deletes the functions, imports and "
            "assignments an edit removes (and a full reload clears the namespace), but not "
            "a removed class"
        ),
        "jurigged": on(
            "only names bound by imports and assignments: jurigged deletes the functions "
            "and classes an edit removes, not the other names"
        ),
    }

    def __init__(self) -> None:
        self._index: tuple[Upgrade, _Index] | None = None

    def check(self, ctx: CheckContext) -> None:
        upgrade = ctx.upgrade
        if upgrade is None:
            return
        index = self._build(upgrade, ctx.project)
        module, reloader = ctx.module, ctx.settings.reloader
        for reference in index.references.get(module.name, []):
            if not _lingers(reference.removed, reloader):
                continue
            ctx.report(
                reference.span, _reference_message(reference), symbol=reference.removed.qualified
            )
        for removed in index.removed.get(module.name, []):
            if removed.qualified in index.referenced or not _may_be_stale(removed, ctx.project):
                continue
            if not _lingers(removed, reloader):
                continue
            ctx.report(
                LINE_ONE,
                f"{removed.what} `{removed.name}` (line {removed.old.span.line} in the base "
                f"revision) is gone from `{module.name}`, but a reload leaves the old object in "
                f"the module's namespace, so {_reached_by(removed, module)} still reach it — "
                "restart, or delete it from the live module after the reload "
                f"(`del {removed.qualified}`)",
                symbol=removed.qualified,
            )

    def _build(self, upgrade: Upgrade, project: ProjectModel) -> _Index:
        if self._index is None or self._index[0] is not upgrade:
            index = _Index(removed=removed_names(upgrade, project))
            for module in project.modules.values():
                found = list(_references(module, index.removed, project))
                if found:
                    index.references[module.name] = found
                    index.referenced.update(r.removed.qualified for r in found)
            self._index = (upgrade, index)
        return self._index[1]


def removed_names(upgrade: Upgrade, project: ProjectModel) -> dict[str, list[RemovedName]]:
    """Module -> the top-level names its base version binds at runtime and its new version lacks.

    A name still reachable in the new version (through a star import, a
    module ``__getattr__``, or as a submodule) is not removed.
    """
    found: dict[str, list[RemovedName]] = {}
    for name, status in sorted(upgrade.status.items()):
        old, new = upgrade.old(name), project.modules.get(name)
        if status != "changed" or old is None or new is None:
            continue
        gone = [
            RemovedName(name, binding_name, bindings[-1])
            for binding_name, bindings in old.bindings.items()
            if not bindings[-1].type_checking and _is_gone(new, binding_name, project)
        ]
        if gone:
            found[name] = gone
    return found


def _lingers(removed: RemovedName, reloader: Reloader) -> bool:
    """Whether the reloader leaves this removed name in the module's namespace:
    ``importlib.reload`` (and the runtime) every name; IPython's deduperreload deletes
    removed functions, imports and assignments but not classes; jurigged deletes removed
    functions and classes but not the names imports and assignments bound."""
    if reloader == "ipython":
        return removed.old.kind == "class"
    if reloader == "jurigged":
        return removed.old.kind not in ("function", "class")
    return True


def _reached_by(removed: RemovedName, new: ModuleSummary) -> str:
    if removed.name.startswith("_") or new.all_names is not None:
        return f"`{removed.qualified}` can"
    return f"`{removed.qualified}` and `from {removed.module} import *`"


def _may_be_stale(removed: RemovedName, project: ProjectModel) -> bool:
    """Whether the lingering object can be stale code: anything but an import of a module
    or of something outside the project (a leftover ``json`` or ``TYPE_CHECKING`` is harmless)."""
    if removed.old.kind != "import":
        return True
    return project.resolve(removed.old.target).kind not in ("module", "external")


def _is_gone(new: ModuleSummary, name: str, project: ProjectModel) -> bool:
    if name in new.bindings:
        return False
    return project.resolve(f"{new.name}.{name}").kind == "missing"


def _references(
    module: ModuleSummary, removed: dict[str, list[RemovedName]], project: ProjectModel
) -> Iterator[_Reference]:
    """References in ``module`` to a removed name: attribute chains, from-imports, star imports."""
    by_name = {r.qualified: r for names in removed.values() for r in names}
    for fact in module.imports:
        if fact.type_checking or fact.module not in removed:
            continue
        if fact.name == "*":
            yield from _star_references(fact.span, removed[fact.module], project)
        elif fact.name is not None and f"{fact.module}.{fact.name}" in by_name:
            yield _Reference(by_name[f"{fact.module}.{fact.name}"], fact.span, "from-import")
    for ref in module.module_refs:
        split = project.split(ref.qualified)
        if split is None or split[0] not in removed or not split[1]:
            continue
        target = by_name.get(f"{split[0]}.{split[1][0]}")
        if target is not None:
            yield _Reference(target, ref.span, "attribute")


def _star_references(
    span: Span, names: list[RemovedName], project: ProjectModel
) -> Iterator[_Reference]:
    """``from M import *`` copies every public name of M's namespace, unless the new M
    has ``__all__``."""
    for removed in names:
        new = project.modules[removed.module]
        if removed.name.startswith("_") or new.all_names is not None:
            continue
        yield _Reference(removed, span, "star-import")


def _reference_message(reference: _Reference) -> str:
    removed = reference.removed
    module, name = removed.module, removed.name
    lingering = f"a reload leaves the old {removed.what} in `{module}`'s namespace"
    if reference.how == "star-import":
        return (
            f"`from {module} import *` still copies `{name}`, which the new `{module}` no longer "
            f"defines: {lingering}, so this module gets stale code that a restart would not give "
            f"it — stop using `{name}` and restart"
        )
    if reference.how == "from-import":
        return (
            f"`{name}` is gone from the new `{module}`, but {lingering}, so this import still "
            "succeeds and binds the stale object until a restart makes it fail — import what "
            "replaced it"
        )
    return (
        f"`{removed.qualified}` is gone from the new `{module}`, but {lingering}, so this "
        "reference still reaches the stale object until a restart makes it fail — use what "
        "replaced it"
    )
