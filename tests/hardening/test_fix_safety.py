"""``--fix`` never loses code.

A fixed file is written to a temporary file and renamed into place; a file
that changed on disk since it was read (or while its fix was computed) is not
overwritten; a fix whose result does not parse is dropped; a file that cannot
be written is left as it was. Each is checked through the CLI, with the
failure injected by monkeypatching where a real one cannot be arranged.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hardening_support import CANARY, CANARY_FINDING, reloadlint, write

from reloadlint import fixes, steps
from reloadlint.diagnostics import Diagnostic
from reloadlint.fixes import apply

VIEWS = "app/views.py"
FIXED = "import app.db\n\n\ndef handler():\n    return app.db.connect()\n"


def files_in(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_the_fix_itself(project: Path) -> None:
    """The baseline the other tests rely on: --fix rewrites the canary."""
    run = reloadlint("--fix", ".")
    assert run.exit_code == 0, run.stderr
    assert (project / VIEWS).read_text() == FIXED
    assert "Fixed 1 file." in run.stderr


def test_written_to_a_temporary_file_then_renamed(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / VIEWS).chmod(0o640)
    renames: list[tuple[str, str, str]] = []
    real_replace = os.replace

    def recording_replace(src: str, dst: str, **dir_fds: int | None) -> None:
        renames.append((str(src), str(dst), Path(src).read_text()))
        assert (project / VIEWS).read_text() == CANARY[VIEWS]  # untouched until the rename
        real_replace(src, dst, **dir_fds)

    monkeypatch.setattr(os, "replace", recording_replace)
    assert reloadlint("--fix", ".").exit_code == 0
    [(temporary, target, content)] = renames
    assert (
        Path(temporary).parent == (project / VIEWS).parent
    )  # same file system: the rename is atomic
    assert Path(temporary).name != "views.py" and Path(target) == project / VIEWS
    assert content == FIXED
    assert not Path(temporary).exists()
    assert (project / VIEWS).stat().st_mode & 0o777 == 0o640
    assert files_in(project / "app") == ["__init__.py", "db.py", "views.py"]


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failed_write_leaves_the_file_and_no_debris(
    project: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    def failing_replace(src: str, dst: str, **dir_fds: int | None) -> None:
        raise failure

    monkeypatch.setattr(os, "replace", failing_replace)
    run = reloadlint("--fix", ".")
    assert (project / VIEWS).read_text() == CANARY[VIEWS]
    assert files_in(project / "app") == [
        "__init__.py",
        "db.py",
        "views.py",
    ]  # the temporary file is gone
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    if isinstance(failure, KeyboardInterrupt):
        assert run.exit_code == 130
    else:
        assert run.exit_code == 1
        assert "cannot write app/views.py: No space left on device; not fixed" in run.stderr
        assert CANARY_FINDING in run.findings


def test_a_file_changed_since_it_was_linted_is_not_overwritten(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summarize = steps.summarize_entries
    edited = CANARY[VIEWS] + "\n\nUSER_EDIT = 1\n"

    def summarize_then_edit(*args: object, **kwargs: object) -> object:
        results = summarize(*args, **kwargs)  # type: ignore[arg-type]
        (project / VIEWS).write_text(edited)  # the user saves while reloadlint runs
        return results

    monkeypatch.setattr(steps, "summarize_entries", summarize_then_edit)
    run = reloadlint("--fix", ".")
    assert (project / VIEWS).read_text() == edited
    assert "app/views.py changed since it was read; not fixed" in run.stderr
    assert run.exit_code == 1


def test_a_file_changed_while_its_fix_is_computed_is_not_overwritten(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = apply.fixed_file
    edited = CANARY[VIEWS] + "\n\nUSER_EDIT = 1\n"

    def fix_during_an_edit(
        source: str, diagnostics: list[Diagnostic], context: fixes.FixContext
    ) -> str | None:
        (project / VIEWS).write_text(edited)  # an editor saves between our read and our write
        return real(source, diagnostics, context)

    monkeypatch.setattr(apply, "fixed_file", fix_during_an_edit)
    run = reloadlint("--fix", ".")
    assert (project / VIEWS).read_text() == edited
    assert "app/views.py changed while being fixed; not fixed" in run.stderr
    assert files_in(project / "app") == ["__init__.py", "db.py", "views.py"]
    assert run.exit_code == 1


@pytest.mark.parametrize(
    "broken",
    [
        lambda source, diagnostics, context: source.replace("def handler():", "def handler(:"),
        lambda source, diagnostics, context: "",
        lambda source, diagnostics, context: source.split("def handler")[0],
        lambda source, diagnostics, context: 1 / 0,
    ],
    ids=["does-not-parse", "empties-the-file", "truncates", "raises"],
)
def test_a_fix_that_does_not_reparse_or_fails_is_dropped(
    project: Path, monkeypatch: pytest.MonkeyPatch, broken: object
) -> None:
    monkeypatch.setitem(fixes.FIXERS, "stale-import", broken)
    run = reloadlint("--fix", ".")
    # (An empty file parses: it is refused because the definition of `handler` went missing.)
    assert (project / VIEWS).read_text() == CANARY[VIEWS]
    assert run.exit_code == 1 and CANARY_FINDING in run.findings
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr


def test_diff_never_writes(project: Path) -> None:
    before = {p: p.read_bytes() for p in (project / "app").iterdir()}
    run = reloadlint("--diff", ".", json_output=False)
    assert run.exit_code == 1
    assert "+import app.db" in run.stdout
    assert {p: p.read_bytes() for p in (project / "app").iterdir()} == before


def test_a_symlinked_file_is_fixed_through_the_link(project: Path) -> None:
    """Inside the project (a link out of it: tests/hardening/test_confinement.py)."""
    real = project / "build" / "shared_views.py"  # build/: not linted itself
    real.parent.mkdir()
    real.write_text(CANARY[VIEWS])
    (project / VIEWS).unlink()
    os.symlink(real, project / VIEWS)
    assert reloadlint("--fix", ".").exit_code == 0
    assert (project / VIEWS).is_symlink()  # the link is kept...
    assert real.read_text() == FIXED  # ...and what it points to is fixed


def test_bom_and_line_endings_survive_a_fix(project: Path) -> None:
    (project / VIEWS).write_bytes(b"\xef\xbb\xbf" + CANARY[VIEWS].replace("\n", "\r\n").encode())
    assert reloadlint("--fix", ".").exit_code == 0
    assert (project / VIEWS).read_bytes() == b"\xef\xbb\xbf" + FIXED.replace("\n", "\r\n").encode()


def test_a_file_in_another_encoding_is_left_alone(project: Path) -> None:
    data = ("# coding: latin-1\nNAME = 'caf\u00e9'\n" + CANARY[VIEWS]).encode("latin-1")
    (project / VIEWS).write_bytes(data)
    run = reloadlint("--fix", ".")
    assert (project / VIEWS).read_bytes() == data
    assert ("app/views.py", 3, "RL101") in run.findings


def test_a_deeply_nested_file_gets_no_fix_rather_than_a_stall(project: Path) -> None:
    """libcst takes quadratic time in nesting depth: past the limit there is no fix, quickly."""
    text = CANARY[VIEWS] + "\nX = " + "+".join(["1"] * 2500) + "\n"
    write(project, {VIEWS: text})
    run = reloadlint("--fix", ".")
    assert (project / VIEWS).read_text() == text
    assert run.exit_code == 1 and CANARY_FINDING in run.findings
    shallow = CANARY[VIEWS] + "\nX = " + "+".join(["1"] * 100) + "\n"
    write(project, {VIEWS: shallow})
    assert reloadlint("--fix", ".").exit_code == 0
    assert (project / VIEWS).read_text().startswith("import app.db\n")


# ---------------------------------------------------------------- behaviour and comments (issue 13)

DB_TWO = "def connect():\n    return 1\n\n\ndef close():\n    return 2\n"


@pytest.mark.parametrize(
    "views",
    [
        # The package's name is rebound later: `app.db.connect` would mean `os.db.connect`.
        "from app.db import connect\nimport os as app\n\n\ndef handler():\n    return connect()\n",
        # The imported name is rebound at module level: its uses mean the wrapper.
        "from app.db import connect\n\nconnect = staticmethod(connect)\n\n\n"
        "def handler():\n    return connect()\n",
        "try:\n    from app.db import connect\nexcept ImportError:\n    connect = None\n\n\n"
        "def handler():\n    return connect()\n",
    ],
    ids=["package-name-rebound", "imported-name-rebound", "fallback-binding"],
)
def test_no_fix_when_a_rebinding_would_change_behaviour(project: Path, views: str) -> None:
    write(project, {VIEWS: views})
    run = reloadlint("--fix", ".")
    assert (project / VIEWS).read_text() == views
    assert ("app/views.py", 2 if views.startswith("try") else 1, "RL101") in run.findings


def test_comments_in_a_parenthesised_import_are_kept(project: Path) -> None:
    views = (
        "from app.db import (  # the database\n"
        "    connect,\n"
        "    close,  # type: ignore[attr-defined]\n"
        ")\n\n\n"
        "def handler():\n    return connect(), close()\n"
    )
    write(project, {"app/db.py": DB_TWO, VIEWS: views})
    assert reloadlint("--fix", "--select", "RL101", ".").exit_code == 1  # close stays
    fixed = (project / VIEWS).read_text()
    assert "app.db.connect()" in fixed
    assert "# the database" in fixed and "close,  # type: ignore[attr-defined]" in fixed


def test_a_fix_that_would_drop_a_comment_is_not_made(project: Path) -> None:
    views = (
        "from app.db import (\n"
        "    connect,  # type: ignore[attr-defined]\n"
        "    close,\n"
        ")\n\n\n"
        "def handler():\n    return connect(), close()\n"
    )
    write(project, {"app/db.py": DB_TWO, VIEWS: views})
    reloadlint("--fix", "--select", "RL101", ".")
    fixed = (project / VIEWS).read_text()
    assert "connect,  # type: ignore[attr-defined]" in fixed  # connect's import stays
    assert "app.db.close()" in fixed  # close, without a comment of its own, is fixed


def test_cr_only_line_endings_are_kept(project: Path) -> None:
    (project / VIEWS).write_bytes(CANARY[VIEWS].replace("\n", "\r").encode())
    assert reloadlint("--fix", ".").exit_code == 0
    assert (project / VIEWS).read_bytes() == FIXED.replace("\n", "\r").encode()
