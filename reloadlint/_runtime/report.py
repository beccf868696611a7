"""What an upgrade reports, and the errors it raises (re-exported by :mod:`reloadlint.runtime`).

The report must never say more than the process shows: ``completed`` and
``ok`` are true only when every step ran *and* no check found the process
half upgraded (a class still deriving from an old base, an instance left on
its old class, a re-export still naming the old object). Each such finding
is one line of ``problems``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class RuntimeUpgradeError(Exception):
    """Base class of every error raised by the runtime."""


class PlanRefused(RuntimeUpgradeError):
    """Preflight refused the upgrade; nothing was reloaded or migrated."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "".join(f"\n  - {problem}" for problem in problems)
        super().__init__(f"upgrade refused, nothing was changed:{lines}")


class UpgradeError(RuntimeUpgradeError):
    """A step after the point of no return failed; nothing was undone.

    ``report.steps`` lists what had already run and the message says what did
    not: the process now runs that mix of old and new code until it is fixed
    forward or restarted.
    """

    def __init__(self, message: str, report: UpgradeReport) -> None:
        self.report = report
        report.failed = True
        report.completed = False
        steps = "".join(f"\n  - {step}" for step in report.steps)
        problems = "".join(f"\n  - {problem}" for problem in report.problems)
        text = f"{message}\nsteps already done (there is no undo):{steps}"
        super().__init__(text + (f"\nproblems found:{problems}" if problems else ""))


@dataclass
class ClassUpgrade:
    """What happened to the live instances of one class that a reload replaced."""

    name: str  # module.QualName
    old_vsn: Any
    new_vsn: Any
    repointed: int = 0
    not_repointed: int = 0  # ``__class__`` assignment refused, e.g. ``__slots__`` changed
    migrated: int = 0  # ``__code_change__`` returned
    failed: int = 0  # ``__code_change__`` raised
    errors: list[str] = field(default_factory=list)  # repr of each exception raised

    @property
    def vsn_changed(self) -> bool:
        return bool(self.old_vsn != self.new_vsn)

    @property
    def hooks_called(self) -> int:
        return self.migrated + self.failed

    def __str__(self) -> str:
        text = f"{self.name}: {self.repointed} instance(s) re-pointed, "
        if self.vsn_changed:
            text += f"vsn {self.old_vsn!r} -> {self.new_vsn!r}, "
            text += f"{self.migrated} migrated by __code_change__"
        else:
            text += "vsn unchanged, no migration"
        text += f", {self.failed} __code_change__ failure(s)" if self.failed else ""
        return text + (f", {self.not_repointed} not re-pointed" if self.not_repointed else "")


@dataclass
class UpgradeReport:
    """What an upgrade did, in order.

    ``completed``: every step ran and no problem was found; ``failed``: a step
    raised (:class:`UpgradeError`). ``problems`` lists what leaves the process
    only partly upgraded; ``notes`` what is expected and worth knowing.
    """

    modules_reloaded: list[str] = field(default_factory=list)
    modules_skipped: list[str] = field(default_factory=list)  # listed, never imported here
    classes: list[ClassUpgrade] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    completed: bool = False
    failed: bool = False

    @property
    def ok(self) -> bool:
        """The upgrade ran to the end and left the process consistent."""
        return self.completed and not self.failed and not self.problems

    @property
    def hooks_called(self) -> int:
        return sum(upgrade.hooks_called for upgrade in self.classes)

    def for_class(self, name: str) -> ClassUpgrade:
        """The entry of the class named ``module.QualName``."""
        return next(upgrade for upgrade in self.classes if upgrade.name == name)

    def __str__(self) -> str:
        reloaded = ", ".join(self.modules_reloaded) or "none"
        if self.ok:
            headline = "upgrade complete"
        elif self.failed:
            headline = "upgrade FAILED (no undo, see steps)"
        else:
            headline = (
                f"upgrade INCOMPLETE: {len(self.problems)} problem(s) leave the process "
                "partly upgraded (no undo, see steps)"
            )
        lines = [headline, f"  modules reloaded ({len(self.modules_reloaded)}): {reloaded}"]
        if self.modules_skipped:
            lines.append("  not imported here, skipped: " + ", ".join(self.modules_skipped))
        lines += [f"  {c}" for c in self.classes if c.repointed or c.not_repointed]
        lines += [f"  problem: {problem}" for problem in self.problems]
        lines += [f"  note: {note}" for note in self.notes]
        if not self.ok:
            lines += ["  steps:", *(f"    - {step}" for step in self.steps)]
        return "\n".join(lines)
