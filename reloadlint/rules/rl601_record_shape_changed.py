"""RL601 record-shape-changed."""

from __future__ import annotations

from reloadlint.context import CheckContext
from reloadlint.profiles import RELOADERS, on
from reloadlint.rules._old_values import (
    KIND_TEXT,
    Record,
    built_by_position,
    in_both_versions,
    record,
)
from reloadlint.rules.base import Rule
from reloadlint.summary.model import RecordField

#: What old values do when the new class lacks a field they carry, per kind.
_UNKNOWN_FIELD = {
    "dataclass": "`{cls}(**old)` raises TypeError (unexpected keyword argument)",
    "attrs": "`{cls}(**old)` raises TypeError (unexpected keyword argument)",
    "pydantic": "validation raises ValidationError (`extra='forbid'`: extra inputs are not "
    "permitted)",
    "msgspec": "decoding raises msgspec.ValidationError (`forbid_unknown_fields`: unknown field)",
}
#: ... and when the new class requires a field they lack.
_MISSING = {
    "dataclass": "old keyword values raise TypeError (missing argument) and old pickles lack "
    "the attribute (AttributeError)",
    "attrs": "old keyword values raise TypeError (missing argument) and old pickles lack the "
    "attribute (AttributeError)",
    "namedtuple": "old tuples and pickles raise TypeError (missing argument)",
    "typeddict": "old dicts lack the key (KeyError where it is read, ValidationError where "
    "a TypeAdapter validates it)",
    "pydantic": "validation raises ValidationError (field required) and old pickles lack the "
    "attribute",
    "msgspec": "decoding raises msgspec.ValidationError (missing required field) and old "
    "pickles raise TypeError",
}
#: Kinds whose stored values are positional (tuples; msgspec pickles and ``array_like``).
_POSITIONAL = frozenset({"namedtuple", "msgspec"})
#: Kinds whose generated ``__init__`` takes fields by position (unless ``kw_only``) while their
#: pickles and ``asdict`` rows are by name: only values built positionally (``astuple`` rows,
#: CSV or SQL columns passed as ``cls(*row)``) depend on the order.
_CONSTRUCTED_BY_POSITION = frozenset({"dataclass", "attrs"})
_ROWS_SHIFT = (
    "rows built positionally (`astuple`, `cls(*row)`) put their values into the wrong fields "
    "(pickles and keyword rows are by name and unaffected)"
)


#: Why the rule applies under every reloader profile.
WHY = "stored values keep the old shape whatever reloads the code"


class RecordShapeChanged(Rule):
    """## What it does
    In upgrade mode (``--base REV``), flags a record class of a reloadable
    module (a dataclass, an attrs class, a ``typing.NamedTuple``, a
    ``typing.TypedDict``, a pydantic model or a msgspec ``Struct``; also
    through the project's own base classes) whose fields changed so that
    values made by the base version no longer construct, unpickle or validate:

    - a field added without a default, or a field whose default was removed;
    - a field removed or renamed where the library rejects what old values
      still carry: keyword construction of a dataclass or attrs class, a
      pydantic model with ``extra="forbid"``, a msgspec ``Struct`` with
      ``forbid_unknown_fields=True``, or a ``NamedTuple`` that takes fewer
      positions than old tuples fill;
    - the positional order changed where values are stored by position (a
      ``NamedTuple``, a msgspec ``Struct``, whose pickles are positional), or,
      for a dataclass or attrs class (fields that are not ``kw_only``), where
      the project keeps its values as positional rows: it calls the library's
      ``astuple`` (in either version) or rebuilds the class with
      ``cls(*row)`` (CSV or SQL columns), so old rows fill other fields.
      Pickles and ``asdict`` rows are by name: a project that keeps only
      those is not affected by the order.

    A class that accepts old shapes itself is not reported: it defines
    ``__setstate__``, ``__init__`` or ``__new__``, or a pydantic
    ``@model_validator(mode="before")`` (or ``"wrap"``, or
    ``@root_validator(pre=True)``). A renamed field whose ``alias`` or
    ``validation_alias`` names the old field is not a removal.

    In a reload plan (``--plan``) the findings do not change the verdict
    (neither a reload nor a restart changes stored values): they are listed
    under "values made by the old version" with what must happen.

    ## Why is this bad?
    The running system keeps values made by the old code outside any live
    object: pickles in a cache or session store, JSON rows, task arguments in
    a broker. After the deploy the new class reads them: a missing required
    field makes pydantic raise ``ValidationError``, a dataclass built from an
    old dict raises ``TypeError``, an unpickled old instance has no attribute
    for the new field, a ``NamedTuple`` pickle fills the wrong positions.
    Nothing fails at deploy time; the errors come later, one stored value at
    a time.

    ## Known problems
    Only the field list is compared, not the field types: a field whose type
    changed incompatibly (``int`` to ``list[int]``) is not reported. A
    pydantic field annotated ``Optional[...]`` without a default is required
    in pydantic 2 and optional in pydantic 1, so adding one is not reported.
    Pickles of dataclass and attrs instances made before a field with a
    ``default_factory`` was added also lack that attribute; the rule takes a
    field with any default to be compatible. Positional rows are recognised
    by ``astuple`` and by ``Line(*row)`` naming the class; a generic loader
    that rebuilds any class with ``model(*row)`` is not, so a reordering of
    fields it relies on is missed; a project that calls ``astuple`` on one
    class has every reordered dataclass (or attrs class) reported.

    ## Example
    ```python
    # app/events.py, base revision
    from pydantic import BaseModel

    class OrderPlaced(BaseModel):
        order_id: int
        amount: float

    # app/events.py, new version
    from pydantic import BaseModel

    class OrderPlaced(BaseModel):
        order_id: int
        amount: float
        currency: str  # events already in the log have no currency
    ```

    ## Use instead
    ```python
    # app/events.py, new version
    from pydantic import BaseModel

    class OrderPlaced(BaseModel):
        order_id: int
        amount: float
        currency: str = "EUR"  # what every event before this change meant
    ```

    ## Fix safety
    There is no automatic fix: the default an old value should get, or the
    migration of the stored values, is the author's decision.

    ## Options
    - ``reloadable``, ``not-reloadable``: which first-party modules are hot-reloaded; only
      their classes are checked.

    ## References
    - [pydantic: Models](https://docs.pydantic.dev/latest/concepts/models/)
    - [attrs: Initialization](https://www.attrs.org/en/stable/init.html)
    - [msgspec: Structs](https://jcristharif.com/msgspec/structs.html)
    - [Python: `dataclasses`](https://docs.python.org/3/library/dataclasses.html)
    - [Upgrade mode and the reload
      plan](https://reloadlint.readthedocs.io/en/latest/upgrade.html)
    """

    code = "RL601"
    name = "record-shape-changed"
    summary = "Record fields changed so that values made by the old version no longer load"
    mode = "upgrade"
    plan_role = "old-values"
    profiles = {reloader: on(f"{WHY} (and a restart)") for reloader in RELOADERS}

    def check(self, ctx: CheckContext) -> None:
        upgrade = ctx.upgrade
        if upgrade is None:
            return
        for fact, old_fact, old_module in in_both_versions(ctx, lambda module: module.records):
            new = record(ctx.project, ctx.module, fact)
            old = record(upgrade.base, old_module, old_fact)
            if new is None or old is None or new.kind != old.kind or new.hooks:
                continue
            cls = f"{ctx.module.name}.{fact.qualname}"
            by_position = new.kind in _CONSTRUCTED_BY_POSITION and any(
                built_by_position(project, cls, new.kind) for project in (ctx.project, upgrade.base)
            )
            problems = _problems(old, new, by_position=by_position)
            if not problems:
                continue
            effects = "; ".join(dict.fromkeys(effect for _, effect in problems))
            changes = ", ".join(change for change, _ in problems)
            ctx.report(
                fact.span,
                f"{KIND_TEXT[new.kind]} `{cls}` changed shape: {changes}; values made by the old "
                f"version fail: {effects.format(cls=fact.qualname)} — give new fields defaults, "
                "accept the old shape (`__setstate__`, a before-validator) or migrate the "
                "stored values",
                symbol=cls,
            )


def _problems(old: Record, new: Record, *, by_position: bool) -> list[tuple[str, str]]:
    """(what changed, what old values do) pairs, in field order; ``by_position``: the
    project keeps dataclass or attrs values as positional rows."""
    kind = new.kind
    found = []
    old_names = {f.name for f in old.fields}
    new_by_name = {f.name: f for f in new.fields}
    accepted = {alias: f for f in new.fields for alias in (f.name, *f.aliases)}
    rejects = {
        "dataclass": True,
        "attrs": True,
        "pydantic": new.options.get("extra") == "forbid",
        "msgspec": new.options.get("forbid_unknown_fields") == "True",
    }.get(kind, False)
    for item in old.fields:
        if item.name not in accepted and rejects:
            found.append((f"field `{item.name}` removed", _UNKNOWN_FIELD[kind]))
    for item in new.fields:
        previous = next((o for o in old.fields if o.name in (item.name, *item.aliases)), None)
        if previous is None and item.default is False and not _fits(kind, old, new, item.name):
            change = (
                f"key `{item.name}` added as required"
                if kind == "typeddict"
                else f"field `{item.name}` added without a default"
            )
            found.append((change, _MISSING[kind]))
        elif previous is not None and item.default is False and previous.default is True:
            found.append((f"field `{item.name}` lost its default", _MISSING[kind]))
    if kind in _POSITIONAL or new.options.get("array_like") == "True":
        found += _positions(old, new, old_names, new_by_name)
    elif kind in _CONSTRUCTED_BY_POSITION and by_position:
        found += _order(old, new, old_names, new_by_name, _ROWS_SHIFT)
    return found


def _fits(kind: str, old: Record, new: Record, name: str) -> bool:
    """A ``NamedTuple`` field that takes the place of an old one (a rename): old tuples fill it."""
    if kind != "namedtuple":
        return False
    after = [f.name for f in new.fields if f.positional]
    return name in after and after.index(name) < len([f for f in old.fields if f.positional])


def _positions(
    old: Record, new: Record, old_names: set[str], new_by_name: dict[str, RecordField]
) -> list[tuple[str, str]]:
    """Old positional values that land in another field, or in none."""
    before = [f.name for f in old.fields if f.positional]
    after = [f.name for f in new.fields if f.positional]
    if len(after) < len(before):
        dropped = ", ".join(f"`{name}`" for name in before[len(after) :])
        return [
            (
                f"positions of {dropped} removed",
                "old tuples and pickles raise TypeError (too many positional arguments)",
            )
        ]
    return _order(
        old,
        new,
        old_names,
        new_by_name,
        "old tuples and pickles put their values into the wrong fields",
    )


def _order(
    old: Record,
    new: Record,
    old_names: set[str],
    new_by_name: dict[str, RecordField],
    effect: str,
) -> list[tuple[str, str]]:
    """The first position whose field changed, when fields moved (not only one dropped)."""
    before = [f.name for f in old.fields if f.positional]
    after = [f.name for f in new.fields if f.positional]
    for index, (name, now) in enumerate(zip(before, after, strict=False)):
        if now != name and (name in new_by_name or now in old_names):
            return [
                (
                    f"positional order changed (position {index + 1} was `{name}`, now `{now}`)",
                    effect,
                )
            ]
    return []
