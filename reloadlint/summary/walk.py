"""The core walk over a module's tree, which the families of facts ride on.

The walk tracks what every fact needs to know about a node: which scope it
is in (to tell module names from locals), what a name resolves to, whether
it runs at *import time* (module top level, class bodies, decorators,
defaults, runtime-evaluated annotations; not function bodies, ``if __name__
== "__main__":`` or ``if TYPE_CHECKING:``), whether it is in an annotation,
under ``TYPE_CHECKING`` or under a reload guard (``if "X" not in globals():``).
It records the facts every rule shares: bindings, imports and their uses,
references through imported names, definitions, the main block.

Everything else is a :class:`Family` of facts (:mod:`reloadlint.summary.facts`)
that reacts to events of the walk. A call is dispatched by its callee's
qualified name and by its method name, a name load by the name, so a node no
family cares about costs one dictionary lookup; each node is visited once,
through a table from node type to handler.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from reloadlint.summary import prepass
from reloadlint.summary.model import Binding, ImportFact, ModuleSummary, Span

_BUILTINS = frozenset(dir(builtins))
_MISSING: Any = object()
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)

#: Constructors of new mutable containers: a module-level name bound to one is
#: ``mutable`` state (:attr:`Binding.value`).
MUTABLE_CONSTRUCTORS = frozenset(
    {
        "builtins.dict",
        "builtins.list",
        "builtins.set",
        "builtins.bytearray",
        "collections.defaultdict",
        "collections.OrderedDict",
        "collections.deque",
        "collections.Counter",
        "collections.ChainMap",
        "weakref.WeakValueDictionary",
        "weakref.WeakKeyDictionary",
        "weakref.WeakSet",
        "typing.DefaultDict",
    }
)
#: Process-wide lists: a block that edits one only when its entry is missing
#: (``if p not in sys.path:``) runs its effects once per process.
PROCESS_LISTS = frozenset({"sys.path", "sys.meta_path", "sys.path_hooks"})
#: Exceptions an ``except`` clause names to fall back when an import fails.
IMPORT_ERRORS = frozenset({"builtins.ImportError", "builtins.ModuleNotFoundError"})
#: Attributes of standard modules that hold a process-wide hook.
HOOK_ATTRIBUTES = frozenset(
    {
        "sys.excepthook",
        "sys.unraisablehook",
        "sys.displayhook",
        "sys.breakpointhook",
        "threading.excepthook",
    }
)


@dataclass(slots=True)
class Scope:
    kind: str  # module, class, function, comprehension
    qualname: str
    names: set[str] = field(default_factory=set)
    imports: dict[str, str] = field(default_factory=dict)
    declared_global: set[str] = field(default_factory=set)


Handler = Callable[..., None]


class Family:
    """A family of facts: the walk's events one group of rules needs, turned into records
    of the summary. A subclass names the rules it serves (``RULES``), keeps its
    pattern tables, and overrides the ``on_*`` events it needs; one instance
    summarises one module (``self.walk``: the walk's state and name resolution).

    ``CALLS`` maps a callee's qualified name to the method handling a call to it,
    ``handler(call, callee)``, after the call's parts were visited; ``METHODS``
    maps a method name to ``handler(call, func, callee)`` for every ``x.name(...)``
    (``callee``: its qualified name, None when ``x`` is not a name). ``VISITS``
    maps a node type the core walk ignores (``Constant``) to the handler of its nodes.
    """

    RULES: ClassVar[tuple[str, ...]] = ()
    CALLS: ClassVar[Mapping[str, str]] = {}
    METHODS: ClassVar[Mapping[str, str]] = {}
    VISITS: ClassVar[Mapping[str, str]] = {}

    def __init__(self, walk: Walk) -> None:
        self.walk = walk
        self.out = walk.out

    def name_hooks(self) -> Iterable[str]:
        """The module-level names whose loads :meth:`on_name` wants (the rest cost nothing)."""
        return ()

    # Events, in the order the walk meets them within a node (no-ops unless overridden).
    def on_name(self, node: ast.Name) -> None:
        """A load of a name of :meth:`name_hooks`."""

    def on_decorator(self, decorator: ast.expr, node: ast.AST) -> None:
        """A decorator of ``node`` (a def or class), visited."""

    def on_default(self, default: ast.expr, node: ast.AST) -> None:
        """A default argument value of ``node`` (a def or a lambda), visited."""

    def on_function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, enclosing: Scope, scope: Scope
    ) -> None:
        """Entering a def's body (its decorators, defaults and annotations were visited;
        ``scope``, the def's own, is entered next)."""

    def on_function_exit(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, enclosing: Scope
    ) -> None:
        """Leaving a def's body."""

    def on_class(self, node: ast.ClassDef, qualname: str, enclosing: Scope) -> None:
        """Entering a class body (decorators, bases and keywords were visited; its scope is
        entered next)."""

    def on_class_exit(self, node: ast.ClassDef) -> None:
        """Leaving a class body."""

    def on_assign_value(self, node: ast.Assign) -> None:
        """An ``Assign``'s value was visited; its targets are stored next."""

    def on_assign(self, node: ast.Assign | ast.AnnAssign, targets: list[ast.expr]) -> None:
        """An assignment with a value: after its targets are stored (``Assign``), or
        before its annotation is visited (``AnnAssign``)."""

    def on_store(self, target: ast.expr, value: ast.expr | None, augmented: bool) -> None:
        """A store into one target (a tuple's elements one by one) of ``value`` (None
        when not known; ``augmented`` for ``x += value``), before its parts are visited."""

    def on_store_item(self, target: ast.Subscript, value: ast.expr | None) -> None:
        """``x[k] = value`` (value None when not known), before ``x`` and ``k`` are visited."""

    def on_store_attribute(self, target: ast.Attribute, value: ast.expr | None) -> None:
        """``x.a = value`` (value None when not known), after ``x`` is visited."""

    def on_delete(self, target: ast.expr) -> None:
        """A ``del`` target, before it is visited."""

    def on_statement_call(self, call: ast.Call) -> None:
        """A call whose result is discarded (an expression statement), before it is visited."""

    def on_with_item(self, item: ast.withitem) -> None:
        """A ``with`` item whose context manager was visited, before its target is stored."""

    def on_except(self, kind: ast.expr) -> None:
        """A class an ``except`` clause names (one of a tuple), visited."""

    def on_self_call(self, func: ast.Attribute) -> None:
        """``self.m(...)`` inside a method (see :attr:`Walk.self_name`), before it is visited."""

    def on_self_attribute(self, node: ast.Attribute) -> None:
        """A load of ``self.a`` inside a method, before ``self`` is visited."""

    def on_subscript(self, node: ast.Subscript) -> None:
        """A subscript load ``x[k]``, before its parts are visited."""

    def on_compare(self, node: ast.Compare) -> None:
        """A comparison, visited."""

    def on_call(self, node: ast.Call, callee: str | None) -> None:
        """Any call, visited (``callee``: its qualified name, None when not a name), before
        the handlers of ``CALLS`` and ``METHODS``."""

    def on_dict(self, node: ast.Dict) -> None:
        """A dict literal, after its keys and values were visited."""

    def on_container(self, node: ast.Dict | ast.List | ast.Set | ast.Tuple) -> None:
        """A container literal (a tuple only when loaded), before its elements are visited."""

    def on_target_attribute(self, node: ast.Attribute) -> None:
        """An attribute assigned or deleted (``x.a = v``, ``del x.a``, ``for x.a in``,
        ``x.a: int``), whatever it is; before ``x`` is visited or after."""

    def on_unvisited(self, node: ast.AST) -> None:
        """A part of the tree the walk does not visit: a bare string statement (a
        docstring), a literal part of an f-string, the test of a main block or of
        ``if TYPE_CHECKING:``, a comprehension's target. A family that must see every
        node (every string) reads these itself."""

    def on_finish(self) -> None:
        """The whole module was walked."""


class _Plan:
    """Which of a run's families handle each event, call and method: the same for every
    module of the run, so found once (binding them anew for each module cost 3 % of a
    summary)."""

    def __init__(self, families: tuple[type[Family], ...]) -> None:
        events = [name for name in vars(Family) if name.startswith("on_") and name != "on_name"]
        self.events = {
            event: [
                index
                for index, family in enumerate(families)
                if getattr(family, event) is not getattr(Family, event)
            ]
            for event in events
        }
        self.calls: dict[str, list[tuple[int, str]]] = {}
        self.methods: dict[str, list[tuple[int, str]]] = {}
        self.visits: dict[type[ast.AST], list[tuple[int, str]]] = {}
        for index, family in enumerate(families):
            for kind, method in family.VISITS.items():
                self.visits.setdefault(getattr(ast, kind), []).append((index, method))
            for callee, method in family.CALLS.items():
                self.calls.setdefault(callee, []).append((index, method))
            for name, method in family.METHODS.items():
                self.methods.setdefault(name, []).append((index, method))


_PLANS: dict[tuple[type[Family], ...], _Plan] = {}


def _each(handlers: list[Handler]) -> Handler:
    """One handler of a node type that calls each family's handler of it."""

    def handle(node: ast.AST) -> None:
        for handler in handlers:
            handler(node)

    return handle


class Walk:
    """One module's walk: its state, positions, name resolution and dispatch; the
    visits of statements (:mod:`~reloadlint.summary.walk_statements`) and
    expressions (:mod:`~reloadlint.summary.walk_expressions`) complete it
    (:class:`reloadlint.summary.builder.Summarizer`). ``families``: the fact
    families that ride on it."""

    def __init__(
        self,
        lines: list[str],
        tree: ast.Module,
        summary: ModuleSummary,
        families: Iterable[type[Family]] = (),
    ) -> None:
        self.lines = lines
        #: Most files are pure ASCII: their byte columns need no conversion.
        self.ascii = all(map(str.isascii, lines))
        self.tree = tree
        self.out = summary
        self.module = summary.name
        self.pre = prepass.run(tree, summary.package)
        self.module_targets: dict[str, str] = {}
        self.import_facts: dict[str, list[ImportFact]] = {}
        self.scopes: list[Scope] = []
        self.import_time = True
        self.type_checking = False
        #: inside a block that runs its effects once per process, as the process's own state
        #: says (``p not in sys.path``, ``not log.handlers``)
        self.idempotent = False
        #: inside a block guarded by the module's own namespace (``"X" not in globals()``,
        #: ``try: X`` / ``except NameError``): once per process under ``importlib.reload``
        self.namespace_guarded = False
        #: inside an ``except ImportError:`` handler (imports there are fallbacks)
        self.import_fallback = False
        self.in_annotation = False
        self.in_slice = False
        #: the instance parameter of the method being walked (``self``), set by the family
        #: that knows what a method is: ``self.x`` events fire only for it
        self.self_name: str | None = None
        #: ids of Name nodes that are called (or applied as decorators)
        self.callee_names: set[int] = set()
        self.families = [family(self) for family in families]
        self._dispatch: dict[type[ast.AST], Handler | None] = {}
        self._hook_tables()

    def _hook_tables(self) -> None:
        families = self.families
        key = tuple(type(family) for family in families)
        plan = _PLANS.get(key)
        if plan is None:
            plan = _PLANS[key] = _Plan(key)
        overriding = plan.events

        def hooks(event: str) -> list[Handler]:
            return [getattr(families[index], event) for index in overriding[event]]

        self._on_decorator = hooks("on_decorator")
        self._on_default = hooks("on_default")
        self._on_function = hooks("on_function")
        self._on_function_exit = hooks("on_function_exit")
        self._on_class = hooks("on_class")
        self._on_class_exit = hooks("on_class_exit")
        self._on_assign_value = hooks("on_assign_value")
        self._on_assign = hooks("on_assign")
        self._on_store = hooks("on_store")
        self._on_store_item = hooks("on_store_item")
        self._on_store_attribute = hooks("on_store_attribute")
        self._on_delete = hooks("on_delete")
        self._on_statement_call = hooks("on_statement_call")
        self._on_with_item = hooks("on_with_item")
        self._on_except = hooks("on_except")
        self._on_self_call = hooks("on_self_call")
        self._on_self_attribute = hooks("on_self_attribute")
        self._on_subscript = hooks("on_subscript")
        self._on_compare = hooks("on_compare")
        self._on_call = hooks("on_call")
        self._on_dict = hooks("on_dict")
        self._on_container = hooks("on_container")
        self._on_target_attribute = hooks("on_target_attribute")
        self._on_unvisited = hooks("on_unvisited")
        self._on_finish = hooks("on_finish")
        #: callee / method name -> (family index, handler name): shared by the run's walks
        self._calls = plan.calls
        self._methods = plan.methods
        self._names: dict[str, list[Handler]] = {}
        for family in families:
            for name in family.name_hooks():
                self._names.setdefault(name, []).append(family.on_name)
        for kind, handlers in plan.visits.items():
            bound = [getattr(families[index], method) for index, method in handlers]
            self._dispatch[kind] = bound[0] if len(bound) == 1 else _each(bound)

    # ----------------------------------------------------------------- positions
    def span(self, node: ast.AST) -> Span:
        line = node.lineno  # type: ignore[attr-defined]
        end_line = getattr(node, "end_lineno", None) or line
        col = node.col_offset  # type: ignore[attr-defined]
        end_col = getattr(node, "end_col_offset", None) or col
        if not self.ascii:
            col = self._char_col(line, col)
            end_col = self._char_col(end_line, end_col)
        return Span(line, col + 1, end_line, end_col + 1)

    def _char_col(self, line: int, byte_col: int) -> int:
        if self.ascii:
            return byte_col  # byte offsets are character offsets
        if 0 < line <= len(self.lines):
            text = self.lines[line - 1]
            if not text.isascii():
                return len(text.encode("utf-8")[:byte_col].decode("utf-8", "ignore"))
        return byte_col

    def name_span(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> Span:
        """The span of the defined name in ``def name`` / ``class name``."""
        text = self.lines[node.lineno - 1] if node.lineno <= len(self.lines) else ""
        # After the keyword: a plain find would hit the "f" of "def f".
        keyword = "class" if isinstance(node, ast.ClassDef) else "def"
        start = text.find(keyword, self._char_col(node.lineno, node.col_offset))
        if start < 0:
            return self.span(node)
        start += len(keyword)
        while start < len(text) and text[start] in " \t\\":
            start += 1
        if not text.startswith(node.name, start):
            return self.span(node)
        return Span(node.lineno, start + 1, node.lineno, start + 1 + len(node.name))

    # ----------------------------------------------------------------- names
    def resolve(self, name: str) -> tuple[str | None, str]:
        """The qualified name a load of ``name`` means here, and the scope kind it was found in."""
        innermost = len(self.scopes) - 1
        for index in range(innermost, -1, -1):
            scope = self.scopes[index]
            if scope.kind == "class" and index != innermost:
                continue
            if name in scope.declared_global:
                break
            if name in scope.names:
                if scope.kind == "module":
                    break
                return scope.imports.get(name), scope.kind
        if name in self.module_targets:
            return self.module_targets[name], "module"
        if name in _BUILTINS:
            return f"builtins.{name}", "builtins"
        return None, ""

    def qualify(self, node: ast.AST) -> str | None:
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        root, _ = self.resolve(node.id)
        if root is None:
            return None
        parts.append(root)
        return ".".join(reversed(parts))

    def receiver(self, node: ast.expr) -> tuple[str, bool]:
        """What a method's receiver is: ``(qualified name, False)``, or ``(callee, True)``
        for a call's result or a module-level name bound to one; ``("", False)`` unknown."""
        if isinstance(node, ast.Call):
            callee = self.qualify(node.func)
            return (callee, True) if callee else ("", False)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            inner = self.receiver(node.left)
            pathlib = inner[1] and inner[0].startswith("pathlib")
            return inner if pathlib or inner == ("path", False) else ("", False)
        qualified = self.qualify(node)
        if qualified is None:
            return "", False
        if qualified.startswith(self.module + ".") and isinstance(node, ast.Name):
            binding = self.out.binding(node.id)
            if binding is not None and binding.value == "call":
                return binding.value_name, True
        return qualified, False

    def names_import(self, node: ast.expr) -> bool:
        """Whether ``node`` is rooted at an imported name (a module or an object of another
        module)."""
        while isinstance(node, ast.Attribute):
            node = node.value
        if not isinstance(node, ast.Name):
            return False
        for scope in reversed(self.scopes):
            if node.id in scope.imports:
                return True
            if node.id in scope.names and scope.kind != "module":
                return False
        items = self.pre.names.get(node.id)
        return bool(items and prepass.preferred(items).kind == "import")

    def same_on_reload(self, value: ast.expr) -> bool:
        """A value a reload computes identically: literals and module dunders
        (``True``, ``__name__``, ``__file__.replace(...)``) or an existing
        object of another module (``mod.x = other.y``); not a wrapper or a
        definition of this module, which a reload makes anew."""
        if isinstance(value, (ast.Name, ast.Attribute)) and self.names_import(value):
            return True
        for node in ast.walk(value):
            if isinstance(node, (ast.Lambda, ast.NamedExpr)):
                return False
            if isinstance(node, ast.Name) and not (
                node.id.startswith("__") and node.id.endswith("__")
            ):
                return False
        return True

    def function_scope(self) -> str:
        """The qualified name of the innermost function being walked ("" outside any)."""
        return next((s.qualname for s in reversed(self.scopes) if s.kind == "function"), "")

    def close(self) -> None:
        """Drop everything the walk holds. Its families and their bound hooks refer back
        to it, and a run pauses the cyclic collector (:mod:`reloadlint.collector`): a walk
        left in that cycle would keep its file's whole syntax tree alive to the end."""
        self.__dict__.clear()

    # ----------------------------------------------------------------- setup
    def run(self) -> None:
        module_scope = Scope("module", "")
        self.scopes.append(module_scope)
        for name, items in self.pre.names.items():
            module_scope.names.add(name)
            last = prepass.preferred(items)
            if last.kind == "import":
                self.module_targets[name] = last.target
            else:
                self.module_targets[name] = f"{self.module}.{name}" if self.module else name
        self.out.all_names = self.pre.all_names
        self.out.has_getattr = "__getattr__" in self.pre.names
        for name, items in self.pre.names.items():
            self.out.bindings[name] = [self._binding(item) for item in items]
        self.visit_body(self.tree.body)
        for hook in self._on_finish:
            hook()

    def _binding(self, item: prepass.TopLevelName) -> Binding:
        if item.kind in ("function", "class"):
            span = self.name_span(item.node)  # type: ignore[arg-type]
        else:
            span = self.span(item.node)
        value, value_name = self.value_kind(item.value) if item.value is not None else ("", "")
        return Binding(
            item.name,
            item.kind,
            span,
            value,
            value_name,
            item.target,
            item.guarded,
            item.type_checking,
            item.elsewhere,
        )

    def value_kind(self, node: ast.expr) -> tuple[str, str]:
        """What a right-hand side is (:attr:`Binding.value`), and its name."""
        if isinstance(node, (ast.Dict, ast.DictComp)):
            return "mutable", "dict"
        if isinstance(node, (ast.List, ast.ListComp)):
            return "mutable", "list"
        if isinstance(node, (ast.Set, ast.SetComp)):
            return "mutable", "set"
        if isinstance(node, ast.Constant) or (
            isinstance(node, ast.Tuple) and all(isinstance(e, ast.Constant) for e in node.elts)
        ):
            return "constant", ""
        if isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant):
            return "constant", ""
        if isinstance(node, ast.Lambda):
            return "lambda", ""
        if isinstance(node, ast.Subscript) and self._typing_form(node.value):
            return "type-alias", ""  # ``Literal["left", "right"]``, ``Union[str, Style]``
        if isinstance(node, (ast.Name, ast.Attribute)):
            qualified = self.qualify(node)
            return ("alias", qualified) if qualified else ("other", "")
        if isinstance(node, ast.Call):
            callee = self.qualify(node.func)
            if callee in MUTABLE_CONSTRUCTORS:
                return "mutable", callee.rpartition(".")[2]
            if callee == "builtins.object" and not node.args and not node.keywords:
                return "sentinel", ""
            if callee == "builtins.type" and len(node.args) == 1 and not self._makes_own(node):
                return "type-of", ""  # ``ModuleType = type(sys)``: a type no reload replaces
            return ("call", callee) if callee else ("other", "")
        return "other", ""

    def _makes_own(self, node: ast.Call) -> bool:
        """``type(Thing())`` of a class this module defines: a class the reload replaces."""
        argument = node.args[0]
        if isinstance(argument, ast.Call):
            argument = argument.func
        if not isinstance(argument, ast.Name):
            return False
        items = self.pre.names.get(argument.id)
        return bool(items and prepass.preferred(items).kind == "class")

    def _typing_form(self, node: ast.expr) -> bool:
        """``typing.Union``, ``Optional``, ``collections.abc.Iterable``, ``list``...: what a
        subscript makes a type alias of."""
        qualified = self.qualify(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
        return qualified is not None and (
            qualified.startswith(("typing.", "typing_extensions.", "collections.abc."))
            or qualified in ("builtins.list", "builtins.dict", "builtins.tuple", "builtins.type")
        )

    # ----------------------------------------------------------------- dispatch
    def visit(self, node: ast.AST) -> None:
        kind = type(node)
        handler = self._dispatch.get(kind, _MISSING)
        if handler is _MISSING:
            handler = self._dispatch[kind] = getattr(self, "visit_" + kind.__name__, None)
        if handler is not None:
            handler(node)
            return
        # Generic node: visit the children (inlined ast.iter_child_nodes, which is a
        # generator and a large share of the walk's time).
        for name in kind._fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                self.visit(value)
            elif type(value) is list:
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)

    def visit_body(self, body: list[ast.stmt]) -> None:
        for index, stmt in enumerate(body):
            if (
                index == 0
                and isinstance(stmt, ast.Expr)
                and isinstance(stmt.value, ast.Constant)
                and isinstance(stmt.value.value, str)
            ):
                for hook in self._on_unvisited:
                    hook(stmt)
                continue  # docstring
            self.visit(stmt)

    def visit_many(self, nodes: list[ast.expr] | list[ast.expr | None]) -> None:
        for node in nodes:
            if node is not None:
                self.visit(node)
