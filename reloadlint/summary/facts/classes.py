"""Class facts: what each class declares and what its methods do with ``self``.

Serves RL201 (missing-vsn), RL202 (state-changed-without-vsn-bump), RL203
(missing-code-change) and RL204 (invalid-version-protocol) with
:class:`~reloadlint.summary.model.ClassFact`: bases, decorators, methods,
the attributes each method assigns and reads on ``self``, class-body names,
``__slots__``, dataclass fields and defaults, ``__vsn__`` and
``__code_change__`` (:mod:`~reloadlint.summary.facts.versions`). RL104 reads
the same facts to find enums (tables in :mod:`~reloadlint.summary.facts.class_kinds`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from reloadlint.summary import prepass
from reloadlint.summary.facts import versions
from reloadlint.summary.model import ClassFact
from reloadlint.summary.walk import FUNCTIONS, Family, Scope, Walk

#: Calls that declare a dataclass/attrs field in a class body.
FIELD_FACTORIES = frozenset(
    {"attr.ib", "attr.attrib", "attrs.field", "attr.field", "dataclasses.field"}
)
#: Methods Python makes class methods without a decorator: ``cls.x = ...`` there is class state.
_IMPLICIT_CLASSMETHODS = frozenset({"__init_subclass__", "__class_getitem__"})


@dataclass(slots=True)
class _Method:
    """The method whose ``self`` attribute writes are being recorded."""

    fact: ClassFact
    name: str
    self_name: str


class ClassFacts(Family):
    RULES = ("RL104", "RL201", "RL202", "RL203", "RL204")
    CALLS = {"builtins.setattr": "setattr_call"}

    def __init__(self, walk: Walk) -> None:
        super().__init__(walk)
        #: the classes being walked, innermost last
        self.classes: list[ClassFact] = []
        self.method: _Method | None = None
        self._saved: list[_Method | None] = []

    def _set_method(self, method: _Method | None) -> None:
        self.method = method
        self.walk.self_name = method.self_name if method is not None else None

    # ----------------------------------------------------------------- classes
    def on_class(self, node: ast.ClassDef, qualname: str, enclosing: Scope) -> None:
        walk = self.walk
        metaclass = next((k.value for k in node.keywords if k.arg == "metaclass"), None)
        fact = ClassFact(
            name=node.name,
            qualname=qualname,
            span=walk.name_span(node),
            bases=[walk.qualify(b) or "" for b in node.bases],
            metaclass=(walk.qualify(metaclass) or "") if metaclass is not None else "",
            decorators=[
                walk.qualify(d.func if isinstance(d, ast.Call) else d) or ""
                for d in node.decorator_list
            ],
            methods=[],
            self_attrs={},
            annotated={},
            field_calls=[],
            slots=[],
            body_names=[],
            import_time=walk.import_time and enclosing.kind != "function",
        )
        if fact.import_time:
            self.out.classes.append(fact)
        self._body_facts(node, fact)
        self._saved.append(self.method)
        self._set_method(None)
        self.classes.append(fact)

    def on_class_exit(self, node: ast.ClassDef) -> None:
        fact = self.classes.pop()
        self._set_method(self._saved.pop())
        for name in [*fact.methods, *fact.self_attrs]:
            fact.self_reads.pop(name, None)  # only class-level and inherited attributes

    def _body_facts(self, node: ast.ClassDef, fact: ClassFact) -> None:
        walk = self.walk
        for stmt in node.body:
            if isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    for bound in prepass._targets(target):
                        fact.body_names.append(bound.id)
                        if bound.id == "__vsn__":
                            versions.vsn(fact, stmt.value, walk.span(stmt), annotated=False)
                        elif bound.id == "__slots__":
                            fact.slots = _slot_names(stmt.value)
                        elif (
                            isinstance(stmt.value, ast.Call)
                            and walk.qualify(stmt.value.func) in FIELD_FACTORIES
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
                    and walk.qualify(stmt.value.func) in FIELD_FACTORIES
                ):
                    fact.field_calls.append(name)
                elif (keys := _dict_keys(stmt.value)) is not None:
                    fact.dict_defaults[name] = keys
                if name == "__vsn__":
                    span = walk.span(stmt)
                    versions.vsn(fact, stmt.value, span, annotated=not is_classvar)
            elif isinstance(stmt, (*FUNCTIONS, ast.ClassDef)):
                fact.body_names.append(stmt.name)

    # ----------------------------------------------------------------- methods
    def on_function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, enclosing: Scope, scope: Scope
    ) -> None:
        self._saved.append(self.method)
        context = self._method_context(node, enclosing)
        if context is not None:
            self._set_method(context)
        elif enclosing.kind == "class":
            self._set_method(None)

    def on_function_exit(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, enclosing: Scope
    ) -> None:
        self._set_method(self._saved.pop())
        if node.name == "__code_change__" and enclosing.kind == "class" and self.classes:
            span = self.walk.name_span(node)
            self.classes[-1].code_change = versions.code_change(node, span)

    def _method_context(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, enclosing: Scope
    ) -> _Method | None:
        if enclosing.kind != "class" or not self.classes:
            return None
        fact = self.classes[-1]
        fact.methods.append(node.name)
        decorators = {self.walk.qualify(d) for d in node.decorator_list}
        if (
            decorators & {"builtins.staticmethod", "builtins.classmethod"}
            or node.name in _IMPLICIT_CLASSMETHODS
        ):
            return None
        if node.name == "__new__":
            # ``cls.x = ...`` here sets a class attribute; the instance is what
            # ``super().__new__(cls)`` / ``object.__new__(cls)`` returned.
            instance = versions.new_instance_name(node)
            return _Method(fact, node.name, instance) if instance else None
        params = [*node.args.posonlyargs, *node.args.args]
        if not params:
            return None
        return _Method(fact, node.name, params[0].arg)

    def on_store_attribute(self, target: ast.Attribute, value: ast.expr | None) -> None:
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

    def on_self_attribute(self, node: ast.Attribute) -> None:
        method = self.method
        assert method is not None  # the walk calls this inside a method only
        readers = method.fact.self_reads.setdefault(node.attr, [])
        if method.name not in readers:
            readers.append(method.name)

    def on_subscript(self, node: ast.Subscript) -> None:
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

    def on_self_call(self, func: ast.Attribute) -> None:
        """Record ``self.helper(...)`` inside a method (which methods only initialisers call)."""
        method = self.method
        assert method is not None  # the walk calls this inside a method only
        caller = method.name
        if not self.walk.scopes[-1].qualname.endswith(f".{method.name}"):
            caller += ".<nested>"  # a callback or lambda made here may run at any later time
        callers = method.fact.self_calls.setdefault(func.attr, [])
        if caller not in callers:
            callers.append(caller)

    def setattr_call(self, node: ast.Call, callee: str) -> None:
        """``setattr(self, "name", value)`` assigns ``self.name``."""
        method = self.method
        if len(node.args) < 2 or method is None:
            return
        target, name = node.args[0], node.args[1]
        if (
            isinstance(target, ast.Name)
            and target.id == method.self_name
            and isinstance(name, ast.Constant)
            and isinstance(name.value, str)
        ):
            methods = method.fact.self_attrs.setdefault(name.value, [])
            if method.name not in methods:
                methods.append(method.name)


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
