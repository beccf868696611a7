"""The rule corpus in ``rules/``: discovery of cases and their expectations.

Layout::

    rules/RL101/bad/tree/...        the project (tree-mode rules), or
    rules/RL202/bad/v1/..., v2/...  the base and new versions (upgrade rules)
    rules/RL101/bad/expected.txt    `path:line CODE` per finding (none for good cases)
    rules/RL101/reload.py           the reload experiment (a case may have its own)

Case folders are named ``bad``, ``good`` or ``bad-<what>`` / ``good-<what>``.
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

    def expected(self) -> list[tuple[str, int, str]]:
        file = self.path / "expected.txt"
        if not file.is_file():
            return []
        found = []
        for line in file.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            location, code = line.split()
            path, row = location.rsplit(":", 1)
            found.append((path, int(row), code))
        return sorted(found)


def cases() -> list[Case]:
    found = []
    for rule_dir in sorted(RULES_DIR.glob("RL*")):
        for case_dir in sorted(rule_dir.iterdir()):
            if case_dir.is_dir() and case_dir.name.split("-")[0] in ("bad", "good"):
                found.append(Case(rule_dir.name, case_dir))
    return found
