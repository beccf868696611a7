"""Baselines: recorded findings stay hidden when code moves, new ones are reported,
entries that no longer occur are named so the file can be trimmed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from integration_support import run_cli, write_project

from reloadlint import baseline
from reloadlint.diagnostics import Diagnostic, Position
from reloadlint.summary import summarize_bytes

REGISTRY = """\
from app import handlers

TABLE = [handlers.ping]


class Plugin:
    hook = handlers.ping
"""

PROJECT = {
    "app/__init__.py": "",
    "app/handlers.py": "def ping():\n    return 1\n",
    "app/registry.py": REGISTRY,
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path, PROJECT)


def lint(work: Path, *args: str) -> tuple[int, list[tuple[str, int, str]], str]:
    result = run_cli(work, "--no-cache", "--output-format", "json", *args, ".")
    found = [
        (Path(d["filename"]).name, d["location"]["row"], d["code"])
        for d in json.loads(result.stdout or "[]")
    ]
    return result.exit_code, found, result.stderr


def test_written_baseline_is_keyed_without_line_numbers(project: Path) -> None:
    code, _, stderr = lint(project, "--write-baseline", "reloadlint-baseline.json")
    assert code == 0
    assert "wrote 2 finding(s) as 2 baseline entries" in stderr
    data = json.loads((project / "reloadlint-baseline.json").read_text(encoding="utf-8"))
    assert data == {
        "version": baseline.BASELINE_VERSION,
        "findings": [
            {
                "path": "app/registry.py",
                "code": "RL103",
                "context": "",
                "symbol": "app.handlers.ping",
                "count": 1,
            },
            {
                "path": "app/registry.py",
                "code": "RL103",
                "context": "Plugin",
                "symbol": "app.handlers.ping",
                "count": 1,
            },
        ],
    }


def test_rewriting_an_unchanged_baseline_gives_the_same_bytes(project: Path) -> None:
    lint(project, "--write-baseline", "b.json")
    first = (project / "b.json").read_bytes()
    (project / "app/registry.py").write_text("# moved\n\n" + REGISTRY, encoding="utf-8")
    lint(project, "--write-baseline", "b.json")
    assert (project / "b.json").read_bytes() == first


def test_baseline_hides_recorded_findings_after_lines_shift(project: Path) -> None:
    assert lint(project)[0] == 1
    lint(project, "--write-baseline", "b.json")
    shifted = '"""The registry."""\n\nimport os\n\n\n' + REGISTRY.replace(
        "class Plugin:", "def helper():\n    return os.sep\n\n\nclass Plugin:"
    )
    (project / "app/registry.py").write_text(shifted, encoding="utf-8")
    code, found, stderr = lint(project, "--baseline", "b.json")
    assert (code, found) == (0, [])
    assert "warning" not in stderr


def test_a_new_finding_with_a_recorded_key_is_reported(project: Path) -> None:
    lint(project, "--write-baseline", "b.json")
    (project / "app/registry.py").write_text(
        REGISTRY.replace(
            "TABLE = [handlers.ping]\n", "TABLE = [handlers.ping]\nALIAS = handlers.ping\n"
        ),
        encoding="utf-8",
    )
    code, found, _ = lint(project, "--baseline", "b.json")
    assert code == 1
    assert found == [
        ("registry.py", 4, "RL103")
    ]  # the second one at module level: beyond the count


def test_a_finding_in_another_definition_is_new(project: Path) -> None:
    lint(project, "--write-baseline", "b.json")
    (project / "app/registry.py").write_text(
        REGISTRY + "\n\nclass Other:\n    hook = handlers.ping\n", encoding="utf-8"
    )
    code, found, _ = lint(project, "--baseline", "b.json")
    assert (code, found) == (1, [("registry.py", 11, "RL103")])


def test_entries_that_no_longer_occur_are_warned_about(project: Path) -> None:
    lint(project, "--write-baseline", "b.json")
    (project / "app/registry.py").write_text(
        REGISTRY.replace(
            "    hook = handlers.ping\n", "    hook = staticmethod(lambda: handlers.ping())\n"
        ),
        encoding="utf-8",
    )
    code, found, stderr = lint(project, "--baseline", "b.json")
    assert (code, found) == (0, [])  # a fixed finding never fails the run
    warnings = [
        line for line in stderr.splitlines() if line.startswith("reloadlint: warning: baseline")
    ]
    assert len(warnings) == 1
    assert (
        "app/registry.py RL103 in `Plugin` (`app.handlers.ping`) is recorded 1 time(s) but found 0"
        in warnings[0]
    )
    assert "--write-baseline b.json" in warnings[0]


def test_only_linted_files_can_make_entries_stale(project: Path) -> None:
    lint(project, "--write-baseline", "b.json")
    result = run_cli(project, "--no-cache", "--baseline", "b.json", "app/handlers.py")
    assert result.exit_code == 0
    assert "warning" not in result.stderr


def test_paths_are_relative_to_the_baseline_file(project: Path) -> None:
    (project / "ci").mkdir()
    lint(project, "--write-baseline", "ci/b.json")
    entries = json.loads((project / "ci/b.json").read_text(encoding="utf-8"))["findings"]
    assert {entry["path"] for entry in entries} == {"../app/registry.py"}
    result = run_cli(project / "app", "--no-cache", "--baseline", "../ci/b.json", ".")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "not found"),
        ("{", "not valid JSON"),
        ('{"version": 99, "findings": []}', "has version 99"),
        ('{"version": 1, "findings": [{"path": "a.py"}]}', "`code` must be a string"),
        (
            '{"version": 1, "findings": [{"path": "a.py", "code": "RL101", '
            '"context": "", "symbol": "", "count": 0}]}',
            "`count` must be a positive integer",
        ),
    ],
)
def test_unusable_baselines_are_errors(project: Path, text: str | None, message: str) -> None:
    if text is not None:
        (project / "b.json").write_text(text, encoding="utf-8")
    result = run_cli(project, "--no-cache", "--baseline", "b.json", ".")
    assert result.exit_code == 2
    assert message in result.stderr


def test_baseline_is_for_tree_mode(project: Path) -> None:
    result = run_cli(project, "--no-cache", "--base", "HEAD", "--baseline", "b.json", ".")
    assert result.exit_code == 2
    assert "--baseline" in result.stderr


def test_enclosing_definition_is_the_innermost_one() -> None:
    text = (
        b"import x\n\n\n@decorate\nclass A:\n    def f(self):\n"
        b"        def g():\n            return x\n        return g\n\n    y = x\n"
    )
    summary, error = summarize_bytes(text, "m.py", "m", False)
    assert error is None
    assert [baseline.enclosing_definition(summary, row) for row in range(1, 12)] == [
        "",
        "",
        "",
        "A",
        "A",
        "A.f",
        "A.f.g",
        "A.f.g",
        "A.f",
        "A",
        "A",
    ]


def test_context_set_by_a_rule_is_kept() -> None:
    found = Diagnostic("RL101", "n", "m", "m.py", Position(2, 1), Position(2, 2), context="chosen")
    summary, _ = summarize_bytes(b"def f():\n    pass\n", "m.py", "m", False)
    assert baseline.fill_context([found], {"m.py": summary})[0].context == "chosen"
