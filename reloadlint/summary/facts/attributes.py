"""Attributes of other modules that a module assigns, patches or names in a string.

``--fix`` may remove a module's ``from m import f`` (the uses become ``m.f``);
that is safe only when no other module needs ``f`` to be there. Importers
are in :attr:`ModuleSummary.imports` and reads of ``mod.f`` in
``module_refs``; this fact records the rest, wherever it stands (tests
included, at any depth):

- assignments and deletions: ``mod.f = stub``, ``del mod.f``;
- calls given a module and a name: ``setattr(mod, "f", stub)``,
  ``monkeypatch.setattr(mod, "f", stub)``, ``mock.patch.object(mod, "f")``;
- dotted strings: ``mock.patch("pkg.mod.f")``, ``monkeypatch.setattr("pkg.mod.f", x)``,
  ``"pkg.mod:f"``.

Names are resolved through the module's imports in any scope (a test imports
inside its function as often as at the top), never by importing anything.
"""

from __future__ import annotations

import ast

from reloadlint.summary.model import ModuleSummary

#: Longest string read as a dotted path.
_MAX_DOTTED = 200

#: Nodes with nothing to record below them.
_LEAVES = frozenset(
    {
        *ast.expr_context.__subclasses__(), *ast.operator.__subclasses__(),
        *ast.boolop.__subclasses__(), *ast.cmpop.__subclasses__(),
        *ast.unaryop.__subclasses__(), ast.Name, ast.alias, ast.Import, ast.ImportFrom,
        ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal, str, type(None),
    }
)  # fmt: skip


def collect(out: ModuleSummary, tree: ast.Module) -> None:
    """Fill ``out.named_attributes`` (qualified names, each once, in order)."""
    roots: dict[str, str] = {}
    for fact in out.imports:
        if fact.name == "*" or not fact.module:
            continue
        if fact.name is None and fact.bound != fact.module and "." in fact.module:
            top = fact.module.split(".")[0]
            roots.setdefault(fact.bound, top if fact.bound == top else fact.module)
        else:
            roots.setdefault(fact.bound, fact.target)
    found: dict[str, None] = {}

    def qualify(node: ast.expr) -> str:
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or node.id not in roots:
            return ""
        return ".".join([roots[node.id], *reversed(parts)])

    stack: list[ast.AST] = [tree]
    push, leaves = stack.append, _LEAVES
    while stack:  # ast.walk's generators cost three times this loop (5 % of a summary)
        node = stack.pop()
        kind = type(node)
        if kind is ast.Constant:
            value = node.value  # type: ignore[attr-defined]
            if isinstance(value, str) and "." in value and len(value) <= _MAX_DOTTED:
                dotted = value.replace(":", ".", 1)
                if all(part.isidentifier() for part in dotted.split(".")):
                    found[dotted] = None
            continue
        if kind is ast.Attribute and not isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
            name = qualify(node)  # type: ignore[arg-type]
            if name:
                found[name] = None
        elif kind is ast.Call:
            args = node.args  # type: ignore[attr-defined]
            if (
                len(args) >= 2
                and isinstance(args[1], ast.Constant)
                and isinstance(args[1].value, str)
                and args[1].value.isidentifier()
            ):
                owner = qualify(args[0])
                if owner:
                    found[f"{owner}.{args[1].value}"] = None
        for field_name in node._fields:
            child = getattr(node, field_name, None)
            if type(child) is list:
                for item in child:  # AST nodes, None (``**`` in a dict) or str (Global)
                    if type(item) not in leaves:
                        push(item)
            elif isinstance(child, ast.AST) and type(child) not in leaves:
                push(child)
    out.named_attributes = list(found)
