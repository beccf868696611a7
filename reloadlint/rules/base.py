"""What a rule is: metadata, documentation and a check over the project model.

A rule is a subclass of :class:`Rule` in a module of ``reloadlint.rules``;
:mod:`reloadlint.rules.registry` discovers it, so adding a rule means adding a
file. The class docstring is the rule's documentation (the sections
ruff's ``## What it does``, ``## Why is this bad?``, ``## Known problems``,
``## Example``, ``## Use instead``, ``## Fix safety``, ``## Options`` and
``## References``), rendered by ``reloadlint --explain``, SARIF and the
documentation site (scripts/render_docs.py).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar, Literal

from reloadlint.profiles import RELOADERS, Reloader, Verdict, on

if TYPE_CHECKING:
    from reloadlint.context import CheckContext, ProjectContext
    from reloadlint.diagnostics import Applicability

FixAvailability = Literal["none", "sometimes", "always"]
Mode = Literal["tree", "upgrade"]
PlanRole = Literal["restart", "restart-if-reloaded", "reloads-readers", "not-done", "old-values"]

REQUIRED_DOC_SECTIONS = (
    "## What it does",
    "## Why is this bad?",
    "## Known problems",
    "## Example",
    "## Use instead",
    "## Fix safety",
    "## Options",
    "## References",
)


class Rule:
    """Base class of every rule."""

    code: ClassVar[str]
    name: ClassVar[str]
    #: One line for ``--list-rules`` and SARIF's shortDescription.
    summary: ClassVar[str]
    default_enabled: ClassVar[bool] = True
    fix: ClassVar[FixAvailability] = "none"
    #: The fixer that repairs a finding, by its name in :data:`reloadlint.fixes.FIXERS`
    #: (a name, not the function: linting never imports libcst).
    fixer: ClassVar[str] = ""
    #: What the fix does, in a few words: the finding's help line and the fix's
    #: message in JSON and SARIF.
    fix_title: ClassVar[str] = ""
    #: "unsafe": the fix may change behaviour, and only ``--unsafe-fixes`` applies it.
    fix_applicability: ClassVar[Applicability] = "safe"
    #: "upgrade" rules run only with ``--base REV``.
    mode: ClassVar[Mode] = "tree"
    #: What a finding means for the reload plan (``--plan``, :mod:`reloadlint.plan`):
    #: ``restart`` forces a restart wherever it is reported; ``restart-if-reloaded``
    #: when the plan reloads its module; ``reloads-readers`` puts the module that
    #: reads a changed file into the plan; ``not-done`` lists it among what the
    #: upgrade will not do; ``old-values`` lists it among the values made by the old
    #: version (it never changes the verdict). None: the plan does not read the rule.
    #: whether the rule checks tests, docs and examples too (reloadlint.scope): no
    #: process reloads them, but what they name must exist (RL502)
    outside_application: ClassVar[bool] = False
    plan_role: ClassVar[PlanRole | None] = None
    #: Under which reloaders the rule applies, and why (:mod:`reloadlint.profiles`):
    #: every rule about reloads declares all four; tests/test_profiles.py proves each
    #: claim by running the rule's corpus experiments under that reloader.
    profiles: ClassVar[Mapping[Reloader, Verdict]] = {
        reloader: on("about the input, whatever reloads it") for reloader in RELOADERS
    }

    def check(self, ctx: CheckContext) -> None:
        """Inspect one module (``ctx.module``) and call ``ctx.report`` per finding."""

    def check_project(self, ctx: ProjectContext) -> None:
        """Once per run, for findings that belong to no module of the new tree."""

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def fixable(cls) -> bool:
        return cls.fix != "none"

    @classmethod
    def runs_under(cls, reloader: Reloader) -> bool:
        """Whether the rule applies under this reloader's profile."""
        return cls.profiles[reloader].runs
