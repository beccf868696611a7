"""The shortcuts the hot path takes give the answers of the slow way they replace."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import write_tree

from reloadlint import discovery
from reloadlint.naming import Namer
from reloadlint.output.base import display_path
from reloadlint.summary import summarize_bytes


def test_namer_resolve_equals_path_resolve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"real/pkg/__init__.py": "", "real/pkg/mod.py": "", "other/target.py": ""})
    (tmp_path / "linkdir").symlink_to(tmp_path / "real")
    (tmp_path / "real/pkg/alias.py").symlink_to(tmp_path / "other/target.py")
    monkeypatch.chdir(tmp_path / "real")
    namer = Namer()
    for path in (
        tmp_path / "real/pkg/mod.py",
        tmp_path / "linkdir/pkg/mod.py",
        tmp_path / "linkdir/pkg/alias.py",
        tmp_path / "linkdir/pkg/../pkg/mod.py",
        Path("pkg/mod.py"),
        Path("../linkdir/pkg/mod.py"),
    ):
        assert namer.resolve(path) == path.resolve(), path


@pytest.mark.parametrize(
    ("exclude", "expected"),
    [
        (discovery.DEFAULT_EXCLUDES, ["a/build.py", "a/keep/m.py", "top.py"]),
        ((*discovery.DEFAULT_EXCLUDES, "keep/"), ["a/build.py", "top.py"]),
        (
            (*discovery.DEFAULT_EXCLUDES, "a/keep/"),
            ["a/build.py", "top.py"],
        ),  # anchored: no shortcut
        (
            (*discovery.DEFAULT_EXCLUDES, "*.py", "!top.py"),
            ["top.py"],
        ),  # file patterns: no shortcut
    ],
)
def test_exclude_shortcuts_agree_with_the_patterns(
    tmp_path: Path, exclude: tuple[str, ...], expected: list[str]
) -> None:
    write_tree(
        tmp_path,
        {
            "top.py": "",
            "a/build.py": "",
            "a/build/gen.py": "",
            "a/keep/m.py": "",
            "a/keep/build/x.py": "",
        },
    )
    found = discovery.discover([tmp_path], exclude=exclude, root=tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in found.files) == expected


def test_display_path_memo_follows_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    assert display_path("sub/m.py", Path(".")) == "sub/m.py"
    monkeypatch.chdir(tmp_path / "sub")
    assert display_path(str(tmp_path / "sub/m.py"), Path(".")) == "m.py"
    assert display_path("m.py", Path(os.getcwd())) == "m.py"


def test_ascii_fast_path_and_non_ascii_columns_agree() -> None:
    ascii_source = b"import os\nx = os.environ['A']\n"
    wide_source = "import os\ny = '\u00e9\u00e9'; x = os.environ['A']\n".encode()
    narrow, _ = summarize_bytes(ascii_source, "a.py", "a", False)
    wide, _ = summarize_bytes(wide_source, "b.py", "b", False)
    # The read starts after `y = 'éé'; x = ` (15 characters, 17 bytes).
    assert narrow.env_reads[0].span.col == 5
    assert wide.env_reads[0].span.col == 15
