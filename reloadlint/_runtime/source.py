"""What a module's new source will bind when it is reloaded, read from its syntax tree.

Preflight runs before anything is executed, so the only way to know what a
reload will do is to read the new source: which top-level names it defines
(does ``from M import name`` find ``name`` in M's new version?), which names
of other modules it binds by value at import time (``from M import name``,
``class K(M.Base)``: they must reach the new objects), and what layout each
class will have (can a live instance's ``__class__`` be re-pointed at it?).
Statements under ``if``/``try`` at module level run too, but may be the
optional half of a fallback: they are read and marked ``optional``. Bodies of
``if TYPE_CHECKING:`` and ``if __name__ == "__main__":`` never run in a reload
and are skipped.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

#: Calls at module level that can bind names the syntax does not show.
_DYNAMIC_CALLS = frozenset({"globals", "vars", "locals", "exec"})
_DATACLASS = frozenset({"dataclasses.dataclass"})
#: attrs decorators that make a class slotted unless ``slots=False``.
_ATTRS_SLOTTED = frozenset(
    f"{module}.{name}" for module in ("attr", "attrs") for name in ("define", "frozen", "mutable")
)
#: attrs decorators that make a class slotted only with ``slots=True``.
_ATTRS_PLAIN = frozenset({"attr.s", "attr.attrs", "attrs.attrs", "attr.dataclass"})
_ATTRS_FIELDS = frozenset({"attr.ib", "attr.attrib", "attrs.field", "attr.field"})


@dataclass(frozen=True)
class Binding:
    """``module``'s name ``name``, bound by value while the new source executes."""

    line: int
    module: str  # the absolute dotted name the statement reads from
    name: str
    what: str  # "import" (``from M import name``) or "base" (a base class)
    owner: str  # the name bound (import) or the class that derives (base)
    optional: bool  # under ``if``/``try``: a failure may be expected


@dataclass(frozen=True)
class ClassShape:
    """The layout the new source gives one class (its own ``__slots__``)."""

    qualname: str
    slots: tuple[str, ...] | None  # ``__slots__`` literal of the body; None: not declared
    computed: bool = False  # ``__slots__`` is assigned something that is not a literal
    made_by: str = ""  # "dataclass" or "attrs" when a decorator makes the slots
    fields: tuple[str, ...] = ()  # the body's own fields, for ``made_by``
    #: each base as ``(module, name)`` (module "" for a name of this module), None when
    #: the expression cannot be named; ``X[...]`` is ``X``
    bases: tuple[tuple[str, str] | None, ...] = ()


@dataclass
class NewSource:
    """What the runtime needs to know about one module's new version."""

    defines: set[str] = field(default_factory=set)
    imported: set[str] = field(default_factory=set)  # names of ``defines`` bound by imports
    #: absolute names of the modules its unconditional imports may load (``from M import
    #: x``: M and M.x); imports under ``try``/``if`` may be the optional half of a fallback
    imports: set[str] = field(default_factory=set)
    #: names may be bound in ways the syntax does not show (star imports, a
    #: module ``__getattr__``, ``globals()``): a name missing from ``defines``
    #: may still be there
    dynamic: bool = False
    bindings: list[Binding] = field(default_factory=list)
    classes: dict[str, ClassShape] = field(default_factory=dict)


def read(tree: ast.Module, module: str, is_package: bool) -> NewSource:
    """Read ``tree``, the new source of ``module``."""
    reader = _Reader(module if is_package else module.rpartition(".")[0])
    reader.block(tree.body, optional=False)
    reader.out.dynamic = reader.out.dynamic or "__getattr__" in reader.out.defines
    return reader.out


class _Reader:
    def __init__(self, package: str) -> None:
        self.package = package
        self.out = NewSource()
        #: local name -> ("module", dotted) or ("from", module, name)
        self.aliases: dict[str, tuple[str, ...]] = {}

    def block(self, body: list[ast.stmt], optional: bool) -> None:
        for node in body:
            self.statement(node, optional)

    def statement(self, node: ast.stmt, optional: bool) -> None:
        if isinstance(node, ast.If):
            if not _is_type_checking(node.test) and not _is_main_guard(node.test):
                self.block(node.body, True)
            self.block(node.orelse, True)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            for part in (node.body, node.orelse, node.finalbody):  # type: ignore[attr-defined]
                self.block(part, True)
            for handler in node.handlers:  # type: ignore[attr-defined]
                if handler.name:
                    self.out.defines.add(handler.name)
                self.block(handler.body, True)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.targets(item.optional_vars)
            self.block(node.body, optional)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            if not isinstance(node, ast.While):
                self.targets(node.target)
            self.block(node.body, True)
            self.block(node.orelse, True)
        elif isinstance(node, ast.Import):
            self.imported(node, optional)
        elif isinstance(node, ast.ImportFrom):
            self.imported_from(node, optional)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.out.defines.add(node.name)
        elif isinstance(node, ast.ClassDef):
            self.out.defines.add(node.name)
            self.class_def(node, node.name, optional)
        else:
            self.simple(node)

    def simple(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                self.targets(target)
        elif isinstance(node, ast.AugAssign) or (
            isinstance(node, ast.AnnAssign) and node.value is not None
        ):
            self.targets(node.target)
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name):
                self.out.dynamic |= sub.func.id in _DYNAMIC_CALLS
            elif isinstance(sub, ast.NamedExpr):
                self.targets(sub.target)

    def targets(self, target: ast.expr | None) -> None:
        if isinstance(target, ast.Name):
            self.out.defines.add(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.targets(element)
        elif isinstance(target, ast.Starred):
            self.targets(target.value)

    def imported(self, node: ast.Import, optional: bool) -> None:
        for alias in node.names:
            local = alias.asname or alias.name.partition(".")[0]
            if not optional:
                self.out.imports.add(alias.name)
            self.aliases[local] = ("module", alias.name if alias.asname else local)
            self.out.defines.add(local)
            self.out.imported.add(local)

    def imported_from(self, node: ast.ImportFrom, optional: bool) -> None:
        module = self.absolute(node)
        if not optional:
            self.out.imports |= {module, *(f"{module}.{a.name}" for a in node.names)} - {""}
        for alias in node.names:
            if alias.name == "*":
                self.out.dynamic = True
                continue
            local = alias.asname or alias.name
            self.out.defines.add(local)
            self.out.imported.add(local)
            if module:
                self.aliases[local] = ("from", module, alias.name)
                self.out.bindings.append(
                    Binding(node.lineno, module, alias.name, "import", local, optional)
                )

    def absolute(self, node: ast.ImportFrom) -> str:
        relative = "." * node.level + (node.module or "")
        try:
            return importlib.util.resolve_name(relative, self.package)
        except (ImportError, ValueError):
            return ""  # beyond the top-level package: preflight reports the import itself

    def class_def(self, node: ast.ClassDef, qualname: str, optional: bool) -> None:
        bases = []
        for base in node.bases:
            expr = base.value if isinstance(base, ast.Subscript) else base
            found = self.dotted(expr)
            if found is not None:
                module, name = found
                self.out.bindings.append(
                    Binding(base.lineno, module, name, "base", qualname, optional)
                )
            elif isinstance(expr, ast.Name):
                found = ("", expr.id)  # defined in this module (or a builtin)
            bases.append(found)
        shape = self.shape(node, qualname)
        self.out.classes[qualname] = dataclasses.replace(shape, bases=tuple(bases))
        for child in _class_body(node.body):
            if isinstance(child, ast.ClassDef):
                self.class_def(child, f"{qualname}.{child.name}", optional)

    def dotted(self, expr: ast.expr) -> tuple[str, str] | None:
        """``(module, name)`` a base class expression reads, through the imports."""
        parts: list[str] = []
        while isinstance(expr, ast.Attribute):
            parts.insert(0, expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return None
        alias = self.aliases.get(expr.id)
        if alias is None:
            return None
        if alias[0] == "module":
            full = [*alias[1].split("."), *parts]
        else:
            full = [*alias[1].split("."), alias[2], *parts]
        if not parts and alias[0] == "from":
            return alias[1], alias[2]  # ``class K(Base)`` after ``from M import Base``
        if len(full) < 2:
            return None
        return ".".join(full[:-1]), full[-1]

    def shape(self, node: ast.ClassDef, qualname: str) -> ClassShape:
        slots: tuple[str, ...] | None = None
        computed = False
        for child in _class_body(node.body):
            value = _assigned(child, "__slots__")
            if value is not None:
                slots = _literal_names(value)
                computed = slots is None
        if any(self.qualify(base).rpartition(".")[2] == "NamedTuple" for base in node.bases):
            slots = ()  # typing.NamedTuple makes a namedtuple: ``__slots__ = ()``
        made_by = ""
        for decorator in node.decorator_list:
            made_by = made_by or self.slots_decorator(decorator)
        fields = _fields(node, made_by, self.qualify) if made_by else ()
        return ClassShape(qualname, slots, computed, made_by, fields)

    def slots_decorator(self, decorator: ast.expr) -> str:
        call = decorator if isinstance(decorator, ast.Call) else None
        name = self.qualify(call.func if call else decorator)
        keywords = {k.arg: k.value for k in call.keywords} if call else {}
        slots = keywords.get("slots")
        explicit = isinstance(slots, ast.Constant) and slots.value is True
        if name in _DATACLASS:
            return "dataclass" if explicit else ""
        if name in _ATTRS_SLOTTED:
            return "" if isinstance(slots, ast.Constant) and slots.value is False else "attrs"
        if name in _ATTRS_PLAIN:
            return "attrs" if explicit else ""
        return ""

    def qualify(self, expr: ast.expr) -> str:
        parts: list[str] = []
        while isinstance(expr, ast.Attribute):
            parts.insert(0, expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return ""
        alias = self.aliases.get(expr.id)
        if alias is None:
            return ".".join([expr.id, *parts])
        head = alias[1:] if alias[0] == "from" else alias[1:2]
        return ".".join([*head, *parts])


def _class_body(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements of a class body, including those under ``if``/``try``."""
    for node in body:
        yield node
        if isinstance(node, ast.If):
            yield from _class_body(node.body)
            yield from _class_body(node.orelse)
        elif isinstance(node, ast.Try):
            yield from _class_body(node.body)


def _assigned(node: ast.stmt, name: str) -> ast.expr | None:
    if isinstance(node, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == name for t in node.targets
    ):
        return node.value
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.value if node.target.id == name else None
    return None


def _literal_names(value: ast.expr) -> tuple[str, ...] | None:
    """The names of a literal ``__slots__`` value; None when it is computed."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return (value.value,)
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id in ("tuple", "list", "set", "frozenset")
        and not value.args
        and not value.keywords
    ):
        return ()  # ``__slots__ = tuple()`` (pydantic's Representation)
    elements = value.keys if isinstance(value, ast.Dict) else getattr(value, "elts", None)
    if not isinstance(value, (ast.Tuple, ast.List, ast.Set, ast.Dict)) or elements is None:
        return None
    names = [e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    if len(names) != len(elements):  # a computed or non-string element
        return None
    return tuple(names)


def _fields(
    node: ast.ClassDef, made_by: str, qualify: Callable[[ast.expr], str]
) -> tuple[str, ...]:
    """The fields the class body declares (a dataclass's or attrs class's own)."""
    found = []
    for child in node.body:
        if isinstance(child, ast.AnnAssign) and isinstance(child.target, ast.Name):
            annotation = ast.unparse(child.annotation)
            if "ClassVar" not in annotation and "InitVar" not in annotation:
                found.append(child.target.id)
        elif (
            made_by == "attrs"
            and isinstance(child, ast.Assign)
            and isinstance(child.value, ast.Call)
            and qualify(child.value.func) in _ATTRS_FIELDS
        ):
            found += [t.id for t in child.targets if isinstance(t, ast.Name)]
    return tuple(found)


def _is_main_guard(test: ast.expr) -> bool:
    """``__name__ == "__main__"``: never true in a module being reloaded."""
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    )


def _is_type_checking(test: ast.expr) -> bool:
    name = test.attr if isinstance(test, ast.Attribute) else getattr(test, "id", "")
    return name == "TYPE_CHECKING"
