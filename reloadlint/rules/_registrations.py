"""Registrations through first-party functions: ``@register`` and ``@handler("tag")``.

A *registrar* is a first-party function that puts what it is given, as it
is, into a module-level container (``REGISTRY.append(func)``; not
``CODES.add(func.__code__)``, a set that is only asked about membership), itself or through the
function it returns (a decorator factory: ``def handler(tag): def deco(f):
HANDLERS[tag] = f``). Decorating a definition with one at import time
registers it again on every reload of the decorated module:

- a registry that *adds* (``append``, ``add``, ``setdefault(...).append``)
  keeps the old function next to the new one, and both run (RL402);
- a registry that *replaces* by key (``HANDLERS[tag] = f``) swaps the entry
  for the new function, which is what a reload wants; but a registered
  function that the new version removed or renamed is never replaced: it is
  still registered, and still runs (the plan names it).

A container nothing reads (a private set the registrar only adds to, named by
no other module: sqlalchemy's ``_logged_classes``) is no registry: what
piles up in it is never looked at.

When the registry lives in the decorated module itself, a reload rebinds it
empty and re-registers everything: consistent, unless the registry is
reload-guarded (``if "REGISTRY" not in globals():``), which keeps the old
entries.

Summaries and the project model only: nothing here executes analysed code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reloadlint.rules._state_readers import harmless, readers

if TYPE_CHECKING:
    from reloadlint.project import ProjectModel
    from reloadlint.summary.model import Decoration, ModuleSummary, Mutation

#: Containers that hold their entries weakly: a registration there of a function the
#: reload replaces dies with the old function (``weakref.WeakSet()``).
_WEAK_CONTAINERS = frozenset({"WeakSet", "WeakValueDictionary", "WeakKeyDictionary"})
#: Methods that put an entry in place of the one under the same key (as ``X[k] = v`` does).
REPLACING_METHODS = frozenset({"update"})
#: Methods that take entries out (as ``del X[k]`` does): not a registration.
REMOVING_METHODS = frozenset({"pop", "popitem", "remove", "discard", "clear"})


def describe_mutation(how: str, method: str) -> str:
    """A mutation (:attr:`~reloadlint.summary.model.Mutation.how`), as messages say it."""
    if how == "method":
        return f"`.{method}()`"
    return {"item": "item assignment", "del-item": "del item"}.get(how, how)


def removes(mutation: Mutation) -> bool:
    return mutation.how == "del-item" or (
        mutation.how == "method" and mutation.method in REMOVING_METHODS
    )


@dataclass(frozen=True)
class Registrar:
    """A first-party function that registers what it decorates."""

    function: str  # module.function
    registry: str  # module.NAME of the container
    how: str  # the mutation (Mutation.how): "method" (``REG.append(f)``), "item" (``REG[k] = f``)
    method: str  # the method, for "method"
    guarded: bool  # the registry survives a reload of its own module

    @property
    def replaces(self) -> bool:
        """Re-registering under the same key replaces the old entry."""
        return self.how == "item" or (self.how == "method" and self.method in REPLACING_METHODS)

    @property
    def change(self) -> str:
        """How it registers, as messages say it: ``.append()``, ``item assignment``."""
        return describe_mutation(self.how, self.method)

    @property
    def module(self) -> str:
        return self.registry.rpartition(".")[0]


def registrar(project: ProjectModel, decorator: str) -> Registrar | None:
    """What ``decorator`` (a qualified name) registers into, if it is a registrar."""
    resolved = project.resolve(decorator)
    if resolved.kind != "function" or resolved.module not in project.modules:
        return None
    summary = project.summary(resolved.module)
    name = resolved.name
    found = None
    for mutation in summary.mutations:
        if mutation.function != name and not mutation.function.startswith(name + "."):
            continue
        if removes(mutation) or not mutation.stores:
            continue  # what goes in is not the decorated object (``REG.add(f.__code__)``)
        registry = project.resolve(mutation.qualified)
        if registry.kind != "value" or registry.binding is None:
            continue
        if _unread(project, registry.module, registry.name):
            continue  # nothing reads what is registered (sqlalchemy's ``_logged_classes``)
        made = registry.binding
        if made.value == "mutable" and made.value_name in _WEAK_CONTAINERS:
            continue  # held weakly: the old function dies with the reload (limnoria's i18n)
        candidate = Registrar(
            f"{resolved.module}.{name}",
            f"{registry.module}.{registry.name}",
            mutation.how,
            mutation.method,
            registry.binding.guarded,
        )
        if not candidate.replaces:
            return candidate  # an adding registry decides: entries pile up
        found = found or candidate
    return found


def _unread(project: ProjectModel, module: str, name: str) -> bool:
    summary = project.modules.get(module)
    return summary is not None and harmless(project, summary, name) == "unread"


def registrations(
    project: ProjectModel, module: ModuleSummary
) -> Iterator[tuple[Decoration, Registrar]]:
    """Each import-time decoration of ``module`` with a registrar."""
    for decoration in module.decorations:
        found = registrar(project, decoration.decorator)
        if found is not None:
            yield decoration, found


def repeats_on_reload(registrar: Registrar, module: str) -> bool:
    """Whether reloading ``module`` leaves the old registration next to the new one."""
    if registrar.replaces:
        return False
    return registrar.module != module or registrar.guarded


def method_keeps(project: ProjectModel, owner: str, method: str) -> str:
    """How ``owner.method`` keeps what it is given (``replaces``, ``weak``, ``adds``; ""
    when unknown), where ``owner`` is a first-party class or an instance of one
    (``registry = Registry()``): the verdict of the first class in its ancestry that
    defines ``method`` (summary.facts.keeps)."""
    resolved = project.resolve(owner)
    made = resolved.binding if resolved.kind == "value" else None
    if made is not None and made.value == "call":  # ``registry = Registry()``
        resolved = project.resolve(made.value_name)
    if resolved.kind != "class":
        return ""
    cls = project.class_in(resolved.module, resolved.name)
    if cls is None:
        return ""
    chain = [(resolved.module, resolved.name, cls)]
    for ancestor in project.ancestors(resolved.module, cls):
        found = project.resolve(ancestor)
        parent = project.class_in(found.module, found.name) if found.kind == "class" else None
        if parent is None:
            return ""  # an external base may define it: unknown
        chain.append((found.module, found.name, parent))
    for module, qualname, fact in chain:
        verdict = project.summary(module).keeps.get(f"{qualname}.{method}")
        if verdict:
            return verdict
        if method in fact.methods or method in fact.body_names:
            return ""
    return ""


def refilled_by_importers(
    project: ProjectModel, module: ModuleSummary, functions: set[str]
) -> bool:
    """Whether every call of ``functions`` (top-level functions of ``module`` that fill one
    of its containers) happens while a module that binds it by value is imported.

    Such a function is a registrar used only as a decorator: ``@internalcode`` in each
    module that did ``from jinja2.utils import internalcode``. A plan that reloads
    ``module`` reloads each of those after it (they bind a name of it by value), and
    their decorations fill the new container again, in the same order as at start-up.
    ``module`` itself may use them only while it is imported (or not at all); any
    other use (a call at run time, through an attribute, in a function) fails the test,
    and so does a function no module of the project uses (code outside the project
    calls it, when it likes).
    """
    if not functions:
        return False
    local = set(module.init_functions) | set(module.unused_functions)
    if not functions <= local:
        return False
    for function in functions:
        qualified = f"{module.name}.{function}"
        importers = sorted(readers(project, module.name, function))
        if not importers:
            return False  # called from outside the project, if at all: nothing refills it
        for importer in importers:
            summary = project.modules.get(importer)
            if summary is None or not project.is_reloadable(importer):
                return False
            if any(ref.qualified == qualified for ref in summary.module_refs):
                return False  # ``utils.internalcode``: bound through the module, not by value
            facts = [f for f in summary.imports if f.target == qualified]
            if any(f.scope != "module" or f.type_checking for f in facts):
                return False
            uses = sum(1 for f in facts for use in f.uses if use.where == "runtime")
            decorations = sum(1 for d in summary.decorations if d.decorator == qualified)
            if not facts or uses != decorations:
                return False
    return True
