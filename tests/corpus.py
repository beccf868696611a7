"""The rule corpus in ``rules/``: discovery of cases and their expectations.

Layout::

    rules/RL101/bad/tree/...        the project (tree-mode rules), or
    rules/RL202/bad/v1/..., v2/...  the base and new versions (upgrade rules)
    rules/RL101/bad/expected.txt    the findings, as ``--output-format concise``
                                    prints them (none for good cases)
    rules/RL101/bad/fixed/...       the project after ``--fix`` (a fixable finding's case)
    rules/RL101/reload.py           the reload experiment (a case may have its own)

Case folders are named ``bad``, ``good`` or ``bad-<what>`` / ``good-<what>``.
``expected.txt`` is what ``reloadlint --output-format concise --select RL101 .``
prints in the case's tree (line, column, code, fix mark and message), and
``fixed/`` is a copy of ``tree/`` after ``reloadlint --fix --select RL101 .``:
write both with the linter, then read them as the specification they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"


@dataclass(frozen=True)
class Case:
    code: str
    path: Path

    @property
    def id(self) -> str:
        return f"{self.code}/{self.path.name}"

    @property
    def bad(self) -> bool:
        return self.path.name.startswith("bad")

    @property
    def upgrade(self) -> bool:
        return (self.path / "v1").is_dir()

    @property
    def tree(self) -> Path:
        return self.path / ("v2" if self.upgrade else "tree")

    @property
    def experiment(self) -> Path | None:
        for candidate in (self.path / "reload.py", self.path.parent / "reload.py"):
            if candidate.is_file():
                return candidate
        return None

    @property
    def fixed(self) -> Path | None:
        """The tree as ``--fix`` leaves it, for a case with fixable findings."""
        return self.path / "fixed" if (self.path / "fixed").is_dir() else None

    def expected(self) -> list[str]:
        """The concise output lines: ``path:row:col: CODE [*] message``."""
        file = self.path / "expected.txt"
        if not file.is_file():
            return []
        return [line for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]


def cases() -> list[Case]:
    found = []
    for rule_dir in sorted(RULES_DIR.glob("RL*")):
        for case_dir in sorted(rule_dir.iterdir()):
            if case_dir.is_dir() and case_dir.name.split("-")[0] in ("bad", "good"):
                found.append(Case(rule_dir.name, case_dir))
    return found
