"""What a rule sees: one module, the project model, and ``report``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from reloadlint.diagnostics import Diagnostic, Fix, Position
from reloadlint.summary.model import ModuleSummary, Span

if TYPE_CHECKING:
    from reloadlint.config import Settings
    from reloadlint.project import ProjectModel
    from reloadlint.upgrade import Upgrade


class Reporter(Protocol):
    """What a finding takes from the rule that reports it: a rule class
    (:class:`reloadlint.rules.base.Rule`, which sits above this module)."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...

    def fixable(self) -> bool: ...


@dataclass
class ProjectContext:
    """Shared by every rule in a run."""

    project: ProjectModel
    settings: Settings
    rule: Reporter | None = None
    upgrade: Upgrade | None = None
    found: list[Diagnostic] = field(default_factory=list)

    def report_at(
        self,
        path: str,
        span: Span,
        message: str,
        *,
        symbol: str = "",
        context: str = "",
        fix: Fix | None = None,
        fixable: bool | None = None,
    ) -> None:
        rule = self.rule
        assert rule is not None
        self.found.append(
            Diagnostic(
                code=rule.code,
                name=rule.name,
                message=message,
                path=path,
                location=Position(span.line, span.col),
                end_location=Position(span.end_line, span.end_col),
                fix=fix,
                fixable=rule.fixable() if fixable is None else fixable and rule.fixable(),
                symbol=symbol,
                context=context,
                noqa_row=span.line,
            )
        )


@dataclass
class CheckContext:
    """One module being checked; ``report`` files a finding in it."""

    module: ModuleSummary
    shared: ProjectContext

    @property
    def project(self) -> ProjectModel:
        return self.shared.project

    @property
    def settings(self) -> Settings:
        return self.shared.settings

    @property
    def upgrade(self) -> Upgrade | None:
        return self.shared.upgrade

    def report(
        self,
        span: Span,
        message: str,
        *,
        symbol: str = "",
        context: str = "",
        fix: Fix | None = None,
        fixable: bool | None = None,
    ) -> None:
        """File a finding; ``fixable`` narrows the rule's fix availability for this one."""
        self.shared.report_at(
            self.module.path,
            span,
            message,
            symbol=symbol,
            context=context,
            fix=fix,
            fixable=fixable,
        )
