"""Imports point one way: the package's import graph has no cycle.

Front ends (CLI, plan printing, fix application, plugins) sit above the
engine, the engine above the project model and the rules, those above the
summariser and the leaf utilities. A cycle is where that order breaks: a low
module reaching up for a helper. Every import counts, wherever it is written:
at module level, inside a function (deferred for speed, it still runs), and
under ``TYPE_CHECKING`` (a type the module needs is a dependency too; only the
interpreter skips it). The modules that import by computed name
(:data:`DYNAMIC`) count as importing everything they can load.

An edge goes to the module named: ``from reloadlint.fixes import batch`` is
an import of ``reloadlint.fixes.batch``; ``from reloadlint.fixes import
fix_for`` one of the package ``reloadlint.fixes``. The parent packages that
Python initialises first are not edges: a package that imports its own
submodules (to re-export them) is not in a cycle with them.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "reloadlint"

#: Modules that load others by computed name -> the packages they load from.
DYNAMIC = {
    "reloadlint.rules.registry": "reloadlint.rules",  # every rule module
    "reloadlint.output": "reloadlint.output",  # the format asked for
    # `reloadlint run --module PKG.MOD:FUNC`: the user's module, none of reloadlint's
    "reloadlint.devloop.call": "(the user's program)",
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> tuple[set[str], bool]:
    """The package modules ``name`` imports, and whether it calls ``import_module``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    edges: set[str] = set()
    dynamic = False
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            edges.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                if submodule in modules:
                    edges.add(submodule)
                elif source in modules:
                    edges.add(source)
        elif isinstance(node, ast.Attribute) and node.attr == "import_module":
            dynamic = True
    edges.discard(name)
    return edges, dynamic


@functools.cache
def _graph() -> tuple[dict[str, set[str]], set[str]]:
    """Module -> the modules it imports, and the modules that call ``import_module``."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    dynamic: set[str] = set()
    for name, path in modules.items():
        graph[name], computed = _imports(name, path, modules)
        if computed:
            dynamic.add(name)
    for name, package in DYNAMIC.items():
        graph[name] |= {m for m in modules if m.startswith(f"{package}.") and m != name}
    return graph, dynamic


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
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
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def _describe(component: list[str], graph: dict[str, set[str]]) -> str:
    members = set(component)
    return "\n".join(
        f"  {name} -> {', '.join(sorted(graph[name] & members))}" for name in component
    )


def test_the_package_imports_without_a_cycle() -> None:
    graph, _ = _graph()
    cycles = _cycles(graph)
    assert not cycles, "import cycles:\n" + "\n\n".join(_describe(c, graph) for c in cycles)


def test_every_import_by_computed_name_is_declared() -> None:
    """A module that calls ``import_module`` hides edges from the walk: it must
    say which package it loads from, or a cycle through it would go unseen."""
    _, dynamic = _graph()
    assert dynamic == set(DYNAMIC)


def test_the_walk_sees_every_kind_of_import() -> None:
    """The graph is only as good as the walk: deferred, ``TYPE_CHECKING`` and
    relative imports are all edges (checked on modules that use each)."""
    graph, _ = _graph()
    assert "reloadlint.summary.builder" in graph["reloadlint.summary"]  # in a function
    assert "reloadlint.config" in graph["reloadlint.upgrade"]  # under TYPE_CHECKING
    assert "reloadlint.fixes.stale_import" in graph["reloadlint.fixes"]  # from pkg import mod
    assert "reloadlint.rules.rl101_stale_function_import" in graph["reloadlint.rules.registry"]


def test_a_cycle_is_found() -> None:
    """The detector itself: a three-module loop is one component, a chain is none."""
    loop = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(loop) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
