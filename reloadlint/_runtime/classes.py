"""Classes around a reload: which ones it replaces, whether their live instances
can follow, re-pointing them and calling ``__code_change__``.

A reload makes every class of the module a new object; live instances keep the
old one. The runtime sets each instance's ``__class__`` to the new class (with
``object.__setattr__``, so a frozen dataclass or attrs class is re-pointed like
any other: its fields are not touched). CPython refuses that when the two
classes' object layouts differ: different ``__slots__`` (written in the body,
or made by ``@dataclass(slots=True)`` or attrs from the fields), or a subclass
of a variable-size built-in (``int``, ``tuple``, ``bytes``) whose instances
have a ``__dict__``. :func:`layout_blocker` predicts that from the old class
and the new source, so that preflight refuses a plan that would leave live
instances behind instead of finding out after the point of no return.
"""

from __future__ import annotations

import dataclasses
import enum
import gc
import inspect
import types
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reloadlint._runtime.report import ClassUpgrade, UpgradeReport
from reloadlint._runtime.source import ClassShape


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


def layout_blocker(
    old: type,
    shape: ClassShape,
    resolve: Callable[[str, str], object],
    replaced: frozenset[type] = frozenset(),
) -> str | None:
    """Why live instances of ``old`` cannot be re-pointed at the class ``shape`` describes.

    ``resolve(module, name)`` is the object a base of the new class names now
    (the old class when the upgrade replaces it: its own layout is checked too);
    ``replaced``: the classes the upgrade replaces. A class whose own layout
    level (slots, a ``__dict__``) sits on a replaced base cannot follow: CPython
    wants the same base object under both.

    CPython allows a ``__class__`` assignment between two classes whose object
    layouts match, a rule with corners (a ``__weakref__`` slot next to other
    slots never matches; a subclass of ``int`` with a ``__dict__`` matches
    nothing). Rather than restate it, the answer comes from CPython itself: two
    stand-in classes get the old and the new layout (the same chain of bases,
    rebuilt from built-in types so that no code of the project runs), and an
    object of the first is given the second as its class.
    """
    own = _own_slots(old)
    if shape.computed:
        return "the new source computes `__slots__`, so the layout of the new class is unknown"
    if shape.made_by:
        fields = _own_fields(old)
        if fields is None:
            return (
                f"the new class gets `__slots__` from its @{shape.made_by} decorator, "
                "the old one is not such a class: the object layout differs"
            )
        kept = [s for s in own or () if s not in fields]
        if own is None and shape.made_by == "attrs":
            kept.append("__weakref__")
        new: tuple[str, ...] | None = (*shape.fields, *kept)
    else:
        new = shape.slots
    base = _new_base(old, shape, resolve)
    refused = _probe(old, own, new, base, replaced)
    if refused is None:
        return None
    if set(own or ()) != set(new or ()) or (own is None) != (new is None):
        return f"its `__slots__` change from {_names(own)} to {_names(new)}: {refused}"
    if _probe(old, own, new, base, frozenset()) is None:
        under = next(b for b in old.__mro__[1:] if b in replaced)
        return (
            f"its own layout ({_names(own)}) sits on {under.__module__}.{under.__qualname__}, "
            f"which the upgrade replaces, and CPython wants the same base under both classes "
            f"({refused})"
        )
    return f"CPython cannot change the class of its instances ({refused})"


def _new_base(old: type, shape: ClassShape, resolve: Callable[[str, str], object]) -> type:
    """The base that decides the new class's layout: the one with the largest instances
    (CPython's "best base"), or the old class's when a base cannot be resolved."""
    found = [_mro_entry(resolve(*base)) if base is not None else None for base in shape.bases]
    bases = [b for b in found if isinstance(b, type)]
    if not found:
        return object
    if len(bases) < len(found):
        return old.__base__ or object
    return max(bases, key=lambda b: (b.__basicsize__, -bases.index(b)))


def _mro_entry(base: object) -> object:
    """What a class statement puts in the bases for ``base`` (``Generic[T]`` is ``Generic``)."""
    origin = getattr(base, "__origin__", None)
    return origin if isinstance(origin, type) and not isinstance(base, type) else base


def _probe(
    old: type,
    own: tuple[str, ...] | None,
    new: tuple[str, ...] | None,
    new_base: type,
    replaced: frozenset[type],
) -> str | None:
    """CPython's verdict on re-pointing an object of ``old``'s layout at the new one.

    The stand-in chains share the bases the upgrade keeps and get distinct
    stand-ins for the ones it replaces, as the real classes will.
    """
    base = old.__base__
    if base is None:  # ``object`` itself
        return None
    kept: dict[type, type] = {}
    try:
        root, parent = _rebuilt(base, replaced, kept)
        new_parent = _rebuilt(new_base, replaced, kept)[1]
        before = type.__new__(type, old.__name__, (parent,), _namespace(own))
        after = type.__new__(type, old.__name__, (new_parent,), _namespace(new))
        stand_in = root.__new__(before)  # type: ignore[call-overload]
    except Exception:  # a base that cannot be rebuilt or instantiated: cannot tell
        return None
    try:
        object.__setattr__(stand_in, "__class__", after)
    except TypeError as exc:
        return str(exc).replace("__class__ assignment: ", "")
    return None


_HEAPTYPE = 1 << 9


def _rebuilt(cls: type, replaced: frozenset[type], kept: dict[type, type]) -> tuple[type, type]:
    """The built-in root of ``cls``'s layout chain, and a stand-in for ``cls`` built on it
    (one per kept class, a new one each time for a replaced class)."""
    if not cls.__flags__ & _HEAPTYPE:
        return cls, cls
    if cls in kept:
        return _root(cls), kept[cls]
    base = cls.__base__
    assert base is not None  # a class made by Python code always has a base
    root, parent = _rebuilt(base, replaced, kept)
    stand_in = type.__new__(type, cls.__name__, (parent,), _namespace(_own_slots(cls)))
    if cls not in replaced:
        kept[cls] = stand_in
    return root, stand_in


def _root(cls: type) -> type:
    while cls.__flags__ & _HEAPTYPE and cls.__base__ is not None:
        cls = cls.__base__
    return cls


def _namespace(slots: tuple[str, ...] | None) -> dict[str, object]:
    return {} if slots is None else {"__slots__": slots}


def _own_slots(cls: type) -> tuple[str, ...] | None:
    slots = cls.__dict__.get("__slots__")
    if slots is None:
        return None
    return (slots,) if isinstance(slots, str) else tuple(slots)


def _own_fields(cls: type) -> tuple[str, ...] | None:
    """The fields a dataclass or attrs class declares itself (not inherited)."""
    if dataclasses.is_dataclass(cls):
        own = inspect.get_annotations(cls)
        return tuple(f.name for f in dataclasses.fields(cls) if f.name in own)
    attributes = cls.__dict__.get("__attrs_attrs__")
    if attributes is not None:
        return tuple(a.name for a in attributes if not getattr(a, "inherited", False))
    return None


def _names(names: tuple[str, ...] | None) -> str:
    if names is None:
        return "none (a `__dict__`)"
    return "(" + ", ".join(names) + ")"


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
