"""Classes around a reload: which ones it replaces, whether their live instances
can follow, re-pointing them and calling ``__code_change__``.

A reload makes every class of the module a new object; live instances keep the
old one. The runtime sets each instance's ``__class__`` to the new class (with
``object.__setattr__``, so a frozen dataclass or attrs class is re-pointed like
any other: its fields are not touched). Whether CPython allows that is
:mod:`.layout`'s question, asked in preflight.
"""

from __future__ import annotations

import enum
import gc
import types
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from reloadlint._runtime.report import ClassUpgrade, UpgradeReport


@dataclass
class Replacement:
    """A class replaced by a reload, with the live instances of its old version."""

    old: type
    new: type
    upgrade: ClassUpgrade
    instances: list[object] = field(default_factory=list)


def classes_of(module: types.ModuleType) -> dict[str, type]:
    """Classes ``module`` defines (nested ones too), by ``__qualname__``, in source order.

    A class bound under its own name wins over an alias: after a reload, an
    alias the new source no longer assigns still holds the old class.
    """
    found: dict[str, type] = {}
    pending = deque(_own_names_first(vars(module)))
    while pending:
        obj = pending.popleft()
        if (
            isinstance(obj, type)
            and getattr(obj, "__module__", None) == module.__name__
            and obj.__qualname__ not in found
        ):
            found[obj.__qualname__] = obj
            pending += _own_names_first(vars(obj))
    return found


def _own_names_first(namespace: Mapping[str, object]) -> list[object]:
    items = sorted(namespace.items(), key=lambda kv: not _is_bound_to_own_name(*kv))
    return [value for _key, value in items]


def _is_bound_to_own_name(key: str, value: object) -> bool:
    return isinstance(value, type) and value.__name__ == key


def keeps_its_class(cls: type) -> bool:
    """Enum members and classes (instances of a metaclass) are never re-pointed."""
    return issubclass(cls, (enum.Enum, type))


# -- before the point of no return -----------------------------------------------------


def count_instances(classes: set[type]) -> dict[type, int]:
    """How many live (reachable) instances of each class there are, by exact type.

    Instances of classes defined in Python are tracked by the garbage collector,
    so ``gc.get_objects()`` finds them wherever they are held.
    """
    gc.collect()
    counts: dict[type, int] = {}
    for obj in gc.get_objects():
        cls = type(obj)
        if cls in classes:
            counts[cls] = counts.get(cls, 0) + 1
    return counts


# -- after the point of no return ------------------------------------------------------


def replaced_classes(
    old_by_module: dict[str, dict[str, type]],
    modules: dict[str, types.ModuleType],
    report: UpgradeReport,
) -> list[Replacement]:
    """Every class of a reloaded module that the reload replaced, old and new."""
    replacements = []
    for name, old_classes in old_by_module.items():
        new_classes = classes_of(modules[name])
        for qualname, old in old_classes.items():
            new, full = new_classes.get(qualname), f"{name}.{qualname}"
            if new is None or new is old:
                continue
            if keeps_its_class(old):
                report.notes.append(f"{full}: enum members and classes keep their old class")
                continue
            vsns = (getattr(old, "__vsn__", None), getattr(new, "__vsn__", None))
            replacements.append(Replacement(old, new, ClassUpgrade(full, *vsns)))
    report.classes += [r.upgrade for r in replacements]
    return replacements


def repoint(replacements: list[Replacement], report: UpgradeReport) -> None:
    """Set ``__class__`` of every live instance of each old class to its new class."""
    gc.collect()  # garbage is not migrated
    by_old = {r.old: r for r in replacements}
    for obj in gc.get_objects():
        if (replacement := by_old.get(type(obj))) is not None:
            replacement.instances.append(obj)
    for r in replacements:
        done, refused = [], []
        for obj in r.instances:
            try:
                object.__setattr__(obj, "__class__", r.new)
                done.append(obj)
            except Exception as exc:  # "object layout differs": __slots__ changed
                refused.append(f"{type(exc).__name__}: {exc}")
        r.instances, r.upgrade.repointed, r.upgrade.not_repointed = done, len(done), len(refused)
        report.steps.append(f"re-pointed {len(done)} instance(s) of {r.upgrade.name}")
        if refused:
            report.problems.append(
                f"{len(refused)} instance(s) of {r.upgrade.name} keep the old class: {refused[0]}"
            )


def run_hooks(
    replacements: list[Replacement], extra: Any, report: UpgradeReport
) -> list[Exception]:
    """Call ``__code_change__`` where ``__vsn__`` changed; return the errors raised.

    Every instance is tried even after a failure: each one skipped would run
    the new methods on old state, and nothing can be undone anyway.
    """
    errors: list[Exception] = []
    for r, upgrade in ((r, r.upgrade) for r in replacements if r.instances):
        if not upgrade.vsn_changed:
            continue
        if not callable(getattr(r.new, "__code_change__", None)):
            report.problems.append(
                f"{upgrade.name}: __vsn__ changed but there is no "
                "__code_change__, instances keep their old state"
            )
            continue
        for obj in r.instances:
            try:
                obj.__code_change__(upgrade.old_vsn, extra)  # type: ignore[attr-defined]
                upgrade.migrated += 1
            except Exception as exc:
                upgrade.failed += 1
                upgrade.errors.append(repr(exc))
                errors.append(exc)
        report.steps.append(
            f"called __code_change__({upgrade.old_vsn!r}, extra) on {upgrade.hooks_called} "
            f"instance(s) of {upgrade.name}: {upgrade.migrated} migrated, {upgrade.failed} failed"
        )
    return errors


def hook_failures(report: UpgradeReport) -> str:
    return "; ".join(
        f"{u.name} (vsn {u.old_vsn!r} -> {u.new_vsn!r}): {u.failed} of {u.hooks_called} "
        f"instance(s) failed, {u.migrated} migrated; first error: {u.errors[0]}"
        for u in report.classes
        if u.failed
    )
