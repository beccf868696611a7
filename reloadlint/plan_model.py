"""The reload plan as a document: the value :func:`reloadlint.plan.build` returns.

Why a module of its own: the readers of a plan (the text and JSON renderers in
:mod:`reloadlint.output`, the dev loop's planner and report) need its shape, not
the builder, which pulls in the rule registry, upgrade mode and git. Keeping the
shape here lets them import it without the builder, and keeps
:mod:`reloadlint.plan` about one job: deciding what the plan says (docs/upgrade.md
describes the document; ``schemas/plan.schema.json`` is its JSON form).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reloadlint.plan_values import OldValue


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    path: str | None = None
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class Migration:
    cls: str
    old_vsn: int | str | None
    new_vsn: int | str | None


@dataclass
class PlanModule:
    module: str
    path: str
    action: str  # reload, reload+migrate, restart
    why: str  # changed, added, imports-changed-names-by-value, reads-changed-file
    base_sha256: str | None
    new_sha256: str | None
    migrate: list[Migration] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class Group:
    cycle: bool
    modules: list[PlanModule]


@dataclass(frozen=True)
class NotDone:
    kind: str
    message: str
    path: str | None = None
    line: int | None = None


@dataclass
class Plan:
    rev: str
    commit: str
    groups: list[Group]
    restart_reasons: list[Reason]
    not_done: list[NotDone]
    removed: list[str] = field(default_factory=list)  # removed modules (shown in the text plan)
    #: values made by the old version that the new one must still accept (RL6 findings)
    old_values: list[OldValue] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return "restart" if self.restart_reasons else "hot"

    @property
    def modules(self) -> list[PlanModule]:
        return [module for group in self.groups for module in group.modules]
