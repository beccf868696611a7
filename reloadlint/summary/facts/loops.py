"""Loop facts: functions that run a loop which cannot end (a worker, a server).

Serves RL404 (loop-changed: :class:`~reloadlint.summary.model.LoopFunction`):
a reload cannot replace a loop that is running, and the reload plan reads
them too (a new endless loop is a restart).
"""

from __future__ import annotations

import ast
import bisect

from reloadlint.summary.facts.state import MUTATING_METHODS
from reloadlint.summary.model import LoopFunction
from reloadlint.summary.walk import FUNCTIONS, Family, Scope, Walk


class LoopFacts(Family):
    RULES = ("RL404",)

    def __init__(self, walk: Walk) -> None:
        super().__init__(walk)
        self._loop_lines: list[int] | None = None

    def on_function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, enclosing: Scope, scope: Scope
    ) -> None:
        loop = endless_loop(node) if self._may_loop(node) else None
        if loop is not None:
            how, code, line = loop
            span = self.walk.name_span(node)
            self.out.loops.append(LoopFunction(scope.qualname, span, how, code, line))

    def _may_loop(self, node: ast.stmt) -> bool:
        """Whether ``node``'s lines mention ``while`` or ``_forever`` (a cheap pre-filter)."""
        if self._loop_lines is None:
            self._loop_lines = [
                i
                for i, text in enumerate(self.walk.lines, 1)
                if "while" in text or "_forever" in text
            ]
        first = bisect.bisect_left(self._loop_lines, node.lineno)
        return first < len(self._loop_lines) and self._loop_lines[first] <= (
            node.end_lineno or node.lineno
        )


def endless_loop(node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, str, int] | None:
    """How ``node`` loops forever, if it does (its own body, not nested functions), as
    :attr:`~reloadlint.summary.model.LoopFunction.how` and ``code``, and the line of the
    looping statement.

    Scans statements only: loops are statements, and ``serve_forever()`` is
    called as one; walking every expression here would double the cost of a
    summary. A ``while`` that a ``break`` or ``return`` of its own body can
    leave is a bounded loop (a parser's ``while True:``), unless it also waits
    (:func:`_waits`): a worker that breaks out when told to stop can be parked
    in it for as long as the process runs.
    """
    stack: list[ast.stmt] = list(node.body)
    while stack:
        current = stack.pop()
        if isinstance(current, ast.While):
            condition = _endless_condition(current)
            if condition is not None and (not _can_leave(current) or _waits(current)):
                return "while", condition, current.lineno
        value = getattr(current, "value", None)
        if isinstance(value, ast.Await):
            value = value.value
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr in ("serve_forever", "run_forever")
        ):
            return "call", value.func.attr, current.lineno
        if isinstance(current, (*FUNCTIONS, ast.ClassDef)):
            continue
        for field_name in ("body", "orelse", "finalbody"):
            stack.extend(getattr(current, field_name, ()))
        for handler in getattr(current, "handlers", ()):
            stack.extend(handler.body)
        for case in getattr(current, "cases", ()):
            stack.extend(case.body)
    return None


def _can_leave(loop: ast.While) -> bool:
    """Whether a ``break`` or ``return`` in ``loop``'s body leaves it (a ``break`` of an
    inner loop, or anything in a nested function or class, does not)."""
    stack: list[tuple[ast.stmt, bool]] = [(stmt, True) for stmt in loop.body]
    while stack:
        current, own = stack.pop()
        if isinstance(current, ast.Return) or (own and isinstance(current, ast.Break)):
            return True
        if isinstance(current, (*FUNCTIONS, ast.ClassDef)):
            continue
        inner = own and not isinstance(current, (ast.While, ast.For, ast.AsyncFor))
        for field_name in ("body", "orelse", "finalbody"):
            # A loop's ``else`` runs after it: a ``break`` there leaves the outer loop.
            here = own if field_name == "orelse" else inner
            stack.extend((stmt, here) for stmt in getattr(current, field_name, ()))
        for handler in getattr(current, "handlers", ()):
            stack.extend((stmt, inner) for stmt in handler.body)
        for case in getattr(current, "cases", ()):
            stack.extend((stmt, inner) for stmt in case.body)
    return False


#: Calls that block until something outside the loop happens (``q.get()`` only
#: without a positional argument: ``d.get(key)`` is a lookup).
_WAITING_CALLS = frozenset(
    {"sleep", "wait", "wait_for", "recv", "recvfrom", "recv_into", "accept", "select", "poll"}
)


def _waits(loop: ast.While) -> bool:
    """Whether ``loop``'s body waits: ``await``, ``time.sleep()``, ``event.wait()``,
    ``queue.get()``, a socket's ``recv()``/``accept()``, ``select()``/``poll()``."""
    stack: list[ast.AST] = [*loop.body]
    while stack:
        current = stack.pop()
        if isinstance(current, (*FUNCTIONS, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(current, (ast.Await, ast.AsyncFor, ast.AsyncWith)):
            return True
        if isinstance(current, ast.Call):
            func = current.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in _WAITING_CALLS or (
                name == "get" and isinstance(func, ast.Attribute) and not current.args
            ):
                return True
        stack.extend(ast.iter_child_nodes(current))
    return False


def _endless_condition(loop: ast.While) -> str | None:
    """The source of the condition of a ``while`` that cannot end by itself (``True``
    for any true constant), else None."""
    test = loop.test
    if isinstance(test, ast.Constant):
        return "True" if test.value else None
    negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
    inner = test.operand if negated else test  # type: ignore[attr-defined]
    if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute):
        if inner.func.attr in ("is_set", "wait", "is_stopped", "stopped", "done", "is_alive"):
            return ast.unparse(test)
        return None
    if isinstance(inner, (ast.Name, ast.Attribute)):
        flag = ast.unparse(inner)
        for sub in ast.walk(loop):
            # `while stack: stack.pop()` drains a container; it is not a worker loop.
            if (
                isinstance(sub, ast.Call)
                and isinstance(sub.func, ast.Attribute)
                and ast.unparse(sub.func.value) == flag
                and sub.func.attr in MUTATING_METHODS
            ):
                return None
            if isinstance(sub, (ast.Assign, ast.AugAssign)):
                targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
                if any(ast.unparse(t) == flag for t in targets) and not isinstance(
                    getattr(sub, "value", None), ast.Constant
                ):
                    return None
        return ast.unparse(test)
    return None
