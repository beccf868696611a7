"""The pylint plugin: real pylint reports what the CLI reports, as pylint messages.

pylint takes a second or two to start, so every run of this module happens in
one subprocess that calls ``pylint.lint.Run`` once per job (a fresh linter,
hence a fresh plugin registration, each time; astroid's module cache is
cleared between jobs because every corpus case has its own ``app`` package).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from integration_support import (
    Finding,
    cli_findings,
    copy_case,
    subprocess_env,
    tree_cases,
    write_project,
)

from reloadlint.pylint_plugin import checker_classes, message_id, plugin_rules
from reloadlint.rules.registry import all_rules

CASES = tree_cases()
SYMBOLS = ",".join(rule.name for rule in plugin_rules())
CODES = {message_id(rule.code): rule.code for rule in plugin_rules()}

DRIVER = """
import json, os, sys
import astroid
from pylint.lint import Run

for job in json.load(sys.stdin):
    os.chdir(job["cwd"])
    astroid.MANAGER.clear_cache()
    args = ["--output-format=json", "--output=" + job["output"], "--score=n", *job["args"]]
    Run(args, exit=False)
"""

BASE_ARGS = ["--load-plugins=reloadlint.pylint_plugin", "--recursive=y"]
ONLY_RELOADLINT = ["--disable=all", f"--enable={SYMBOLS}"]

STALE_IMPORT = {
    "app/__init__.py": "",
    "app/db.py": "def connect():\n    return 1\n",
    "app/views.py": "from app.db import connect\n\n\ndef handler():\n    return connect()\n",
}


def run_pylint(jobs: list[tuple[Path, list[str]]], scratch: Path) -> list[list[Finding]]:
    """Run pylint once per (cwd, args) job.

    Each job's findings as (path, row, 1-based column, RL code)."""
    specs = [
        {
            "cwd": str(cwd),
            "args": [*BASE_ARGS, *args, "."],
            "output": str(scratch / f"pylint-{index}.json"),
        }
        for index, (cwd, args) in enumerate(jobs)
    ]
    completed = subprocess.run(
        [sys.executable, "-c", DRIVER],
        input=json.dumps(specs),
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr
    results = []
    for spec in specs:
        messages = json.loads(Path(spec["output"]).read_text(encoding="utf-8") or "[]")
        assert not [m for m in messages if m["message-id"] in ("W0012", "E0001", "F0002")], messages
        messages = [m for m in messages if m["message-id"].startswith("W9")]
        results.append(
            sorted(
                (Path(m["path"]).as_posix(), m["line"], m["column"] + 1, CODES[m["message-id"]])
                for m in messages
            )
        )
    return results


@pytest.fixture(scope="module")
def corpus_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[Finding]]]:
    root = tmp_path_factory.mktemp("pylint-corpus")
    works = [copy_case(case, root / f"{case.code}__{case.path.name}") for case in CASES]
    found = run_pylint([(work, ONLY_RELOADLINT) for work in works], root)
    return {
        case.id: (work, findings) for case, work, findings in zip(CASES, works, found, strict=True)
    }


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_pylint_reports_what_the_cli_reports(case, corpus_runs) -> None:
    work, from_pylint = corpus_runs[case.id]
    codes = set(CODES.values())
    from_cli = [f for f in cli_findings(work, "--extend-select", "ALL") if f[3] in codes]
    assert from_pylint == from_cli
    if case.bad and case.code in codes:
        assert from_pylint, "a bad case with no findings compares nothing"


@pytest.mark.slow
def test_suppression_options_and_defaults(tmp_path: Path) -> None:
    plain = write_project(tmp_path / "plain", STALE_IMPORT)
    noqa = write_project(
        tmp_path / "noqa",
        {
            **STALE_IMPORT,
            "app/views.py": STALE_IMPORT["app/views.py"].replace(
                "connect\n", "connect  # noqa: RL101\n", 1
            ),
        },
    )
    pragma = write_project(
        tmp_path / "pragma",
        {
            **STALE_IMPORT,
            "app/views.py": STALE_IMPORT["app/views.py"].replace(
                "connect\n", "connect  # pylint: disable=stale-function-import\n", 1
            ),
        },
    )
    rl105 = copy_case(next(c for c in CASES if c.id == "RL105/bad"), tmp_path / "rl105")
    found = run_pylint(
        [
            (plain, ONLY_RELOADLINT),
            (noqa, ONLY_RELOADLINT),
            (pragma, ONLY_RELOADLINT),
            (plain, [*ONLY_RELOADLINT, "--reloadlint-not-reloadable=app.db"]),
            (plain, ["--disable=all", "--enable=W9101"]),  # by message id
            (rl105, []),  # pylint's defaults: class-identity-check is off, as in reloadlint
            (rl105, ["--disable=all", "--enable=class-identity-check"]),
        ],
        tmp_path,
    )
    expected = [("app/views.py", 1, 20, "RL101")]
    assert found[0] == expected
    assert found[1] == []
    assert found[2] == []
    assert found[3] == []
    assert found[4] == expected
    assert "RL105" not in {code for *_, code in found[5]}
    assert "RL105" in {code for *_, code in found[6]}


def test_messages_map_rules() -> None:
    rules = plugin_rules()
    assert {
        rule.code for rule in all_rules() if rule.mode == "tree" and not rule.code.startswith("RL9")
    } == {r.code for r in rules}
    messages = {}
    for checker in checker_classes():
        prefixes = {msgid[1:3] for msgid in checker.msgs}
        assert len(prefixes) == 1, "pylint wants one checker id per checker"
        messages.update(checker.msgs)
    for rule in rules:
        msgid = message_id(rule.code)
        assert msgid == "W9" + rule.code[2:]
        assert messages[msgid][1] == rule.name
        assert messages[msgid][3]["default_enabled"] == rule.default_enabled
