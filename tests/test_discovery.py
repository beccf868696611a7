"""File discovery: what gets linted, and that no odd file system stops the walk."""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path
from typing import Any

import pytest

from reloadlint import discovery
from reloadlint.discovery import DEFAULT_EXCLUDES, discover, display_path, is_stub


def touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n")


def found(top: Path, **options: Any) -> list[str]:
    """Discover under ``top`` and return posix paths relative to it."""
    result = discover([top], **options)
    assert result.errors == []
    return [path.relative_to(top).as_posix() for path in result.files]


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def git_init(path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(path)], check=True, env=_git_env(path))


def _git_env(path: Path) -> dict[str, str]:
    return {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(path)}


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


# -- what is found --------------------------------------------------------------


def test_walks_recursively_for_py_and_pyi_only(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "pkg/__init__.py", "pkg/sub/b.py", "pkg/b.pyi", "README.md", "c.pyc")
    assert found(tmp_path) == ["a.py", "pkg/__init__.py", "pkg/b.pyi", "pkg/sub/b.py"]


def test_stubs_are_flagged_so_runtime_rules_can_skip_them(tmp_path: Path) -> None:
    touch(tmp_path, "m.py", "m.pyi")
    result = discover([tmp_path])
    assert [p.name for p in result.sources] == ["m.py"]
    assert [p.name for p in result.stubs] == ["m.pyi"]
    assert is_stub(Path("m.pyi")) and not is_stub(Path("m.py"))


def test_relative_arguments_give_relative_paths(in_tmp: Path) -> None:
    touch(in_tmp, "src/app/a.py", "top.py")
    result = discover([Path(".")])
    assert result.files == [Path("src/app/a.py"), Path("top.py")]
    assert discover([Path("./src/../src")]).files == [Path("src/app/a.py")]


def test_absolute_arguments_stay_absolute(tmp_path: Path) -> None:
    touch(tmp_path, "a.py")
    assert discover([tmp_path]).files == [tmp_path / "a.py"]


def test_overlapping_arguments_list_each_file_once(in_tmp: Path) -> None:
    touch(in_tmp, "pkg/a.py", "pkg/b.py")
    result = discover([Path("."), Path("pkg"), Path("pkg/a.py"), in_tmp / "pkg" / "b.py"])
    assert result.files == [Path("pkg/a.py"), Path("pkg/b.py")]


def test_explicit_file_is_taken_whatever_its_suffix(in_tmp: Path) -> None:
    touch(in_tmp, "scripts/manage")
    assert discover([Path("scripts/manage")]).files == [Path("scripts/manage")]
    assert discover([Path("scripts")]).files == []


def test_directory_named_like_a_module_is_walked_not_linted(tmp_path: Path) -> None:
    touch(tmp_path, "weird.py/inner.py", "weird.pyi/x.txt")
    assert found(tmp_path) == ["weird.py/inner.py"]


# -- excludes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "directory",
    [
        ".git", ".hg", ".svn", ".bzr", ".venv", "venv", "env", ".env", "__pypackages__",
        "build", "dist", "__pycache__", ".tox", ".nox", ".mypy_cache", ".ruff_cache",
        ".pytest_cache", ".reloadlint_cache", "node_modules", "site-packages", ".eggs",
        "pkg.egg-info", "deep/er/build",
    ],
)  # fmt: skip
def test_default_excludes_prune_directories(tmp_path: Path, directory: str) -> None:
    touch(tmp_path, "keep.py", f"{directory}/dropped.py")
    assert found(tmp_path) == ["keep.py"]


def test_default_excludes_match_directories_only(tmp_path: Path) -> None:
    touch(tmp_path, "build.py", "env.py", "dist.py", "pkg/build.py")
    assert found(tmp_path) == ["build.py", "dist.py", "env.py", "pkg/build.py"]


def test_any_directory_holding_pyvenv_cfg_is_a_virtualenv(tmp_path: Path) -> None:
    touch(tmp_path, "app.py", "my-interpreter/lib/mod.py")
    (tmp_path / "my-interpreter" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    assert found(tmp_path) == ["app.py"]
    # ... unless the user names it.
    assert found(tmp_path / "my-interpreter") == ["lib/mod.py"]


def test_exclude_replaces_defaults_and_extend_exclude_adds(tmp_path: Path) -> None:
    touch(tmp_path, "build/a.py", "gen/b.py", "c.py")
    assert found(tmp_path, exclude=["gen"]) == ["build/a.py", "c.py"]
    assert found(tmp_path, extend_exclude=["gen/"]) == ["c.py"]
    assert found(tmp_path, extend_exclude=["*.py", "!c.py"]) == ["c.py"]


def test_exclude_patterns_with_a_slash_are_anchored_at_root(in_tmp: Path) -> None:
    touch(in_tmp, "gen/a.py", "pkg/gen/b.py", "pkg/c.py")
    assert found(in_tmp, extend_exclude=["/gen"]) == ["pkg/c.py", "pkg/gen/b.py"]
    assert found(in_tmp, extend_exclude=["pkg/gen/"]) == ["gen/a.py", "pkg/c.py"]
    assert found(in_tmp, extend_exclude=["pkg/gen/"], root=in_tmp / "pkg") == [
        "gen/a.py",
        "pkg/c.py",
        "pkg/gen/b.py",
    ]


def test_named_paths_bypass_excludes_unless_force_exclude(in_tmp: Path) -> None:
    touch(in_tmp, "build/gen.py", "skipme.py", "ok.py")
    named = [Path("build/gen.py"), Path("skipme.py"), Path("ok.py")]
    options = {"extend_exclude": ["skipme.py"]}
    assert discover(named, **options).files == [*named[:1], Path("ok.py"), Path("skipme.py")]
    assert discover(named, **options, force_exclude=True).files == [Path("ok.py")]
    # A named directory inside excluded ground is walked; its contents are
    # judged by their own names, not by the excluded parent.
    assert discover([Path("build")]).files == [Path("build/gen.py")]
    assert discover([Path("build")], force_exclude=True).files == []
    # ``dir/**`` matches what is inside the directory itself (as in git), so it
    # still applies below a named ``dir``.
    assert discover([Path("build")], extend_exclude=["build/**"]).files == []


def test_invalid_exclude_pattern_is_an_error_not_an_exception(tmp_path: Path) -> None:
    touch(tmp_path, "a.py")
    result = discover([tmp_path], extend_exclude=["!"])
    assert len(result.errors) == 1 and "'!'" in result.errors[0]
    assert result.files == [tmp_path / "a.py"]


def test_default_excludes_are_directory_patterns() -> None:
    assert all(pattern.endswith("/") for pattern in DEFAULT_EXCLUDES)


# -- .gitignore -------------------------------------------------------------------


@needs_git
def test_gitignore_files_nested_and_info_exclude(tmp_path: Path) -> None:
    git_init(tmp_path)
    touch(tmp_path, "a.py", "gen_a.py", "secret.py", "sub/gen_keep.py", "sub/b.py", "sub/c.py")
    touch(tmp_path, "ignored_dir/x.py")
    (tmp_path / ".gitignore").write_text("gen_*.py\nignored_dir/\n")
    (tmp_path / "sub" / ".gitignore").write_text("!gen_keep.py\nc.py\n")
    (tmp_path / ".git" / "info" / "exclude").write_text("secret.py\n")
    assert found(tmp_path) == ["a.py", "sub/b.py", "sub/gen_keep.py"]
    everything = found(tmp_path, respect_gitignore=False)
    assert "secret.py" in everything and "ignored_dir/x.py" in everything


@needs_git
def test_gitignore_of_parents_applies_when_a_subdirectory_is_named(tmp_path: Path) -> None:
    git_init(tmp_path)
    touch(tmp_path, "src/app/a.py", "src/app/a_pb2.py")
    (tmp_path / ".gitignore").write_text("*_pb2.py\n")
    assert found(tmp_path / "src" / "app") == ["a.py"]


@needs_git
def test_directory_named_inside_a_gitignored_tree_is_still_linted(tmp_path: Path) -> None:
    # pyenv's own checkout ignores /versions, where the standard library lives.
    git_init(tmp_path)
    touch(tmp_path, "versions/3.11/lib/os.py")
    (tmp_path / ".gitignore").write_text("/versions\n")
    assert found(tmp_path) == []
    assert found(tmp_path / "versions" / "3.11") == ["lib/os.py"]


def test_gitignore_outside_a_git_repository_means_nothing(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "b.py")
    (tmp_path / ".gitignore").write_text("b.py\n")
    assert found(tmp_path) == ["a.py", "b.py"]


@needs_git
def test_nested_repository_is_not_governed_by_the_outer_gitignore(tmp_path: Path) -> None:
    git_init(tmp_path)
    git_init(tmp_path / "vendored")
    touch(tmp_path, "vendored/lib.py", "vendored/tmp.py", "lib.py")
    (tmp_path / ".gitignore").write_text("lib.py\n")
    (tmp_path / "vendored" / ".gitignore").write_text("tmp.py\n")
    assert found(tmp_path) == ["vendored/lib.py"]


@needs_git
def test_malformed_gitignore_lines_are_dropped_like_git_does(tmp_path: Path) -> None:
    git_init(tmp_path)
    touch(tmp_path, "a.py", "b.py")
    (tmp_path / ".gitignore").write_bytes(b"!\nb.py\n\xff\xfe garbage\n")
    assert found(tmp_path) == ["a.py"]


# -- hostile file systems -----------------------------------------------------


def test_symlink_loop_terminates_and_lists_each_file_once(tmp_path: Path) -> None:
    touch(tmp_path, "pkg/a.py", "pkg/inner/b.py")
    (tmp_path / "pkg" / "inner" / "loop").symlink_to(tmp_path / "pkg")
    (tmp_path / "pkg" / "self").symlink_to(".")
    (tmp_path / "alias").symlink_to(tmp_path / "pkg")
    result = discover([tmp_path])
    names = [p.relative_to(tmp_path).as_posix() for p in result.files]
    assert sorted(names) == names and len(names) == 2
    assert {name.rsplit("/", 1)[-1] for name in names} == {"a.py", "b.py"}
    assert result.errors == []


def test_symlinked_file_outside_the_tree_is_linted_under_its_link_name(tmp_path: Path) -> None:
    touch(tmp_path, "outside/real.py")
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "link.py").symlink_to(tmp_path / "outside" / "real.py")
    assert found(tmp_path / "proj") == ["link.py"]


def test_broken_and_self_referencing_symlinks_are_warnings(tmp_path: Path) -> None:
    touch(tmp_path, "ok.py")
    (tmp_path / "broken.py").symlink_to(tmp_path / "missing.py")
    (tmp_path / "selfloop.py").symlink_to("selfloop.py")
    (tmp_path / "broken_dir").symlink_to(tmp_path / "nowhere")
    result = discover([tmp_path])
    assert result.files == [tmp_path / "ok.py"]
    assert result.errors == []
    assert len(result.warnings) == 2
    assert any("broken.py" in w for w in result.warnings)
    assert any("selfloop.py" in w for w in result.warnings)


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="root reads every directory"
)
def test_unreadable_directory_is_a_warning_and_the_walk_goes_on(tmp_path: Path) -> None:
    touch(tmp_path, "a.py", "locked/b.py", "z/c.py")
    locked = tmp_path / "locked"
    locked.chmod(0)
    try:
        result = discover([tmp_path])
    finally:
        locked.chmod(0o755)
    assert result.files == [tmp_path / "a.py", tmp_path / "z" / "c.py"]
    assert len(result.warnings) == 1 and "locked" in result.warnings[0]
    assert result.errors == []


def test_unreadable_directory_simulated_for_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same as above through a failing scandir, so it also runs as root (in CI containers)."""
    touch(tmp_path, "a.py", "locked/b.py")
    real_scandir = os.scandir
    locked = os.fspath(tmp_path / "locked")

    def scandir(path: Any) -> Any:
        if path == locked:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    result = discover([tmp_path])
    assert result.files == [tmp_path / "a.py"]
    assert result.warnings == [f"cannot read directory {locked}: permission denied"]


def test_directory_deleted_during_the_walk_is_skipped_silently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    touch(tmp_path, "a.py", "gone/b.py", "gone/deeper/c.py")
    real_scandir = os.scandir
    gone = tmp_path / "gone"

    def scandir(path: Any) -> Any:
        if path == os.fspath(gone) and gone.exists():
            # Someone (a checkout, a build) removes the directory after its
            # parent was listed and before we get to list it.
            shutil.rmtree(gone)
        return real_scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    result = discover([tmp_path])
    assert result.files == [tmp_path / "a.py"]
    assert result.warnings == [] and result.errors == []


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="needs byte file names")
def test_non_utf8_file_names_are_found_and_printable(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9.py"
    try:
        with open(raw, "w") as handle:
            handle.write("x = 1\n")
    except OSError:
        pytest.skip("file system refuses non-UTF-8 names")
    (tmp_path / "ok.py").write_text("")
    result = discover([tmp_path])
    assert len(result.files) == 2
    odd = next(p for p in result.files if p.name != "ok.py")
    assert os.fsencode(odd) == raw
    shown = display_path(odd)
    shown.encode("utf-8")  # printable: must not raise
    assert shown.endswith("caf\\xe9.py")


def test_missing_argument_is_an_error_and_the_rest_is_still_found(in_tmp: Path) -> None:
    touch(in_tmp, "a.py")
    result = discover([Path("nope.py"), Path("a.py")])
    assert result.errors == ["nope.py: no such file or directory"]
    assert result.files == [Path("a.py")]


def test_broken_symlink_named_on_the_command_line_is_an_error(in_tmp: Path) -> None:
    Path("dangling.py").symlink_to("nowhere.py")
    result = discover([Path("dangling.py")])
    assert result.errors == ["dangling.py: broken symbolic link"]
    assert result.files == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_never_opened(in_tmp: Path) -> None:
    os.mkfifo("pipe.py")
    named = discover([Path("pipe.py")])
    walked = discover([Path(".")])
    assert named.files == [] and walked.files == []
    assert named.warnings == ["skipping pipe.py: not a regular file"]


def test_deep_tree_does_not_hit_the_recursion_limit(tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*["d"] * 300)
    deep.mkdir(parents=True)
    (deep / "leaf.py").write_text("")
    discover([tmp_path])  # warm up imports and pattern compilation
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 100)
    try:
        result = discover([tmp_path])
    finally:
        sys.setrecursionlimit(limit)
    assert result.files == [deep / "leaf.py"]


def test_standard_library_is_walked_quickly() -> None:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    start = time.perf_counter()
    result = discover([stdlib])
    elapsed = time.perf_counter() - start
    names = {p.relative_to(stdlib).as_posix() for p in result.files}
    assert {"os.py", "json/__init__.py"} <= names
    assert not any("site-packages/" in name for name in names)
    # Typically ~0.15 s; the bound only catches a pathological slowdown.
    assert elapsed < 5, elapsed
