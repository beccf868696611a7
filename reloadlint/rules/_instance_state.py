"""What a live instance carries, across a class hierarchy: RL202's comparison.

:func:`~reloadlint.rules._stateful.state_shape` is one class's own
declaration. A live instance carries the union over its class and its
first-party ancestors (:func:`effective_shape`), and finds on its class what
no instance attribute shadows (:func:`has_class_default`). Comparing those
between the two versions is what tells whether the new methods can run on an
old instance:

- an attribute that moved between a base class and a subclass is still on
  every old instance;
- an attribute with a class-level default is found on the new class by an
  old instance that lacks it;
- an attribute that is gone leaves old instances with a superset of what the
  new methods read;
- a changed ``__slots__`` declaration changes the layout, and an old
  instance cannot be re-pointed at the new class at all (:func:`layout`);
- state can also sit in dict keys: a class-level dict of defaults copied into
  each instance (``self.config = dict(self.default_config)``) gives old
  instances the old keys, and new code reading ``self.config["NEW"]`` raises
  KeyError (:func:`seeded_keys`);
- an attribute only the old instances lack matters only if new code reads
  it (:func:`read_by_new_code`): rich 13.9 gave ``Spinner`` a ``name`` that
  nothing in rich reads.

Summaries and the project model only: nothing here executes analysed code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reloadlint.project import project_index
from reloadlint.rules._stateful import ancestors, is_dataclass_like, is_record, state_shape

if TYPE_CHECKING:
    from reloadlint.project import ProjectModel
    from reloadlint.summary.model import ClassFact, ModuleSummary
    from reloadlint.upgrade import Upgrade

#: Decorators whose fields keep their plain default as a class attribute (attrs
#: deletes them; ``field(...)`` defaults are not plain).
_KEEPS_DEFAULTS = frozenset({"dataclasses.dataclass", "pydantic.dataclasses.dataclass"})


@dataclass(frozen=True)
class Member:
    """A class of the hierarchy, with the module it is defined in."""

    module: ModuleSummary
    cls: ClassFact

    @property
    def name(self) -> str:
        return f"{self.module.name}.{self.cls.qualname}"


def hierarchy(project: ProjectModel, module: ModuleSummary, cls: ClassFact) -> Iterator[Member]:
    """``cls`` and then its first-party ancestors (breadth first, each once)."""
    yield Member(module, cls)
    for ancestor in ancestors(project, module, cls):
        fact = project.class_fact(ancestor.name)
        resolved = project.resolve(ancestor.name)
        if fact is not None and resolved.module in project.modules:
            yield Member(project.modules[resolved.module], fact)


def effective_shape(project: ProjectModel, module: ModuleSummary, cls: ClassFact) -> set[str]:
    """The attribute names an instance of ``cls`` carries: its own and its ancestors'."""
    names: set[str] = set()
    for member in hierarchy(project, module, cls):
        names |= state_shape(project, member.module, member.cls)
    return names


def has_class_default(
    project: ProjectModel, module: ModuleSummary, cls: ClassFact, name: str
) -> bool:
    """Whether an instance without attribute ``name`` finds a value on its class.

    A plain class-body assignment (annotated or not) anywhere in the hierarchy
    is one; a dataclass field's plain default is too (the decorator leaves it
    on the class); an attrs field, a ``field(...)`` call, a bare annotation and
    a ``__slots__`` entry are not.
    """
    for member in hierarchy(project, module, cls):
        fact = member.cls
        if name not in fact.body_names or name in fact.methods or name in fact.slots:
            continue
        if name in fact.annotated_only or name in fact.field_calls:
            continue
        if is_dataclass_like(fact) and not _KEEPS_DEFAULTS.intersection(fact.decorators):
            continue
        return True
    return False


def layout(cls: ClassFact) -> tuple[bool, frozenset[str]]:
    """Whether the class body declares ``__slots__``, and which."""
    return "__slots__" in cls.body_names, frozenset(cls.slots)


def layout_phrase(old: ClassFact, new: ClassFact) -> str | None:
    """How the instance layout changed (``__slots__``), or None."""
    (had, before), (has, after) = layout(old), layout(new)
    if (had, before) == (has, after):
        return None
    if not had:
        return "`__slots__` added"
    if not has:
        return "`__slots__` removed"
    changes = [f"`{n}` added" for n in sorted(after - before)]
    changes += [f"`{n}` removed" for n in sorted(before - after)]
    return "`__slots__` changed (" + ", ".join(changes) + ")"


@dataclass(frozen=True)
class SeededKeys:
    """Keys new code reads from an instance attribute copied from a class-level dict."""

    defaults: str  # the class-level dict (``default_config``)
    attribute: str  # the instance attribute made from it (``config``)
    keys: tuple[str, ...]  # keys read as ``self.config["KEY"]``


def seeded_keys(project: ProjectModel, module: ModuleSummary, cls: ClassFact) -> list[SeededKeys]:
    """For each class-level dict of ``cls``'s own body: the instance attributes seeded
    from it and the literal keys the hierarchy's methods read from them.

    An attribute is seeded from dict ``D`` when a method that assigns
    ``self.attribute`` reads ``self.D``, directly or through ``self.helper()``
    calls (``self.config = self.make_config()``, where ``make_config`` copies
    ``self.default_config``). The whole first-party hierarchy counts: the
    dict may be defined in a subclass and copied by its base's ``__init__``.
    """
    members = list(hierarchy(project, module, cls))
    reads: dict[str, set[str]] = {}  # method -> class-level attributes it reads
    calls: dict[str, set[str]] = {}  # method -> self methods it calls
    assigns: dict[str, set[str]] = {}  # method -> self attributes it assigns
    keys: dict[str, set[str]] = {}  # attribute -> literal keys read
    for member in members:
        fact = member.cls
        for attribute, methods in fact.self_reads.items():
            for method in methods:
                reads.setdefault(method, set()).add(attribute)
        for callee, callers in fact.self_calls.items():
            for caller in callers:
                calls.setdefault(caller.removesuffix(".<nested>"), set()).add(callee)
        for attribute, methods in fact.self_attrs.items():
            for method in methods:
                assigns.setdefault(method, set()).add(attribute)
        for attribute, read in fact.key_reads.items():
            keys.setdefault(attribute, set()).update(read)
    found = []
    for defaults in cls.dict_defaults:
        seeders = [m for m in assigns if defaults in _reads_through(m, reads, calls)]
        for attribute in sorted({a for m in seeders for a in assigns[m]}):
            if keys.get(attribute):
                found.append(SeededKeys(defaults, attribute, tuple(sorted(keys[attribute]))))
    return found


def _reads_through(method: str, reads: dict[str, set[str]], calls: dict[str, set[str]]) -> set[str]:
    """Class-level attributes ``method`` reads, itself or through the methods it calls."""
    seen, pending, found = {method}, [method], set()
    while pending:
        current = pending.pop()
        found |= reads.get(current, set())
        for callee in calls.get(current, ()):
            if callee not in seen:
                seen.add(callee)
                pending.append(callee)
    return found


_READS = "attribute-reads"


def _merge_reads(
    parts: dict[str, tuple[tuple[str, tuple[str, ...]], ...]],
) -> dict[str, tuple[tuple[str, str], ...]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for module, reads in parts.items():
        for name, where in reads:
            found.setdefault(name, []).extend((module, w) for w in where)
    return {name: tuple(sorted(places)) for name, places in found.items()}


@project_index(_READS, _merge_reads)  # type: ignore[arg-type]
def _reads(
    project: ProjectModel, summary: ModuleSummary
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((name, tuple(where)) for name, where in summary.attribute_reads.items())


def read_by_new_code(
    project: ProjectModel, upgrade: Upgrade, module: ModuleSummary, cls: ClassFact, name: str
) -> bool:
    """Whether a definition the upgrade changed or added may read attribute ``name`` of
    an instance of ``cls``: one that loads ``x.name`` (or ``getattr(x, "name")``;
    module-level code counts when its module changed) in a module that knows the class
    (its own, or one that imports it or its module). Code the upgrade left as it was
    could not have read it on the old instances, which never had it; code the plan
    leaves out (tests) never meets them; and code that reads ``frame.name`` without
    knowing the class is reading something else (rich 13.9's ``Spinner.name``). A
    dataclass, attrs class or record reads every field in its generated methods."""
    if is_dataclass_like(cls) or is_record(project, module, cls):
        return True  # the generated ``__repr__``, ``__eq__``, ``astuple()``... read every field
    for reader, where in project.index(_READS).get(name, ()):
        summary = project.summary(reader)
        old = upgrade.old(reader)
        if old is None:
            changed = True
        elif not where:
            changed = old.fingerprint != summary.fingerprint
        else:
            changed = old.def_fingerprints.get(where) != summary.def_fingerprints.get(where)
        if not changed or not _knows(project, summary, module.name, cls):
            continue
        if not upgrade.plan_excluded(upgrade.repo_path(summary.path)):
            return True
    return False


def _knows(project: ProjectModel, reader: ModuleSummary, module: str, cls: ClassFact) -> bool:
    """Whether ``reader`` is ``module`` or imports the class or its module (by any path)."""
    if reader.name == module:
        return True
    qualified = f"{module}.{cls.qualname}"
    for fact in reader.imports:
        if fact.module == module or fact.target in (module, qualified):
            return True
        if fact.name == cls.name:
            found = project.resolve(fact.target)
            if (found.module, found.name) == (module, cls.qualname):
                return True
    return any(ref.qualified.startswith(module + ".") for ref in reader.module_refs)
