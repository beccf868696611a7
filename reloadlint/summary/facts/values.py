"""Facts about values the running version made (the RL6 rules, docs/rules/RL601.md...).

Queued task messages, pickles, JSON rows and stored enum values outlive a
deploy; whether the new code still accepts them depends on three shapes this
module records from the syntax alone:

- record classes (dataclass, attrs, ``NamedTuple``, ``TypedDict``, pydantic,
  msgspec ``Struct``): their fields in order, which have defaults, which can
  be given positionally, aliases, the options that make the library reject
  unknown fields, and the hooks that accept an old shape (``__setstate__``,
  a pydantic before-validator, a hand-written ``__init__``);
- background tasks (Celery, Huey, Dramatiq, RQ, arq): registrations with their
  explicit names, references handed to a queue, and the parameters of every
  top-level function (a reference may name a function of another module);
- enum candidates: classes with member-like assignments and their literal values.

It runs once after the summariser's walk (``collect``), reading only
top-level definitions and class bodies; names are resolved through the
walk's ``qualify`` (the module's imports), never by importing anything.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Protocol

from reloadlint.summary.facts.literals import constant, stable_repr, string, strings, true
from reloadlint.summary.model import (
    EnumFact,
    EnumMember,
    ModuleSummary,
    Param,
    RecordFact,
    RecordField,
    Span,
    TaskFact,
)

_DATACLASS = frozenset({"dataclasses.dataclass", "pydantic.dataclasses.dataclass"})
_ATTRS_CLASSIC = frozenset({"attr.s", "attr.attrs", "attr.dataclass"})
_ATTRS = frozenset(
    {
        "attr.define",
        "attr.mutable",
        "attr.frozen",
        "attrs.define",
        "attrs.mutable",
        "attrs.frozen",
        *_ATTRS_CLASSIC,
    }
)
_BASES = {
    "typing.NamedTuple": "namedtuple",
    "typing_extensions.NamedTuple": "namedtuple",
    "typing.TypedDict": "typeddict",
    "typing_extensions.TypedDict": "typeddict",
    "pydantic.BaseModel": "pydantic",
    "pydantic.main.BaseModel": "pydantic",
    "pydantic.v1.BaseModel": "pydantic",
    "msgspec.Struct": "msgspec",
}
_FIELD_CALLS = frozenset(
    {
        "dataclasses.field",
        "attr.ib",
        "attr.attrib",
        "attr.field",
        "attrs.field",
        "pydantic.Field",
        "pydantic.fields.Field",
        "msgspec.field",
    }
)
_KW_ONLY = frozenset({"dataclasses.KW_ONLY"})
_BEFORE_VALIDATORS = frozenset(
    {"pydantic.model_validator", "pydantic.root_validator", "pydantic.v1.root_validator"}
)
_QUEUE_METHODS = {"enqueue": ("f", 0), "enqueue_call": ("func", 0), "enqueue_at": ("f", 1)}
_QUEUE_METHODS["enqueue_in"] = ("f", 1)
_HUEY_DECORATORS = frozenset({"periodic_task", "db_task", "db_periodic_task", "lock_task"})
_ARQ_FUNC = frozenset({"arq.func", "arq.worker.func"})


class Walk(Protocol):
    """What this module needs from the summariser's walk."""

    out: ModuleSummary
    tree: ast.Module

    def qualify(self, node: ast.AST) -> str | None: ...

    def span(self, node: ast.AST) -> Span: ...

    def name_span(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> Span: ...


def candidate(call: ast.Call) -> bool:
    """Whether ``call`` may be a reference to a task or a value built by position:
    the walk keeps these for :func:`collect` (a walk of the whole tree for them cost
    a tenth of a summary)."""
    func = call.func
    if type(func) is ast.Attribute:
        if func.attr in _QUEUE_METHODS or func.attr == "astuple":
            return True
    elif type(func) is ast.Name and func.id == "astuple":
        return True
    return ast.Starred in map(type, call.args)


def collect(walk: Walk, calls: list[ast.Call]) -> None:
    """Add the RL6 facts of ``walk``'s module to its summary (``calls``: the calls
    :func:`candidate` kept, in the order the walk met them)."""
    out = walk.out
    imports = {fact.module.partition(".")[0] for fact in out.imports}
    for node, qualname, top in _definitions(walk.tree.body, ""):
        if isinstance(node, ast.ClassDef):
            record = _record(walk, node, qualname)
            if record is not None:
                out.records.append(record)
            enum = _enum(walk, node, qualname)
            if enum is not None:
                out.enums.append(enum)
            if "arq" in imports or "WorkerSettings" in node.name:
                _arq_settings(walk, node.body)
        elif top:
            out.signatures[qualname] = _params(node.args)
            for decorator in node.decorator_list:
                task = _task(walk, decorator, qualname)
                if task is not None:
                    out.tasks.append(task)
    if "arq" in imports:
        _arq_settings(walk, walk.tree.body)
    references = [call for call in calls if _queue_call(call)]
    if len(references) > 1:
        # Tasks in the order of a breadth-first walk of the tree, as they always were (rare).
        wanted = {id(call) for call in references}
        references = [n for n in ast.walk(walk.tree) if isinstance(n, ast.Call) and id(n) in wanted]
    for call in references:
        _reference(walk, call, imports)
    names = (_positional(walk, call) for call in calls)
    out.positional_calls = list(dict.fromkeys(name for name in names if name))


def _definitions(
    body: list[ast.stmt], prefix: str
) -> Iterator[tuple[ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef, str, bool]]:
    """Classes (also nested in classes) and top-level functions, as the running module has them.

    ``if``/``try``/``with`` blocks are entered (a definition there still runs at
    import time), ``if TYPE_CHECKING:`` blocks are not.
    """
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield stmt, f"{prefix}{stmt.name}", not prefix
        elif isinstance(stmt, ast.ClassDef):
            yield stmt, f"{prefix}{stmt.name}", not prefix
            yield from (
                item
                for item in _definitions(stmt.body, f"{prefix}{stmt.name}.")
                if isinstance(item[0], ast.ClassDef)
            )
        elif isinstance(stmt, ast.If):
            if not _type_checking(stmt.test):
                yield from _definitions(stmt.body, prefix)
            yield from _definitions(stmt.orelse, prefix)
        elif isinstance(stmt, ast.Try):
            for block in (stmt.body, stmt.orelse, stmt.finalbody):
                yield from _definitions(block, prefix)
            for handler in stmt.handlers:
                yield from _definitions(handler.body, prefix)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            yield from _definitions(stmt.body, prefix)


def _type_checking(test: ast.expr) -> bool:
    from reloadlint.summary.prepass import is_type_checking_test

    return is_type_checking_test(test)


# ----------------------------------------------------------------- parameters


def _params(args: ast.arguments) -> list[Param]:
    found = []
    positional = [*args.posonlyargs, *args.args]
    first_default = len(positional) - len(args.defaults)
    for index, arg in enumerate(positional):
        kind = "posonly" if index < len(args.posonlyargs) else "pos"
        found.append(Param(arg.arg, kind, index >= first_default))
    if args.vararg is not None:
        found.append(Param(args.vararg.arg, "*args", True))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        found.append(Param(arg.arg, "kwonly", default is not None))
    if args.kwarg is not None:
        found.append(Param(args.kwarg.arg, "**kwargs", True))
    return found


# ----------------------------------------------------------------- tasks


def _task(walk: Walk, decorator: ast.expr, qualname: str) -> TaskFact | None:
    func = decorator.func if isinstance(decorator, ast.Call) else decorator
    qualified = walk.qualify(func) or ""
    keywords = decorator.keywords if isinstance(decorator, ast.Call) else []
    framework, owner = "", ""
    if qualified == "celery.shared_task" or qualified.endswith(".shared_task"):
        framework = "celery"
    elif qualified in ("dramatiq.actor", "dramatiq.actor.actor"):
        framework = "dramatiq"
    elif qualified in ("rq.job", "rq.decorators.job"):
        framework = "rq"
    elif qualified.startswith("huey.contrib.djhuey.") and func_name(func) in {
        "task",
        *_HUEY_DECORATORS,
    }:
        framework = "huey"
    elif isinstance(func, ast.Attribute) and func.attr in ("task", *_HUEY_DECORATORS):
        framework = "task" if func.attr == "task" else "huey"
        owner = walk.qualify(func.value) or ""
        if not owner:
            return None
    if not framework:
        return None
    name_keyword = "actor_name" if framework == "dramatiq" else "name"
    name, dynamic = None, False
    for keyword in keywords:
        if keyword.arg == name_keyword:
            name = string(keyword.value)
            dynamic = name is None
    bind = any(k.arg == "bind" and true(k.value) for k in keywords)
    hidden = ["task"] if any(k.arg == "context" and true(k.value) for k in keywords) else []
    return TaskFact(
        qualname,
        framework,
        walk.span(decorator),
        name,
        dynamic,
        owner=owner,
        skip_first=bind,
        hidden=hidden,
    )


def func_name(node: ast.expr) -> str:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")


def _queue_call(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr in _QUEUE_METHODS


def _reference(walk: Walk, call: ast.Call, imports: set[str]) -> None:
    """``queue.enqueue(f, ...)`` (RQ): ``f`` is a task by reference."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in _QUEUE_METHODS:
        return
    receiver = (walk.qualify(func.value) or ast.unparse(func.value)).lower()
    if not ({"rq", "django_rq"} & imports or "rq" in receiver or "queue" in receiver):
        return
    keyword, index = _QUEUE_METHODS[func.attr]
    target = next((k.value for k in call.keywords if k.arg == keyword), None)
    if target is None and len(call.args) > index:
        target = call.args[index]
    if target is None:
        return
    qualified = walk.qualify(target)
    if qualified and not qualified.startswith("builtins."):
        walk.out.tasks.append(TaskFact(qualified, "rq", walk.span(target), reference=True))


def _positional(walk: Walk, call: ast.Call) -> str:
    """``cls(*row)`` and ``astuple(value)``: values kept or rebuilt by field position
    (the callee's qualified name, "" when not known).

    Whether a dataclass's field order matters to stored values depends on
    them (pickles and ``asdict`` rows are by name).
    """
    if func_name(call.func) == "astuple" or any(isinstance(a, ast.Starred) for a in call.args):
        return walk.qualify(call.func) or ""
    return ""


def _arq_settings(walk: Walk, body: list[ast.stmt]) -> None:
    """arq's ``functions = [f, func(g, name="x")]`` (a worker settings class or module)."""
    for stmt in body:
        value = None
        if (
            isinstance(stmt, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "functions" for t in stmt.targets)
        ) or (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and stmt.target.id == "functions"
        ):
            value = stmt.value
        if not isinstance(value, (ast.List, ast.Tuple)):
            continue
        for item in value.elts:
            name = None
            if isinstance(item, ast.Call) and walk.qualify(item.func) in _ARQ_FUNC:
                target = item.args[0] if item.args else None
                name = next((string(k.value) for k in item.keywords if k.arg == "name"), None)
            else:
                target = item
            qualified = walk.qualify(target) if target is not None else None
            if qualified and target is not None and not qualified.startswith("builtins."):
                walk.out.tasks.append(
                    TaskFact(
                        qualified, "arq", walk.span(target), name, reference=True, skip_first=True
                    )
                )


# ----------------------------------------------------------------- records


def _record(walk: Walk, node: ast.ClassDef, qualname: str) -> RecordFact | None:
    kind, options = "", {}
    for decorator in node.decorator_list:
        func = decorator.func if isinstance(decorator, ast.Call) else decorator
        qualified = walk.qualify(func) or ""
        if qualified in _DATACLASS or qualified in _ATTRS:
            kind = "dataclass" if qualified in _DATACLASS else "attrs"
            if qualified in _ATTRS_CLASSIC:
                options["classic"] = "1"
            if isinstance(decorator, ast.Call):
                options.update(_literal_keywords(decorator.keywords))
    for base in node.bases:
        found = _BASES.get(walk.qualify(base) or "")
        if found and not kind:
            kind = found
    options.update(_literal_keywords(node.keywords))
    fields, hooks = _fields(walk, node, kind, options), _record_hooks(walk, node)
    if not kind and not (node.bases and (fields or hooks or _config(walk, node))):
        return None  # no record, and no base that could make it one
    options.update(_config(walk, node))
    return RecordFact(qualname, walk.name_span(node), kind, fields, options, hooks)


def _literal_keywords(keywords: list[ast.keyword]) -> dict[str, str]:
    found = {}
    for keyword in keywords:
        if keyword.arg is not None:
            value = constant(keyword.value)
            found[keyword.arg] = "?" if value is None else str(value)
    return found


def _config(walk: Walk, node: ast.ClassDef) -> dict[str, str]:
    """pydantic's ``extra``: ``model_config = ConfigDict(extra=...)`` or ``class Config``
    (also under ``if PYDANTIC_V2:``, the first one found: both branches say the same)."""
    for stmt in _flat(node.body):
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Config":
            for inner in stmt.body:
                if isinstance(inner, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "extra" for t in inner.targets
                ):
                    return {"extra": _extra(inner.value)}
        target: ast.expr | None = None
        value: ast.expr | None = None
        if isinstance(stmt, ast.Assign) and stmt.targets:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign):
            target, value = stmt.target, stmt.value
        if isinstance(target, ast.Name) and target.id == "model_config":
            if isinstance(value, ast.Call):
                for keyword in value.keywords:
                    if keyword.arg == "extra":
                        return {"extra": _extra(keyword.value)}
            elif isinstance(value, ast.Dict):
                for key, item in zip(value.keys, value.values, strict=True):
                    if string(key) == "extra":
                        return {"extra": _extra(item)}
            return {}
    return {}


def _flat(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    for stmt in body:
        if isinstance(stmt, ast.If):
            yield from _flat(stmt.body)
            yield from _flat(stmt.orelse)
        else:
            yield stmt


def _extra(node: ast.expr) -> str:
    """``"forbid"`` for ``"forbid"`` and ``Extra.forbid``; "?" when it cannot be read."""
    if isinstance(node, ast.Attribute):
        return node.attr
    return string(node) or "?"


def _fields(
    walk: Walk, node: ast.ClassDef, kind: str, options: dict[str, str]
) -> list[RecordField]:
    kw_only = options.get("kw_only") == "True"
    only_calls = kind == "attrs" and "classic" in options and options.get("auto_attribs") != "True"
    found = []
    for stmt in node.body:
        value = None
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            name, annotation, value = stmt.target.id, stmt.annotation, stmt.value
            if (walk.qualify(annotation) or "") in _KW_ONLY:
                kw_only = True
                continue
            if _wrapped(walk, annotation, ("ClassVar",)) or (
                only_calls and not _is_field(walk, value)
            ):
                continue
        elif (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and kind == "attrs"
            and _is_field(walk, stmt.value)
        ):
            name, annotation, value = stmt.targets[0].id, None, stmt.value
        else:
            continue
        if name.startswith("__") or (kind in ("pydantic", "") and name.startswith("_")):
            continue
        item = _field(walk, name, annotation, value, kind, kw_only, options)
        if item is not None:
            found.append(item)
    return found


def _field(
    walk: Walk,
    name: str,
    annotation: ast.expr | None,
    value: ast.expr | None,
    kind: str,
    kw_only: bool,
    options: dict[str, str],
) -> RecordField | None:
    default: bool | None = value is not None
    aliases: list[str] = []
    if kind == "attrs":
        name = name.lstrip("_") or name
    if isinstance(value, ast.Call) and _is_field(walk, value):
        keywords = {k.arg: k.value for k in value.keywords if k.arg}
        if "init" in keywords and constant(keywords["init"]) is False:
            return None
        kw_only = kw_only or true(keywords.get("kw_only"))
        default = any(k in keywords for k in ("default", "default_factory", "factory"))
        first = value.args[0] if value.args else None
        if first is not None and not (isinstance(first, ast.Constant) and first.value is ...):
            default = True  # attr.ib(1), Field(None)
        for key in ("alias", "validation_alias", "name"):
            aliases += strings(keywords.get(key))
        if kind in ("msgspec", "attrs") and aliases:
            name, aliases = aliases[0], []  # the name values are encoded / constructed with
    elif isinstance(value, ast.Constant) and value.value is ... and kind == "pydantic":
        default = False
    if kind == "typeddict":
        total = options.get("total") != "False"
        if _wrapped(walk, annotation, ("NotRequired",)):
            total = False
        elif _wrapped(walk, annotation, ("Required",)):
            total = True
        default = not total
    elif not default and kind in ("pydantic", "") and _optional(walk, annotation):
        default = None  # pydantic 1 makes it optional, pydantic 2 required: not judged
    positional = kind not in ("pydantic", "typeddict") and not kw_only
    return RecordField(name, default, positional, aliases)


def _is_field(walk: Walk, value: ast.expr | None) -> bool:
    return isinstance(value, ast.Call) and (walk.qualify(value.func) or "") in _FIELD_CALLS


def _wrapped(walk: Walk, annotation: ast.expr | None, names: tuple[str, ...]) -> bool:
    """Whether ``annotation`` is ``ClassVar[...]`` (or ``NotRequired``...), also as a string."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return annotation.value.split("[")[0].rpartition(".")[2] in names
    node = annotation.value if isinstance(annotation, ast.Subscript) else annotation
    if node is None:
        return False
    qualified = walk.qualify(node) or ""
    return qualified.rpartition(".")[2] in names and (
        qualified.startswith(("typing", "typing_extensions")) or "." not in qualified
    )


def _optional(walk: Walk, annotation: ast.expr | None) -> bool:
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return "Optional" in annotation.value or "None" in annotation.value
    if isinstance(annotation, ast.BinOp):
        return any(
            isinstance(side, ast.Constant) and side.value is None
            for side in (annotation.left, annotation.right)
        ) or _optional(walk, annotation.left)
    if isinstance(annotation, ast.Subscript):
        head = (walk.qualify(annotation.value) or "").rpartition(".")[2]
        if head == "Optional":
            return True
        if head == "Union":
            return any(
                isinstance(e, ast.Constant) and e.value is None
                for e in getattr(annotation.slice, "elts", [])
            )
        if head == "Annotated":
            elts = getattr(annotation.slice, "elts", [])
            return bool(elts) and _optional(walk, elts[0])
    return False


def _record_hooks(walk: Walk, node: ast.ClassDef) -> list[str]:
    hooks = []
    for stmt in node.body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if stmt.name in ("__setstate__", "__init__", "__new__"):
            hooks.append(stmt.name)
        for decorator in stmt.decorator_list:
            if not isinstance(decorator, ast.Call):
                continue
            qualified = walk.qualify(decorator.func) or ""
            if qualified not in _BEFORE_VALIDATORS:
                continue
            words = {k.arg: constant(k.value) for k in decorator.keywords}
            if words.get("mode") in ("before", "wrap") or words.get("pre") is True:
                hooks.append(f"@{qualified.rpartition('.')[2]}({_describe(words)})")
    return hooks


def _describe(words: dict[str | None, object]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in words.items() if k in ("mode", "pre"))


# ----------------------------------------------------------------- enums


def _enum(walk: Walk, node: ast.ClassDef, qualname: str) -> EnumFact | None:
    if not node.bases and not node.keywords:
        return None
    members = []
    hooks = []
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if stmt.name in ("_missing_", "_generate_next_value_"):
                hooks.append(stmt.name)
            continue
        target, value = None, None
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target, value = stmt.target, stmt.value
        if not isinstance(target, ast.Name) or target.id.startswith("_") or value is None:
            continue
        members.append(EnumMember(target.id, _member_value(walk, value), walk.span(target)))
    if not members:
        return None
    return EnumFact(qualname, walk.name_span(node), members, hooks)


def _member_value(walk: Walk, value: ast.expr) -> str:
    if isinstance(value, ast.Call):
        callee = walk.qualify(value.func) or ""
        if callee == "enum.auto":
            return "auto()"
        if callee == "enum.member" and value.args:
            return _member_value(walk, value.args[0])
        return ""
    try:
        return stable_repr(ast.literal_eval(value))
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return ""
