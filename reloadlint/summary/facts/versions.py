"""``__vsn__`` and ``__code_change__``: the version a class declares and the old versions
its migration handles (RL201, RL203, RL204; the plan reads them too)."""

from __future__ import annotations

import ast

from reloadlint.summary.model import ClassFact, CodeChange, Span
from reloadlint.summary.nodes import NO_LITERAL, literal
from reloadlint.summary.walk import FUNCTIONS


def vsn(fact: ClassFact, value: ast.expr | None, span: Span, *, annotated: bool) -> None:
    """Record ``__vsn__ = value`` (``value`` None: annotated only) on ``fact``."""
    fact.has_vsn = True
    fact.vsn_span = span
    fact.vsn_annotated = annotated
    found = literal(value) if value is not None else NO_LITERAL
    if value is None:
        fact.vsn_problem = "unassigned"
        fact.vsn = None
    elif found is NO_LITERAL or isinstance(found, bool) or not isinstance(found, (int, str)):
        fact.vsn_problem = "not-literal"
        fact.vsn = None
    else:
        fact.vsn = found


def code_change(node: ast.FunctionDef | ast.AsyncFunctionDef, span: Span) -> CodeChange:
    """How ``__code_change__`` is declared and which old versions it tests (RL203, RL204)."""
    fact = CodeChange(span=span, callable_ok=True)
    decorators = {ast.unparse(d) for d in node.decorator_list}
    if decorators & {"staticmethod", "classmethod"}:
        fact.callable_ok = False
        fact.problem = "static"
        return fact
    if isinstance(node, ast.AsyncFunctionDef) or _is_generator(node):
        # The runtime calls the hook synchronously: the call only creates a
        # coroutine or generator object, and the body never runs.
        fact.callable_ok = False
        fact.problem = "async" if isinstance(node, ast.AsyncFunctionDef) else "generator"
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    required = len(positional) - len(args.defaults)
    if required > 3:
        fact.callable_ok = False
        fact.problem, fact.required = "required", required
    elif len(positional) < 3 and args.vararg is None:
        fact.callable_ok = False
        fact.problem = "too-few"
    elif any(d is None for d in args.kw_defaults):
        fact.callable_ok = False
        fact.problem = "keyword-only"
    if len(positional) < 2:
        fact.untestable = True
        return fact
    old = positional[1].arg
    _old_vsn_tests(node, old, fact)
    return fact


def _own_nodes(node: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.AST]:
    """The nodes of a function's own body (nested functions, classes and lambdas excluded)."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(node.body)
    while stack:
        current = stack.pop()
        found.append(current)
        if not isinstance(current, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(current))
    return found


def _is_generator(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(isinstance(sub, (ast.Yield, ast.YieldFrom)) for sub in _own_nodes(node))


def new_instance_name(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    """In ``__new__``, the local bound to ``<something>.__new__(...)``: the instance being made."""
    for sub in _own_nodes(node):
        if (
            isinstance(sub, ast.Assign)
            and len(sub.targets) == 1
            and isinstance(sub.targets[0], ast.Name)
            and isinstance(sub.value, ast.Call)
            and isinstance(sub.value.func, ast.Attribute)
            and sub.value.func.attr == "__new__"
        ):
            return sub.targets[0].id
    return None


def _old_vsn_tests(node: ast.AST, old: str, fact: CodeChange) -> None:
    flipped = {ast.Lt: ">", ast.LtE: ">=", ast.Gt: "<", ast.GtE: "<="}
    direct = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
    tested: set[int] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Compare) and len(sub.ops) == 1:
            left, op, right = sub.left, sub.ops[0], sub.comparators[0]
            if (
                isinstance(right, ast.Name)
                and right.id == old
                and not (isinstance(left, ast.Name) and left.id == old)
            ):
                left, right = right, left
                ordering = flipped.get(type(op))
            else:
                ordering = direct.get(type(op))
            if not (isinstance(left, ast.Name) and left.id == old):
                continue
            tested.add(id(left))
            value = literal(right)
            if value is NO_LITERAL:
                fact.untestable = True
            elif isinstance(op, (ast.Eq, ast.NotEq, ast.Is, ast.IsNot)):
                fact.literals.append(value)
            elif isinstance(op, (ast.In, ast.NotIn)) and isinstance(
                value, (tuple, list, set, frozenset)
            ):
                fact.literals.extend(value)
            elif ordering is not None:
                fact.orderings.append((ordering, value))
            else:
                fact.untestable = True
        elif (
            isinstance(sub, ast.Match)
            and isinstance(sub.subject, ast.Name)
            and sub.subject.id == old
        ):
            tested.add(id(sub.subject))
            for case in sub.cases:
                values = _match_literals(case.pattern)
                if values is None:
                    fact.untestable = True
                else:
                    fact.literals.extend(values)
    for sub in ast.walk(node):
        if (
            isinstance(sub, ast.Name)
            and sub.id == old
            and isinstance(sub.ctx, ast.Load)
            and id(sub) not in tested
        ):
            fact.untestable = True  # passed on or looked up: we cannot tell what it handles


def _match_literals(pattern: ast.pattern) -> list[object] | None:
    if isinstance(pattern, ast.MatchValue):
        value = literal(pattern.value)
        return None if value is NO_LITERAL else [value]
    if isinstance(pattern, ast.MatchSingleton):
        return [pattern.value]
    if isinstance(pattern, ast.MatchOr):
        values: list[object] = []
        for sub in pattern.patterns:
            got = _match_literals(sub)
            if got is None:
                return None
            values.extend(got)
        return values
    return None
