"""What the RL6 rules share: records, tasks and enums as each version has them.

The summary records what a class or function says about itself
(:mod:`reloadlint.summary.facts.values`); what it *is* often depends on
other modules (a model deriving from the project's own ``BaseModel``
subclass, ``@app.task`` where ``app`` is the project's Celery instance).
These helpers complete the facts through a project model, the base
revision's (``upgrade.base``) for the old version and the working tree's for
the new one, so both versions are judged the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from reloadlint.project import ProjectModel, project_index
from reloadlint.rules._upgrade_facts import changed_base
from reloadlint.summary.facts.class_kinds import ENUM_BASES
from reloadlint.summary.model import (
    EnumFact,
    ModuleSummary,
    Param,
    RecordFact,
    RecordField,
    Span,
)

if TYPE_CHECKING:
    from reloadlint.context import CheckContext

#: What a plan must do about the values an RL6 finding concerns (the plan's
#: "values made by the old version" section).
REMEDY = {
    "RL601": "keep accepting the old shape or migrate the stored values before the new code reads "
    "them",
    "RL602": "drain the queue of this task before the upgrade, or keep accepting the old arguments",
    "RL603": "drain the queue before the upgrade, or keep the old name registered for one release",
    "RL604": "keep the old member (or a `_missing_` that maps its value), or migrate the stored "
    "values",
}

# ----------------------------------------------------------------- both versions


class _Named(Protocol):
    @property
    def qualname(self) -> str: ...


F = TypeVar("F", bound=_Named)


def in_both_versions(
    ctx: CheckContext, facts: Callable[[ModuleSummary], Sequence[F]]
) -> Iterator[tuple[F, F, ModuleSummary]]:
    """``(new fact, old fact, old module)`` for each fact (a record, an enum) that a
    changed reloadable module has in both versions, matched by qualified name.

    A class new in this version made no values yet; a removed one is RL403's
    business; an unchanged module, or one that is never reloaded, made nothing
    the new code reads differently.
    """
    old_module = changed_base(ctx)
    if old_module is None or not ctx.project.is_reloadable(ctx.module.name):
        return
    before = {fact.qualname: fact for fact in facts(old_module)}
    for fact in facts(ctx.module):
        old_fact = before.get(fact.qualname)
        if old_fact is not None:
            yield fact, old_fact, old_module


# ----------------------------------------------------------------- records

KIND_TEXT = {
    "dataclass": "dataclass",
    "attrs": "attrs class",
    "namedtuple": "NamedTuple",
    "typeddict": "TypedDict",
    "pydantic": "pydantic model",
    "msgspec": "msgspec Struct",
}


@dataclass(frozen=True)
class Record:
    """A record class with everything it inherits from first-party records."""

    kind: str
    fields: list[RecordField]
    options: dict[str, str]
    hooks: list[str]


def record(project: ProjectModel, module: ModuleSummary, fact: RecordFact) -> Record | None:
    """``fact`` completed through its first-party bases; None when it is no record."""
    chain = [fact]
    classes = {cls.qualname: cls for cls in module.classes}
    cls = classes.get(fact.qualname)
    kind = fact.kind
    if cls is not None:
        for ancestor in project.ancestors(module.name, cls):
            found = _record_fact(project, ancestor)
            if found is not None:
                chain.append(found)
                kind = kind or found.kind
            elif not kind:
                kind = _external_kind(ancestor)
    if not kind:
        return None
    fields: dict[str, RecordField] = {}
    options: dict[str, str] = {}
    hooks: list[str] = []
    for item in reversed(chain):  # the furthest base first, as the libraries order fields
        if kind == "dataclass" and item.kind != "dataclass":
            continue  # an undecorated class adds no dataclass fields
        for item_field in item.fields:
            fields.pop(item_field.name, None)
            fields[item_field.name] = item_field
        options.update(item.options)
        hooks += item.hooks
    return Record(kind, list(fields.values()), options, hooks)


def _record_fact(project: ProjectModel, qualified: str) -> RecordFact | None:
    split = project.split(qualified)
    if split is None or len(split[1]) == 0:
        return None
    summary = project.summary(split[0])
    qualname = ".".join(split[1])
    return next((r for r in summary.records if r.qualname == qualname), None)


def _external_kind(name: str) -> str:
    from reloadlint.summary.facts.values import _BASES

    return _BASES.get(name, "")


_ROWS_INDEX = "rl601-positional-rows"
#: ``astuple`` of each library: its rows are by position, whatever class they come from.
_ASTUPLE = {"dataclasses.astuple": "dataclass", "attr.astuple": "attrs", "attrs.astuple": "attrs"}


def _merge_rows(parts: dict[str, tuple[str, ...]]) -> dict[str, bool]:
    return {key: True for keys in parts.values() for key in keys}


@project_index(_ROWS_INDEX, _merge_rows)  # type: ignore[arg-type]
def _rows_contribution(project: ProjectModel, summary: ModuleSummary) -> tuple[str, ...]:
    """What ``summary``'s module builds by position: ``astuple:<kind>``, and the
    first-party classes it calls with ``*row``, by their defining module."""
    keys = []
    for callee in summary.positional_calls:
        if callee in _ASTUPLE:
            keys.append(f"astuple:{_ASTUPLE[callee]}")
            continue
        resolved = project.resolve(callee)
        if resolved.kind == "class":
            keys.append(f"{resolved.module}.{resolved.name}")
    return tuple(keys)


def built_by_position(project: ProjectModel, cls: str, kind: str) -> bool:
    """Does the project keep values of ``cls`` (a dataclass or attrs class) by field
    position: rows from the library's ``astuple``, or ``cls(*row)`` anywhere?

    Pickles and ``asdict`` rows are by name; only these depend on the field order.
    """
    index = project.index(_ROWS_INDEX)
    return bool(index.get(f"astuple:{kind}") or index.get(cls))


# ----------------------------------------------------------------- tasks


@dataclass(frozen=True)
class Task:
    """A registered task: where its function is, its name, its message parameters."""

    module: str
    function: str
    framework: str
    name: str | None  # None: the name is computed at run time
    params: tuple[Param, ...]


_INDEX = "rl6-tasks"


def _merge(parts: dict[str, tuple[Task, ...]]) -> dict[str, list[Task]]:
    index: dict[str, list[Task]] = {}
    for tasks in parts.values():
        for task in tasks:
            index.setdefault(task.module, []).append(task)
    return index


@project_index(_INDEX, _merge)  # type: ignore[arg-type]
def _contribution(project: ProjectModel, summary: ModuleSummary) -> tuple[Task, ...]:
    found = []
    for fact in summary.tasks:
        if fact.reference:
            resolved = project.resolve(fact.function)
            if resolved.kind != "function":
                continue
            module, function = resolved.module, resolved.name
        else:
            module, function = summary.name, fact.function
        framework = fact.framework
        if framework == "task":
            framework = _owner_framework(project, fact.owner)
            if not framework:
                continue
        signature = project.summary(module).signatures.get(function)
        if signature is None:
            continue
        params = [p for p in signature if p.name not in fact.hidden]
        if fact.skip_first and params and params[0].kind in ("pos", "posonly"):
            params = params[1:]
        name = fact.name
        if name is None and not fact.dynamic_name:
            bare = framework in ("dramatiq", "arq")
            name = function if bare else f"{module}.{function}"
        found.append(Task(module, function, framework, name, tuple(params)))
    return tuple(found)


def _owner_framework(project: ProjectModel, owner: str) -> str:
    """``celery``/``huey`` for the object ``@owner.task`` is called on, "" when it is no queue.

    An object the project makes (``app = Celery(...)``, ``app = make_celery()``)
    is a task queue; a module (``@invoke.task``) or another library's object is not.
    """
    resolved = project.resolve(owner)
    root = owner.partition(".")[0]
    if resolved.kind == "external":
        return root if root in ("celery", "huey") else ""
    if resolved.kind not in ("value", "unknown"):
        return ""
    # What the value was made by (``huey = MemoryHuey(...)``: ``huey.MemoryHuey``).
    binding = resolved.binding if resolved.kind == "value" else None
    made_by = binding.value_name.lower() if binding else ""
    return "huey" if "huey" in made_by else "celery"


def tasks(project: ProjectModel, module: str) -> list[Task]:
    """The tasks whose functions ``module`` defines."""
    found: list[Task] = project.index(_INDEX).get(module, [])
    return found


def all_tasks(project: ProjectModel) -> list[Task]:
    return [task for name in sorted(project.module_names()) for task in tasks(project, name)]


def function_span(module: ModuleSummary, function: str) -> Span | None:
    binding = module.binding(function)
    return binding.span if binding is not None and binding.kind == "function" else None


# ----------------------------------------------------------------- enums

_FLAGS = ("enum.Flag", "enum.IntFlag")


def enum_kind(project: ProjectModel, module: ModuleSummary, fact: EnumFact) -> str:
    """``enum``, ``flag`` or ``str`` (how ``auto()`` numbers members); "" for no enum."""
    cls = next((c for c in module.classes if c.qualname == fact.qualname), None)
    if cls is None:
        return ""
    names = set(project.ancestors(module.name, cls))
    if cls.metaclass in ("enum.EnumMeta", "enum.EnumType"):
        names.add("enum.Enum")
    if not names & ENUM_BASES:
        return ""
    if names & set(_FLAGS):
        return "flag"
    return "str" if "enum.StrEnum" in names else "enum"


def member_values(fact: EnumFact, kind: str) -> dict[str, str]:
    """Member name -> repr of its value ("" when it cannot be known), ``auto()`` resolved."""
    values: dict[str, str] = {}
    last: int | None = 0  # the highest value so far (None: one could not be read)
    for member in fact.members:
        value = member.value
        if value == "auto()":
            if "_generate_next_value_" in fact.hooks:
                value = ""
            elif kind == "str":
                value = repr(member.name.lower())
            elif last is not None:
                value = repr(_next_flag(last) if kind == "flag" else last + 1)
            else:
                value = ""
        values[member.name] = value
        number = _int(value)
        last = None if number is None or last is None else max(last, number)
    return values


def _next_flag(last: int) -> int:
    return 1 if last < 1 else 1 << last.bit_length()


def _int(value: str) -> int | None:
    return int(value) if value.lstrip("-").isdigit() else None
