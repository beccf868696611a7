"""Which names a function binds locally, so that a load of ``f`` inside it
is known to mean the module's ``f`` only when the function does not shadow it.

A deliberately small version of pyflakes' scope model: enough to tell a local
from a global, which is what every stale-binding rule needs.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


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


def function_locals(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> FunctionLocals:
    """The names ``node`` binds in its own scope (Python's compile-time rule)."""
    result = FunctionLocals(names=set(argument_names(node.args)))
    body: list[ast.AST] = [node.body] if isinstance(node, ast.Lambda) else list(node.body)
    stack = body
    while stack:
        current = stack.pop()
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            result.names.add(current.name)
            # Decorators and defaults run in this scope; bodies do not.
            stack.extend(current.decorator_list)
            if not isinstance(current, ast.ClassDef):
                stack.extend(current.args.defaults)
                stack.extend(d for d in current.args.kw_defaults if d is not None)
            else:
                stack.extend(current.bases)
            continue
        if isinstance(current, ast.Lambda):
            stack.extend(current.args.defaults)
            continue
        if isinstance(current, _COMPREHENSIONS):
            # Only the first iterable is evaluated here; walrus targets leak.
            stack.append(current.generators[0].iter)
            for sub in ast.walk(current):
                if isinstance(sub, ast.NamedExpr) and isinstance(sub.target, ast.Name):
                    result.names.add(sub.target.id)
            continue
        if isinstance(current, ast.Name):
            if not isinstance(current.ctx, ast.Load):
                result.names.add(current.id)
            continue
        if isinstance(current, (ast.Import, ast.ImportFrom)):
            for alias in current.names:
                if alias.name == "*":
                    continue
                bound = alias.asname or alias.name.partition(".")[0]
                result.names.add(bound)
            continue
        if isinstance(current, ast.Global):
            result.declared_global.update(current.names)
            continue
        if isinstance(current, ast.Nonlocal):
            result.declared_nonlocal.update(current.names)
            continue
        if isinstance(current, ast.ExceptHandler) and current.name:
            result.names.add(current.name)
        elif isinstance(current, (ast.MatchAs, ast.MatchStar)) and current.name:
            result.names.add(current.name)
        elif isinstance(current, ast.MatchMapping) and current.rest:
            result.names.add(current.rest)
        stack.extend(ast.iter_child_nodes(current))
    result.names -= result.declared_global
    result.names -= result.declared_nonlocal
    return result


def comprehension_targets(node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> set[str]:
    names: set[str] = set()
    for generator in node.generators:
        for sub in ast.walk(generator.target):
            if isinstance(sub, ast.Name):
                names.add(sub.id)
    return names
