"""The shape of a reload plan: which modules it reloads and in which order.

Two graphs over the project's summaries:

- **by value** (binding edges): module A binds, at import time, a name of
  module B by value (``from B import f``, ``from B import *``, ``handler =
  B.f``, ``class K(B.Base)``, a default argument ``cb=B.f``). After B
  reloads, A keeps the old object until A itself is re-executed. Reloading A
  makes A's own names new objects in turn, so the set of modules to reload is
  the closure of the changed modules under "is bound by value by". A must be
  reloaded after B, and after the module it reads the name from when that is
  another one (``from pkg import Thing`` reads ``pkg``, which re-exports
  ``pkg.models.Thing``): these edges decide the order.
- **import time**: A imports B when it executes (module or class scope, not
  under ``TYPE_CHECKING``; function-level imports run later and do not order
  a reload). ``from pkg import sub`` where ``sub`` is a submodule imports
  ``pkg.sub``, not ``pkg``'s ``__init__``: it binds the module object, which
  a reload keeps. These edges only break ties (A may call B at import time)
  and group import cycles. Only edges between modules the plan reloads
  count: re-executing ``import X`` for a module X that is not reloaded runs
  nothing, so a path A -> X -> B neither orders A after B nor makes a cycle
  (if X held B's names by value, X would be in the plan).

Import cycles are found with Tarjan's algorithm and kept together as one
step; steps are ordered dependencies first, ties broken by file order, so the
same change always gives the same plan. Inside a cycle the binding edges
decide the order (a class after its bases, a package after what it
re-exports); when they form a cycle themselves no order gives every module
the new objects, and the plan reports that cycle (:attr:`Order.cycles`).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from reloadlint.project import ProjectModel
from reloadlint.rules.rl103_captured_callable import describe
from reloadlint.summary.model import ImportFact, ModuleSummary

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
    #: Handed to a call (``atexit.register(B.f)``, ``Thread(target=B.f)``): the callee
    #: keeps it. Re-executing the importer repeats the call instead of rebinding a name,
    #: so such a reference does not pull the importer into the plan.
    registration: bool = False


def by_value_refs(project: ProjectModel, module: ModuleSummary) -> Iterator[ByValue]:
    """Every import-time by-value reference of ``module`` to another first-party module."""
    for fact in module.imports:
        if not _at_import_time(module, fact) or not fact.module or fact.name is None:
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
        passed = ref.how in ("argument", "method-argument")
        how = describe(ref)
        yield from _resolved(project, module, ref.qualified, ref.span.line, how, passed)
    for bindings in module.bindings.values():
        for binding in bindings:
            if binding.kind == "value" and binding.value == "alias" and not binding.type_checking:
                line = binding.span.line
                yield from _resolved(project, module, binding.value_name, line, "alias")


def _resolved(
    project: ProjectModel,
    module: ModuleSummary,
    qualified: str,
    line: int,
    how: str,
    registration: bool = False,
) -> Iterator[ByValue]:
    resolved = project.resolve(qualified)
    if resolved.kind in _BY_VALUE_KINDS and resolved.module and resolved.module != module.name:
        yield ByValue(module.name, resolved.module, qualified, line, how, registration)


def read_from(project: ProjectModel, ref: ByValue) -> set[str]:
    """The modules whose namespaces the binding ``ref`` reads: where the object is
    defined, and the module the statement names when that re-exports it."""
    found = {ref.source}
    split = project.split(ref.qualified.removesuffix(".*"))
    if split is not None:
        found.add(split[0])
    found.discard(ref.importer)
    return found


def import_time_deps(project: ProjectModel, module: ModuleSummary) -> set[str]:
    """First-party modules ``module`` imports while it executes (what a reload re-imports).

    ``from pkg import sub`` (or ``from . import sub``) where ``sub`` is a submodule
    is a dependency on ``pkg.sub`` only: it binds the module object, and ``pkg``
    was imported long ago.
    """
    found: set[str] = set()
    for fact in module.imports:
        if not _at_import_time(module, fact) or not fact.module:
            continue
        if fact.name and fact.name != "*" and f"{fact.module}.{fact.name}" in project.modules:
            found.add(f"{fact.module}.{fact.name}")
            continue
        split = project.split(fact.module)
        if split is not None:
            found.add(split[0])
    found.discard(module.name)
    return found


def _at_import_time(module: ModuleSummary, fact: ImportFact) -> bool:
    """Whether an import runs when the module executes: module or class scope, not under
    ``TYPE_CHECKING``, not in the ``if __name__ == "__main__":`` block (which a reload,
    or any import, never runs)."""
    if fact.scope not in _IMPORT_TIME_SCOPES or fact.type_checking:
        return False
    main = module.main_block
    return main is None or not main.line <= fact.stmt_span.line <= main.end_line


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


@dataclass
class Order:
    """Groups of modules in reload order, and the binding cycles no order satisfies.

    A cycle is a closed path ``[a, b, c]``: ``a`` binds names of ``b`` by value,
    ``b`` of ``c``, ``c`` of ``a``.
    """

    groups: list[list[str]]
    cycles: list[list[str]]


def reload_order(
    members: list[str],
    binds: dict[str, set[str]],
    imports: dict[str, set[str]],
    file_order: dict[str, str],
) -> Order:
    """Each module after the members it binds by value (``binds``); import cycles
    (over ``binds`` and ``imports``) are one group, ordered inside by ``binds``,
    then by ``imports`` where possible, then by file order; among groups that could
    go next, the one first in file order."""

    def key(m: str) -> str:
        return file_order.get(m, m)

    members = sorted(members, key=key)
    member_set = set(members)
    hard = {m: (binds.get(m, set()) & member_set) - {m} for m in members}
    soft = {m: (imports.get(m, set()) & member_set) - {m} for m in members}
    graph = {m: hard[m] | soft[m] for m in members}
    components = [sorted(c, key=key) for c in strongly_connected(members, graph)]
    group_of = {m: i for i, comp in enumerate(components) for m in comp}
    needs = {
        i: {group_of[d] for m in comp for d in graph[m]} - {i} for i, comp in enumerate(components)
    }
    order = Order([], [])
    # Kahn's algorithm with a heap: the group first in file order among those whose
    # needs are done (rescanning every group at each step was quadratic: 3,000 modules
    # took 12 s in this loop alone).
    waiting = {i: len(needed) for i, needed in needs.items()}
    needed_by: dict[int, list[int]] = {i: [] for i in needs}
    for i, needed in needs.items():
        for j in needed:
            needed_by[j].append(i)
    ready = [(key(components[i][0]), i) for i, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    while ready:
        _, pick = heapq.heappop(ready)
        for later in needed_by[pick]:
            waiting[later] -= 1
            if waiting[later] == 0:
                heapq.heappush(ready, (key(components[later][0]), later))
        inside, cycles = _order_inside(components[pick], hard, soft, key)
        order.groups.append(inside)
        order.cycles += cycles
    return order


def _order_inside(
    component: list[str],
    hard: dict[str, set[str]],
    soft: dict[str, set[str]],
    key: Callable[[str], str],
) -> tuple[list[str], list[list[str]]]:
    """One import cycle in binding order, and the binding cycles inside it.

    Each step takes, among the modules whose binding edges (``hard``) inside the
    cycle are all satisfied (or among all left, when a binding cycle leaves none),
    the first by (still waits for a plain import, ``key``). Counters and heaps with
    stale entries skipped make that O(E log N) for a cycle of N modules and E edges
    (a scan of every module at every step was quadratic: one cycle of sqlalchemy
    holds hundreds of modules).
    """
    inside = set(component)
    hard_left = {m: len(hard[m] & inside) for m in component}
    soft_left = {m: len(soft[m] & inside) for m in component}
    hard_users: dict[str, list[str]] = {m: [] for m in component}
    soft_users: dict[str, list[str]] = {m: [] for m in component}
    for m in component:
        for d in hard[m] & inside:
            hard_users[d].append(m)
        for d in soft[m] & inside:
            soft_users[d].append(m)

    def entry(m: str) -> tuple[bool, str, str]:
        return (soft_left[m] > 0, key(m), m)

    ready = [entry(m) for m in component if hard_left[m] == 0]
    everyone = [entry(m) for m in component]
    heapq.heapify(ready)
    heapq.heapify(everyone)

    def current(heap: list[tuple[bool, str, str]], need_ready: bool) -> str | None:
        while heap:
            waits, _, m = heap[0]
            if m in inside and waits == (soft_left[m] > 0) and not (need_ready and hard_left[m]):
                return m
            heapq.heappop(heap)
        return None

    ordered: list[str] = []
    while inside:
        pick = current(ready, True)
        if pick is None:
            pick = current(everyone, False)
        assert pick is not None
        ordered.append(pick)
        inside.discard(pick)
        for m in hard_users[pick]:
            hard_left[m] -= 1
            if hard_left[m] == 0 and m in inside:
                heapq.heappush(ready, entry(m))
        for m in soft_users[pick]:
            soft_left[m] -= 1
            if soft_left[m] == 0 and m in inside:
                heapq.heappush(everyone, entry(m))
                if hard_left[m] == 0:
                    heapq.heappush(ready, entry(m))
    inner = {m: hard[m] & set(component) for m in component}
    cycles = [
        _closed_path(sorted(c, key=key), inner, key)
        for c in strongly_connected(sorted(component, key=key), inner)
        if len(c) > 1
    ]
    return ordered, sorted(cycles, key=lambda c: key(c[0]))


def _closed_path(
    component: list[str], graph: dict[str, set[str]], key: Callable[[str], str]
) -> list[str]:
    """A shortest closed path through the first module of a strongly connected set."""
    start, inside = component[0], set(component)
    parent: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for succ in sorted(graph[node] & inside, key=key):
                if succ == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(parent[path[-1]])
                    return path[::-1]
                if succ not in parent:
                    parent[succ] = node
                    following.append(succ)
        frontier = following
    return component  # unreachable for a strongly connected set
