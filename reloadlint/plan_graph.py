"""The shape of a reload plan: which modules it reloads and in which order.

Two graphs over the project's summaries:

- **by value**: module A binds, at import time, a name of module B by value
  (``from B import f``, ``from B import *``, ``handler = B.f``, ``class
  K(B.Base)``, a default argument ``cb=B.f``). After B reloads, A keeps the
  old object until A itself is re-executed. Reloading A makes A's own names
  new objects in turn, so the set of modules to reload is the closure of the
  changed modules under "is bound by value by".
- **import time**: A imports B when it executes (module or class scope, not
  under ``TYPE_CHECKING``; function-level imports run later and do not order
  a reload). A reload of A must come after B's so that A rebinds B's *new*
  names; a by-value reference orders the same way. Only edges between
  modules the plan reloads count: re-executing ``import X`` for a module X
  that is not reloaded runs nothing, so a path A -> X -> B neither orders A
  after B nor makes a cycle (if X held B's names by value, X would be in the
  plan).

Import cycles are found with Tarjan's algorithm and kept together as one
step; steps are then ordered dependencies first, ties broken by file order,
so the same change always gives the same plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from reloadlint.project import ProjectModel
from reloadlint.summary.model import ModuleSummary

#: Resolved kinds that are objects a reload replaces (``module`` is not: a
#: reload keeps the module object, so ``from pkg import submodule`` stays fresh).
_BY_VALUE_KINDS = frozenset({"function", "class", "value", "attribute", "unknown"})
_IMPORT_TIME_SCOPES = ("module", "class")


@dataclass(frozen=True)
class ByValue:
    """Module ``importer`` holds ``qualified`` (defined in ``source``) by value, from ``line``."""

    importer: str
    source: str
    qualified: str
    line: int
    how: str  # "from-import", "star-import", a capture's description, "alias"

    @property
    def registration(self) -> bool:
        """Handed to a call (``atexit.register(B.f)``, ``Thread(target=B.f)``): the callee
        keeps it. Re-executing the importer repeats the call instead of rebinding a name,
        so such a reference does not pull the importer into the plan."""
        return self.how.startswith("passed to ")


def by_value_refs(project: ProjectModel, module: ModuleSummary) -> Iterator[ByValue]:
    """Every import-time by-value reference of ``module`` to another first-party module."""
    for fact in module.imports:
        if (
            fact.scope not in _IMPORT_TIME_SCOPES
            or fact.type_checking
            or not fact.module
            or fact.name is None
        ):
            continue
        if fact.name == "*":
            split = project.split(fact.module)
            if split is not None and not split[1] and split[0] != module.name:
                yield ByValue(
                    module.name, split[0], f"{fact.module}.*", fact.span.line, "star-import"
                )
            continue
        yield from _resolved(project, module, fact.target, fact.span.line, "from-import")
    for ref in module.captures:
        yield from _resolved(
            project, module, ref.qualified, ref.span.line, ref.how.removesuffix(" (callable)")
        )
    for bindings in module.bindings.values():
        for binding in bindings:
            if (
                binding.kind == "value"
                and binding.value.startswith("alias:")
                and not binding.type_checking
            ):
                yield from _resolved(
                    project, module, binding.value[len("alias:") :], binding.span.line, "alias"
                )


def _resolved(
    project: ProjectModel, module: ModuleSummary, qualified: str, line: int, how: str
) -> Iterator[ByValue]:
    resolved = project.resolve(qualified)
    if resolved.kind in _BY_VALUE_KINDS and resolved.module and resolved.module != module.name:
        yield ByValue(module.name, resolved.module, qualified, line, how)


def import_time_deps(project: ProjectModel, module: ModuleSummary) -> set[str]:
    """First-party modules ``module`` imports while it executes (what a reload re-imports)."""
    found: set[str] = set()
    for fact in module.imports:
        if fact.scope not in _IMPORT_TIME_SCOPES or fact.type_checking or not fact.module:
            continue
        if fact.name and fact.name != "*" and f"{fact.module}.{fact.name}" in project.modules:
            found.add(f"{fact.module}.{fact.name}")
        split = project.split(fact.module)
        if split is not None:
            found.add(split[0])
    found.discard(module.name)
    return found


def reload_closure(
    seeds: Iterable[str], refs: dict[str, list[ByValue]], can_reload: set[str]
) -> tuple[list[str], dict[str, list[ByValue]]]:
    """The seeds plus every reloadable module that binds by value a name of a module
    in the set, transitively. Returns the added modules (in discovery order) and,
    for each, the references that pulled it in."""
    in_plan = set(seeds)
    readers: dict[str, list[ByValue]] = {}
    for refs_of_module in refs.values():
        for ref in refs_of_module:
            readers.setdefault(ref.source, []).append(ref)
    pending = sorted(in_plan)
    added: list[str] = []
    why: dict[str, list[ByValue]] = {}
    while pending:
        source = pending.pop(0)
        for ref in readers.get(source, ()):
            if ref.importer not in can_reload or ref.registration:
                continue
            why.setdefault(ref.importer, []).append(ref)
            if ref.importer not in in_plan:
                in_plan.add(ref.importer)
                added.append(ref.importer)
                pending.append(ref.importer)
    return added, {name: why[name] for name in added}


def strongly_connected(nodes: list[str], graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, iteratively (no recursion limit on deep chains)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(graph.get(succ, ())))))
                    advanced = True
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components


def reload_order(
    members: list[str], after: dict[str, set[str]], file_order: dict[str, str]
) -> list[list[str]]:
    """Groups of modules in reload order: each after the groups it must follow
    (``after[m]``: the members ``m`` imports or binds by value); a cycle is one group
    in file order; among groups that could go next, the one first in file order."""
    members = sorted(members, key=lambda m: file_order.get(m, m))
    member_set = set(members)
    graph = {m: (after.get(m, set()) & member_set) - {m} for m in members}
    components = [
        sorted(c, key=lambda m: file_order.get(m, m)) for c in strongly_connected(members, graph)
    ]
    group_of = {m: i for i, comp in enumerate(components) for m in comp}
    needs = {
        i: {group_of[d] for m in comp for d in graph[m]} - {i} for i, comp in enumerate(components)
    }
    ordered: list[list[str]] = []
    done: set[int] = set()
    while len(done) < len(components):
        ready = [i for i in range(len(components)) if i not in done and needs[i] <= done]
        pick = min(ready, key=lambda i: file_order.get(components[i][0], components[i][0]))
        done.add(pick)
        ordered.append(components[pick])
    return ordered
