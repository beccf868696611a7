"""Reading a base revision from git: real repositories built in tmp_path."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from gitrepo import git, isolate_git

from reloadlint import gitbase
from reloadlint.gitbase import (
    ChangeSet,
    GitError,
    changes,
    list_tree,
    read_blobs,
    repo_root,
    resolve,
    working_tree_files,
)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

# Twenty distinct lines: enough content for git to call an unchanged move a rename.
MODULE = "".join(f"def f{i}():\n    return {i}\n" for i in range(20))


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_git(tmp_path, monkeypatch)


def make_repo(path: Path, files: dict[str, str | bytes]) -> Path:
    """A repository whose first commit holds ``files``."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    write(path, files)
    commit(path, "v1")
    return path


def write(repo: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content)


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo", {"app/__init__.py": "", "app/db.py": MODULE})


# -- repo_root ----------------------------------------------------------------


def test_repo_root_from_a_subdirectory_or_a_file(repo: Path) -> None:
    assert repo_root(repo / "app") == repo
    assert repo_root(repo / "app" / "db.py") == repo


def test_not_a_repository(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(GitError, match=r"^not a git repository .*: .*plain$"):
        repo_root(plain)


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="does not exist"):
        repo_root(tmp_path / "nope")


def test_git_not_installed(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(GitError, match=r"^git is not installed"):
        repo_root(repo)


# -- resolve ------------------------------------------------------------------


def test_resolve_accepts_what_git_accepts(repo: Path) -> None:
    first = git(repo, "rev-parse", "HEAD")
    write(repo, {"app/db.py": MODULE + "x = 1\n"})
    second = commit(repo, "v2")
    git(repo, "tag", "v1.0", first)
    git(repo, "tag", "-a", "-m", "annotated", "v1.0-annotated", first)
    assert resolve(repo, "main") == second
    assert resolve(repo, "HEAD~1") == first
    assert resolve(repo, "v1.0") == first
    assert resolve(repo, "v1.0-annotated") == first  # peeled to the commit
    assert resolve(repo, first[:7]) == first
    assert len(second) == 40 and all(c in "0123456789abcdef" for c in second)


def test_unknown_revision(repo: Path) -> None:
    with pytest.raises(GitError) as info:
        resolve(repo, "nosuch")
    assert str(info.value) == f"'nosuch' is not a commit in {repo}"


def test_option_like_revision_is_not_passed_to_git_as_an_option(repo: Path) -> None:
    with pytest.raises(GitError, match="'--all' is not a commit"):
        resolve(repo, "--all")


def test_revision_naming_a_file_is_not_a_commit(repo: Path) -> None:
    with pytest.raises(GitError, match=r"'HEAD:app/db\.py' is not a commit .*\(it names a blob\)"):
        resolve(repo, "HEAD:app/db.py")


def test_resolve_outside_a_repository_says_so(tmp_path: Path) -> None:
    with pytest.raises(GitError, match=r"^not a git repository"):
        resolve(tmp_path, "HEAD")


def test_repository_without_commits(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    with pytest.raises(GitError, match="no commits yet"):
        resolve(empty, "HEAD")


def test_shallow_clone_lacking_the_revision(repo: Path, tmp_path: Path) -> None:
    first = git(repo, "rev-parse", "HEAD")
    write(repo, {"app/db.py": MODULE + "x = 2\n"})
    commit(repo, "v2")
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", repo.as_uri(), str(shallow)],
        check=True,
        capture_output=True,
    )
    assert resolve(shallow, "HEAD") == git(repo, "rev-parse", "HEAD")
    for rev in (first, "HEAD~1"):
        with pytest.raises(GitError) as info:
            resolve(shallow, rev)
        message = str(info.value)
        assert message.startswith(f"{rev!r} is not a commit in {shallow}")
        assert "shallow clone" in message and "git fetch --unshallow" in message
        assert "\n" not in message


# -- list_tree and read_blobs -------------------------------------------------

ODD_NAMES = {
    "with space.py": "a = 1\n",
    "ünïcode/mödule.py": "b = 2\n",
    "new\nline.py": "c = 3\n",
    'quote"and\\backslash.py': "d = 4\n",
}


def test_list_tree_lists_every_file_with_its_blob(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        "pyproject.toml": "[project]\nname = 'x'\n",
        "uv.lock": "version = 1\n",
        "pkg/native.so": b"\x7fELF\x00\x01",
        "pkg/data/config.json": "{}\n",
        **ODD_NAMES,
    }
    repo = make_repo(tmp_path / "repo", files)
    tree = list_tree(repo, resolve(repo, "HEAD"))
    assert set(tree) == set(files)
    for name, sha in tree.items():
        assert sha == git(repo, "hash-object", "--", name)


def test_list_tree_skips_symlinks_and_honours_pathspecs(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo", {"a/x.py": "", "b/y.py": "", "b/z.txt": ""})
    (repo / "link.py").symlink_to("a/x.py")
    head = commit(repo, "link")
    assert set(list_tree(repo, head)) == {"a/x.py", "b/y.py", "b/z.txt"}
    assert set(list_tree(repo, head, ["b"])) == {"b/y.py", "b/z.txt"}
    assert set(list_tree(repo, head, ["a/x.py", "b/z.txt"])) == {"a/x.py", "b/z.txt"}


def test_list_tree_of_a_missing_object(repo: Path) -> None:
    with pytest.raises(GitError, match="not a tree object"):
        list_tree(repo, "0" * 40)


def test_list_tree_in_a_corrupt_repository(repo: Path) -> None:
    head = resolve(repo, "HEAD")
    tree = git(repo, "rev-parse", "HEAD^{tree}")
    (repo / ".git" / "objects" / tree[:2] / tree[2:]).unlink()
    with pytest.raises(GitError) as info:
        list_tree(repo, head)
    assert "\n" not in str(info.value) and head[:12] in str(info.value)


def test_read_blobs_round_trips_binary_content(tmp_path: Path) -> None:
    contents = {
        "all_bytes.bin": bytes(range(256)) * 3,
        "nul_and_newlines.py": b"\n\0\n\0x\n",
        "no_trailing_newline.py": b"x = 1",
        "empty.py": b"",
        "latin1.py": "# coding: latin-1\ns = 'caf\xe9'\n".encode("latin-1"),
        "crlf.py": b"a = 1\r\nb = 2\r\n",
    }
    repo = make_repo(tmp_path / "repo", dict(contents))
    tree = list_tree(repo, resolve(repo, "HEAD"))
    blobs = read_blobs(repo, tree.values())
    assert {name: blobs[sha] for name, sha in tree.items()} == contents


def test_read_blobs_uses_one_process(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo, {f"m{i}.py": f"x = {i}\n" for i in range(25)})
    tree = list_tree(repo, commit(repo, "more"))
    calls: list[list[str]] = []
    real_run = subprocess.run

    def spy(command: list[str], *args: object, **kwargs: object) -> object:
        calls.append(command)
        return real_run(command, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(gitbase.subprocess, "run", spy)
    blobs = read_blobs(repo, [*tree.values(), *tree.values()])  # duplicates asked once
    assert len(blobs) == len(set(tree.values())) == 27
    assert len(calls) == 1 and calls[0][-2:] == ["cat-file", "--batch"]
    assert read_blobs(repo, []) == {} and len(calls) == 1


def test_read_blobs_missing_or_malformed_object(repo: Path) -> None:
    with pytest.raises(GitError, match=r"bad object 0{40} .*missing"):
        read_blobs(repo, ["0" * 40])
    with pytest.raises(GitError, match="not a git object name"):
        read_blobs(repo, ["abc\nHEAD"])
    tree = git(repo, "rev-parse", "HEAD^{tree}")
    with pytest.raises(GitError, match="is a tree, not a file"):
        read_blobs(repo, [tree])


# -- changes ------------------------------------------------------------------


def repository_state(repo: Path) -> tuple[bytes, set[str], str]:
    """What must not change under changes(): the index, the object store, the status."""
    index = (repo / ".git" / "index").read_bytes()
    objects = {str(p) for p in (repo / ".git" / "objects").rglob("*")}
    return index, objects, git(repo, "status", "--porcelain=v1", "-z", "--untracked-files=all")


def test_changes_sees_every_kind_of_change_without_touching_the_repository(
    tmp_path: Path,
) -> None:
    other = "".join(f"class C{i}:\n    pass\n" for i in range(20))
    repo = make_repo(
        tmp_path / "repo",
        {
            "keep.py": "k = 1\n",
            "edit.py": "e = 1\n",
            "staged_edit.py": "s = 1\n",
            "gone.py": "g = 1\n",
            "staged_move.py": MODULE,
            "untracked_move.py": other,
            ".gitignore": "*.log\nignored_dir/\n",
        },
    )
    base = resolve(repo, "HEAD")
    write(repo, {"edit.py": "e = 2\n", "staged_edit.py": "s = 2\n"})
    git(repo, "add", "staged_edit.py")
    (repo / "gone.py").unlink()
    (repo / "moved").mkdir()
    git(repo, "mv", "staged_move.py", "moved/staged.py")
    (repo / "untracked_move.py").rename(repo / "moved" / "untracked.py")  # not staged at all
    write(repo, {"brand_new.py": "n = 1\n", "debug.log": "x\n", "ignored_dir/x.py": ""})
    write(repo, {"new dir/with space.py": "w = 1\n", "ünï\ncode.py": "u = 1\n"})
    before = repository_state(repo)

    result = changes(repo, base)

    assert result == ChangeSet(
        added=("brand_new.py", "new dir/with space.py", "ünï\ncode.py"),
        deleted=("gone.py",),
        modified=("edit.py", "staged_edit.py"),
        renamed=(
            ("staged_move.py", "moved/staged.py"),
            ("untracked_move.py", "moved/untracked.py"),
        ),
    )
    assert repository_state(repo) == before


def test_changes_against_an_older_commit_includes_committed_work(repo: Path) -> None:
    base = resolve(repo, "HEAD")
    write(repo, {"app/views.py": "v = 1\n"})
    commit(repo, "views")
    write(repo, {"app/db.py": MODULE + "y = 1\n"})
    result = changes(repo, base)
    assert result.added == ("app/views.py",) and result.modified == ("app/db.py",)
    assert changes(repo, resolve(repo, "HEAD")).added == ()


def test_clean_tree_has_no_changes(repo: Path) -> None:
    result = changes(repo, resolve(repo, "HEAD"))
    assert result.is_empty and result == ChangeSet()


def test_changes_ignore_a_hook_s_git_environment(
    repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """pre-commit runs us with GIT_INDEX_FILE/GIT_DIR set; they must not redirect our calls."""
    base = resolve(repo, "HEAD")
    write(repo, {"app/new.py": ""})
    monkeypatch.setenv("GIT_INDEX_FILE", str(tmp_path / "bogus-index"))
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "bogus-dir"))
    assert changes(repo, base).added == ("app/new.py",)
    assert not (tmp_path / "bogus-index").exists()


def test_changes_with_an_unknown_commit(repo: Path) -> None:
    with pytest.raises(GitError) as info:
        changes(repo, "f" * 40)
    assert "\n" not in str(info.value) and "ffffffffffff" in str(info.value)


def test_working_tree_files(repo: Path) -> None:
    write(repo, {"untracked.py": "", "notes.log": ""})
    (repo / ".gitignore").write_text("*.log\n")
    (repo / "app" / "__init__.py").unlink()
    assert working_tree_files(repo) == [".gitignore", "app/db.py", "untracked.py"]


def test_messages_print_even_for_undecodable_paths(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9"
    try:
        os.mkdir(raw)
    except OSError:
        pytest.skip("file system refuses non-UTF-8 names")
    with pytest.raises(GitError) as info:
        repo_root(Path(os.fsdecode(raw)))
    str(info.value).encode("utf-8")  # must not raise UnicodeEncodeError
    assert "caf\\xe9" in str(info.value)
