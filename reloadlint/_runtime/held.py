"""Live objects that still hold a class the upgrade replaced.

Re-pointing moves instances to their new class, and the stale-name check
looks at module namespaces; an object made before the upgrade can also hold
a *class* in its attributes: a middleware's ``{HTTPException: handler}``
table, a ``Middleware(cls=...)`` entry, an environment's ``undefined``
class. After the reload the new code raises, builds and compares the *new*
class, so such a table no longer matches (starlette 0.41.3 changed only an
annotation of ``HTTPException``, and every live application stopped turning
404s into responses). Each one is a problem of the report: the process is
not fully upgraded, and saying "complete" would overstate it.

Only what an instance holds is looked at: an attribute naming the old class,
or a dict attribute with the old class among its keys or values (one level
deep). Classes, modules and the runtime's own objects are left out: class
namespaces and module names have their own checks.
"""

from __future__ import annotations

import gc
import sys
import types
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from reloadlint._runtime.classes import Replacement

#: Modules whose objects are the runtime's own bookkeeping (they hold old classes on purpose).
_OURS = ("reloadlint.runtime", "reloadlint._runtime")
#: Objects that are code, not state: their attributes are annotations and wrappers.
_CODE = (
    type,
    types.ModuleType,
    types.FunctionType,
    types.FrameType,
    classmethod,
    staticmethod,
    property,
)
#: Modules of generic aliases and other annotations' objects.
_TYPING = ("typing", "typing_extensions", "types")


def held_old_classes(
    replacements: list[Replacement], snapshots: Iterable[dict[str, object]]
) -> list[str]:
    """One problem per (holder class, attribute, old class): instances made before the
    upgrade that still hold a replaced class in an attribute or a dict attribute."""
    old = {id(r.old): r for r in replacements}
    if not old:
        return []
    skip = {id(namespace) for namespace in snapshots}
    skip |= {id(vars(m)) for m in list(sys.modules.values()) if isinstance(m, types.ModuleType)}
    gc.collect()
    seen: set[tuple[int, str, str]] = set()
    found: Counter[tuple[str, str, str]] = Counter()
    for holder in gc.get_referrers(*(r.old for r in replacements)):
        if id(holder) in skip:
            continue
        for owner, attribute, replacement in _holding(holder, old):
            key = (id(owner), attribute, replacement.upgrade.name)
            if key not in seen:
                seen.add(key)
                found[(_type_name(owner), attribute, replacement.upgrade.name)] += 1
    return [
        f"{count} live {holder} object(s) still hold the old {name} in `{attribute}`: "
        "they were made before the upgrade and the new code uses the new class"
        for (holder, attribute, name), count in sorted(found.items())
    ]


def _holding(holder: object, old: dict[int, Replacement]) -> list[tuple[object, str, Replacement]]:
    """(instance, attribute, replaced class) for what ``holder`` (a referrer of an old
    class) makes an instance hold: its own attributes, or a dict that is the value of one
    of its attributes. (An instance's attributes live in the instance itself or in its
    ``__dict__``, depending on whether that was ever asked for.)"""
    if _is_instance(holder) and not isinstance(holder, dict):
        return _attributes(holder, lambda value: _old(value, old))
    if not isinstance(holder, dict):
        return []
    owners = [r for r in gc.get_referrers(holder) if _is_instance(r)]
    if any(getattr(owner, "__dict__", None) is holder for owner in owners):
        owner = next(o for o in owners if getattr(o, "__dict__", None) is holder)
        return _attributes(owner, lambda value: _old(value, old))
    inside = _old_in(holder, old)
    if not inside:
        return []
    candidates = [*owners]
    for referrer in gc.get_referrers(holder):
        if isinstance(referrer, dict):  # a materialised ``__dict__`` holding the dict
            candidates += [r for r in gc.get_referrers(referrer) if _is_instance(r)]
    found = []
    for owner in candidates:
        found += [
            (owner, attribute, r)
            for owner, attribute, _ in _attributes(owner, lambda value: value is holder)
            for r in inside
        ]
    return found


def _attributes(owner: object, wanted: Callable[[object], object]) -> list[tuple[object, str, Any]]:
    """The attributes of ``owner`` for which ``wanted`` finds something; dunder ones
    (``__annotations__``, ``__wrapped__``) describe code, they are not its state."""
    namespace = getattr(owner, "__dict__", None)
    if not isinstance(namespace, dict):
        return []
    return [
        (owner, str(key), hit)
        for key, value in list(namespace.items())
        if not (isinstance(key, str) and key.startswith("__") and key.endswith("__"))
        if (hit := wanted(value)) is not None and hit is not False
    ]


def _old(value: object, old: dict[int, Replacement]) -> Replacement | None:
    replacement = old.get(id(value))
    return replacement if replacement is not None and replacement.old is value else None


def _old_in(mapping: dict[object, object], old: dict[int, Replacement]) -> list[Replacement]:
    hits: dict[int, Replacement] = {}
    for key, value in list(mapping.items()):
        for item in (key, value):
            replacement = old.get(id(item))
            if replacement is not None and replacement.old is item:
                hits[id(item)] = replacement
    return list(hits.values())


def _is_instance(obj: object) -> bool:
    """A plain object of some program: not a class, module, function, runtime object or
    ``typing`` construct (``header_property[str]`` made while the old class body ran is
    cached by ``typing``; the new code makes its own)."""
    if isinstance(obj, _CODE):
        return False
    return not type(obj).__module__.startswith((*_OURS, *_TYPING))


def _type_name(obj: object) -> str:
    cls = type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"
