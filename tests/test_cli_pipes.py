"""Pipes and progress (issue 19): ``reloadlint ... | head`` ends quietly with exit 0,
as ruff does; a progress bar goes to stderr only when stderr is a terminal.

The pipe tests run the real console entry point in a subprocess whose stdout
is a pipe the reader has already closed, so the first write fails for sure
(``head`` would close it after some lines: the same error, less reliably).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import git, isolate_git
from helpers import write_tree

from reloadlint import progress
from reloadlint.console import TerminalProgress

DB = "def connect():\n    pass\n"
VIEWS = "from app.db import connect\n\n\ndef view():\n    return connect()\n"

#: Runs the command line as the console script does; TerminalProgress.DELAY set to 0
#: so that the bar would show at once (whether it shows must not depend on time).
PROBE = (
    "import sys\n"
    "from reloadlint.console import TerminalProgress\n"
    "TerminalProgress.DELAY = 0\n"
    "from reloadlint.cli import main\n"
    "main(sys.argv[1:])\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    write_tree(
        root,
        {
            "pyproject.toml": "[project]\nname = 'app'\n",
            "app/__init__.py": "",
            "app/db.py": DB,
            # many findings: more output than a pipe buffers
            **{f"app/views{i}.py": VIEWS for i in range(40)},
        },
    )
    return root


def _closed_pipe(cwd: Path, *args: str) -> tuple[int, str]:
    """Exit status and stderr of reloadlint writing to a pipe nobody reads."""
    proc = subprocess.Popen(
        [sys.executable, "-c", PROBE, *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first write
    stderr = proc.stderr.read().decode()
    return proc.wait(), stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--no-cache", "app"],
        ["--no-cache", "--output-format", "concise", "app"],
        ["--no-cache", "--output-format", "json", "app"],
        ["--no-cache", "--diff", "app"],
        ["--no-cache", "--statistics", "app"],
        ["--show-files", "app"],
        ["--list-rules"],
        ["--explain", "RL101"],
    ],
    ids=lambda args: " ".join(args),
)
def test_a_closed_pipe_ends_quietly_with_exit_0(project: Path, args: list[str]) -> None:
    code, stderr = _closed_pipe(project, *args)
    assert (code, stderr) == (0, "")


def test_a_plan_into_a_closed_pipe_ends_quietly(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate_git(project.parent, monkeypatch)
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-qm", "base")
    (project / "app/db.py").write_text(DB + "\n\ndef close():\n    pass\n")
    args = ["--no-cache", "--plan", "--base", "HEAD", "app"]
    shown = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=project, capture_output=True, check=False
    )
    assert shown.returncode in (0, 1) and b"app.db" in shown.stdout  # a plan was printed
    code, stderr = _closed_pipe(project, *args)
    assert (code, stderr) == (0, "")


def test_an_open_pipe_still_gets_everything(project: Path) -> None:
    """The control: the same run into a pipe that is read reports its findings, exit 1."""
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, "--no-cache", "--output-format", "concise", "app"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stdout.count("RL101") == 40
    assert proc.stdout.splitlines()[40].startswith("Found 40 problems")
    assert proc.stderr == ""  # no progress on a pipe


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_the_progress_bar_shows_on_a_terminal_and_is_erased(project: Path) -> None:
    """stdout and stderr on a pty, as in a terminal: the bar is drawn (its stages
    named) and erased before the findings and the summary line are printed."""
    main, child = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", PROBE, "--no-cache", "--jobs", "1", "app"],
        cwd=project,
        stdin=subprocess.DEVNULL,
        stdout=child,
        stderr=child,
    )
    os.close(child)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(main)
    assert proc.wait() == 1
    text = seen.decode()
    assert "reloadlint: summarising files [" in text
    assert "42/42" in text  # every file summarised
    assert "reloadlint: applying rules [" in text
    erased = text.rindex("\x1b[2K")
    assert text.index("app/") > erased  # the findings start on a clean line
    assert text.index("Found 40 problems") > text.rindex("RL101")


def test_no_progress_reaches_a_stderr_that_is_not_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert TerminalProgress.for_stderr() is None


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_waits_a_second_before_it_shows() -> None:
    """A quick run prints nothing; the bar appears once the run has taken DELAY,
    at the position the run has reached."""
    now = [0.0]
    stream = _Terminal()
    bar = TerminalProgress(stream, clock=lambda: now[0])
    with progress.reporting(bar):
        progress.start("summarising files", 10)
        progress.advance(3)
        assert stream.getvalue() == ""
        now[0] = TerminalProgress.DELAY
        progress.advance(2)
        assert "summarising files [" in stream.getvalue()
        assert "5/10" in stream.getvalue()
        progress.start("applying rules", 4)
        progress.advance()
        assert "applying rules [" in stream.getvalue()
        assert "1/4" in stream.getvalue()
    assert stream.getvalue().endswith("\r\x1b[2K\x1b[?25h")  # erased when the run ends
    progress.advance()  # outside the run: nobody listens, nothing breaks


def test_a_quick_run_leaves_no_trace() -> None:
    stream = _Terminal()
    with progress.reporting(TerminalProgress(stream, clock=lambda: 0.0)):
        progress.start("summarising files", 3)
        progress.advance(3)
    assert stream.getvalue() == ""
