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
The summariser's walk gathers the candidates as it visits each node
(:class:`AttributeFacts`); only what it does not visit is walked here.
"""

from __future__ import annotations

import ast

from reloadlint.summary.walk import Family, Walk

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


class AttributeFacts(Family):
    """Gathers, as the walk goes, the strings, the assigned or deleted attributes and the
    calls given a name (a walk of the whole tree for them cost a seventh of a summary);
    they are resolved once the module's imports are all known."""

    RULES = ("RL101", "RL102")
    VISITS = {"Constant": "constant"}

    def __init__(self, walk: Walk) -> None:
        super().__init__(walk)
        self.found: dict[str, None] = {}
        self.targets: list[ast.Attribute] = []
        self.calls: list[ast.Call] = []

    def constant(self, node: ast.Constant) -> None:
        value = node.value
        if type(value) is str and "." in value and len(value) <= _MAX_DOTTED:
            _dotted(value, self.found)

    def on_target_attribute(self, node: ast.Attribute) -> None:
        self.targets.append(node)

    def on_call(self, node: ast.Call, callee: str | None) -> None:
        args = node.args
        if len(args) >= 2 and _is_name_string(args[1]):
            self.calls.append(node)

    def on_unvisited(self, node: ast.AST) -> None:
        _scan(node, self.found, self.targets, self.calls)

    def on_finish(self) -> None:
        """Fill ``out.named_attributes`` (qualified names, each once)."""
        out, found = self.out, self.found
        roots: dict[str, str] = {}
        for fact in out.imports:
            if fact.name == "*" or not fact.module:
                continue
            if fact.name is None and fact.bound != fact.module and "." in fact.module:
                top = fact.module.split(".")[0]
                roots.setdefault(fact.bound, top if fact.bound == top else fact.module)
            else:
                roots.setdefault(fact.bound, fact.target)

        def qualify(node: ast.expr) -> str:
            parts: list[str] = []
            while isinstance(node, ast.Attribute):
                parts.append(node.attr)
                node = node.value
            if not isinstance(node, ast.Name) or node.id not in roots:
                return ""
            return ".".join([roots[node.id], *reversed(parts)])

        if roots:
            for target in self.targets:
                name = qualify(target)
                if name:
                    found[name] = None
            for call in self.calls:
                owner = qualify(call.args[0])
                if owner:
                    found[f"{owner}.{call.args[1].value}"] = None  # type: ignore[attr-defined]
        out.named_attributes = list(found)


def _is_name_string(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier()
    )


def _dotted(value: str, found: dict[str, None]) -> None:
    dotted = value.replace(":", ".", 1)
    if all(part.isidentifier() for part in dotted.split(".")):
        found[dotted] = None


def _scan(
    tree: ast.AST, found: dict[str, None], targets: list[ast.Attribute], calls: list[ast.Call]
) -> None:
    """What :class:`AttributeFacts` gathers, in a part of the tree the walk does not visit."""
    stack: list[ast.AST] = [tree]
    push, leaves = stack.append, _LEAVES
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is ast.Constant:
            value = node.value  # type: ignore[attr-defined]
            if isinstance(value, str) and "." in value and len(value) <= _MAX_DOTTED:
                _dotted(value, found)
            continue
        if kind is ast.Attribute and not isinstance(node.ctx, ast.Load):  # type: ignore[attr-defined]
            targets.append(node)  # type: ignore[arg-type]
        elif kind is ast.Call:
            args = node.args  # type: ignore[attr-defined]
            if len(args) >= 2 and _is_name_string(args[1]):
                calls.append(node)  # type: ignore[arg-type]
        for field_name in node._fields:
            child = getattr(node, field_name, None)
            if type(child) is list:
                for item in child:  # AST nodes, None (``**`` in a dict) or str (Global)
                    if type(item) not in leaves:
                        push(item)
            elif isinstance(child, ast.AST) and type(child) not in leaves:
                push(child)
