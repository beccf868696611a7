"""Names a repository can point at ``/dev/zero`` or a FIFO never hang a run or fill
its memory (issue 13, "Hangs and memory").

Only regular files are read, each with a size limit, and what is skipped is
said in one line. Each repro runs reloadlint in a child process with a
timeout, so a regression fails here instead of hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import git, isolate_git
from hardening_support import write

from reloadlint import gitbase, source
from reloadlint.summary import summarize_bytes
from reloadlint.summary.model import MAX_INHERITANCE_DEPTH

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and /dev/zero")

#: Seconds a run gets; a hang (or a read of /dev/zero) takes forever.
TIMEOUT = 120


def run(project: Path, *args: str, cache: bool = False) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from reloadlint.cli import main; main()", *args]
    if not cache:
        command.append("--no-cache")
    return subprocess.run(
        [*command, "--isolated", "--output-format", "concise"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def assert_linted(proc: subprocess.CompletedProcess[str]) -> None:
    """The canary was found: the run went on past whatever it met."""
    assert proc.returncode == 1, proc.stderr
    assert "app/views.py:1:20: RL101" in proc.stdout
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr


def test_a_fifo_named_like_a_module_is_not_read(project: Path) -> None:
    os.mkfifo(project / "app" / "pipe.py")
    assert_linted(run(project, "."))  # not a file: not a module either
    proc = run(project, "app/pipe.py", "app/views.py")
    assert_linted(proc)
    assert "skipping app/pipe.py: not a regular file" in proc.stderr


def test_source_read_refuses_devices_and_fifos(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.py")
    for path in (tmp_path / "fifo.py", Path("/dev/zero")):
        error = source.read_bytes(path)
        assert isinstance(error, source.SourceError) and error.code == "RL903", error


@pytest.mark.parametrize("kind", ["devzero", "fifo"])
def test_gitignore_that_is_not_a_file(project: Path, kind: str) -> None:
    (project / ".git").mkdir()  # a work tree: .gitignore files count
    if kind == "fifo":
        os.mkfifo(project / ".gitignore")
        os.mkfifo(project / "app" / ".gitignore")
    else:
        os.symlink("/dev/zero", project / ".gitignore")
        os.symlink("/dev/zero", project / "app" / ".gitignore")
    proc = run(project, ".")
    assert_linted(proc)
    assert ".gitignore" in proc.stderr  # said, in one line each
    lines = [line for line in proc.stderr.splitlines() if ".gitignore" in line]
    assert len(lines) == 2 and all(line.startswith("reloadlint: warning:") for line in lines)


def test_a_git_file_pointing_at_dev_zero(project: Path) -> None:
    """A ``.git`` file (worktrees, submodules) names its git directory: read with a limit."""
    os.symlink("/dev/zero", project / ".git")
    assert_linted(run(project, "."))


@pytest.mark.parametrize("kind", ["devzero", "fifo"])
def test_cache_packs_that_are_not_files(project: Path, kind: str) -> None:
    directory = project / ".reloadlint_cache"
    directory.mkdir()
    for name in ("summaries.pack", "incremental.pack", "files.pack", "fixes.pack"):
        if kind == "fifo":
            os.mkfifo(directory / name)
        else:
            os.symlink("/dev/zero", directory / name)
    assert_linted(run(project, ".", cache=True))
    assert_linted(run(project, ".", cache=True))  # and again, over what the first run wrote


@pytest.mark.parametrize("kind", ["devzero", "fifo"])
def test_a_baseline_that_is_not_a_file(project: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(project / "baseline.json")
    else:
        os.symlink("/dev/zero", project / "baseline.json")
    proc = run(project, "--baseline", "baseline.json", ".")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "reloadlint: error: cannot read baseline baseline.json: not a regular file "
        f"({'a FIFO' if kind == 'fifo' else 'a character device'})"
    ]


def test_added_files_in_upgrade_mode_are_not_read_if_not_regular(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate_git(tmp_path, monkeypatch)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    os.symlink("/dev/zero", project / "zeros.bin")  # an added file (a link git tracks)
    os.mkfifo(project / "pipe.txt")
    (project / "big.dat").write_bytes(b"x" * (source.MAX_FILE_BYTES + 1))
    for _ in range(2):  # cold, then with the findings cache keyed on the changed files
        assert_linted(run(project, "--base", "HEAD", ".", cache=True))


def test_base_revision_files_over_the_size_limit_are_not_read(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    isolate_git(tmp_path, monkeypatch)
    big = "X = 1\n" * (source.MAX_FILE_BYTES // 6 + 1)
    write(project, {"app/generated.py": big})
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    (project / "app" / "generated.py").unlink()
    proc = run(project, "--base", "HEAD", ".")
    assert_linted(proc)
    assert "app/generated.py in HEAD: over the 5 MB limit; not analysed" in proc.stderr
    sha = gitbase.list_tree(project, gitbase.resolve(project, "HEAD"))["app/generated.py"]
    assert gitbase.read_blobs(project, [sha], max_size=source.MAX_FILE_BYTES) == {}
    assert len(gitbase.read_blobs(project, [sha])[sha]) == len(big)


@pytest.mark.parametrize("where", [".gitignore", "exclude"])
def test_a_backtracking_pattern_against_a_long_name(project: Path, where: str) -> None:
    """``*a*a*a*a*a*a*b`` as a regular expression tries every placement of its six
    stars: a 250-character name took hours. It is matched without backtracking."""
    write(project, {"app/" + "a" * 250 + ".py": "X = 1\n"})
    if where == ".gitignore":
        (project / ".git").mkdir()
        write(project, {".gitignore": "*a*a*a*a*a*a*b\n**/*a*a*a*a*a*a*b/**\n"})
        assert_linted(run(project, "."))
    else:
        write(project, {"reloadlint.toml": 'extend-exclude = ["*a*a*a*a*a*a*b"]\n'})
        command = [sys.executable, "-c", "from reloadlint.cli import main; main()"]
        proc = subprocess.run(
            [*command, "--no-cache", "--output-format", "concise", "."],
            cwd=project, capture_output=True, text=True, timeout=TIMEOUT, check=False,
        )  # fmt: skip
        assert_linted(proc)


def _chain(size: int) -> bytes:
    classes = ["class C0:\n    pass\n"]
    classes += [f"class C{n}(C{n - 1}):\n    x = {n}\n" for n in range(1, size)]
    return "\n\n".join(classes).encode()


def test_an_inheritance_chain_past_the_limit_is_rl904() -> None:
    """Every rule that asks about a class's ancestors walked the whole chain: N*N
    steps (1,000 classes: 15 s; 10,000 never ended). Past the documented limit
    the module is RL904; within it, analysed as usual."""
    limit = MAX_INHERITANCE_DEPTH
    summary, error = summarize_bytes(_chain(limit), "chain.py", "chain", False)
    assert error is None and len(summary.classes) == limit
    summary, error = summarize_bytes(_chain(limit + 1), "chain.py", "chain", False)
    assert error is not None and error.code == "RL904"
    assert f"an inheritance chain {limit + 1} classes deep" in error.message
    summary, error = summarize_bytes(_chain(10_000), "chain.py", "chain", False)
    assert error is not None and error.code == "RL904"


def test_ancestor_walks_across_modules_stop_at_the_limit(project: Path) -> None:
    """A chain with one class per module is followed for MAX_INHERITANCE_DEPTH
    ancestors: a configured stateful base further up is not seen."""
    size = MAX_INHERITANCE_DEPTH + 20
    files = {"app/m0.py": "import threading\n\n\nclass C0(threading.Thread):\n    pass\n"}
    for n in range(1, size):
        files[f"app/m{n}.py"] = (
            f"from app.m{n - 1} import C{n - 1}\n\n\nclass C{n}(C{n - 1}):\n    pass\n"
        )
    write(project, files)
    proc = run(project, "--select", "RL201", "app")
    found = {line.split(":")[0] for line in proc.stdout.splitlines() if "RL201" in line}
    # C{k} has k first-party ancestors, then threading.Thread: found while k < the limit.
    assert "app/m1.py" in found and f"app/m{MAX_INHERITANCE_DEPTH - 1}.py" in found
    assert f"app/m{MAX_INHERITANCE_DEPTH}.py" not in found
