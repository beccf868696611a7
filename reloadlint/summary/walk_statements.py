"""The core walk's statements: imports, definitions, assignments, and the blocks that
change what runs at import time (the main block, ``if TYPE_CHECKING:``, reload
guards). See :mod:`reloadlint.summary.walk`."""

from __future__ import annotations

import ast

from reloadlint.summary import branches, prepass
from reloadlint.summary.model import ImportFact
from reloadlint.summary.scopes import function_locals
from reloadlint.summary.walk import IMPORT_ERRORS, PROCESS_LISTS, Scope, Walk


class Statements(Walk):
    # ----------------------------------------------------------------- imports
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

    # ----------------------------------------------------------------- definitions
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._decorators(node.decorator_list, node)
        self._arguments(node)
        enclosing = self.scopes[-1]
        qualname = f"{enclosing.qualname}.{node.name}" if enclosing.qualname else node.name
        self._definition(node, qualname)
        info = function_locals(node)
        scope = Scope("function", qualname, info.names, {}, info.declared_global)
        saved = self.import_time
        self.import_time = False
        for hook in self._on_function:
            hook(node, enclosing, scope)
        self.scopes.append(scope)
        self.visit_body(node.body)
        self.scopes.pop()
        self.import_time = saved
        for hook in self._on_function_exit:
            hook(node, enclosing)

    visit_AsyncFunctionDef = visit_FunctionDef

    def _definition(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, qualname: str
    ) -> None:
        """Record where a definition starts (its first decorator) and ends."""
        start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        self.out.definitions.append((qualname, start, node.end_lineno or node.lineno))

    def _decorators(self, decorators: list[ast.expr], node: ast.AST) -> None:
        for decorator in decorators:
            if isinstance(decorator, ast.Name):
                self.callee_names.add(id(decorator))
            self.visit(decorator)
            for hook in self._on_decorator:
                hook(decorator, node)

    def _arguments(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        args, returns = node.args, node.returns
        defaults = [*args.defaults, *(d for d in args.kw_defaults if d is not None)]
        for default in defaults:
            self.visit(default)
            for hook in self._on_default:
                hook(default, node)
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
        for hook in self._on_class:
            hook(node, qualname, enclosing)
        self.scopes.append(Scope("class", qualname))
        self.visit_body(node.body)
        self.scopes.pop()
        for hook in self._on_class_exit:
            hook(node)

    # ----------------------------------------------------------------- assignments
    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for hook in self._on_assign_value:
            hook(node)
        for target in node.targets:
            self._store_target(target, node.value)
        for hook in self._on_assign:
            hook(node, node.targets)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
            for hook in self._on_assign:
                hook(node, [node.target])
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
            for hook in self._on_target_attribute:
                hook(node.target)
            return
        self._store_target(node.target, node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        self._store_target(node.target, node.value, augmented=True)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            for hook in self._on_delete:
                hook(target)
            self.visit(target)

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
        for hook in self._on_store:
            hook(target, value, augmented)
        if isinstance(target, ast.Subscript):
            for hook in self._on_store_item:
                hook(target, value)
            self.visit(target.value)
            self.visit(target.slice)
            return
        if isinstance(target, ast.Attribute):
            self.visit(target.value)
            for hook in self._on_store_attribute:
                hook(target, value)
            for hook in self._on_target_attribute:
                hook(target)
            return
        if isinstance(target, ast.Starred):
            self._store_target(target.value, value, augmented)

    # ----------------------------------------------------------------- blocks
    def visit_If(self, node: ast.If) -> None:
        if prepass.is_main_guard(node.test):
            for hook in self._on_unvisited:
                hook(node.test)
            self.out.main_block = self.span(node)
            saved = self.import_time
            self.import_time = False
            self.visit_body(node.body)
            self.import_time = saved
            self.visit_body(node.orelse)
            return
        if prepass.is_type_checking_test(node.test):
            for hook in self._on_unvisited:
                hook(node.test)
            saved_tc, saved_it = self.type_checking, self.import_time
            self.type_checking, self.import_time = True, False
            self.visit_body(node.body)
            self.type_checking, self.import_time = saved_tc, saved_it
            self.visit_body(node.orelse)
            return
        self.visit(node.test)
        runs = branches.runs_here(node, self.pre.platform)
        if runs is not None:
            self._branch(node.body, here=runs)
            self._branch(node.orelse, here=not runs)
            return
        saved_guards = self.idempotent, self.namespace_guarded
        guard = self._idempotence_guard(node.test)
        self.idempotent = self.idempotent or guard == "process"
        self.namespace_guarded = self.namespace_guarded or guard == "namespace"
        self.visit_body(node.body)
        self.idempotent, self.namespace_guarded = saved_guards
        self.visit_body(node.orelse)

    def _branch(self, body: list[ast.stmt], *, here: bool) -> None:
        """A branch of a platform test or feature probe (:mod:`reloadlint.summary.branches`):
        one that does not run here does nothing at import time, and its imports are
        fallbacks, as in an ``except ImportError:`` handler."""
        if here:
            self.visit_body(body)
            return
        saved = self.import_time, self.import_fallback
        self.import_time, self.import_fallback = False, True
        self.visit_body(body)
        self.import_time, self.import_fallback = saved

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
            return "process" if self.qualify(test.comparators[0]) in PROCESS_LISTS else None
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
                for hook in self._on_with_item:
                    hook(item)
                self._store_target(item.optional_vars, None)
        self.visit_body(node.body)

    visit_AsyncWith = visit_With

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
            kinds = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            for kind in kinds:
                for hook in self._on_except:
                    hook(kind)
        saved = self.import_fallback
        self.import_fallback = saved or self._catches_import_error(node.type)
        self.visit_body(node.body)
        self.import_fallback = saved

    def _catches_import_error(self, kind: ast.expr | None) -> bool:
        kinds = kind.elts if isinstance(kind, ast.Tuple) else [kind] if kind else []
        return any(self.qualify(k) in IMPORT_ERRORS for k in kinds)

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for hook in self._on_unvisited:
                hook(node)
            return  # a bare string is documentation, never a dotted path
        if isinstance(node.value, ast.Call):
            for hook in self._on_statement_call:
                hook(node.value)
        self.visit(node.value)
