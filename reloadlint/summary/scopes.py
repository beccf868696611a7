"""Which names a function binds locally, so that a load of ``f`` inside it
is known to mean the module's ``f`` only when the function does not shadow it.

A deliberately small version of pyflakes' scope model: enough to tell a local
from a global, which is what every stale-binding rule needs.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field


@dataclass(slots=True)
class FunctionLocals:
    names: set[str] = field(default_factory=set)
    declared_global: set[str] = field(default_factory=set)
    declared_nonlocal: set[str] = field(default_factory=set)


def argument_names(args: ast.arguments) -> list[str]:
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    if args.vararg:
        names.append(args.vararg.arg)
    if args.kwarg:
        names.append(args.kwarg.arg)
    return names


def _add_targets(target: ast.expr, names: set[str]) -> None:
    if isinstance(target, ast.Name):
        names.add(target.id)
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            _add_targets(element, names)
    elif isinstance(target, ast.Starred):
        _add_targets(target.value, names)


def function_locals(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> FunctionLocals:
    """The names ``node`` binds in its own scope (Python's compile-time rule).

    Only statements can bind names (walrus targets aside, which the main walk
    adds when it meets them), so this scans statement lists and never walks
    expressions: it runs once per function and must stay cheap.
    """
    result = FunctionLocals(names=set(argument_names(node.args)))
    if isinstance(node, ast.Lambda):
        return result
    names = result.names
    stack: list[ast.stmt] = list(node.body)
    while stack:
        statement = stack.pop()
        kind = type(statement)
        if kind is ast.Assign:
            for target in statement.targets:  # type: ignore[attr-defined]
                _add_targets(target, names)
        elif kind is ast.AugAssign or kind is ast.AnnAssign:
            _add_targets(statement.target, names)  # type: ignore[attr-defined]
        elif kind is ast.Expr or kind is ast.Return or kind is ast.Pass:
            continue
        elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            names.add(statement.name)  # type: ignore[attr-defined]
        elif kind is ast.Import or kind is ast.ImportFrom:
            for alias in statement.names:  # type: ignore[attr-defined]
                if alias.name != "*":
                    names.add(alias.asname or alias.name.partition(".")[0])
        elif kind is ast.Global:
            result.declared_global.update(statement.names)  # type: ignore[attr-defined]
        elif kind is ast.Nonlocal:
            result.declared_nonlocal.update(statement.names)  # type: ignore[attr-defined]
        elif kind is ast.For or kind is ast.AsyncFor:
            _add_targets(statement.target, names)  # type: ignore[attr-defined]
            stack.extend(statement.body)  # type: ignore[attr-defined]
            stack.extend(statement.orelse)  # type: ignore[attr-defined]
        elif kind is ast.With or kind is ast.AsyncWith:
            for item in statement.items:  # type: ignore[attr-defined]
                if item.optional_vars is not None:
                    _add_targets(item.optional_vars, names)
            stack.extend(statement.body)  # type: ignore[attr-defined]
        elif kind is ast.If or kind is ast.While:
            stack.extend(statement.body)  # type: ignore[attr-defined]
            stack.extend(statement.orelse)  # type: ignore[attr-defined]
        elif kind is ast.Try or kind.__name__ == "TryStar":
            stack.extend(statement.body)  # type: ignore[attr-defined]
            for handler in statement.handlers:  # type: ignore[attr-defined]
                if handler.name:
                    names.add(handler.name)
                stack.extend(handler.body)
            stack.extend(statement.orelse)  # type: ignore[attr-defined]
            stack.extend(statement.finalbody)  # type: ignore[attr-defined]
        elif kind is ast.Match:
            for case in statement.cases:  # type: ignore[attr-defined]
                for sub in ast.walk(case.pattern):
                    if isinstance(sub, (ast.MatchAs, ast.MatchStar)) and sub.name:
                        names.add(sub.name)
                    elif isinstance(sub, ast.MatchMapping) and sub.rest:
                        names.add(sub.rest)
                stack.extend(case.body)
        elif kind is ast.Delete:
            for target in statement.targets:  # type: ignore[attr-defined]
                _add_targets(target, names)
    names -= result.declared_global
    names -= result.declared_nonlocal
    return result


def comprehension_targets(
    node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp,
) -> set[str]:
    names: set[str] = set()
    for generator in node.generators:
        for sub in ast.walk(generator.target):
            if isinstance(sub, ast.Name):
                names.add(sub.id)
    return names
