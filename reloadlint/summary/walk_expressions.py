"""The core walk's expressions: name loads (uses of imports, references through
them), calls (dispatched to the families by callee and by method name),
containers, lambdas and comprehensions (their scopes). See
:mod:`reloadlint.summary.walk`."""

from __future__ import annotations

import ast

from reloadlint.summary.model import Ref, Use
from reloadlint.summary.scopes import argument_names, comprehension_targets
from reloadlint.summary.walk import Scope, Walk


class Expressions(Walk):
    def visit_Name(self, node: ast.Name) -> None:
        if not isinstance(node.ctx, ast.Load):
            return
        hooks = self._names.get(node.id)
        if hooks is not None:
            for hook in hooks:
                hook(node)
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

    def visit_Attribute(self, node: ast.Attribute) -> None:
        """Record the whole chain ``a.b.c`` once (not ``a.b`` again), then visit its root."""
        load = isinstance(node.ctx, ast.Load)
        if not load:
            for hook in self._on_target_attribute:
                hook(node)
        value = node.value
        if (
            self.self_name is not None
            and load
            and isinstance(value, ast.Name)
            and value.id == self.self_name
        ):
            for hook in self._on_self_attribute:
                hook(node)
        root = value
        while isinstance(root, ast.Attribute):
            root = root.value
        if load and isinstance(root, ast.Name) and self.names_import(root):
            qualified = self.qualify(node)
            if qualified:
                self.out.module_refs.append(Ref(qualified, self.span(node)))
        self.visit(root)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.ctx, ast.Load):
            for hook in self._on_subscript:
                hook(node)
        self.visit(node.value)
        saved = self.in_slice
        self.in_slice = True
        self.visit(node.slice)
        self.in_slice = saved

    def visit_Compare(self, node: ast.Compare) -> None:
        self.visit(node.left)
        self.visit_many(node.comparators)
        for hook in self._on_compare:
            hook(node)

    def visit_Dict(self, node: ast.Dict) -> None:
        for hook in self._on_container:
            hook(node)
        self.visit_many([*(k for k in node.keys if k is not None), *node.values])
        for hook in self._on_dict:
            hook(node)

    def visit_List(self, node: ast.List | ast.Set) -> None:
        for hook in self._on_container:
            hook(node)
        self.visit_many(node.elts)

    visit_Set = visit_List

    def visit_Tuple(self, node: ast.Tuple) -> None:
        if isinstance(node.ctx, ast.Load):
            for hook in self._on_container:
                hook(node)
        self.visit_many(node.elts)

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
            for hook in self._on_default:
                hook(default, node)
        enclosing = self.scopes[-1]
        scope = Scope(
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
        for generator in node.generators:
            for hook in self._on_unvisited:
                hook(generator.target)
        self.visit(node.generators[0].iter)
        enclosing = self.scopes[-1]
        scope = Scope("comprehension", enclosing.qualname, comprehension_targets(node))
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

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        """The literal parts of an f-string are fragments, never strings of their own."""
        for value in node.values:
            if not isinstance(value, ast.Constant):
                self.visit(value)
            else:
                for hook in self._on_unvisited:
                    hook(value)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (
            self.self_name is not None
            and isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == self.self_name
        ):
            for hook in self._on_self_call:
                hook(func)
        callee = self.qualify(func)
        if isinstance(func, ast.Name):
            self.callee_names.add(id(func))
        self.visit(func)
        self.visit_many(node.args)
        for keyword in node.keywords:
            self.visit(keyword.value)
        for hook in self._on_call:
            hook(node, callee)
        if callee is not None:
            handlers = self._calls.get(callee)
            if handlers is not None:
                for index, method in handlers:
                    getattr(self.families[index], method)(node, callee)
        if isinstance(func, ast.Attribute):
            handlers = self._methods.get(func.attr)
            if handlers is not None:
                for index, method in handlers:
                    getattr(self.families[index], method)(node, func, callee)
