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

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parent
RULES_DIR = TESTS.parent / "rules"


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

    def expected(self, reloader: str = "importlib") -> list[str]:
        """The concise output lines: ``path:row:col: CODE [*] message``; under another
        reloader's profile, ``expected.<reloader>.txt`` (none: no findings)."""
        name = "expected.txt" if reloader == "importlib" else f"expected.{reloader}.txt"
        file = self.path / name
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


def run_experiment(
    case: Case, tree: Path, tmp_path: Path, reloader: str = "importlib", ignore: str = ""
) -> str:
    """Run the case's reload experiment on a copy of ``tree`` under ``reloader``
    (``tests/reloaders.py``); its verdict line (``STALE: ...`` or ``FRESH: ...``).

    ``ignore``: rules the runtime's plan is computed without (``--ignore``).
    """
    work = tmp_path / "work"
    shutil.copytree(tree, work)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(TESTS), str(TESTS.parent)]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "RELOADKIT_RELOADER": reloader,
        "RELOADKIT_IGNORE": ignore,
        "IPYTHONDIR": str(tmp_path / "ipython"),  # never the user's profile
    }
    if case.upgrade:
        env["RELOADKIT_V2"] = str(case.path / "v2")
    assert case.experiment is not None
    done = subprocess.run(
        [sys.executable, str(case.experiment)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise ExperimentFailed(done.stderr)
    lines = done.stdout.strip().splitlines()
    if not lines or not lines[-1].startswith(("STALE", "FRESH")):
        raise ExperimentFailed(f"no verdict:\n{done.stdout}\n{done.stderr}")
    return lines[-1]


class ExperimentFailed(AssertionError):
    """The experiment ended without a verdict (its stderr is the message)."""
