"""Every rule's documented examples are tests: the ``## Example`` blocks of its
docstring must produce the rule's code, its ``## Use instead`` blocks must not.

The docstring is what ``reloadlint --explain`` prints and docs/rules/ renders,
so an example that stopped matching the rule would mislead exactly the reader
who needs it. Each section's fenced blocks make a small project:

- a block is a file; a first line ``# app/db.py`` names it (the default is
  ``app/example.py``), and a block may hold several files, each starting at
  such a line; the header is documentation, not content;
- a note after the path that starts with ``base`` or ``added`` says which
  revision a file belongs to (upgrade rules): ``# app/models.py, base
  revision`` is the file as the running process loaded it, ``# app/jobs.py,
  added`` a file the base did not have; any other file is the working
  tree's, and the base's too unless the section gives a base version of it;
- the ``Use instead`` project is the ``Example`` project with the files it
  shows replaced (the base revision stays the same);
- directories get an empty ``__init__.py``; a ``pyproject.toml`` block
  configures the run.

The rules whose example cannot be written as files (:data:`NOT_FILES`) say so.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from reloadlint.cli import command
from reloadlint.rules.base import Rule
from reloadlint.rules.registry import all_rules

#: Rules whose example is a property of the file, not its text.
NOT_FILES = {
    "RL903": "an unreadable file: its permissions, not its text (and root reads it anyway)",
    "RL904": "code nested thousands of levels deep does not fit in a docstring",
}

_FENCE = re.compile(r"^```(?P<language>\w*)\n(?P<body>.*?)^```", re.MULTILINE | re.DOTALL)
_HEADER = re.compile(r"^# (?P<path>[\w.-]+(?:/[\w.-]+)*\.\w+)(?P<note>[ ,:(].*)?$")
_DEFAULT_PATH = "app/example.py"


@dataclass
class Project:
    files: dict[str, str] = field(default_factory=dict)
    #: upgrade mode: the base revision's versions of files (not in ``files``: deleted)
    base: dict[str, str] = field(default_factory=dict)
    added: set[str] = field(default_factory=set)

    @property
    def upgrade(self) -> bool:
        return bool(self.base or self.added)


def _sections(rule: type[Rule]) -> dict[str, str]:
    parts = re.split(r"^## ", rule.doc(), flags=re.MULTILINE)
    return {part.partition("\n")[0].strip(): part.partition("\n")[2] for part in parts[1:]}


def _blocks(text: str) -> list[tuple[str, str | None, str]]:
    """(path, note, content) of each file the section's fenced blocks show."""
    files = []
    for fence in _FENCE.finditer(text):
        language, body = fence["language"], fence["body"]
        lines = body.splitlines(keepends=True)
        if language not in ("python", "toml") and not (lines and _HEADER.match(lines[0])):
            continue  # a shell command or prose in a box
        current: tuple[str, str | None] | None = None
        content: list[str] = []
        for line in lines:
            header = _HEADER.match(line.rstrip("\n"))
            if header:
                if current is not None or "".join(content).strip():
                    files.append((*(current or (_DEFAULT_PATH, None)), "".join(content)))
                current, content = (header["path"], header["note"]), []
            else:
                content.append(line)
        files.append((*(current or (_DEFAULT_PATH, None)), "".join(content)))
    return files


def _project(text: str, start: Project | None = None) -> Project:
    project = Project(
        dict(start.files) if start else {},
        dict(start.base) if start else {},
        set(start.added) if start else set(),
    )
    for path, note, content in _blocks(text):
        kind = (note or "").lstrip(" ,:(").lower()
        if kind.startswith("base"):
            project.base[path] = content
        else:
            project.files[path] = content
            if kind.startswith("added"):
                project.added.add(path)
    return project


def _write(root: Path, files: dict[str, str]) -> None:
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    for directory in {p.parent for p in root.rglob("*.py")}:
        if directory != root and not (directory / "__init__.py").exists():
            (directory / "__init__.py").write_text("", encoding="utf-8")


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


def _codes(project: Project, code: str, root: Path) -> list[str]:
    """The codes reloadlint reports for ``project`` (upgrade mode if it has a base)."""
    args = ["--output-format", "json", "--select", code, "--no-cache"]
    if project.upgrade:
        base = {p: c for p, c in project.files.items() if p not in project.added}
        base |= project.base
        _write(root, base)
        _git(root, "init", "-q", "-b", "main")
        _git(root, "add", "-A")
        _git(root, "commit", "-qm", "base")
        for path in list(root.iterdir()):
            if path.name != ".git":
                subprocess.run(["rm", "-rf", str(path)], check=True)
        args += ["--base", "HEAD"]
    _write(root, dict(project.files))
    if "pyproject.toml" not in project.files:
        args.append("--isolated")
    old = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(command, [*args, "."], catch_exceptions=False)
    finally:
        os.chdir(old)
    assert result.exit_code in (0, 1), result.output
    return [finding["code"] for finding in json.loads(result.stdout)]


RULES = [rule for rule in all_rules() if rule.code not in NOT_FILES]


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_the_example_is_found(rule: type[Rule], tmp_path: Path) -> None:
    example = _project(_sections(rule)["Example"])
    assert example.files, f"{rule.code}: the Example has no code block"
    if rule.mode == "upgrade":
        assert example.upgrade, f"{rule.code}: an upgrade rule's Example needs a base revision"
    assert rule.code in _codes(example, rule.code, tmp_path), _describe(example)


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_what_to_use_instead_is_not(rule: type[Rule], tmp_path: Path) -> None:
    sections = _sections(rule)
    if not _blocks(sections["Use instead"]):
        pytest.skip(f"{rule.code}: the cure is prose (restart, exclude...)")
    example = _project(sections["Example"])
    cure = _project(sections["Use instead"], example)
    assert rule.code not in _codes(cure, rule.code, tmp_path), _describe(cure)


def test_a_rule_without_example_files_says_why() -> None:
    codes = {rule.code for rule in all_rules()}
    assert set(NOT_FILES) <= codes
    for code in NOT_FILES:
        rule = next(rule for rule in all_rules() if rule.code == code)
        assert not _blocks(_sections(rule)["Example"]), f"{code} has a block: test it"


def test_blocks_are_split_into_files() -> None:
    text = (
        "```python\n# app/db.py\ndef connect(): ...\n\n# app/views.py\n"
        "from app.db import connect\n```\n"
        "```python\n# app/models.py, base revision\nX = 1\n```\n"
        "```text\ngit mv a b\n```\n"
    )
    project = _project(text)
    assert project.files == {
        "app/db.py": "def connect(): ...\n\n",
        "app/views.py": "from app.db import connect\n",
    }
    assert project.base == {"app/models.py": "X = 1\n"}
    cure = _project("```python\n# app/views.py\nimport app.db\n```\n", project)
    assert cure.files["app/views.py"] == "import app.db\n"
    assert cure.files["app/db.py"] == project.files["app/db.py"]


def _describe(project: Project) -> str:
    shown = [f"--- {path}\n{content}" for path, content in project.files.items()]
    shown += [f"--- {path} (base)\n{content}" for path, content in project.base.items()]
    return "\n".join(shown)
