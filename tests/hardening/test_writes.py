"""A cloned repository cannot make a plain run write outside it (issue 13, "Writes").

Each test is a repro: the repository ships a symbolic link, a configuration
or a cache, and the user runs reloadlint on it as usual. ``outside`` is a
directory next to the project standing for the rest of the user's disk (a
shell start-up file, another project): nothing there may change.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitrepo import git, isolate_git
from hardening_support import CANARY, assert_clean_error, reloadlint, write

from reloadlint import cache, cachedir, incremental, safeio, workers
from reloadlint.cli import command

VIEWS = "app/views.py"
FIXED = "import app.db\n\n\ndef handler():\n    return app.db.connect()\n"
BASHRC = "# the user's shell start-up file\nexport PATH=/usr/bin\n"


@pytest.fixture
def outside(project: Path) -> Path:
    directory = project.parent / "outside"
    directory.mkdir()
    (directory / ".bashrc").write_text(BASHRC)
    return directory


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file below ``directory`` (links not followed) with its content."""
    found = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[path.relative_to(directory).as_posix()] = path.read_bytes()
    return found


def cached_run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """The CLI in this process with the cache on (``reloadlint()`` turns it off)."""
    result = CliRunner().invoke(command, ["--isolated", *args], env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


# ---------------------------------------------------------------- outputs


@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_an_output_shipped_as_a_symlink_is_replaced_not_written_through(
    project: Path, outside: Path, option: str
) -> None:
    os.symlink(outside / ".bashrc", project / "report.txt")
    run = reloadlint(option, "report.txt", ".", json_output=False)
    assert run.exit_code in (0, 1), run.stderr
    assert (outside / ".bashrc").read_text() == BASHRC
    assert not (project / "report.txt").is_symlink()
    assert "app/views.py" in (project / "report.txt").read_text()


@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_an_output_below_a_symlinked_directory_is_refused(
    project: Path, outside: Path, option: str
) -> None:
    os.symlink(outside, project / "reports")
    run = reloadlint(option, "reports/out.txt", "app", json_output=False)
    assert_clean_error(run, "reports/out.txt", "leads out of the project")
    assert snapshot(outside) == {".bashrc": BASHRC.encode()}


def test_an_output_outside_the_project_is_the_users_choice(project: Path, outside: Path) -> None:
    run = reloadlint("-o", str(outside / "report.txt"), ".", json_output=False)
    assert run.exit_code == 1, run.stderr
    assert "app/views.py" in (outside / "report.txt").read_text()


def test_an_output_keeps_its_mode_and_a_read_only_one_is_not_rewritten(project: Path) -> None:
    report = project / "report.txt"
    report.write_text("old\n")
    report.chmod(0o640)
    assert reloadlint("-o", "report.txt", ".", json_output=False).exit_code == 1
    assert stat.S_IMODE(report.stat().st_mode) == 0o640 and "views.py" in report.read_text()
    report.write_text("old\n")
    report.chmod(0o444)
    run = reloadlint("-o", "report.txt", ".", json_output=False)
    assert_clean_error(run, "report.txt", "read-only")
    assert report.read_text() == "old\n"
    assert sorted(p.name for p in project.iterdir()) == ["app", "report.txt"]


# ---------------------------------------------------------------- --fix


def test_fix_through_a_committed_symlinked_directory_rewrites_nothing_outside(
    project: Path, outside: Path
) -> None:
    write(outside, {"lib/__init__.py": "", "lib/views.py": CANARY[VIEWS]})
    os.symlink(outside / "lib", project / "lib")
    before = snapshot(outside)
    run = reloadlint("--fix", ".")
    assert snapshot(outside) == before
    assert "lib: a symbolic link out of the project" in run.stderr
    assert (project / VIEWS).read_text() == FIXED  # the project itself is fixed


def test_fix_of_a_named_file_resolving_outside_is_refused(project: Path, outside: Path) -> None:
    write(outside, {"views.py": CANARY[VIEWS]})
    os.symlink(outside / "views.py", project / "app/linked.py")
    run = reloadlint("--fix", "app/linked.py")
    assert (outside / "views.py").read_text() == CANARY[VIEWS]
    assert "skipping app/linked.py: a symbolic link out of the project" in run.stderr


def test_fix_keeps_owner_mode_and_hard_links(project: Path, outside: Path) -> None:
    views = project / VIEWS
    views.chmod(0o604)
    other_name = project / "views_hard_link.txt"
    os.link(views, other_name)
    assert reloadlint("--fix", ".").exit_code == 0
    assert views.read_text() == FIXED and other_name.read_text() == FIXED
    assert os.path.samefile(views, other_name)  # still one file with two names
    assert stat.S_IMODE(views.stat().st_mode) == 0o604


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file away needs root")
def test_fix_keeps_the_files_owner(project: Path) -> None:
    views = project / VIEWS
    os.chown(views, 4321, 4321)
    assert reloadlint("--fix", ".").exit_code == 0
    assert views.read_text() == FIXED
    assert (views.stat().st_uid, views.stat().st_gid) == (4321, 4321)


def test_fix_leaves_a_read_only_file_alone(project: Path) -> None:
    views = project / VIEWS
    views.chmod(0o444)
    run = reloadlint("--fix", ".")
    assert views.read_text() == CANARY[VIEWS]
    assert "cannot write app/views.py: read-only file; not fixed" in run.stderr


# ---------------------------------------------------------------- the cache directory


@pytest.mark.parametrize("value", ["/tmp/elsewhere", "../elsewhere", "", ".", "a/../.."])
def test_a_configured_cache_dir_outside_the_project_is_refused(project: Path, value: str) -> None:
    write(project, {"pyproject.toml": f'[tool.reloadlint]\ncache-dir = "{value}"\n'})
    before = snapshot(project.parent)
    run = reloadlint(".", isolated=False)
    assert_clean_error(run, "pyproject.toml", "cache-dir", "--cache-dir")
    assert snapshot(project.parent) == before


def test_a_cache_dir_from_the_command_line_or_environment_may_be_anywhere(
    project: Path, outside: Path
) -> None:
    code, _, stderr = cached_run("--cache-dir", str(outside / "c1"), ".")
    assert code == 1 and "reloadlint:" not in stderr  # no warning, no error
    assert (outside / "c1" / cache.SUMMARIES).is_file()
    cached_run(".", env={"RELOADLINT_CACHE_DIR": str(outside / "c2")})
    assert (outside / "c2" / cache.SUMMARIES).is_file()


def test_a_cache_directory_shipped_as_a_symlink_is_not_followed(
    project: Path, outside: Path
) -> None:
    os.symlink(outside, project / ".reloadlint_cache")
    code, stdout, _ = cached_run("--output-format", "concise", ".")
    assert code == 1 and "RL101" in stdout
    assert snapshot(outside) == {".bashrc": BASHRC.encode()}


def test_dangling_links_in_the_cache_directory_are_not_followed(
    project: Path, outside: Path
) -> None:
    directory = project / ".reloadlint_cache"
    directory.mkdir()
    for name in ("CACHEDIR.TAG", ".gitignore", cache.SUMMARIES, incremental.PACK, "files.pack"):
        os.symlink(outside / f"planted-{name}", directory / name)
    code, stdout, _ = cached_run("--output-format", "concise", ".")
    assert code == 1 and "RL101" in stdout
    assert snapshot(outside) == {".bashrc": BASHRC.encode()}
    # The packs were written as files of the cache's own, in place of the links.
    assert not (directory / cache.SUMMARIES).is_symlink()
    assert (directory / "CACHEDIR.TAG").is_symlink()  # never written through, left alone


def test_a_cache_dir_with_a_symlinked_component_is_refused(project: Path, outside: Path) -> None:
    os.symlink(outside, project / "build")
    write(project, {"pyproject.toml": '[tool.reloadlint]\ncache-dir = "build/cache"\n'})
    run = reloadlint(".", isolated=False)
    assert_clean_error(run, "pyproject.toml", "cache-dir", "outside the project")
    assert snapshot(outside) == {".bashrc": BASHRC.encode()}


def test_a_link_swapped_in_after_the_check_is_not_followed_either(
    project: Path, outside: Path
) -> None:
    """The directory is opened part by part without following links, whatever was checked."""
    os.symlink(outside, project / "build")
    directory = cachedir.CacheDir(project / "build" / "cache", root=project)
    directory.write(cache.SUMMARIES, {})
    assert directory.read(cache.SUMMARIES) is None
    assert snapshot(outside) == {".bashrc": BASHRC.encode()}


def test_an_unwritable_cache_is_skipped_silently(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root may write anywhere, so the refusal is injected where packs are created."""
    real_open = os.open

    def refusing(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(safeio.os, "open", refusing)
    code, stdout, stderr = cached_run("--output-format", "concise", ".")
    assert code == 1 and "RL101" in stdout
    assert "error" not in stderr and "warning" not in stderr


def test_an_interrupted_write_leaves_no_temporary_file_behind(project: Path) -> None:
    assert cached_run(".")[0] == 1
    directory = project / ".reloadlint_cache"
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
    dead = int(finished.stdout)  # a process that has exited: what a killed run leaves
    left = directory / f".{cache.SUMMARIES}.{dead}-0123456789ab{safeio.TEMPORARY_SUFFIX}"
    live = directory / f".{cache.SUMMARIES}.{os.getppid()}-0123456789ab{safeio.TEMPORARY_SUFFIX}"
    left.write_bytes(b"half a pack")
    live.write_bytes(b"another run, still writing")
    (project / VIEWS).write_text(CANARY[VIEWS] + "\nX = 1\n")  # something to write
    assert cached_run(".")[0] == 1
    assert not left.exists()
    assert live.exists()


# ---------------------------------------------------------------- a planted cache


def plant(directory: Path, name: str, payload: object) -> None:
    """Write a pack as a repository would ship it: signed with another key."""
    real = cachedir.secret
    try:
        cachedir.secret = lambda: b"a key that is not the user's....."[:32]  # type: ignore[assignment]
        cachedir.CacheDir(directory).write(name, payload)
    finally:
        cachedir.secret = real  # type: ignore[assignment]


def test_a_planted_cache_is_not_read(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    original = workers.summarize_job

    def counting(job: workers.Job) -> object:
        seen.append(Path(job.path).name)
        return original(job)

    monkeypatch.setattr(workers, "summarize_job", counting)
    # What the packs would say if they were trusted: no findings, ever.
    assert cached_run(".")[0] == 1
    directory = project / ".reloadlint_cache"
    for name in (cache.SUMMARIES, incremental.PACK):
        payload = cachedir.CacheDir(directory).read(name)
        assert payload is not None
        plant(directory, name, payload)
    seen.clear()
    code, stdout, _ = cached_run("--output-format", "concise", ".")
    assert code == 1 and "RL101" in stdout
    assert sorted(seen) == ["__init__.py", "db.py", "views.py"]  # nothing came from the packs


def test_a_planted_pickle_cannot_rewrite_reloadlints_classes(project: Path) -> None:
    """The allow-list admits reloadlint's data classes; pickle's BUILD on such a
    class would set attributes on it. A planted pack is not read at all, and
    even a signed one hands out no class to BUILD on."""
    from reloadlint import diagnostics

    build = b"\x80\x04creloadlint.diagnostics\nDiagnostic\nN}\x8c\x07plantedK\x01s\x86b."
    directory = project / ".reloadlint_cache"
    directory.mkdir()
    plant(directory, cache.SUMMARIES, {"key": build})
    assert cached_run(".")[0] == 1
    with pytest.raises(ValueError):
        cache.loads(build)
    assert not hasattr(diagnostics.Diagnostic, "planted")


def test_a_planted_finding_cannot_print_another_file(
    project: Path, outside: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Upgrade mode's findings pack stores each finding's path, and the full format
    prints the line it points at: a forged pack could show any file's lines."""
    secret = outside / "secret.txt"
    secret.write_text("password=hunter2\n")
    isolate_git(project.parent, monkeypatch)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "base")
    assert cached_run("--base", "HEAD", ".")[0] == 1
    directory = project / ".reloadlint_cache"
    runs = cachedir.CacheDir(directory).read(cache.FINDINGS)
    forged = []
    for key, data in runs:
        found = cache.decode_findings(cache.loads(data))
        found = [dataclasses.replace(d, path=str(secret)) for d in found]
        forged.append((key, cache.dumps(cache.encode_findings(found))))
    cachedir.CacheDir(directory).write(cache.FINDINGS, forged)  # with the user's own key:
    assert "hunter2" in cached_run("--base", "HEAD", ".")[1]  # what a trusted pack could do
    plant(directory, cache.FINDINGS, forged)  # with any other key: ignored
    code, stdout, _ = cached_run("--base", "HEAD", ".")
    assert code == 1 and "hunter2" not in stdout and "app/views.py" in stdout
