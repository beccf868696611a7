"""Path facts: strings that name a module or an object by its dotted path.

Serves RL502 (dangling-dotted-path: :class:`~reloadlint.summary.model.DottedString`):
``import_module("app.jobs")``, ``mock.patch("app.db.connect")``, entry strings
``"app.jobs:run"``, task names ``@app.task(name="app.jobs.run")`` and references
given to a worker, scheduler or resolver (``send_task("app.jobs.run")``,
``add_job(func="app.jobs:run")``, a Celery beat entry's ``"task"``) that an
upgrade may leave pointing at nothing. RL501 and RL503 read the project and the
core walk's main block.
"""

from __future__ import annotations

import ast
import re

from reloadlint.summary import prepass
from reloadlint.summary.model import DottedString
from reloadlint.summary.nodes import argument
from reloadlint.summary.walk import Family

#: Calls whose first argument is a dotted path -> what it names.
DOTTED_PATH_CALLS: dict[str, str] = {
    "importlib.import_module": "module",
    "builtins.__import__": "module",
    "pkgutil.resolve_name": "object",
    "unittest.mock.patch": "object",
    "mock.patch": "object",
    "unittest.mock.patch.dict": "object",
    "mock.patch.dict": "object",
}
#: The keyword naming that first argument (default ``target``).
DOTTED_PATH_KEYWORDS: dict[str, str] = {
    "importlib.import_module": "name",
    "builtins.__import__": "name",
    "pkgutil.resolve_name": "name",
    "unittest.mock.patch.dict": "in_dict",
    "mock.patch.dict": "in_dict",
}
TASK_DECORATORS = frozenset({"celery.shared_task", "shared_task"})
#: Keyword arguments (and a dict key: a Celery beat entry's ``"task"``) whose string
#: names code by its dotted path, for a worker, scheduler or resolver to import.
REFERENCE_KEYWORDS = frozenset(
    {
        "task",
        "task_name",
        "func",
        "function",
        "callable",
        "callback",
        "resolver",
        "handler",
        "job",
        "view",
        "entrypoint",
        "entry_point",
    }
)
#: ``name=`` names code (a registered task or job) when the callee's name says so.
REFERENCE_NAME_CALLEES = ("task", "job", "schedule", "actor", "periodic", "cron")
#: Methods whose first positional string is a dotted path they import
#: (Celery ``send_task``/``signature``, RQ ``enqueue``, APScheduler ``add_job``).
REFERENCE_METHODS = frozenset(
    {"send_task", "signature", "enqueue", "enqueue_call", "enqueue_in", "enqueue_at", "add_job"}
)
#: A dotted path in either form: ``pkg.mod.attr`` or ``pkg.mod:attr`` (one dot or colon at least).
REFERENCE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?:[.:][A-Za-z_]\w*)(?:\.[A-Za-z_]\w*)*")
#: ``"pkg.mod:attr"``, also as an entry-point spec ``"name = pkg.mod:attr [extra]"``.
ENTRY_STRING = re.compile(
    r"^(?P<spec>\s*[\w.-]+\s*=\s*)?"
    r"(?P<entry>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)"
    r"(?:\s*\[[\w\s,.-]*\])?\s*$"
)


class PathFacts(Family):
    RULES = ("RL502",)
    CALLS = dict.fromkeys(DOTTED_PATH_CALLS, "call")
    VISITS = {"Constant": "constant"}

    def constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, str) and ":" in value and len(value) < 300:
            match = ENTRY_STRING.match(value)
            # A bare ``"word:name"`` is as often a URL (``"http:g"``), an XML name or an
            # identifier scheme (``"IPython:auto_suggest.accept"``) as an entry string:
            # only a dotted module part or the entry-point form ``"x = m:f"`` counts.
            if match and (match["spec"] or "." in match["entry"].partition(":")[0]):
                span = self.walk.span(node)
                self.out.dotted_strings.append(DottedString(match["entry"], span, "entry"))

    def on_decorator(self, decorator: ast.expr, node: ast.AST) -> None:
        """``@app.task(name="pkg.mod.task")``: the name a task is registered under."""
        if not isinstance(decorator, ast.Call):
            return
        func = decorator.func
        qualified = self.walk.qualify(func) or ""
        is_task = (
            (isinstance(func, ast.Attribute) and func.attr == "task")
            or qualified in TASK_DECORATORS
            or qualified.endswith(".shared_task")
        )
        if not is_task:
            return
        for keyword in decorator.keywords:
            if (
                keyword.arg == "name"
                and isinstance(keyword.value, ast.Constant)
                and isinstance(keyword.value.value, str)
            ):
                callee = qualified or ast.unparse(func)
                span = self.walk.span(keyword.value)
                # Seen as a reference already (``name=`` of a ``task`` call): a task name.
                self.out.dotted_strings = [d for d in self.out.dotted_strings if d.span != span]
                string = DottedString(keyword.value.value, span, "task-name", callee)
                self.out.dotted_strings.append(string)

    def on_call(self, node: ast.Call, callee: str | None) -> None:
        """Strings that name code by its dotted path for a worker, scheduler or resolver
        to import: ``add_job(func="app.tasks:rotate")``, ``send_task("app.tasks.rotate")``,
        ``@app.periodic_task(name="app.tasks.cleanup.rotate")`` (``reference``)."""
        first = node.args[:1]
        if not any(_is_string(value) for value in (*first, *(k.value for k in node.keywords))):
            return  # no string to name code: the common call costs this test only
        text = callee or ast.unparse(node.func)
        last = text.rpartition(".")[2]
        lowered = last.lower()
        candidates = [
            k.value
            for k in node.keywords
            if k.arg in REFERENCE_KEYWORDS
            or (k.arg == "name" and any(word in lowered for word in REFERENCE_NAME_CALLEES))
        ]
        if first and last in REFERENCE_METHODS:
            candidates.append(first[0])
        for value in candidates:
            self._reference(value, text)

    def on_dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value == "task":  # a Celery beat entry
                self._reference(value, "a schedule entry (`task`)")

    def _reference(self, value: ast.expr, callee: str) -> None:
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
            return
        if not REFERENCE.fullmatch(value.value):
            return
        span = self.walk.span(value)
        # Recorded as an entry string (or a task name) already: keep one, this one.
        self.out.dotted_strings = [d for d in self.out.dotted_strings if d.span != span]
        self.out.dotted_strings.append(DottedString(value.value, span, "reference", callee))

    def call(self, node: ast.Call, callee: str) -> None:
        first = argument(node, 0, DOTTED_PATH_KEYWORDS.get(callee, "target"))
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            return
        create = argument(node, None, "create")
        if create is not None and not (isinstance(create, ast.Constant) and not create.value):
            return  # ``mock.patch(..., create=True)`` may name an attribute that does not exist yet
        value: str | None = first.value
        if callee == "builtins.__import__":
            value = self._import_level(node, first.value)
        elif first.value.startswith("."):
            value = self._relative_import_module(node, first.value)
        if value:
            span = self.walk.span(first)
            # ``resolve_name("pkg.mod:attr")`` was just recorded as an entry string too: keep one.
            strings = [d for d in self.out.dotted_strings if d.span != span]
            self.out.dotted_strings = strings
            how = DOTTED_PATH_CALLS[callee]
            strings.append(DottedString(value, span, how, callee))

    def _relative_import_module(self, node: ast.Call, name: str) -> str | None:
        """``import_module(".x", package=...)`` made absolute (``package=__name__`` too)."""
        package = argument(node, 1, "package")
        if isinstance(package, ast.Constant) and isinstance(package.value, str):
            anchor = package.value
        elif isinstance(package, ast.Name) and package.id == "__name__":
            anchor = self.walk.module
        elif package is not None and ast.unparse(package) in ("__package__", "__spec__.parent"):
            anchor = self.out.package
        else:
            return None
        level = len(name) - len(name.lstrip("."))
        return prepass.resolve_relative(name[level:] or None, level, anchor) or None

    def _import_level(self, node: ast.Call, name: str) -> str | None:
        """``__import__(name, globals(), locals(), fromlist, level)``, level > 0 made absolute."""
        level = argument(node, 4, "level")
        if level is None:
            return name
        if not (isinstance(level, ast.Constant) and isinstance(level.value, int)):
            return None
        return prepass.resolve_relative(name or None, level.value, self.out.package) or None


def _is_string(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)
