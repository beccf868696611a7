"""Can a live instance follow its class to the new version? CPython's verdict, asked early.

CPython allows ``obj.__class__ = New`` only when the two classes' object
layouts match, a rule with corners: different ``__slots__`` never match (nor
do slots made by ``@dataclass(slots=True)`` or attrs from changed fields); a
``__weakref__`` slot next to other slots never matches (every attrs
``@define`` class on CPython 3.11); a subclass of ``int``, ``tuple`` or
``bytes`` with a ``__dict__`` matches nothing; a new base can change the
layout (``class Headers:`` becoming ``class Headers(MutableMapping)``); and a
class that adds slots or a ``__dict__`` on top of a base must keep the very
same base object, so a subclass whose base the upgrade replaces cannot follow.

Rather than restate the rule, :class:`Layouts` builds stand-in classes with
the old and the new layouts (each class's own ``__slots__`` over its layout
base, rebuilt from built-in types so that no code of the project runs:
no metaclass, no ``__init_subclass__``), gives an object of the old stand-in
the new one as its class, and reports what CPython says. Classes the upgrade
keeps are one stand-in shared by both chains; classes it replaces get one
for their old layout and one for the layout the new source gives them.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

from reloadlint._runtime.source import ClassShape

_HEAPTYPE = 1 << 9

#: ``(module, name)`` -> the object a base of a new class names now ("" is the class's module)
Resolver = Callable[[str, str], object]


class _Unknown(Exception):
    """The new layout cannot be told from the new source."""


@dataclass
class Layouts:
    """The classes an upgrade replaces (old class -> its new shape and a resolver for its
    bases), and the stand-ins built for them so far."""

    shapes: dict[type, tuple[ClassShape, Resolver]]
    kept: dict[type, type] = field(default_factory=dict)
    old: dict[type, type] = field(default_factory=dict)
    new: dict[type, type] = field(default_factory=dict)
    new_base: dict[type, type] = field(default_factory=dict)  # the layout base chosen

    def blocker(self, cls: type) -> str | None:
        """Why live instances of the replaced class ``cls`` cannot follow it (None: they can)."""
        try:
            after = self.new_stand_in(cls)
            before = self.old_stand_in(cls)
            stand_in = _root(cls).__new__(before)  # type: ignore[call-overload]
        except _Unknown as exc:
            return str(exc)
        except Exception:  # a base that cannot be rebuilt or instantiated: cannot tell
            return None
        try:
            object.__setattr__(stand_in, "__class__", after)
        except TypeError as exc:
            return self._explain(cls, str(exc).replace("__class__ assignment: ", ""))
        return None

    def old_stand_in(self, cls: type) -> type:
        """A stand-in with ``cls``'s layout before the upgrade."""
        if not cls.__flags__ & _HEAPTYPE or cls.__base__ is None:
            return cls
        memo = self.old if cls in self.shapes else self.kept
        if cls not in memo:
            parent = self.old_stand_in(cls.__base__)
            memo[cls] = type.__new__(type, cls.__name__, (parent,), _namespace(own_slots(cls)))
        return memo[cls]

    def new_stand_in(self, cls: type) -> type:
        """A stand-in with ``cls``'s layout after the upgrade (its new version's, if replaced)."""
        if cls not in self.shapes:
            return self.old_stand_in(cls)
        if cls not in self.new:
            self.new[cls] = cls  # a base that names the class itself: no recursion
            shape, resolve = self.shapes[cls]
            slots = new_slots(cls, shape)
            base = self._layout_base(cls, shape, resolve)
            self.new_base[cls] = base
            parent = self.new_stand_in(base)
            self.new[cls] = type.__new__(type, cls.__name__, (parent,), _namespace(slots))
        return self.new[cls]

    def _layout_base(self, cls: type, shape: ClassShape, resolve: Resolver) -> type:
        """The base that decides the new layout: the one with the largest instances
        (CPython's "best base"); the old one when a base cannot be resolved."""
        found = [_mro_entry(resolve(*base)) if base is not None else None for base in shape.bases]
        bases = [b for b in found if isinstance(b, type) and b is not cls]
        if not found:
            return object
        if len(bases) < len(found):
            return cls.__base__ or object
        sizes = [self.new_stand_in(b).__basicsize__ for b in bases]
        return bases[sizes.index(max(sizes))]

    def _explain(self, cls: type, refused: str) -> str:
        shape = self.shapes[cls][0]
        own, new = own_slots(cls), new_slots(cls, shape)
        if set(own or ()) != set(new or ()) or (own is None) != (new is None):
            return f"its `__slots__` change from {_names(own)} to {_names(new)}: {refused}"
        base = self.new_base.get(cls, cls.__base__)
        if base is not cls.__base__ and base is not None and cls.__base__ is not None:
            return f"its layout base changes from {_name(cls.__base__)} to {_name(base)}: {refused}"
        under = next((b for b in _chain(cls) if b in self.shapes), None)
        if under is not None:
            return (
                f"its own layout ({_names(own)}) sits on {_name(under)}, which the upgrade "
                f"replaces (or whose layout changes), and CPython wants the same base object "
                f"under both classes ({refused})"
            )
        return f"CPython cannot change the class of its instances ({refused})"


def new_slots(cls: type, shape: ClassShape) -> tuple[str, ...] | None:
    """The own ``__slots__`` the new source gives ``cls`` (None: none, a ``__dict__``)."""
    if shape.computed:
        raise _Unknown(
            "the new source computes `__slots__`, so the layout of the new class is unknown"
        )
    if not shape.made_by:
        return shape.slots
    fields = _own_fields(cls)
    own = own_slots(cls)
    if fields is None:
        raise _Unknown(
            f"the new class gets `__slots__` from its @{shape.made_by} decorator, the old one "
            "is not such a class: the object layout differs"
        )
    kept = [s for s in own or () if s not in fields]
    if own is None and shape.made_by == "attrs":
        kept.append("__weakref__")
    return (*shape.fields, *kept)


def own_slots(cls: type) -> tuple[str, ...] | None:
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


def _mro_entry(base: object) -> object:
    """What a class statement puts in the bases for ``base`` (``Generic[T]`` is ``Generic``)."""
    origin = getattr(base, "__origin__", None)
    return origin if isinstance(origin, type) and not isinstance(base, type) else base


def _chain(cls: type) -> list[type]:
    """The layout bases of ``cls`` (``__base__`` after ``__base__``), built-in ones excluded."""
    found = []
    base = cls.__base__
    while base is not None and base.__flags__ & _HEAPTYPE:
        found.append(base)
        base = base.__base__
    return found


def _root(cls: type) -> type:
    while cls.__flags__ & _HEAPTYPE and cls.__base__ is not None:
        cls = cls.__base__
    return cls


def _namespace(slots: tuple[str, ...] | None) -> dict[str, object]:
    return {} if slots is None else {"__slots__": slots}


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _names(names: tuple[str, ...] | None) -> str:
    if names is None:
        return "none (a `__dict__`)"
    return "(" + ", ".join(names) + ")"
