"""Which names of a module mean its global bindings, from one ``ast`` parse.

The stale-import fix rewrites every use of an imported name; it is safe only
when each use means that one module-level binding, and when the name it
introduces (``app`` of ``app.db.connect``, or ``db`` of ``from . import db``)
means nothing else anywhere in the module. Python's scoping decides both:
a function's parameters and assignments are its own unless declared
``global``; a free name is an enclosing function's or the module's; a class
body reads its own names first. This walk records, for every identifier,
the module-level bindings, the uses that reach them, and every other place
the identifier occurs, in time linear in the file (a libcst scope analysis
of the same file costs about fifty times as much).

Where Python's answer depends on execution order (a class body that binds
the name and reads it), the use is *ambiguous*: the fix is not offered.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field

from reloadlint.summary.prepass import is_main_guard

_FUNCTION = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSION = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)

#: Node types :meth:`_Walker._special` handles; any other is walked generically.
_SPECIAL = frozenset(
    {
        ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, *_COMPREHENSION,
        ast.Name, ast.NamedExpr, ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal,
        ast.ExceptHandler, ast.MatchAs, ast.MatchStar, ast.MatchMapping, ast.AnnAssign, ast.arg,
        *(getattr(ast, name) for name in ("TypeAlias", "TypeVar", "ParamSpec", "TypeVarTuple")
          if hasattr(ast, name)),
    }
)  # fmt: skip

#: Nodes with nothing to walk: contexts, operators.
_LEAVES = frozenset(
    {
        *ast.expr_context.__subclasses__(), *ast.operator.__subclasses__(),
        *ast.boolop.__subclasses__(), *ast.cmpop.__subclasses__(),
        *ast.unaryop.__subclasses__(),
    }
)  # fmt: skip


@dataclass
class _Scope:
    kind: str  # module, function, class, comprehension
    parent: _Scope | None
    bound: set[str] = field(default_factory=set)
    declared_global: set[str] = field(default_factory=set)
    declared_nonlocal: set[str] = field(default_factory=set)
    #: the identifiers read in this scope directly: (name, node)
    reads: list[ast.Name] = field(default_factory=list)
    #: the scopes its code runs in when it runs (comprehensions, classes; not functions)
    inline: list[_Scope] = field(default_factory=list)


@dataclass
class Names:
    """Every identifier of one module, by what it means.

    ``global_bindings``: the nodes that bind a name in the module's namespace
    (an import alias, a def, an assignment target, a ``global`` store...).
    ``global_uses``: the ``Name`` loads that read that binding.
    ``ambiguous``: names with a read whose meaning depends on execution order,
    or that a ``del``/``global``/``nonlocal`` makes hard to follow.
    ``elsewhere``: names bound in some function, class or comprehension scope.
    ``free_reads``: names read somewhere that no scope binds (builtins, or a
    ``NameError``): a new module-level binding of one would change them.
    ``annotation_strings``: identifiers inside string annotations, whose
    meaning a type checker resolves from the module's names.
    """

    global_bindings: dict[str, list[ast.AST]] = field(default_factory=lambda: defaultdict(list))
    global_uses: dict[str, list[ast.Name]] = field(default_factory=lambda: defaultdict(list))
    ambiguous: set[str] = field(default_factory=set)
    elsewhere: set[str] = field(default_factory=set)
    free_reads: set[str] = field(default_factory=set)
    annotation_strings: set[str] = field(default_factory=set)
    #: the module binds names no walk can see (``from m import *``)
    star_import: bool = False
    #: names with a global use evaluated while the module is imported: in module
    #: code, a class body, a decorator, a default argument, an annotation (unless
    #: ``from __future__ import annotations``), or the body of a module-level
    #: function or class of this module that such code calls or applies as a decorator
    import_time: set[str] = field(default_factory=set)
    #: the names strings of the module name (``"escape"`` in ``__all__`` or in any
    #: other list of names, the last part of ``"pkg.mod.escape"`` or ``"pkg.mod:escape"``)
    strings: set[str] = field(default_factory=set)


def module_names(tree: ast.Module) -> Names:
    """:class:`Names` of a parsed module."""
    walker = _Walker()
    module = _Scope("module", None)
    walker.scopes.append(module)
    walker.postponed = any(
        isinstance(statement, ast.ImportFrom)
        and statement.module == "__future__"
        and any(alias.name == "annotations" for alias in statement.names)
        for statement in tree.body
    )
    walker.body(tree.body, module)
    walker.resolve()
    return walker.names


class _Walker:
    def __init__(self) -> None:
        self.names = Names()
        self.scopes: list[_Scope] = []
        #: binding nodes per (scope, name), for the module's own
        self.module_binders: dict[str, list[ast.AST]] = defaultdict(list)
        #: ids of the names called or applied as decorators (``f(...)``, ``@f``, ``@f(...)``)
        self.called: set[int] = set()
        #: ids of the names read in annotations
        self.in_annotation: set[int] = set()
        #: module-level def or class name -> the scopes of its code (a class: its methods')
        self.bodies: dict[str, list[_Scope]] = defaultdict(list)
        #: ``from __future__ import annotations``: annotations are never evaluated
        self.postponed = False
        #: ids of the names read in the module's ``if __name__ == "__main__":`` blocks
        self.main_reads: set[int] = set()
        #: id of a module-level class's scope -> the class's name
        self._class_names: dict[int, str] = {}

    # ---------------------------------------------------------------- binding

    def bind(self, scope: _Scope, name: str, node: ast.AST) -> None:
        if scope.kind == "comprehension" and isinstance(node, ast.Name) and self._walrus:
            while scope.kind == "comprehension" and scope.parent is not None:
                scope = scope.parent
        scope.bound.add(name)
        if scope.kind == "module":
            self.module_binders[name].append(node)
        else:
            self.names.elsewhere.add(name)
            if name in scope.declared_global:
                self.module_binders[name].append(node)
                self.names.ambiguous.add(name)

    _walrus = False

    # ---------------------------------------------------------------- walking

    def body(self, statements: list[ast.stmt], scope: _Scope) -> None:
        for statement in statements:
            if (
                scope.kind == "module"
                and isinstance(statement, ast.If)
                and is_main_guard(statement.test)
            ):
                self._main_block(statement, scope)
            else:
                self.node(statement, scope)

    def _main_block(self, statement: ast.If, scope: _Scope) -> None:
        """``if __name__ == "__main__":`` runs when the module is a script, never
        when it is imported: its reads are not import-time ones."""
        reads, inline = len(scope.reads), len(scope.inline)
        self.node(statement, scope)
        self.main_reads.update(id(read) for read in scope.reads[reads:])
        del scope.inline[inline:]

    def node(self, node: ast.AST, scope: _Scope) -> None:
        """Walk ``node`` in ``scope`` (the common nodes by a fast generic path)."""
        kind = type(node)
        if kind is ast.Constant:
            value = node.value  # type: ignore[attr-defined]
            if isinstance(value, str):
                if self._annotations:
                    self.names.annotation_strings.update(_identifiers(value))
                named = _named(value)
                if named:
                    self.names.strings.add(named)
            return
        if kind in _SPECIAL:
            self._special(node, scope)
            return
        if kind is ast.Call:
            self._mark_called(node.func)  # type: ignore[attr-defined]
        for field_name in node._fields:
            value = getattr(node, field_name, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST) and type(item) not in _LEAVES:
                        self.node(item, scope)
            elif isinstance(value, ast.AST) and type(value) not in _LEAVES:
                self.node(value, scope)

    def _special(self, node: ast.AST, scope: _Scope) -> None:
        """The nodes that bind, read or open a scope."""
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                self._mark_called(decorator)
                self.node(decorator, scope)
            self._arguments_outside(node.args, scope)
            if node.returns is not None:
                self.annotation(node.returns, scope)
            self.bind(scope, node.name, node)
            inner = self._new_scope("function", scope)
            if scope.kind == "module":
                self.bodies[node.name].append(inner)
            elif (
                scope.kind == "class" and scope.parent is not None and scope.parent.kind == "module"
            ):
                self.bodies[self._class_names[id(scope)]].append(inner)
            self._type_params(node, inner)
            self._arguments_inside(node.args, inner)
            self.body(node.body, inner)
        elif isinstance(node, ast.Lambda):
            self._arguments_outside(node.args, scope)
            inner = self._new_scope("function", scope)
            self._arguments_inside(node.args, inner)
            self.node(node.body, inner)
        elif isinstance(node, ast.ClassDef):
            for decorator in node.decorator_list:
                self._mark_called(decorator)
            for expression in (*node.decorator_list, *node.bases, *node.keywords):
                self.node(expression, scope)
            self.bind(scope, node.name, node)
            inner = self._new_scope("class", scope)
            if scope.kind == "module":
                self._class_names[id(inner)] = node.name
            self._type_params(node, inner)
            self.body(node.body, inner)
        elif isinstance(node, _COMPREHENSION):
            generators = node.generators
            self.node(generators[0].iter, scope)  # evaluated where the comprehension is
            inner = self._new_scope("comprehension", scope)
            for number, generator in enumerate(generators):
                if number:
                    self.node(generator.iter, inner)
                self.node(generator.target, inner)
                for condition in generator.ifs:
                    self.node(condition, inner)
            if isinstance(node, ast.DictComp):
                self.node(node.key, inner)
                self.node(node.value, inner)
            else:
                self.node(node.elt, inner)
        elif isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                scope.reads.append(node)
                if self._annotations:
                    self.in_annotation.add(id(node))
            else:
                if isinstance(node.ctx, ast.Del):
                    self.names.ambiguous.add(node.id)
                self.bind(scope, node.id, node)
        elif isinstance(node, ast.NamedExpr):
            self._walrus = True
            self.node(node.target, scope)
            self._walrus = False
            self.node(node.value, scope)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    self.names.star_import = True
                    continue
                bound = alias.asname or alias.name.split(".")[0]
                self.bind(scope, bound, alias)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            target = (
                scope.declared_global if isinstance(node, ast.Global) else scope.declared_nonlocal
            )
            target.update(node.names)
            self.names.ambiguous.update(node.names)
        elif isinstance(node, ast.ExceptHandler):
            if node.type is not None:
                self.node(node.type, scope)
            if node.name:
                self.bind(scope, node.name, node)
            self.body(node.body, scope)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)):
            if node.name:
                self.bind(scope, node.name, node)
            for child in ast.iter_child_nodes(node):
                self.node(child, scope)
        elif isinstance(node, ast.MatchMapping):
            if node.rest:
                self.bind(scope, node.rest, node)
            for child in ast.iter_child_nodes(node):
                self.node(child, scope)
        elif isinstance(node, ast.AnnAssign):
            self.annotation(node.annotation, scope)
            self.node(node.target, scope)
            if node.value is not None:
                self.node(node.value, scope)
        elif isinstance(node, ast.arg):
            if node.annotation is not None:
                self.annotation(node.annotation, scope)
        else:
            if type(node).__name__ in ("TypeAlias", "TypeVar", "ParamSpec", "TypeVarTuple"):
                name = getattr(node, "name", None)  # Python 3.12's type statement and parameters
                if isinstance(name, ast.Name):
                    self.bind(scope, name.id, name)
                elif isinstance(name, str):
                    self.bind(scope, name, node)
                    self.names.ambiguous.add(name)
            for child in ast.iter_child_nodes(node):
                self.node(child, scope)

    def annotation(self, node: ast.expr, scope: _Scope) -> None:
        """An annotation: its names are uses; its strings name identifiers too
        (:meth:`node` collects them while ``_annotations`` is set)."""
        self._annotations += 1
        try:
            self.node(node, scope)
        finally:
            self._annotations -= 1

    _annotations = 0

    def _new_scope(self, kind: str, parent: _Scope) -> _Scope:
        scope = _Scope(kind, parent)
        self.scopes.append(scope)
        if kind in ("class", "comprehension"):
            parent.inline.append(scope)  # runs when the code around it runs
        return scope

    def _mark_called(self, func: ast.expr) -> None:
        """``f(...)``, ``@f``, ``@f(...)``: ``f`` runs where this is evaluated."""
        if isinstance(func, ast.Call):
            func = func.func
        if isinstance(func, ast.Name):
            self.called.add(id(func))

    def _type_params(self, node: ast.AST, scope: _Scope) -> None:
        for param in getattr(node, "type_params", ()) or ():
            self.node(param, scope)

    def _arguments_outside(self, args: ast.arguments, scope: _Scope) -> None:
        """Defaults and annotations: evaluated where the function is defined."""
        for default in (*args.defaults, *(d for d in args.kw_defaults if d is not None)):
            self.node(default, scope)
        for arg in _all_args(args):
            if arg.annotation is not None:
                self.annotation(arg.annotation, scope)

    def _arguments_inside(self, args: ast.arguments, scope: _Scope) -> None:
        for arg in _all_args(args):
            self.bind(scope, arg.arg, arg)

    # ---------------------------------------------------------------- resolving

    def resolve(self) -> None:
        names = self.names
        for name, binders in self.module_binders.items():
            names.global_bindings[name].extend(binders)
        self._import_time()
        for scope in self.scopes:
            for read in scope.reads:
                meaning = _meaning(scope, read.id)
                if meaning == "global":
                    names.global_uses[read.id].append(read)
                elif meaning == "free":
                    names.free_reads.add(read.id)
                elif meaning == "ambiguous":
                    names.ambiguous.add(read.id)

    def _import_time(self) -> None:
        """Fill ``Names.import_time``: the global uses run while the module is
        imported, following the module's own functions and classes that import-time
        code calls (their bodies run then too), transitively."""
        pending = [self.scopes[0]]
        seen: set[int] = set()
        while pending:
            scope = pending.pop()
            if id(scope) in seen:
                continue
            seen.add(id(scope))
            pending.extend(scope.inline)
            for read in scope.reads:
                if self.postponed and id(read) in self.in_annotation:
                    continue  # a string to the interpreter: never evaluated here
                if id(read) in self.main_reads:
                    continue
                if _meaning(scope, read.id) != "global":
                    continue
                self.names.import_time.add(read.id)
                if id(read) in self.called:
                    pending.extend(self.bodies.get(read.id, ()))


def _meaning(scope: _Scope, name: str) -> str:
    """What a read of ``name`` in ``scope`` reaches: global, local, free or ambiguous."""
    if scope.kind == "class":
        if name in scope.bound:
            return "ambiguous"  # the class's own binding or the global, by execution order
        return _outer(scope.parent, name)
    if scope.kind == "module":
        return "global" if name in scope.bound else "free"
    if name in scope.declared_global:
        return "global"
    if name in scope.bound or name in scope.declared_nonlocal:
        return "local"
    return _outer(scope.parent, name)


def _outer(scope: _Scope | None, name: str) -> str:
    """The meaning of a free name of a nested scope: an enclosing function's, else the module's."""
    while scope is not None and scope.kind == "class":
        scope = scope.parent  # a class body's names are not visible to its methods
    if scope is None:
        return "free"
    if scope.kind == "module":
        return "global" if name in scope.bound else "free"
    if name in scope.declared_global:
        return "global"
    if name in scope.bound or name in scope.declared_nonlocal:
        return "local"
    return _outer(scope.parent, name)


def _all_args(args: ast.arguments) -> list[ast.arg]:
    found = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    found += [arg for arg in (args.vararg, args.kwarg) if arg is not None]
    return found


def _identifiers(text: str) -> set[str]:
    """The identifiers in a string annotation (every word, to be safe)."""
    word: list[str] = []
    found: set[str] = set()
    for char in text + " ":
        if char.isidentifier() or (word and (char.isalnum() or char == "_")):
            word.append(char)
        else:
            if word:
                found.add("".join(word))
            word = []
    return found


def _named(text: str) -> str:
    """The name a string names (``"escape"``, ``"pkg.mod.escape"``, ``"pkg.mod:escape"``), or ""."""
    if len(text) > 200:
        return ""
    if text.isidentifier():
        return text
    last = text.replace(":", ".").rpartition(".")
    if last[1] and last[2].isidentifier() and all(p.isidentifier() for p in last[0].split(".")):
        return last[2]
    return ""
