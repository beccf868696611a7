"""RL604 enum-value-removed."""

from __future__ import annotations

from reloadlint.context import CheckContext
from reloadlint.profiles import RELOADERS, on
from reloadlint.rules._old_values import enum_kind, in_both_versions, member_values
from reloadlint.rules.base import Rule

#: Why the rule applies under every reloader profile.
WHY = "stored values keep the old member values whatever reloads the code"


class EnumValueRemoved(Rule):
    """## What it does
    In upgrade mode (``--base REV``), flags an ``Enum`` (also ``IntEnum``,
    ``StrEnum``, ``Flag``, through the project's own enum bases) of a
    reloadable module that lost a member, or whose member's value changed.
    ``auto()`` values are computed as the enum computes them (the previous
    value plus one, the next power of two for flags, the lower-cased name for
    ``StrEnum``), so inserting a member before ``auto()`` members changes
    their values and is reported. A member renamed with its value kept is
    not reported: stored values still convert (names do not, see below).

    An enum that defines ``_missing_`` converts unknown values itself and is
    not reported; nor are added members, or values that cannot be read
    statically. In a reload plan the findings are listed under "values made
    by the old version" and do not change the verdict.

    ## Why is this bad?
    Enum members are stored by value or by name: a database column, a JSON
    field, a queued message, a pickle (which records the value). After the
    upgrade ``Status("archived")`` raises ``ValueError`` for every row
    written with the removed member, and ``Status["ARCHIVED"]`` raises
    ``KeyError``; a changed value makes old rows convert to the wrong member
    or to none.

    ## Known problems
    Stored values are taken to be stored by value (as columns, JSON fields and
    pickles store them): a member renamed with its value kept is not reported,
    although ``Status["OLD_NAME"]`` lookups of names stored elsewhere fail.
    Members are compared by what the class body assigns. Values built by a
    call other than ``auto()`` (``Color(1, "red")`` tuples are read, function
    calls are not) are not compared, and an enum whose ``_missing_`` handles
    only some values is taken to handle all.

    ## Example
    ```python
    # app/orders.py, base revision
    from enum import Enum

    class Status(str, Enum):
        OPEN = "open"
        ARCHIVED = "archived"

    # app/orders.py, new version
    from enum import Enum

    class Status(str, Enum):
        OPEN = "open"
        CLOSED = "closed"  # rows saved as "archived" no longer load
    ```

    ## Use instead
    ```python
    # app/orders.py, new version
    from enum import Enum

    class Status(str, Enum):
        OPEN = "open"
        CLOSED = "closed"

        @classmethod
        def _missing_(cls, value):
            return cls.CLOSED if value == "archived" else None
    ```
    Or migrate the stored values before deploying.

    ## Fix safety
    There is no automatic fix: what an old value should become is the author's decision.

    ## Options
    - ``reloadable``, ``not-reloadable``: which first-party modules are hot-reloaded; only
      their enums are checked.

    ## References
    - [Python: `enum`](https://docs.python.org/3/library/enum.html)
    - [Python: Enum `_missing_`](https://docs.python.org/3/library/enum.html#enum.Enum._missing_)
    - [Upgrade mode and the reload
      plan](https://reloadlint.readthedocs.io/en/latest/upgrade.html)
    """

    code = "RL604"
    name = "enum-value-removed"
    summary = "Enum member removed or its value changed; stored values no longer convert"
    mode = "upgrade"
    plan_role = "old-values"
    profiles = {reloader: on(f"{WHY} (and a restart)") for reloader in RELOADERS}

    def check(self, ctx: CheckContext) -> None:
        upgrade = ctx.upgrade
        if upgrade is None:
            return
        for fact, old_fact, old_module in in_both_versions(ctx, lambda module: module.enums):
            if "_missing_" in fact.hooks:
                continue
            kind = enum_kind(ctx.project, ctx.module, fact)
            old_kind = enum_kind(upgrade.base, old_module, old_fact)
            if not kind or not old_kind:
                continue
            old_values = member_values(old_fact, old_kind)
            new_values = member_values(fact, kind)
            by_value = {value: name for name, value in new_values.items() if value}
            problems = []
            for name, value in old_values.items():
                if name not in new_values:
                    if not (value and value in by_value):  # a rename keeps the value
                        problems.append(
                            f"`{name}` removed (`{fact.qualname}({value or '...'})` raises "
                            f'ValueError, `{fact.qualname}["{name}"]` KeyError)'
                        )
                elif value and new_values[name] and value != new_values[name]:
                    problems.append(
                        f"`{name}` changed value from {value} to {new_values[name]} (a stored "
                        f"{value} {_member(by_value.get(value), fact.qualname)})"
                    )
            if problems:
                cls = f"{ctx.module.name}.{fact.qualname}"
                ctx.report(
                    fact.span,
                    f"enum `{cls}`: {'; '.join(problems)} — values stored by the old version "
                    "(rows, JSON, pickles, queued messages) no longer convert: keep the member, "
                    "add a `_missing_` that maps the old value, or migrate the stored values",
                    symbol=cls,
                )


def _member(name: str | None, cls: str) -> str:
    return f"now converts to `{cls}.{name}`" if name else "raises ValueError"
