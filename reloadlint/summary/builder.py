"""One walk over a module's tree that records every fact the rules use.

The walk tracks three things about each node: which scope it is in (to tell
module names from locals), whether it runs at *import time* (module top
level, class bodies, decorators, defaults, runtime-evaluated annotations;
not function bodies, ``if __name__ == "__main__":`` or ``if TYPE_CHECKING:``)
and whether it is part of an annotation.
"""

from __future__ import annotations

import ast
import bisect
import builtins
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reloadlint.summary import patterns as P
from reloadlint.summary import prepass
from reloadlint.summary.facts import attributes, state, values
from reloadlint.summary.facts.keeps import keeps
from reloadlint.summary.lazy_init import lazy_globals, memo_names
from reloadlint.summary.model import (
    Binding,
    ClassFact,
    CodeChange,
    ConfigRead,
    Decoration,
    DottedString,
    Effect,
    EnvRead,
    ImportFact,
    LoopFunction,
    ModuleSummary,
    Mutation,
    Ref,
    Span,
    Use,
)
from reloadlint.summary.scopes import argument_names, comprehension_targets, function_locals

_BUILTINS = frozenset(dir(builtins))
_MISSING: Any = object()
#: node type -> the Summarizer method that handles it (None: visit the children).
_DISPATCH: dict[type[ast.AST], Callable[[Summarizer, Any], None] | None] = {}
#: A dotted path in either form: ``pkg.mod.attr`` or ``pkg.mod:attr`` (one dot or colon at least).
_REFERENCE = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?:[.:][A-Za-z_]\w*)(?:\.[A-Za-z_]\w*)*")
#: ``"pkg.mod:attr"``, also as an entry-point spec ``"name = pkg.mod:attr [extra]"``.
_ENTRY_STRING = re.compile(
    r"^(?P<spec>\s*[\w.-]+\s*=\s*)?"
    r"(?P<entry>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)"
    r"(?:\s*\[[\w\s,.-]*\])?\s*$"
)
_STATE_INIT_METHODS = frozenset({"__init__", "__new__", "__post_init__", "__setstate__"})
#: Methods Python makes class methods without a decorator: ``cls.x = ...`` there is class state.
_IMPLICIT_CLASSMETHODS = frozenset({"__init_subclass__", "__class_getitem__"})
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass(slots=True)
class _Scope:
    kind: str  # module, class, function, comprehension
    qualname: str
    names: set[str] = field(default_factory=set)
    imports: dict[str, str] = field(default_factory=dict)
    declared_global: set[str] = field(default_factory=set)
    #: module-level containers this function only fills as a memo (lazy_init.memo_names)
    memos: set[str] = field(default_factory=set)


@dataclass(slots=True)
class _Method:
    """The method whose ``self`` attribute writes are being recorded."""

    fact: ClassFact
    name: str
    self_name: str


class Summarizer:
    def __init__(self, lines: list[str], tree: ast.Module, summary: ModuleSummary) -> None:
        self.lines = lines
        #: Most files are pure ASCII: their byte columns need no conversion.
        self.ascii = all(map(str.isascii, lines))
        self.tree = tree
        self.out = summary
        self.module = summary.name
        self.pre = prepass.run(tree, summary.package)
        self.module_targets: dict[str, str] = {}
        self.import_facts: dict[str, list[ImportFact]] = {}
        self.scopes: list[_Scope] = []
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
        self.method: _Method | None = None
        self.class_facts: list[ClassFact] = []
        self.open_handles: set[str] = set()
        self.read_calls: set[int] = set()
        self._loop_lines: list[int] | None = None
        #: ids of Name nodes that are called (or applied as decorators)
        self.callee_names: set[int] = set()
        #: top-level function -> per use: "" a call at import time, "g" a call in the body of
        #: top-level function g, None anything else (stored, passed, called later)
        self.function_uses: dict[str, list[str | None]] = {}
        self.discarded_call: ast.Call | None = None

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

    def _may_loop(self, node: ast.stmt) -> bool:
        """Whether ``node``'s lines mention ``while`` or ``_forever`` (a cheap pre-filter)."""
        if self._loop_lines is None:
            self._loop_lines = [
                i for i, text in enumerate(self.lines, 1) if "while" in text or "_forever" in text
            ]
        first = bisect.bisect_left(self._loop_lines, node.lineno)
        return first < len(self._loop_lines) and self._loop_lines[first] <= (
            node.end_lineno or node.lineno
        )

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

    def receiver(self, node: ast.expr) -> str:
        """What a method's receiver is: its qualified name, or ``call:<callee>``
        for a call result / a module name bound to one."""
        if isinstance(node, ast.Call):
            callee = self.qualify(node.func)
            return f"call:{callee}" if callee else ""
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            inner = self.receiver(node.left)
            return inner if inner.startswith("call:pathlib") or inner == "path" else ""
        qualified = self.qualify(node)
        if qualified is None:
            return ""
        if qualified.startswith(self.module + ".") and isinstance(node, ast.Name):
            binding = self.out.binding(node.id)
            if binding is not None and binding.value.startswith("call:"):
                return binding.value
        return qualified

    # ----------------------------------------------------------------- setup
    def run(self) -> None:
        module_scope = _Scope("module", "")
        self.scopes.append(module_scope)
        for name, items in self.pre.names.items():
            module_scope.names.add(name)
            last = items[-1]
            if last.kind == "import":
                self.module_targets[name] = last.target
            else:
                self.module_targets[name] = f"{self.module}.{name}" if self.module else name
        self.out.all_names = self.pre.all_names
        self.out.has_getattr = "__getattr__" in self.pre.names
        for name, items in self.pre.names.items():
            self.out.bindings[name] = [self._binding(item) for item in items]
        self.visit_body(self.tree.body)
        self.out.init_functions = _init_functions(self.function_uses)
        self.out.keeps = keeps(self.tree)
        values.collect(self)
        attributes.collect(self.out, self.tree)
        state.collect(self)

    def _binding(self, item: prepass.TopLevelName) -> Binding:
        if item.kind in ("function", "class"):
            span = self.name_span(item.node)  # type: ignore[arg-type]
        else:
            span = self.span(item.node)
        value = self.value_kind(item.value) if item.value is not None else ""
        return Binding(
            item.name, item.kind, span, value, item.target, item.guarded, item.type_checking
        )

    def value_kind(self, node: ast.expr) -> str:
        if isinstance(node, (ast.Dict, ast.DictComp)):
            return "mutable:dict"
        if isinstance(node, (ast.List, ast.ListComp)):
            return "mutable:list"
        if isinstance(node, (ast.Set, ast.SetComp)):
            return "mutable:set"
        if isinstance(node, ast.Constant) or (
            isinstance(node, ast.Tuple) and all(isinstance(e, ast.Constant) for e in node.elts)
        ):
            return "constant"
        if isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant):
            return "constant"
        if isinstance(node, ast.Lambda):
            return "lambda"
        if isinstance(node, ast.Subscript) and self._typing_form(node.value):
            return "type-alias"  # ``Literal["left", "right"]``, ``Union[str, Style]``
        if isinstance(node, (ast.Name, ast.Attribute)):
            qualified = self.qualify(node)
            return f"alias:{qualified}" if qualified else "other"
        if isinstance(node, ast.Call):
            callee = self.qualify(node.func)
            if callee in P.MUTABLE_CONSTRUCTORS:
                return f"mutable:{callee.rpartition('.')[2]}"
            if callee == "builtins.object" and not node.args and not node.keywords:
                return "sentinel"
            if callee == "builtins.type" and len(node.args) == 1 and not self._makes_own(node):
                return "type-of"  # ``ModuleType = type(sys)``: a type no reload replaces
            return f"call:{callee}" if callee else "other"
        return "other"

    def _makes_own(self, node: ast.Call) -> bool:
        """``type(Thing())`` of a class this module defines: a class the reload replaces."""
        argument = node.args[0]
        if isinstance(argument, ast.Call):
            argument = argument.func
        if not isinstance(argument, ast.Name):
            return False
        items = self.pre.names.get(argument.id)
        return bool(items and items[-1].kind == "class")

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
        handler = _DISPATCH.get(kind, _MISSING)
        if handler is _MISSING:
            handler = _DISPATCH[kind] = getattr(Summarizer, "visit_" + kind.__name__, None)
        if handler is not None:
            handler(self, node)
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
                continue  # docstring
            self.visit(stmt)

    def visit_many(self, nodes: list[ast.expr] | list[ast.expr | None]) -> None:
        for node in nodes:
            if node is not None:
                self.visit(node)

    # ----------------------------------------------------------------- statements
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            bound = alias.asname or alias.name.partition(".")[0]
            self._record_import(alias.name, None, bound, alias, node)
            self._bind_local_import(bound, alias.name if alias.asname else bound)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = prepass.resolve_relative(node.module, node.level, self.out.package)
        for alias in node.names:
            bound = alias.asname or alias.name
            self._record_import(module, alias.name, bound, alias, node)
            if alias.name != "*":
                self._bind_local_import(bound, f"{module}.{alias.name}" if module else alias.name)

    def _bind_local_import(self, bound: str, target: str) -> None:
        scope = self.scopes[-1]
        if scope.kind != "module":
            scope.imports[bound] = target

    def _record_import(
        self, module: str, name: str | None, bound: str, alias: ast.alias, stmt: ast.stmt
    ) -> None:
        scope_kind = self.scopes[-1].kind
        fact = ImportFact(
            module=module,
            name=name,
            bound=bound,
            span=self.span(alias) if hasattr(alias, "lineno") else self.span(stmt),
            stmt_span=self.span(stmt),
            scope="module" if scope_kind == "module" else scope_kind,
            type_checking=self.type_checking,
            fallback=self.import_fallback,
        )
        self.out.imports.append(fact)
        if fact.scope == "module" and name != "*":
            self.import_facts.setdefault(bound, []).append(fact)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._decorators(node.decorator_list, node)
        self._arguments(node.args, node.returns)
        enclosing = self.scopes[-1]
        qualname = f"{enclosing.qualname}.{node.name}" if enclosing.qualname else node.name
        self._definition(node, qualname)
        info = function_locals(node)
        scope = _Scope("function", qualname, info.names, {}, info.declared_global, memo_names(node))
        saved = (self.import_time, self.method, self.open_handles)
        self.import_time = False
        self.open_handles = set()
        method_context = self._method_context(node, enclosing)
        if method_context is not None:
            self.method = method_context
        elif enclosing.kind == "class":
            self.method = None
        self.scopes.append(scope)
        loop = _endless_loop(node) if self._may_loop(node) else None
        if loop is not None:
            how, line = loop
            self.out.loops.append(LoopFunction(qualname, self.name_span(node), how, line))
        self._global_rebindings(node, info.declared_global, qualname)
        self.visit_body(node.body)
        self.scopes.pop()
        self.import_time, self.method, self.open_handles = saved
        if node.name == "__code_change__" and enclosing.kind == "class" and self.class_facts:
            self.class_facts[-1].code_change = _code_change(node, self.name_span(node))

    visit_AsyncFunctionDef = visit_FunctionDef

    def _definition(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, qualname: str
    ) -> None:
        """Record where a definition starts (its first decorator) and ends."""
        start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        self.out.definitions.append((qualname, start, node.end_lineno or node.lineno))

    def _method_context(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, enclosing: _Scope
    ) -> _Method | None:
        if enclosing.kind != "class" or not self.class_facts:
            return None
        fact = self.class_facts[-1]
        fact.methods.append(node.name)
        decorators = {self.qualify(d) for d in node.decorator_list}
        if (
            decorators & {"builtins.staticmethod", "builtins.classmethod"}
            or node.name in _IMPLICIT_CLASSMETHODS
        ):
            return None
        if node.name == "__new__":
            # ``cls.x = ...`` here sets a class attribute; the instance is what
            # ``super().__new__(cls)`` / ``object.__new__(cls)`` returned.
            instance = _new_instance_name(node)
            return _Method(fact, node.name, instance) if instance else None
        params = [*node.args.posonlyargs, *node.args.args]
        if not params:
            return None
        return _Method(fact, node.name, params[0].arg)

    def _global_rebindings(self, node: ast.AST, declared: set[str], qualname: str) -> None:
        if not declared:
            return
        # A value computed on first use (``if X is None: X = compute()``) is a memo:
        # after a reload the next call computes it again. Not state.
        declared = declared - lazy_globals(node, declared)
        for sub in ast.walk(node):
            target = None
            if isinstance(sub, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
                for target in targets:
                    for name in prepass._targets(target):
                        if name.id in declared:
                            self.out.mutations.append(
                                Mutation(
                                    f"{self.module}.{name.id}",
                                    self.span(name),
                                    "global",
                                    qualname,
                                    memo=_empties(sub),
                                )
                            )

    def _decorators(self, decorators: list[ast.expr], node: ast.AST) -> None:
        for decorator in decorators:
            if isinstance(decorator, ast.Name):
                self.callee_names.add(id(decorator))
            self.visit(decorator)
            if self.import_time:
                self._registration_decorator(decorator)
                self._decoration(decorator, node)
            self._task_name(decorator)
            self._dispatch_registration(decorator, node)

    def _arguments(self, args: ast.arguments, returns: ast.expr | None) -> None:
        defaults = [*args.defaults, *(d for d in args.kw_defaults if d is not None)]
        for default in defaults:
            self.visit(default)
            if self.import_time:
                self._capture(default, "default argument value")
                self._store(default)
        saved = self.in_annotation, self.import_time
        self.in_annotation = True
        self.import_time = self.import_time and not self.pre.future_annotations
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
            if arg is not None and arg.annotation is not None:
                self.visit(arg.annotation)
        if returns is not None:
            self.visit(returns)
        self.in_annotation, self.import_time = saved

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._decorators(node.decorator_list, node)
        self.visit_many(node.bases)
        for keyword in node.keywords:
            self.visit(keyword.value)
        enclosing = self.scopes[-1]
        qualname = f"{enclosing.qualname}.{node.name}" if enclosing.qualname else node.name
        self._definition(node, qualname)
        metaclass = next((k.value for k in node.keywords if k.arg == "metaclass"), None)
        if self.import_time:
            for base in node.bases:
                self._capture(base, "base class")
            if metaclass is not None:
                self._capture(metaclass, "metaclass")
        fact = ClassFact(
            name=node.name,
            qualname=qualname,
            span=self.name_span(node),
            bases=[self.qualify(b) or "" for b in node.bases],
            metaclass=(self.qualify(metaclass) or "") if metaclass is not None else "",
            decorators=[
                self.qualify(d.func if isinstance(d, ast.Call) else d) or ""
                for d in node.decorator_list
            ],
            methods=[],
            self_attrs={},
            annotated={},
            field_calls=[],
            slots=[],
            body_names=[],
            import_time=self.import_time and enclosing.kind != "function",
        )
        if fact.import_time:
            self.out.classes.append(fact)
        self._class_body_facts(node, fact)
        scope = _Scope("class", qualname)
        saved_method = self.method
        self.method = None
        self.class_facts.append(fact)
        self.scopes.append(scope)
        self.visit_body(node.body)
        self.scopes.pop()
        self.class_facts.pop()
        self.method = saved_method
        for name in [*fact.methods, *fact.self_attrs]:
            fact.self_reads.pop(name, None)  # only class-level and inherited attributes

    def _class_body_facts(self, node: ast.ClassDef, fact: ClassFact) -> None:
        for stmt in node.body:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    for bound in prepass._targets(target):
                        fact.body_names.append(bound.id)
                        if bound.id == "__vsn__":
                            self._vsn(fact, stmt.value, stmt, annotated=False)
                        elif bound.id == "__slots__":
                            fact.slots = _slot_names(stmt.value)
                        elif (
                            isinstance(stmt.value, ast.Call)
                            and self.qualify(stmt.value.func) in P.FIELD_FACTORIES
                        ):
                            fact.field_calls.append(bound.id)
                        keys = _dict_keys(stmt.value)
                        if keys is not None and isinstance(target, ast.Name):
                            fact.dict_defaults[bound.id] = keys
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                name = stmt.target.id
                fact.body_names.append(name)
                is_classvar = _is_classvar(stmt.annotation)
                fact.annotated[name] = is_classvar
                if stmt.value is None:
                    fact.annotated_only.append(name)
                elif (
                    isinstance(stmt.value, ast.Call)
                    and self.qualify(stmt.value.func) in P.FIELD_FACTORIES
                ):
                    fact.field_calls.append(name)
                elif (keys := _dict_keys(stmt.value)) is not None:
                    fact.dict_defaults[name] = keys
                if name == "__vsn__":
                    self._vsn(fact, stmt.value, stmt, annotated=not is_classvar)
            elif isinstance(stmt, (*_FUNCTIONS, ast.ClassDef)):
                fact.body_names.append(stmt.name)

    def _vsn(
        self, fact: ClassFact, value: ast.expr | None, stmt: ast.stmt, annotated: bool
    ) -> None:
        fact.has_vsn = True
        fact.vsn_span = self.span(stmt)
        fact.vsn_annotated = annotated
        literal = _literal(value) if value is not None else _NO_LITERAL
        if value is None:
            fact.vsn_problem = "is annotated but never assigned, so the class has no version"
            fact.vsn = None
        elif (
            literal is _NO_LITERAL
            or isinstance(literal, bool)
            or not isinstance(literal, (int, str))
        ):
            fact.vsn_problem = "is not an int or str literal"
            fact.vsn = None
        else:
            fact.vsn = literal

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        if id(node.value) in self.read_calls:
            # ``fh = open(...)``: a later ``json.load(fh)`` is the same read.
            self.open_handles.update(t.id for t in node.targets if isinstance(t, ast.Name))
        for target in node.targets:
            self._store_target(target, node.value)
        self._assignment_capture(node.targets, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
            self._assignment_capture([node.target], node.value)
        saved = self.in_annotation, self.import_time
        self.in_annotation = True
        scope_kind = self.scopes[-1].kind
        # Annotations of locals are never evaluated; module/class ones are, unless postponed.
        self.import_time = (
            self.import_time and scope_kind != "function" and not self.pre.future_annotations
        )
        self.visit(node.annotation)
        self.in_annotation, self.import_time = saved
        if node.value is None and isinstance(node.target, ast.Attribute):
            self.visit(node.target.value)  # ``self.x: int`` declares, it assigns nothing
            return
        self._store_target(node.target, node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        self._store_target(node.target, node.value, augmented=True)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            if isinstance(target, ast.Subscript):
                self._mutation(target.value, "del item")
            elif (
                isinstance(target, ast.Name)
                and self.scopes[-1].kind == "module"
                and self.import_time
            ):
                items = self.pre.names.get(target.id)
                if items and all(item.kind == "function" for item in items):
                    # `del helper`: nothing can call it later
                    self.function_uses.setdefault(target.id, [])
            self.visit(target)

    def _assignment_capture(self, targets: list[ast.expr], value: ast.expr) -> None:
        if not self.import_time:
            return
        kind = self.scopes[-1].kind
        hooks = [
            t
            for t in targets
            if isinstance(t, ast.Attribute) and self.qualify(t) in P.HOOK_ATTRIBUTES
        ]
        if hooks:
            self._capture(value, f"assigned to `{self.qualify(hooks[0])}`")
        elif kind == "module" and any(isinstance(t, ast.Name) for t in targets):
            self._capture(value, "assigned to a module-level name")
        elif kind == "class":
            self._capture(value, "assigned to a class attribute")

    def _store_target(
        self, target: ast.expr, value: ast.expr | None, augmented: bool = False
    ) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            values = value.elts if isinstance(value, (ast.Tuple, ast.List)) else []
            paired = len(values) == len(target.elts)
            for index, elt in enumerate(target.elts):
                elt_value = values[index] if paired else None
                if isinstance(elt, ast.Starred) or isinstance(elt_value, ast.Starred):
                    elt_value = None
                self._store_target(
                    elt.value if isinstance(elt, ast.Starred) else elt, elt_value, augmented
                )
            return
        if not augmented and (
            isinstance(target, (ast.Subscript, ast.Attribute))
            or (isinstance(target, ast.Name) and self.import_time)
        ):
            self._store(value)
        if isinstance(target, ast.Subscript):
            self._mutation(target.value, "item assignment", value)
            self._sys_path_edit(target.value, "assigns into")
            self.visit(target.value)
            self.visit(target.slice)
            return
        if isinstance(target, ast.Attribute):
            self.visit(target.value)
            self._self_attribute(target)
            self._monkeypatch(target, value)
            self._sys_path_edit(target, "replaces")
            return
        if isinstance(target, ast.Starred):
            self._store_target(target.value, value, augmented)

    def _self_attribute(self, target: ast.Attribute) -> None:
        method = self.method
        if (
            method is None
            or not isinstance(target.value, ast.Name)
            or target.value.id != method.self_name
        ):
            return
        methods = method.fact.self_attrs.setdefault(target.attr, [])
        if method.name not in methods:
            methods.append(method.name)

    def _key_read(self, node: ast.Subscript) -> None:
        """Record ``self.attr["key"]`` (a read that raises KeyError when the key is missing)."""
        method, owner, key = self.method, node.value, node.slice
        if (
            method is not None
            and isinstance(owner, ast.Attribute)
            and isinstance(owner.value, ast.Name)
            and owner.value.id == method.self_name
            and isinstance(key, ast.Constant)
            and isinstance(key.value, str)
        ):
            keys = method.fact.key_reads.setdefault(owner.attr, [])
            if key.value not in keys:
                keys.append(key.value)

    def _self_call(self, func: ast.expr) -> None:
        """Record ``self.helper(...)`` inside a method (which methods only initialisers call)."""
        method = self.method
        if method is None or not isinstance(func, ast.Attribute):
            return
        if not isinstance(func.value, ast.Name) or func.value.id != method.self_name:
            return
        caller = method.name
        if not self.scopes[-1].qualname.endswith(f".{method.name}"):
            caller += ".<nested>"  # a callback or lambda made here may run at any later time
        callers = method.fact.self_calls.setdefault(func.attr, [])
        if caller not in callers:
            callers.append(caller)

    def _monkeypatch(self, target: ast.Attribute, value: ast.expr | None) -> None:
        if not self.import_time or self.scopes[-1].kind == "class":
            return
        if value is not None and self._same_on_reload(value):
            return  # `mod.flag = True` is set again, identically: nothing old stays behind
        owner = target.value
        if not isinstance(owner, (ast.Name, ast.Attribute)):
            return
        qualified = self.qualify(owner)
        if qualified is None or qualified.startswith("builtins."):
            return
        if isinstance(owner, ast.Name):
            _, where = self.resolve(owner.id)
            if where not in ("module", "function"):
                return
        full = f"{qualified}.{target.attr}"
        if full in P.HOOK_ATTRIBUTES or qualified in P.PROCESS_LISTS:
            return
        if not self._names_import(owner):
            return
        self._effect(Effect("monkeypatch", self.span(target), full))

    def _same_on_reload(self, value: ast.expr) -> bool:
        """A value a reload computes identically: literals and module dunders
        (``True``, ``__name__``, ``__file__.replace(...)``) or an existing
        object of another module (``mod.x = other.y``); not a wrapper or a
        definition of this module, which a reload makes anew."""
        if isinstance(value, (ast.Name, ast.Attribute)) and self._names_import(value):
            return True
        for node in ast.walk(value):
            if isinstance(node, (ast.Lambda, ast.NamedExpr)):
                return False
            if isinstance(node, ast.Name) and not (
                node.id.startswith("__") and node.id.endswith("__")
            ):
                return False
        return True

    def _names_import(self, node: ast.expr) -> bool:
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
        return bool(items and items[-1].kind == "import")

    def _sys_path_edit(self, node: ast.expr, verb: str) -> None:
        if self.import_time and self.qualify(node) in P.PROCESS_LISTS:
            self._effect(Effect("sys-path", self.span(node), f"{verb} `{self.qualify(node)}`"))

    def _effect(self, effect: Effect) -> None:
        """Record an import-time effect, unless a guard on the process's own state makes it
        happen once per process; one under a guard on the module's namespace is recorded
        as such (a reload that clears the namespace first runs it again)."""
        if not self.idempotent:
            effect.namespace_guarded = self.namespace_guarded
            self.out.effects.append(effect)

    def _mutation(self, node: ast.expr, how: str, stored: ast.expr | None = None) -> None:
        """Record a change to a module-level name (``REG[k] = v``, ``REG[k].append(v)``,
        ``REG.setdefault(k, []).append(v)``).

        Module-level code changing this module's own names is skipped: a reload
        repeats import-time code, and a main block never runs in a reloaded
        module. Another module's names count wherever they change (their
        module's reload loses the change); ``function`` is "" for those.
        ``stored`` is the value put in, when known.
        """
        if self.type_checking:
            return
        while True:
            if isinstance(node, ast.Subscript):
                node = node.value
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("setdefault", "get")
            ):
                node = node.func.value
            else:
                break
        if not isinstance(node, (ast.Name, ast.Attribute)):
            return
        qualified = self.qualify(node)
        if not qualified or qualified.startswith("builtins."):
            return
        function = next((s.qualname for s in reversed(self.scopes) if s.kind == "function"), "")
        if not function and not self._names_import(node):
            return
        stores = stored.id if isinstance(stored, ast.Name) else ""
        memo = bool(function) and isinstance(node, ast.Name) and node.id in self._memos()
        self.out.mutations.append(
            Mutation(qualified, self.span(node), how, function, stores, memo=memo)
        )

    def _memos(self) -> set[str]:
        scope = next((s for s in reversed(self.scopes) if s.kind == "function"), None)
        return scope.memos if scope is not None else set()

    def visit_If(self, node: ast.If) -> None:
        if prepass.is_main_guard(node.test):
            self.out.main_block = self.span(node)
            saved = self.import_time
            self.import_time = False
            self.visit_body(node.body)
            self.import_time = saved
            self.visit_body(node.orelse)
            return
        if prepass.is_type_checking_test(node.test):
            saved_tc, saved_it = self.type_checking, self.import_time
            self.type_checking, self.import_time = True, False
            self.visit_body(node.body)
            self.type_checking, self.import_time = saved_tc, saved_it
            self.visit_body(node.orelse)
            return
        self.visit(node.test)
        saved_guards = self.idempotent, self.namespace_guarded
        guard = self._idempotence_guard(node.test)
        self.idempotent = self.idempotent or guard == "process"
        self.namespace_guarded = self.namespace_guarded or guard == "namespace"
        self.visit_body(node.body)
        self.idempotent, self.namespace_guarded = saved_guards
        self.visit_body(node.orelse)

    def _idempotence_guard(self, test: ast.expr) -> str | None:
        """``if p not in sys.path:``, ``if not log.handlers:`` ("process": the process's
        own state says whether it was done) and ``if "X" not in globals():``
        ("namespace": the module's namespace says so): the body's effects happen once
        per process, however often ``importlib.reload`` runs the module again."""
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
            kinds = {self._idempotence_guard(value) for value in test.values}
            return "process" if "process" in kinds else "namespace" if kinds - {None} else None
        if prepass.guarded_name(test) is not None:
            return "namespace"
        if (
            isinstance(test, ast.Compare)
            and len(test.ops) == 1
            and isinstance(test.ops[0], ast.NotIn)
        ):
            return "process" if self.qualify(test.comparators[0]) in P.PROCESS_LISTS else None
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            probe = test.operand.func if isinstance(test.operand, ast.Call) else test.operand
            if isinstance(probe, ast.Attribute) and probe.attr in ("handlers", "hasHandlers"):
                return "process"
        return None

    def visit_Try(self, node: ast.Try) -> None:
        self.visit_body(node.body)
        saved = self.namespace_guarded
        self.namespace_guarded = saved or prepass.name_error_guard(node) is not None
        for handler in node.handlers:
            self.visit(handler)
        self.namespace_guarded = saved
        self.visit_body(node.orelse)
        self.visit_body(node.finalbody)

    visit_TryStar = visit_Try

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                if (
                    isinstance(item.optional_vars, ast.Name)
                    and id(item.context_expr) in self.read_calls
                ):
                    self.open_handles.add(item.optional_vars.id)
                self._store_target(item.optional_vars, None)
        self.visit_body(node.body)

    visit_AsyncWith = visit_With

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
            kinds = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            for kind in kinds:
                self._type_check(kind, "except")
        saved = self.import_fallback
        self.import_fallback = saved or self._catches_import_error(node.type)
        self.visit_body(node.body)
        self.import_fallback = saved

    def _catches_import_error(self, kind: ast.expr | None) -> bool:
        kinds = kind.elts if isinstance(kind, ast.Tuple) else [kind] if kind else []
        return any(self.qualify(k) in P.IMPORT_ERRORS for k in kinds)

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return  # a bare string is documentation, never a dotted path
        if isinstance(node.value, ast.Call):
            # ``os.environ.setdefault("X", "v")`` as a statement provides a
            # default (a write); only a used result is a read.
            self.discarded_call = node.value
        self.visit(node.value)

    # ----------------------------------------------------------------- expressions
    def visit_Name(self, node: ast.Name) -> None:
        if not isinstance(node.ctx, ast.Load):
            return
        self._function_use(node)
        facts = self.import_facts.get(node.id)
        if facts is None:
            return
        _, where = self.resolve(node.id)
        if where != "module":
            return
        kind = (
            "annotation"
            if self.in_annotation
            else "type-checking"
            if self.type_checking
            else "runtime"
        )
        use = Use(self.span(node), kind)
        for fact in facts:
            fact.uses.append(use)

    def _function_use(self, node: ast.Name) -> None:
        """Note whether this load of a top-level function is a call at import time (RL401)."""
        items = self.pre.names.get(node.id)
        if (
            not items
            or any(item.kind != "function" for item in items)
            or self.resolve(node.id)[1] != "module"
        ):
            return
        where: str | None = None
        if id(node) in self.callee_names:
            caller = self.scopes[-1].qualname
            if self.import_time:
                where = ""
            elif self.scopes[-1].kind in ("function", "comprehension") and "." not in caller:
                where = caller or None
        self.function_uses.setdefault(node.id, []).append(where)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        """Record the whole chain ``a.b.c`` once (not ``a.b`` again), then visit its root."""
        method = self.method
        if (
            method is not None
            and isinstance(node.ctx, ast.Load)
            and isinstance(node.value, ast.Name)
            and node.value.id == method.self_name
        ):
            readers = method.fact.self_reads.setdefault(node.attr, [])
            if method.name not in readers:
                readers.append(method.name)
        root = node.value
        while isinstance(root, ast.Attribute):
            root = root.value
        if (
            isinstance(node.ctx, ast.Load)
            and isinstance(root, ast.Name)
            and self._names_import(root)
        ):
            qualified = self.qualify(node)
            if qualified:
                self.out.module_refs.append(Ref(qualified, self.span(node), "load"))
        self.visit(root)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.ctx, ast.Load) and self.qualify(node.value) in P.ENVIRON:
            self._env_read(node, "`os.environ[...]`", node.slice)
        if isinstance(node.ctx, ast.Load):
            self._key_read(node)
        self.visit(node.value)
        saved = self.in_slice
        self.in_slice = True
        self.visit(node.slice)
        self.in_slice = saved

    def visit_Compare(self, node: ast.Compare) -> None:
        self.visit(node.left)
        self.visit_many(node.comparators)
        if any(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
            for operand in (node.left, *node.comparators):
                qualified = self.qualify(operand)
                if qualified is not None and not qualified.startswith("builtins."):
                    self.out.identities.append(Ref(qualified, self.span(operand), "is"))
        for op, right in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, (ast.In, ast.NotIn)) and self.qualify(right) in P.ENVIRON:
                self._env_read(node, "`in os.environ`", node.left)
        left = node.left
        if (
            isinstance(left, ast.Call)
            and self.qualify(left.func) == "builtins.type"
            and len(node.ops) == 1
            and isinstance(node.ops[0], (ast.Is, ast.IsNot, ast.Eq, ast.NotEq))
        ):
            self._type_check(node.comparators[0], "type() comparison")

    def visit_Dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None and self.qualify(value) in P.ENVIRON:
                self._env_read(value, "a copy of `os.environ`", None)
        self._container(node, [*(k for k in node.keys if k is not None), *node.values])
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and key.value == "task":  # a Celery beat entry
                self._reference(value, "a schedule entry (`task`)")

    def visit_List(self, node: ast.List) -> None:
        self._container(node, node.elts)

    visit_Set = visit_List

    def visit_Tuple(self, node: ast.Tuple) -> None:
        if isinstance(node.ctx, ast.Load):
            self._container(node, node.elts)
        else:
            self.visit_many(node.elts)

    def _container(self, node: ast.expr, elements: list[ast.expr]) -> None:
        if self.import_time and not self.in_annotation and not self.in_slice:
            for element in elements:
                self._capture(element, "stored in a container literal")
        self.visit_many(elements)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        """A walrus binds in the enclosing function (the statement scan cannot see it)."""
        self.visit(node.value)
        if isinstance(node.target, ast.Name):
            for scope in reversed(self.scopes):
                if scope.kind != "comprehension":
                    if scope.kind == "function":
                        scope.names.add(node.target.id)
                    break

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for default in [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]:
            self.visit(default)
            if self.import_time:
                self._capture(default, "default argument value")
        enclosing = self.scopes[-1]
        scope = _Scope(
            "function", f"{enclosing.qualname}.<lambda>" if enclosing.qualname else "<lambda>"
        )
        scope.names = set(argument_names(node.args))
        saved = self.import_time
        self.import_time = False
        self.scopes.append(scope)
        self.visit(node.body)
        self.scopes.pop()
        self.import_time = saved

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp
    ) -> None:
        self.visit(node.generators[0].iter)
        enclosing = self.scopes[-1]
        scope = _Scope("comprehension", enclosing.qualname, comprehension_targets(node))
        self.scopes.append(scope)
        for index, generator in enumerate(node.generators):
            if index:
                self.visit(generator.iter)
            self.visit_many(generator.ifs)
        if isinstance(node, ast.DictComp):
            self.visit(node.key)
            self.visit(node.value)
        else:
            self.visit(node.elt)
        self.scopes.pop()

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, str) and ":" in value and len(value) < 300:
            match = _ENTRY_STRING.match(value)
            # A bare ``"word:name"`` is as often a URL (``"http:g"``), an XML name or an
            # identifier scheme (``"IPython:auto_suggest.accept"``) as an entry string:
            # only a dotted module part or the entry-point form ``"x = m:f"`` counts.
            if match and (match["spec"] or "." in match["entry"].partition(":")[0]):
                self.out.dotted_strings.append(
                    DottedString(match["entry"], self.span(node), "entry")
                )

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        """The literal parts of an f-string are fragments, never entry strings."""
        for value in node.values:
            if not isinstance(value, ast.Constant):
                self.visit(value)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        self._self_call(func)
        callee = self.qualify(func)
        if isinstance(func, ast.Name):
            self.callee_names.add(id(func))
        self.visit(func)
        self.visit_many(node.args)
        for keyword in node.keywords:
            self.visit(keyword.value)
        if self.import_time:  # what a call made at import time is given, it may keep
            for argument in (*node.args, *(k.value for k in node.keywords)):
                self._store(argument)
        self._references(node, callee or ast.unparse(func))
        if callee is None and isinstance(func, ast.Attribute):
            self._method_call(node, func)
        elif callee is not None:
            self._named_call(node, callee)
            if isinstance(func, ast.Attribute):
                self._method_call(node, func, callee)

    def _references(self, node: ast.Call, callee: str) -> None:
        """Strings that name code by its dotted path for a worker, scheduler or resolver
        to import: ``add_job(func="app.tasks:rotate")``, ``send_task("app.tasks.rotate")``,
        ``@app.periodic_task(name="app.tasks.cleanup.rotate")`` (RL502, ``reference``)."""
        last = callee.rpartition(".")[2].lower()
        candidates = [
            k.value
            for k in node.keywords
            if k.arg in P.REFERENCE_KEYWORDS
            or (k.arg == "name" and any(word in last for word in P.REFERENCE_NAME_CALLEES))
        ]
        if node.args and callee.rpartition(".")[2] in P.REFERENCE_METHODS:
            candidates.append(node.args[0])
        for value in candidates:
            self._reference(value, callee)

    def _reference(self, value: ast.expr, callee: str) -> None:
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
            return
        if not _REFERENCE.fullmatch(value.value):
            return
        span = self.span(value)
        # Recorded as an entry string (or a task name) already: keep one, this one.
        self.out.dotted_strings = [d for d in self.out.dotted_strings if d.span != span]
        self.out.dotted_strings.append(DottedString(value.value, span, "reference", callee))

    def _named_call(self, node: ast.Call, callee: str) -> None:
        import_time = self.import_time
        if callee in P.CALLBACK_REGISTRATIONS and import_time:
            self._capture(
                _argument(node, *P.CALLBACK_REGISTRATIONS[callee]),
                f"passed to `{callee}`",
                callable_required=True,
            )
        if callee in P.EFFECT_CALLS and import_time and not self._replaces_handler(node, callee):
            self._effect(Effect("call", self.span(node), f"`{callee}` {P.EFFECT_CALLS[callee]}"))
        if callee in P.FILE_OPENERS and import_time and _opens_for_reading(node):
            self._config_read(node, f"`{callee.rpartition('.')[2]}()`", _argument(node, 0, "file"))
        elif callee in P.CONFIG_LOADERS and import_time:
            source = node.args[0] if node.args else None
            if not self._already_read(source) and not self._memory_stream(source):
                self._config_read(node, f"`{callee}()`", source)
        if callee in P.GETENV:
            self._env_read(node, f"`{callee}()`", _argument(node, 0, "key"))
        elif callee == "builtins.dict" and node.args and self.qualify(node.args[0]) in P.ENVIRON:
            self._env_read(node, "a copy of `os.environ`", None)
        if callee in P.DOTTED_PATH_CALLS:
            self._dotted_call(node, callee)
        if callee in P.TYPE_CHECK_FUNCTIONS and len(node.args) >= 2:
            classes = node.args[1]
            for kind in classes.elts if isinstance(classes, ast.Tuple) else [classes]:
                self._type_check(kind, f"{callee.rpartition('.')[2]}()")
        if callee == "builtins.setattr" and len(node.args) >= 3:
            self._store(node.args[2])
        if callee == "builtins.setattr" and len(node.args) >= 2:
            self._setattr(node)

    def _method_call(self, node: ast.Call, func: ast.Attribute, callee: str | None = None) -> None:
        method = func.attr
        owner = func.value
        import_time = self.import_time
        owner_name = self.qualify(owner)
        if method in P.CALLBACK_METHODS and import_time:
            self._capture(
                _argument(node, *P.CALLBACK_METHODS[method]),
                f"passed to `.{method}()`",
                callable_required=True,
            )
        if (
            owner_name in P.ENVIRON
            and method in P.ENVIRON_METHODS
            and not (method in P.ENVIRON_WRITES and node is self.discarded_call)
        ):
            key = _argument(node, 0, "key") if method in ("get", "setdefault", "pop") else None
            self._env_read(node, f"`os.environ.{method}()`", key)
        if method in P.MUTATING_METHODS:
            self._mutation(owner, f"`.{method}()`", node.args[-1] if node.args else None)
        if not import_time:
            return
        if owner_name in P.PROCESS_LISTS and method in P.MUTATING_METHODS:
            self._effect(
                Effect("sys-path", self.span(node), f"edits `{owner_name}` with `.{method}()`")
            )
            return
        self._adds_elsewhere(node, owner, method)
        receiver = self.receiver(owner)
        if method == "start" and receiver.startswith("call:"):
            self._effect(Effect("start", self.span(node), receiver[5:]))
        elif method == "connect" and node.args:
            self._signal_keywords(node, f"`{ast.unparse(func)}()`")
        elif method == "addHandler" and not self._null_handler(node):
            self._effect(Effect("call", self.span(node), "`.addHandler()` adds a logging handler"))
        elif method in ("bind", "listen") and receiver.startswith("call:socket."):
            self._effect(Effect("call", self.span(node), f"`socket.{method}()` claims a port"))
        elif method in P.PATH_READ_METHODS:
            self._config_read(node, f"`.{method}()`", owner)
        elif method == "open" and (
            receiver.split(":")[-1] in P.PATH_CONSTRUCTORS
            or receiver.startswith("call:pathlib")
            or self._literal_path(owner)[0] is not None
        ):
            if _opens_for_reading(node, mode_index=0):
                self._config_read(node, "`Path.open()`", owner)
        elif method in P.CONFIGPARSER_READS and receiver.split(":")[-1] in P.CONFIGPARSER_CLASSES:
            self._config_read(node, f"`ConfigParser.{method}()`", _argument(node, 0, "filenames"))

    def _adds_elsewhere(self, node: ast.Call, owner: ast.expr, method: str) -> None:
        """``other.HANDLERS.append(f)`` (or ``.setdefault(k, []).append(f)``, ``.add(f)``)
        at import time: an entry added to another module's container, again on every
        reload; an item assignment (``other.TABLE[k] = f``) replaces and is not one."""
        if method not in P.ADDING_METHODS or not node.args:
            return
        if method == "add" and all(isinstance(arg, ast.Constant) for arg in node.args):
            return  # a set keeps one of each constant
        if (
            isinstance(owner, ast.Call)
            and isinstance(owner.func, ast.Attribute)
            and owner.func.attr == "setdefault"
        ):
            owner = owner.func.value
        if not isinstance(owner, (ast.Name, ast.Attribute)) or not self._names_import(owner):
            return
        qualified = self.qualify(owner)
        if qualified and qualified not in P.PROCESS_LISTS:
            self._effect(Effect("adds", self.span(node), f"{qualified}|{method}"))

    def _replaces_handler(self, node: ast.Call, callee: str) -> bool:
        """``signal.signal(SIG, handler)`` as a statement, in a module that never asks for
        the previous handler (``signal.getsignal``): the new handler takes the old one's
        place. Keeping the previous one (``_prev = signal.signal(...)``) chains them, and
        every reload adds a link."""
        if callee != "signal.signal" or node is not self.discarded_call:
            return False
        return not any(
            isinstance(sub, ast.Attribute) and sub.attr == "getsignal"
            for sub in ast.walk(self.tree)
        )

    def _signal_keywords(self, node: ast.Call, what: str, *, decorator: bool = False) -> bool:
        """A signal receiver connected with ``weak=False`` (held strongly: the old one stays
        next to the new one) or a ``dispatch_uid`` (the new one is refused while the old one
        lives); the default weak reference lets a reload replace it (summary.facts.keeps).

        A decorator connects the new function before the reload rebinds its name, so
        the old one still lives then; a ``connect(f, dispatch_uid=...)`` call after the
        ``def`` finds the old one dead already, unless it is held strongly."""
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        weak = keywords.get("weak")
        strong = isinstance(weak, ast.Constant) and weak.value is False
        if "dispatch_uid" in keywords and (decorator or strong):
            kind = "receiver-uid-strong" if strong else "receiver-uid"
            self._effect(Effect(kind, self.span(node), what))
            return True
        if strong:
            self._effect(Effect("receiver-strong", self.span(node), what))
            return True
        return False

    def _null_handler(self, node: ast.Call) -> bool:
        """``addHandler(logging.NullHandler())``: a library's logger setup; a duplicate does
        nothing."""
        handler = _argument(node, 0, "hdlr")
        return isinstance(handler, ast.Call) and self.qualify(handler.func) == "logging.NullHandler"

    def _setattr(self, node: ast.Call) -> None:
        target = node.args[0]
        constant = len(node.args) > 2 and self._same_on_reload(node.args[2])
        if (
            self.import_time
            and not constant
            and isinstance(target, (ast.Name, ast.Attribute))
            and self._names_import(target)
        ):
            qualified = self.qualify(target)
            if qualified:
                # str(): what the f-string below printed for any constant (bytes: "b'x'")
                arg = node.args[1]
                name = str(arg.value) if isinstance(arg, ast.Constant) else "..."
                self._effect(Effect("monkeypatch", self.span(node), f"{qualified}.{name}"))
        method = self.method
        if (
            method is not None
            and isinstance(target, ast.Name)
            and target.id == method.self_name
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            methods = method.fact.self_attrs.setdefault(node.args[1].value, [])
            if method.name not in methods:
                methods.append(method.name)

    # ----------------------------------------------------------------- facts
    def _capture(self, node: ast.expr | None, how: str, callable_required: bool = False) -> None:
        if node is None or not isinstance(node, (ast.Name, ast.Attribute)):
            return
        qualified = self.qualify(node)
        if qualified is None or qualified.startswith("builtins."):
            return
        self.out.captures.append(
            Ref(qualified, self.span(node), how + (" (callable)" if callable_required else ""))
        )

    def _store(self, value: ast.expr | None) -> None:
        """Record the named values ``value`` puts somewhere lasting (``self.state = State.NEW``,
        ``f.pass_arg = _PassArg.context``, ``(Kind.A, 1)`` items, ``State(x)``)."""
        pending = [value] if value is not None else []
        how = "import" if self.import_time else "runtime"
        while pending:
            node = pending.pop()
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                pending += node.elts
            elif isinstance(node, ast.Dict):
                pending += [k for k in node.keys if k is not None] + node.values
            elif isinstance(node, ast.IfExp):
                pending += [node.body, node.orelse]
            elif isinstance(node, ast.Starred):
                pending.append(node.value)
            elif isinstance(node, ast.Call):
                pending.append(node.func)
            elif isinstance(node, (ast.Name, ast.Attribute)):
                qualified = self.qualify(node)
                if qualified is not None and not qualified.startswith("builtins."):
                    self.out.stores.append(Ref(qualified, self.span(node), how))

    def _type_check(self, node: ast.expr, how: str) -> None:
        if isinstance(node, (ast.Name, ast.Attribute)):
            qualified = self.qualify(node)
            if qualified and not qualified.startswith("builtins."):
                self.out.type_checks.append(Ref(qualified, self.span(node), how))

    def _dispatch_registration(self, decorator: ast.expr, node: ast.AST) -> None:
        """``@fn.register(Cls)`` and ``@fn.register`` with an annotated first parameter."""
        if isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute):
            if (
                decorator.func.attr == "register"
                and decorator.args
                and self.qualify(decorator.func) not in P.EFFECT_CALLS
            ):
                self._type_check(decorator.args[0], "singledispatch registration")
        elif (
            isinstance(decorator, ast.Attribute)
            and decorator.attr == "register"
            and isinstance(node, _FUNCTIONS)
        ):
            params = [*node.args.posonlyargs, *node.args.args]
            if params and params[0].annotation is not None:
                self._type_check(params[0].annotation, "singledispatch registration")

    def _decoration(self, decorator: ast.expr, node: ast.AST) -> None:
        """Record ``@name``/``@name(...)`` on a definition that runs at import time."""
        called = isinstance(decorator, ast.Call)
        func = decorator.func if isinstance(decorator, ast.Call) else decorator
        qualified = self.qualify(func)
        enclosing = self.scopes[-1]
        if qualified is None or qualified.startswith("builtins.") or enclosing.kind == "function":
            return
        name = getattr(node, "name", "")
        target = f"{enclosing.qualname}.{name}" if enclosing.qualname else name
        self.out.decorations.append(Decoration(qualified, self.span(decorator), target, called))

    def _registration_decorator(self, decorator: ast.expr) -> None:
        func = decorator.func if isinstance(decorator, ast.Call) else decorator
        qualified = self.qualify(func)
        if isinstance(decorator, ast.Call) and self._signal_keywords(
            decorator, f"`@{qualified or ast.unparse(func)}`", decorator=True
        ):
            return
        if qualified in P.REGISTRATION_DECORATORS:
            self._effect(Effect("decorator", self.span(decorator), f"`@{qualified}`"))
            return
        if not isinstance(func, ast.Attribute):  # `@bus.subscribe("x")` and bare `@celery_app.task`
            return
        owner = func.value
        if not isinstance(owner, (ast.Name, ast.Attribute)) or not self._names_import(owner):
            return
        owner_name = self.qualify(owner)
        if owner_name is None or owner_name.startswith(self.module + "."):
            return
        # The owner must be an object from another module, not a module: the
        # project model checks that (``Effect.detail`` keeps the owner's name).
        self._effect(Effect("registration", self.span(decorator), f"{owner_name}|{func.attr}"))

    def _task_name(self, decorator: ast.expr) -> None:
        if not isinstance(decorator, ast.Call):
            return
        func = decorator.func
        qualified = self.qualify(func) or ""
        is_task = (
            (isinstance(func, ast.Attribute) and func.attr == "task")
            or qualified in P.TASK_DECORATORS
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
                span = self.span(keyword.value)
                # Seen as a reference already (``name=`` of a ``task`` call): a task name.
                self.out.dotted_strings = [d for d in self.out.dotted_strings if d.span != span]
                self.out.dotted_strings.append(
                    DottedString(keyword.value.value, span, "task-name", callee)
                )

    def _dotted_call(self, node: ast.Call, callee: str) -> None:
        first = _argument(node, 0, P.DOTTED_PATH_KEYWORDS.get(callee, "target"))
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            return
        create = _argument(node, None, "create")
        if create is not None and not (isinstance(create, ast.Constant) and not create.value):
            return  # ``mock.patch(..., create=True)`` may name an attribute that does not exist yet
        value: str | None = first.value
        if callee == "builtins.__import__":
            value = self._import_level(node, first.value)
        elif first.value.startswith("."):
            value = self._relative_import_module(node, first.value)
        if value:
            span = self.span(first)
            # ``resolve_name("pkg.mod:attr")`` was just recorded as an entry string too: keep one.
            self.out.dotted_strings = [d for d in self.out.dotted_strings if d.span != span]
            how = P.DOTTED_PATH_CALLS[callee]
            self.out.dotted_strings.append(DottedString(value, span, how, callee))

    def _relative_import_module(self, node: ast.Call, name: str) -> str | None:
        """``import_module(".x", package=...)`` made absolute (``package=__name__`` too)."""
        package = _argument(node, 1, "package")
        if isinstance(package, ast.Constant) and isinstance(package.value, str):
            anchor = package.value
        elif isinstance(package, ast.Name) and package.id == "__name__":
            anchor = self.module
        elif package is not None and ast.unparse(package) in ("__package__", "__spec__.parent"):
            anchor = self.out.package
        else:
            return None
        level = len(name) - len(name.lstrip("."))
        return prepass.resolve_relative(name[level:] or None, level, anchor) or None

    def _import_level(self, node: ast.Call, name: str) -> str | None:
        """``__import__(name, globals(), locals(), fromlist, level)``, level > 0 made absolute."""
        level = _argument(node, 4, "level")
        if level is None:
            return name
        if not (isinstance(level, ast.Constant) and isinstance(level.value, int)):
            return None
        return prepass.resolve_relative(name or None, level.value, self.out.package) or None

    def _config_read(self, node: ast.Call, how: str, path_node: ast.expr | None) -> None:
        if not self.import_time:
            return
        self.read_calls.add(id(node))
        path, relative = self._literal_path(path_node)
        self.out.config_reads.append(ConfigRead(self.span(node), how, path, relative))

    def _memory_stream(self, source: ast.expr | None) -> bool:
        """``json.load(io.StringIO(text))`` (or a name bound to one) reads no file."""
        if isinstance(source, ast.Name):
            stmts = self.pre.names.get(source.id)
            source = stmts[-1].value if stmts and len(stmts) == 1 else None
        return isinstance(source, ast.Call) and self.qualify(source.func) in P.MEMORY_STREAMS

    def _already_read(self, source: ast.expr | None) -> bool:
        if isinstance(source, ast.Call):
            return id(source) in self.read_calls
        return isinstance(source, ast.Name) and source.id in self.open_handles

    def _literal_path(self, node: ast.expr | None) -> tuple[str | None, bool]:
        """The file a path expression names, and whether it is relative to the module's directory.

        Paths built from ``__file__`` (``Path(__file__).parent / "x"``,
        ``os.path.join(os.path.dirname(__file__), "..", "x")``, names bound to
        such directories) are relative to the module's directory, with ``../``
        for each level above it; other relative paths are relative to the
        working directory. ``(None, False)`` when the path is not literal.
        """
        found = self._path_expr(node, 0) if node is not None else None
        if found is None:
            return None, False
        path, relative = found
        if relative and path.startswith(_MODULE_FILE):
            return None, False  # the module's own file, or a path that is not under its directory
        return path, relative

    def _path_expr(self, node: ast.expr, depth: int) -> tuple[str, bool] | None:
        """``(normalised path, relative to the module's directory)`` of a path we can read."""
        if depth > 8:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return posixpath.normpath(node.value.replace("\\", "/")), False
        if isinstance(node, (ast.Name, ast.Attribute)) and self.qualify(node) == "os.devnull":
            return "/dev/null", False
        if isinstance(node, ast.Name):
            if node.id == "__file__":
                return _MODULE_FILE, True
            stmts = self.pre.names.get(node.id)
            # Only a name bound once: with two bindings we cannot tell which file is read.
            value = (
                stmts[0].value if stmts and len(stmts) == 1 and stmts[0].kind == "value" else None
            )
            if value is not None and self.resolve(node.id)[1] == "module":
                return self._path_expr(value, depth + 1)
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return self._join_paths([node.left, node.right], depth)
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            return _parent_path(self._path_expr(node.value, depth + 1), 1)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
            index = _literal(node.slice)
            if node.value.attr == "parents" and isinstance(index, int) and index >= 0:
                return _parent_path(self._path_expr(node.value.value, depth + 1), index + 1)
            return None
        if isinstance(node, ast.Call):
            return self._path_call(node, depth)
        return None

    def _path_call(self, node: ast.Call, depth: int) -> tuple[str, bool] | None:
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            return None
        callee = self.qualify(node.func) or ""
        args = node.args
        if callee in ("pathlib.Path.cwd", "os.getcwd") and not args:
            return ".", False
        if callee in P.PATH_CONSTRUCTORS or callee == "os.path.join":
            return self._join_paths(args, depth) if args else None
        if callee in _SAME_PATH_CALLS and len(args) == 1:
            return self._path_expr(args[0], depth + 1)
        if callee == "os.path.dirname" and len(args) == 1:
            return _parent_path(self._path_expr(args[0], depth + 1), 1)
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("resolve", "absolute") and not args:
            return self._path_expr(func.value, depth + 1)
        if isinstance(func, ast.Attribute) and func.attr == "joinpath" and args:
            return self._join_paths([func.value, *args], depth)
        if isinstance(func, ast.Attribute) and func.attr == "with_name" and len(args) == 1:
            # ``Path(__file__).with_name("x.json")``: the file beside the one named.
            folder = _parent_path(self._path_expr(func.value, depth + 1), 1)
            name = self._path_expr(args[0], depth + 1)
            return self._join_paths_of(folder, name)
        if callee in _RESOURCE_ROOTS and len(args) == 1 and self._names_own_package(args[0]):
            # ``importlib.resources.files(__package__)``: the module's own directory.
            return ".", True
        return None

    def _names_own_package(self, node: ast.expr) -> bool:
        """``__package__``, ``__name__`` (of a package's ``__init__``, or of a module,
        whose ``files()`` is its directory too) or the package's name as a literal."""
        if isinstance(node, ast.Name) and node.id in ("__package__", "__name__"):
            return True
        return isinstance(node, ast.Constant) and node.value in (self.out.package, self.module)

    @staticmethod
    def _join_paths_of(
        folder: tuple[str, bool] | None, name: tuple[str, bool] | None
    ) -> tuple[str, bool] | None:
        if folder is None or name is None or name[1] or posixpath.isabs(name[0]):
            return None
        return posixpath.normpath(posixpath.join(folder[0], name[0])), folder[1]

    def _join_paths(self, nodes: list[ast.expr], depth: int) -> tuple[str, bool] | None:
        parts = [self._path_expr(part, depth + 1) for part in nodes]
        if any(part is None for part in parts):
            return None
        path, relative = parts[0]  # type: ignore[misc]
        for part, part_relative in parts[1:]:  # type: ignore[misc]
            if part_relative or posixpath.isabs(part):
                path, relative = part, part_relative
            else:
                path = posixpath.normpath(posixpath.join(path, part))
        return path, relative

    def _env_read(self, node: ast.AST, how: str, key: ast.expr | None) -> None:
        var = self._literal_string(key)
        self.out.env_reads.append(EnvRead(self.span(node), how, var, self.import_time))

    def _literal_string(self, node: ast.expr | None) -> str | None:
        """A string literal, or a module-level name bound once to one (``KEY = "APP_DEBUG"``)."""
        if isinstance(node, ast.Name) and self.resolve(node.id)[1] == "module":
            stmts = self.pre.names.get(node.id)
            if stmts and len(stmts) == 1 and stmts[0].kind == "value":
                node = stmts[0].value
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        return None


# ---------------------------------------------------------------------- helpers
def _empties(stmt: ast.AST) -> bool:
    """``X = {}``, ``X = []``, ``X = set()``, ``X = None``: a reset, which records nothing."""
    value = getattr(stmt, "value", None) if isinstance(stmt, (ast.Assign, ast.AnnAssign)) else None
    if isinstance(value, ast.Constant):
        return value.value is None
    if isinstance(value, (ast.Dict, ast.List, ast.Set, ast.Tuple)):
        return not (getattr(value, "keys", None) or getattr(value, "elts", None))
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id in ("dict", "list", "set", "OrderedDict", "defaultdict")
        and not value.keywords
        and len(value.args) <= (1 if value.func.id == "defaultdict" else 0)
    )


def _init_functions(uses: dict[str, list[str | None]]) -> list[str]:
    """Functions that run only while the module is imported: called at import
    time, or only from functions that are (least fixpoint, so that two
    functions calling each other and nothing else do not qualify). A function
    without uses is listed only when deleted at import time (``del helper``)."""
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, where in uses.items():
            if name in found:
                continue
            if all(w == "" or (w and w in found and w != name) for w in where):
                found.add(name)
                changed = True
    return sorted(found)


_NO_LITERAL = object()


def _dict_keys(node: ast.expr) -> list[str] | None:
    """The string keys of a dict literal, also given to a call (``ImmutableDict({...})``,
    ``MappingProxyType({...})``) or spelled ``dict(a=1)``; None for anything else."""
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args:
            return [k.arg for k in node.keywords if k.arg is not None]
        if len(node.args) != 1 or not isinstance(node.args[0], ast.Dict):
            return None
        node = node.args[0]
    if not isinstance(node, ast.Dict):
        return None
    return [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]


def _literal(node: ast.expr) -> object:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _NO_LITERAL


def _argument(node: ast.Call, index: int | None, keyword: str | None) -> ast.expr | None:
    if keyword is not None:
        for kw in node.keywords:
            if kw.arg == keyword:
                return kw.value
    if (
        index is not None
        and index < len(node.args)
        and not any(isinstance(a, ast.Starred) for a in node.args[: index + 1])
    ):
        return node.args[index]
    return None


def _opens_for_reading(node: ast.Call, mode_index: int = 1) -> bool:
    mode = _argument(node, mode_index, "mode")
    if mode is None:
        return True
    return (
        isinstance(mode, ast.Constant)
        and isinstance(mode.value, str)
        and not set(mode.value) & set("wax+")
    )


#: Stands for the module's own file in paths built from ``__file__``: its
#: directory is ``<module-file>/..`` (normalised to ``.``).
_MODULE_FILE = "<module-file>"
#: Calls whose result is the directory of the package they are given.
_RESOURCE_ROOTS = frozenset({"importlib.resources.files", "importlib_resources.files"})
#: Calls that return the path they are given (as far as which file it names goes).
_SAME_PATH_CALLS = frozenset(
    {
        "os.path.abspath",
        "os.path.realpath",
        "os.path.normpath",
        "os.fspath",
        "builtins.str",
        "os.path.normcase",
    }
)


def _parent_path(found: tuple[str, bool] | None, levels: int) -> tuple[str, bool] | None:
    """``levels`` directories above a path (``<module-file>`` -> ``.`` -> ``..``)."""
    if found is None:
        return None
    path, relative = found
    for _ in range(levels):
        path = posixpath.normpath(posixpath.join(path, ".."))
    return path, relative


def _is_classvar(annotation: ast.expr) -> bool:
    node = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    if isinstance(node, ast.Name):
        return node.id == "ClassVar"
    if isinstance(node, ast.Attribute):
        return node.attr == "ClassVar"
    return (
        isinstance(annotation, ast.Constant)
        and isinstance(annotation.value, str)
        and "ClassVar" in annotation.value
    )


def _slot_names(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [
            e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
    if isinstance(node, ast.Dict):
        return [
            k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)
        ]
    return []


def _endless_loop(node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, int] | None:
    """How ``node`` loops forever, if it does (its own body, not nested functions), and
    the line of the looping statement.

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
            how = _endless_condition(current)
            if how and (not _can_leave(current) or _waits(current)):
                return how, current.lineno
        value = getattr(current, "value", None)
        if isinstance(value, ast.Await):
            value = value.value
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr in ("serve_forever", "run_forever")
        ):
            return f"`{value.func.attr}()`", current.lineno
        if isinstance(current, (*_FUNCTIONS, ast.ClassDef)):
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
        if isinstance(current, (*_FUNCTIONS, ast.ClassDef)):
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
        if isinstance(current, (*_FUNCTIONS, ast.ClassDef, ast.Lambda)):
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
    test = loop.test
    if isinstance(test, ast.Constant):
        return "`while True:`" if test.value else None
    negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
    inner = test.operand if negated else test  # type: ignore[attr-defined]
    if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute):
        if inner.func.attr in ("is_set", "wait", "is_stopped", "stopped", "done", "is_alive"):
            return f"`while {ast.unparse(test)}:`"
        return None
    if isinstance(inner, (ast.Name, ast.Attribute)):
        flag = ast.unparse(inner)
        for sub in ast.walk(loop):
            # `while stack: stack.pop()` drains a container; it is not a worker loop.
            if (
                isinstance(sub, ast.Call)
                and isinstance(sub.func, ast.Attribute)
                and ast.unparse(sub.func.value) == flag
                and sub.func.attr in P.MUTATING_METHODS
            ):
                return None
            if isinstance(sub, (ast.Assign, ast.AugAssign)):
                targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
                if any(ast.unparse(t) == flag for t in targets) and not isinstance(
                    getattr(sub, "value", None), ast.Constant
                ):
                    return None
        return f"`while {ast.unparse(test)}:`"
    return None


def _code_change(node: ast.FunctionDef | ast.AsyncFunctionDef, span: Span) -> CodeChange:
    fact = CodeChange(span=span, callable_ok=True)
    decorators = {ast.unparse(d) for d in node.decorator_list}
    if decorators & {"staticmethod", "classmethod"}:
        fact.callable_ok = False
        fact.problem = "is a static or class method, so it cannot migrate the instance"
        return fact
    if isinstance(node, ast.AsyncFunctionDef) or _is_generator(node):
        # The runtime calls the hook synchronously: the call only creates a
        # coroutine or generator object, and the body never runs.
        fact.callable_ok = False
        kind = (
            "an async function"
            if isinstance(node, ast.AsyncFunctionDef)
            else "a generator function"
        )
        fact.problem = f"is {kind}, so calling it does not run its body"
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    required = len(positional) - len(args.defaults)
    if required > 3:
        fact.callable_ok = False
        fact.problem = (
            f"requires {required} positional parameters; it is called as (self, old_vsn, extra)"
        )
    elif len(positional) < 3 and args.vararg is None:
        fact.callable_ok = False
        fact.problem = "cannot take (self, old_vsn, extra): too few parameters"
    elif any(d is None for d in args.kw_defaults):
        fact.callable_ok = False
        fact.problem = "has keyword-only parameters without defaults"
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
        if not isinstance(current, (*_FUNCTIONS, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(current))
    return found


def _is_generator(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(isinstance(sub, (ast.Yield, ast.YieldFrom)) for sub in _own_nodes(node))


def _new_instance_name(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
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
            value = _literal(right)
            if value is _NO_LITERAL:
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
        value = _literal(pattern.value)
        return None if value is _NO_LITERAL else [value]
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
