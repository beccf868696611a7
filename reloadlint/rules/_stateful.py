"""The RL2 vocabulary shared by RL201-RL204: *stateful classes* and *state shapes*.

docs/rules/RL201.md (stateful) and RL202.md (state shape) define them; this
module is the single implementation, so that the tree rules (RL201, RL204)
and the upgrade rules (RL202, RL203) agree on which classes carry state and
what that state is.

Public API (everything else is private):

- :func:`is_stateful` -- why a class is stateful (a reason to put in a
  message), or None.
- :func:`state_shape` -- the attribute names an instance of the class carries.
- :func:`state_set_after_init` -- which ``self`` attributes are assigned by
  methods other than the initialisers, and where (criterion (a));
  :func:`init_helpers` -- the private methods counted as initialisers;
  :func:`is_test_class`, :func:`never_repointed` -- classes that are never
  stateful (test cases; metaclasses and enums).
- :func:`stateful_base` -- the configured long-lived base a class derives
  from, and the first-party class it is reached through (criterion (b)).
- :func:`is_dataclass_like`, :func:`field_names` -- dataclass/attrs/record
  fields, also what RL204 needs to tell a ``__vsn__`` field from a class
  attribute.

All functions read only the module summary and the project model: nothing
here imports or executes analysed code.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reloadlint.summary.facts.class_kinds import (
    DATACLASS_DECORATORS,
    ENUM_BASES,
    KNOWN_EXTERNAL_BASES,
    METACLASS_BASES,
    RECORD_BASES,
    TEST_CASE_BASES,
)
from reloadlint.summary.model import MAX_INHERITANCE_DEPTH

if TYPE_CHECKING:
    from reloadlint.config import Settings
    from reloadlint.project import ProjectModel
    from reloadlint.summary.model import ClassFact, ModuleSummary

#: Methods that build an instance's state; assigning ``self.x`` there is the
#: state's *declaration*, not a change of a live object (criterion (a)).
INIT_METHODS = frozenset({"__init__", "__new__", "__post_init__", "__setstate__"})

#: unittest/pytest fixture methods: a class defining one is a test (or a test
#: mixin), whose instances never outlive a test run.
TEST_FIXTURE_METHODS = frozenset(
    {"setUp", "tearDown", "asyncSetUp", "asyncTearDown", "setup_method", "teardown_method"}
)

#: ``__slots__`` entries that are not state (they enable a feature).
_SLOT_FEATURES = frozenset({"__dict__", "__weakref__"})


@dataclass(frozen=True, slots=True)
class Ancestor:
    """A base class reached from a class: its qualified name, and the direct
    first-party base it was reached through (None when it is a direct base)."""

    name: str
    via: str | None


# ---------------------------------------------------------------- stateful


def is_stateful(
    project: ProjectModel, module: ModuleSummary, cls: ClassFact, settings: Settings
) -> str | None:
    """Why ``cls`` (defined in ``module``) is a stateful class, or None if it is not.

    The reason is a phrase for a message, e.g. "sets `self.count` in `tick()`",
    "derives from `threading.Thread` through `app.base.Worker`" or "declares
    `__vsn__`". Tried in order: (a) ``self`` attributes assigned outside the
    initialisers, (b) a configured ``stateful-bases`` entry among its ancestors
    (the two criteria of docs/rules/RL201.md), (c) an existing ``__vsn__``.

    Only classes of reloadable modules are stateful (nothing else is ever
    upgraded). Metaclasses and enums are not, unless they declare ``__vsn__``:
    their instances are classes and enum members, which no class-patching
    reloader (nor reloadlint's runtime) re-points at a new class, so a version
    number on them would promise a migration that never happens. Neither are
    test cases and test mixins (:func:`is_test_class`), whose instances never
    outlive a test run.

    Beyond the initialisers RL201 lists, private helpers that only
    initialisers call (:func:`init_helpers`) also declare state rather than
    change it.
    """
    if not project.is_reloadable(module.name):
        return None
    if cls.has_vsn:
        return "declares `__vsn__`"
    if never_repointed(project, module, cls) or is_test_class(project, module, cls):
        return None
    setters = state_set_after_init(cls)
    if setters:
        return _setters_phrase(setters)
    found = stateful_base(project, module, cls, settings.stateful_bases)
    if found is not None:
        through = f" through `{found.via}`" if found.via else ""
        return f"derives from `{found.name}`{through}"
    return None


def state_set_after_init(cls: ClassFact) -> dict[str, list[str]]:
    """``self`` attributes assigned in methods other than the initialisers
    (:data:`INIT_METHODS` and :func:`init_helpers`),
    each with those methods, in source order (criterion (a)).

    Static and class methods (also the implicit ones, ``__init_subclass__``
    and ``__class_getitem__``) never count: what they assign is class state.
    """
    initialisers = INIT_METHODS | init_helpers(cls)
    found: dict[str, list[str]] = {}
    for attr, methods in cls.self_attrs.items():
        outside = [m for m in methods if m not in initialisers]
        if outside:
            found[attr] = outside
    return found


def init_helpers(cls: ClassFact) -> frozenset[str]:
    """Private methods (``_build()``) that only initialisers call, as ``self._build()``.

    ``__init__`` often delegates to such helpers; what they assign is still
    the state's declaration. Public methods never count, even when only
    ``__init__`` calls them here (``self.reset()`` is usually also called by
    users later), and neither does a helper that any other method calls.
    """
    helpers: set[str] = set()
    changed = True
    while changed:
        changed = False
        for method, callers in cls.self_calls.items():
            if method in helpers or not _is_private(method) or method not in cls.methods:
                continue
            if callers and all(c in INIT_METHODS or c in helpers for c in callers):
                helpers.add(method)
                changed = True
    return frozenset(helpers)


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__")


def stateful_base(
    project: ProjectModel, module: ModuleSummary, cls: ClassFact, bases: Iterable[str]
) -> Ancestor | None:
    """The first of ``bases`` (qualified names, e.g. ``threading.Thread``) that
    ``cls`` derives from, directly or through first-party classes (criterion (b)).

    A base imported from the standard library or a third-party package counts
    by its qualified name (``from threading import Thread`` is
    ``threading.Thread``); well-known standard-library subclasses and aliases
    are followed too (``http.server.HTTPServer`` is a
    ``socketserver.BaseServer``). A configured base that is itself a
    first-party class matches wherever it is re-exported from.
    """
    wanted = _canonical_names(project, bases)
    for ancestor in ancestors(project, module, cls):
        if ancestor.name in wanted:
            return Ancestor(wanted[ancestor.name], ancestor.via)
    return None


def ancestors(project: ProjectModel, module: ModuleSummary, cls: ClassFact) -> Iterator[Ancestor]:
    """Every ancestor of ``cls``, breadth first, each once.

    First-party classes are named ``module.Class`` (where they are defined, not
    where they were imported from) and followed to their own bases; external
    ones are named as imported and followed through :data:`KNOWN_EXTERNAL_BASES`.
    """
    seen: set[str] = set()
    queue: deque[tuple[str, str | None]] = deque((base, None) for base in cls.bases if base)
    while queue and len(seen) < MAX_INHERITANCE_DEPTH:  # see its comment: linear time
        base, via = queue.popleft()
        resolved = project.resolve(base)
        name = f"{resolved.module}.{resolved.name}" if resolved.kind == "class" else base
        if name in seen:
            continue
        seen.add(name)
        yield Ancestor(name, via)
        parent = project.class_fact(name) if resolved.kind == "class" else None
        through = via or name
        if parent is not None:
            queue.extend((grand, through) for grand in parent.bases if grand)
        queue.extend((known, through) for known in KNOWN_EXTERNAL_BASES.get(name, ()))


def _canonical_names(project: ProjectModel, bases: Iterable[str]) -> dict[str, str]:
    """Each configured base under the names an ancestor walk can meet it by -> as configured.

    Memoised per project (the same few sets, enum and metaclass bases, test
    cases, stateful bases, are asked for every class), touches included.
    """
    key = tuple(bases)
    return project.memo(("canonical-bases", key), lambda: _canonical_names_uncached(project, key))


def _canonical_names_uncached(project: ProjectModel, bases: Iterable[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for base in bases:
        names.setdefault(base, base)
        resolved = project.resolve(base)
        if resolved.kind == "class":
            names.setdefault(f"{resolved.module}.{resolved.name}", base)
    return names


def is_test_class(project: ProjectModel, module: ModuleSummary, cls: ClassFact) -> bool:
    """A ``unittest``/Django test case, or a class defining a fixture method
    (``setUp``, ``tearDown``, pytest's ``setup_method``...): a test mixin."""
    if TEST_FIXTURE_METHODS.intersection(cls.methods):
        return True
    cases = _canonical_names(project, TEST_CASE_BASES)
    return any(a.name in cases for a in ancestors(project, module, cls))


def never_repointed(project: ProjectModel, module: ModuleSummary, cls: ClassFact) -> bool:
    """Metaclasses and enums: their instances keep their class across any reload."""
    skip = _canonical_names(project, METACLASS_BASES | ENUM_BASES)
    return any(a.name in skip for a in ancestors(project, module, cls))


def _setters_phrase(setters: dict[str, list[str]], limit: int = 3) -> str:
    shown = list(setters.items())[:limit]
    parts = [f"`self.{attr}` in `{methods[0]}()`" for attr, methods in shown]
    more = len(setters) - len(shown)
    return "sets " + ", ".join(parts) + (f" and {more} more attribute(s)" if more else "")


# ---------------------------------------------------------------- state shape


def state_shape(project: ProjectModel, module: ModuleSummary, cls: ClassFact) -> frozenset[str]:
    """The attribute names an instance of ``cls`` carries (its own definition only).

    The union of ``self`` attributes assigned in any method (initialisers
    included), dataclass/attrs fields, ``__slots__`` entries (not
    ``__dict__``/``__weakref__``) and ``NamedTuple``/``TypedDict`` fields.
    Inherited state is the base class's own shape: comparing each class's
    shape separately reports a change once, at the class that made it.
    """
    names = set(cls.self_attrs)
    names.update(field_names(project, module, cls))
    names.update(slot for slot in cls.slots if slot not in _SLOT_FEATURES)
    return frozenset(names)


def field_names(project: ProjectModel, module: ModuleSummary, cls: ClassFact) -> frozenset[str]:
    """Names the class body declares as fields.

    In a class decorated with a dataclass/attrs decorator: annotated names
    that are not ``ClassVar``, and names bound to ``attr.ib()``/``attrs.field()``.
    In a ``NamedTuple``/``TypedDict`` (or pydantic model), directly or through
    first-party classes: annotated names that are not ``ClassVar``.

    Limitation: ``@attr.s`` without ``auto_attribs=True`` makes only
    ``attr.ib()`` names fields; its annotated names are counted too.
    """
    annotated = {name for name, is_classvar in cls.annotated.items() if not is_classvar}
    if is_dataclass_like(cls):
        return frozenset(annotated | set(cls.field_calls))
    if is_record(project, module, cls):
        return frozenset(annotated)
    return frozenset()


def is_dataclass_like(cls: ClassFact) -> bool:
    """Whether a dataclass or attrs decorator turns the class body's annotations into fields."""
    return any(decorator in DATACLASS_DECORATORS for decorator in cls.decorators)


def is_record(project: ProjectModel, module: ModuleSummary, cls: ClassFact) -> bool:
    """Whether ``cls`` is a ``NamedTuple``/``TypedDict``/pydantic model (annotations are fields)."""
    return any(a.name in RECORD_BASES for a in ancestors(project, module, cls))
