"""First look at a module: its top-level names and how each is bound.

Runs before the main walk so that function bodies (which run later) see
every module-level name, wherever in the file it is defined, as Python does.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import cast

from reloadlint.summary import branches

_COMPOUND = (ast.If, ast.Try, ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While)


@dataclass(slots=True)
class TopLevelName:
    name: str
    kind: str  # function, class, value, import
    node: ast.AST  # the binding statement (or the alias for imports)
    value: ast.expr | None = None
    target: str = ""
    guarded: bool = False
    type_checking: bool = False
    #: bound only where this process does not run it: a platform branch that does not
    #: run here, an ``except ImportError:`` fallback (:mod:`reloadlint.summary.branches`)
    elsewhere: bool = False


@dataclass(slots=True)
class Prepass:
    names: dict[str, list[TopLevelName]] = field(default_factory=dict)
    star_imports: list[str] = field(default_factory=list)
    all_names: list[str] | None = None
    future_annotations: bool = False
    #: module-level names bound to a platform fact (``_mswindows = sys.platform == "win32"``)
    platform: dict[str, object] = field(default_factory=dict)

    def add(self, item: TopLevelName) -> None:
        self.names.setdefault(item.name, []).append(item)


def is_type_checking_test(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    return False


def is_main_guard(test: ast.expr) -> bool:
    if not (
        isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)
    ):
        return False
    sides = (test.left, test.comparators[0])
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    consts = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return bool(names and consts)


def guarded_name(test: ast.expr) -> str | None:
    """``"X" not in globals()`` (or ``.keys()``, ``vars()``) -> ``X``."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = test.operand
        if (
            isinstance(inner, ast.Compare)
            and len(inner.ops) == 1
            and isinstance(inner.ops[0], ast.In)
        ):
            return _globals_membership(inner)
        return None
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.NotIn):
        return _globals_membership(test)
    return None


def _globals_membership(test: ast.Compare) -> str | None:
    left, right = test.left, test.comparators[0]
    if not (isinstance(left, ast.Constant) and isinstance(left.value, str)):
        return None
    if (
        isinstance(right, ast.Call)
        and isinstance(right.func, ast.Attribute)
        and right.func.attr == "keys"
    ):
        right = right.func.value
    if is_globals_call(right):
        return left.value
    return None


def is_globals_call(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("globals", "vars")
        and not node.args
    )


def globals_get(node: ast.expr) -> tuple[str, ast.expr | None] | None:
    """``globals().get("X", default)`` / ``globals().setdefault("X", default)``
    / ``globals().get("X") or default``."""
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and len(node.values) == 2:
        got = globals_get(node.values[0])
        if got is not None and got[1] is None:
            return got[0], node.values[1]
        return None
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return None
    if node.func.attr not in ("get", "setdefault") or not is_globals_call(node.func.value):
        return None
    if (
        not node.args
        or not isinstance(node.args[0], ast.Constant)
        or not isinstance(node.args[0].value, str)
    ):
        return None
    default = node.args[1] if len(node.args) > 1 else None
    return node.args[0].value, default


def name_error_guard(node: ast.Try) -> str | None:
    """``try: X`` / ``except NameError: X = ...`` -> ``X``."""
    if len(node.body) != 1 or not isinstance(node.body[0], ast.Expr):
        return None
    probe = node.body[0].value
    if not isinstance(probe, ast.Name):
        return None
    for handler in node.handlers:
        kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        if any(isinstance(k, ast.Name) and k.id == "NameError" for k in kinds):
            return probe.id
    return None


def resolve_relative(module: str | None, level: int, package: str) -> str:
    """The absolute module named by ``from <.*level><module> import``."""
    if level == 0:
        return module or ""
    parts = package.split(".") if package else []
    if level - 1 > len(parts):
        return ""
    base = parts[: len(parts) - (level - 1)]
    if module:
        base.append(module)
    return ".".join(base)


def run(tree: ast.Module, package: str) -> Prepass:
    result = Prepass()
    for stmt in tree.body:
        if (
            isinstance(stmt, ast.ImportFrom)
            and stmt.module == "__future__"
            and any(a.name == "annotations" for a in stmt.names)
        ):
            result.future_annotations = True
    _walk(tree.body, result, package, guarded=frozenset(), type_checking=False)
    return result


def preferred(items: list[TopLevelName]) -> TopLevelName:
    """The binding a name has in this process: the last one made where the module runs
    here (not in another platform's branch or an import fallback), else the last."""
    return next((item for item in reversed(items) if not item.elsewhere), items[-1])


def catches_import_error(kind: ast.expr | None) -> bool:
    """``except ImportError:`` (or ``ModuleNotFoundError``, or a tuple with one)."""
    kinds = kind.elts if isinstance(kind, ast.Tuple) else [kind] if kind else []
    return any(
        (isinstance(k, ast.Name) and k.id in ("ImportError", "ModuleNotFoundError"))
        or (isinstance(k, ast.Attribute) and k.attr in ("ImportError", "ModuleNotFoundError"))
        for k in kinds
    )


def _targets(node: ast.expr) -> Iterator[ast.Name]:
    if isinstance(node, ast.Name):
        yield node
    elif isinstance(node, (ast.Tuple, ast.List)):
        for elt in node.elts:
            yield from _targets(elt.value if isinstance(elt, ast.Starred) else elt)


def _walk(
    body: list[ast.stmt],
    out: Prepass,
    package: str,
    guarded: frozenset[str],
    type_checking: bool,
    elsewhere: bool = False,
) -> None:
    def add(
        name: str,
        kind: str,
        node: ast.AST,
        *,
        guard: bool = False,
        value: ast.expr | None = None,
        target: str = "",
    ) -> None:
        guarded_here = name in guarded or guard
        out.add(
            TopLevelName(
                name,
                kind,
                node,
                value=value,
                target=target,
                guarded=guarded_here,
                type_checking=type_checking,
                elsewhere=elsewhere,
            )
        )

    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            add(stmt.name, "function", stmt)
        elif isinstance(stmt, ast.ClassDef):
            add(stmt.name, "class", stmt)
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    add(alias.asname, "import", alias, target=alias.name)
                else:
                    top = alias.name.partition(".")[0]
                    add(top, "import", alias, target=top)
        elif isinstance(stmt, ast.ImportFrom):
            module = resolve_relative(stmt.module, stmt.level, package)
            for alias in stmt.names:
                if alias.name == "*":
                    if module:
                        out.star_imports.append(module)
                    continue
                imported = f"{module}.{alias.name}" if module else alias.name
                add(alias.asname or alias.name, "import", alias, target=imported)
        elif isinstance(stmt, ast.Assign):
            value = stmt.value
            got = globals_get(value)
            if not elsewhere and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                fact = branches.platform_alias(value, out.platform)
                if fact is branches.UNDECIDED:
                    out.platform.pop(stmt.targets[0].id, None)
                else:
                    out.platform[stmt.targets[0].id] = fact
            for target in stmt.targets:
                for name in _targets(target):
                    guard = bool(got and got[0] == name.id)
                    add(
                        name.id,
                        "value",
                        stmt,
                        value=(got[1] if got and guard and got[1] is not None else value),
                        guard=guard,
                    )
                if isinstance(target, ast.Name) and target.id == "__all__":
                    out.all_names = _string_list(value)
        elif isinstance(stmt, ast.AnnAssign):
            if isinstance(stmt.target, ast.Name) and stmt.value is not None:
                got = globals_get(stmt.value)
                guard = bool(got and got[0] == stmt.target.id)
                value = got[1] if guard and got and got[1] is not None else stmt.value
                add(stmt.target.id, "value", stmt, value=value, guard=guard)
                if stmt.target.id == "__all__":
                    out.all_names = _string_list(stmt.value)
        elif isinstance(stmt, ast.AugAssign):
            if (
                isinstance(stmt.target, ast.Name)
                and stmt.target.id == "__all__"
                and out.all_names is not None
            ):
                out.all_names.extend(_string_list(stmt.value) or [])
        elif isinstance(stmt, ast.Expr):
            got = globals_get(stmt.value)
            if got and got[1] is not None:
                add(got[0], "value", stmt, value=got[1], guard=True)
        elif isinstance(stmt, ast.If):
            if is_main_guard(stmt.test):
                continue
            if is_type_checking_test(stmt.test):
                _walk(stmt.body, out, package, guarded, True, elsewhere)
                _walk(stmt.orelse, out, package, guarded, type_checking, elsewhere)
                continue
            guard_name = guarded_name(stmt.test)
            inner = guarded | {guard_name} if guard_name else guarded
            runs = branches.runs_here(stmt, out.platform)
            _walk(stmt.body, out, package, inner, type_checking, elsewhere or runs is False)
            _walk(stmt.orelse, out, package, guarded, type_checking, elsewhere or runs is True)
        elif isinstance(stmt, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            block = cast(ast.Try, stmt)  # or an ast.TryStar (3.11+): the same fields
            guard_name = name_error_guard(block)
            _walk(block.body, out, package, guarded, type_checking, elsewhere)
            for handler in block.handlers:
                inner = guarded | {guard_name} if guard_name else guarded
                fallback = elsewhere or catches_import_error(handler.type)
                _walk(handler.body, out, package, inner, type_checking, fallback)
            _walk(block.orelse, out, package, guarded, type_checking, elsewhere)
            _walk(block.finalbody, out, package, guarded, type_checking, elsewhere)
        elif isinstance(stmt, _COMPOUND):
            if isinstance(stmt, (ast.For, ast.AsyncFor)):
                for name in _targets(stmt.target):
                    add(name.id, "value", stmt)
            if isinstance(stmt, (ast.With, ast.AsyncWith)):
                for item in stmt.items:
                    if item.optional_vars is not None:
                        for name in _targets(item.optional_vars):
                            add(name.id, "value", stmt)
            _walk(stmt.body, out, package, guarded, type_checking, elsewhere)
            _walk(getattr(stmt, "orelse", []), out, package, guarded, type_checking, elsewhere)
        elif isinstance(stmt, ast.Match):
            for case in stmt.cases:
                _walk(case.body, out, package, guarded, type_checking, elsewhere)


def _string_list(node: ast.expr) -> list[str] | None:
    if isinstance(node, (ast.List, ast.Tuple)):
        values = [
            e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
        return values if len(values) == len(node.elts) else None
    return None
