"""The file index answers for unchanged files without reading them, and never for changed ones."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reloadlint import cache, fileindex, source


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    original = source.read_bytes

    def counting(path: Path) -> bytes | source.SourceError:
        seen.append(Path(path).name)
        return original(path)

    monkeypatch.setattr(source, "read_bytes", counting)
    return seen


def _index(tmp_path: Path) -> fileindex.FileIndex:
    return fileindex.FileIndex(cache.CacheDir(tmp_path / "cache"))


def test_a_settled_unchanged_file_is_not_read_again(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fileindex, "SETTLE_NS", 0)
    module = tmp_path / "mod.py"
    module.write_bytes(b"x = 1\n")
    first = _index(tmp_path)
    digest, data = first.content(module)
    first.save()
    assert data == b"x = 1\n" and digest == cache.content_digest(data)
    again, data = _index(tmp_path).content(module)
    assert (again, data) == (digest, None)
    assert reads == ["mod.py"]


def test_a_same_size_rewrite_with_its_old_mtime_is_noticed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fileindex, "SETTLE_NS", 0)
    module = tmp_path / "mod.py"
    module.write_bytes(b"x = 1\n")
    info = module.stat()
    index = _index(tmp_path)
    index.content(module)
    index.save()
    module.write_bytes(
        b"x = 2\n"
    )  # same size; then the old modification time back (cp -p, touch -d)
    os.utime(module, ns=(info.st_atime_ns, info.st_mtime_ns))
    digest, data = _index(tmp_path).content(module)
    assert data == b"x = 2\n" and digest == cache.content_digest(b"x = 2\n")


def test_a_file_written_just_now_is_not_remembered(tmp_path: Path, reads: list[str]) -> None:
    module = tmp_path / "mod.py"
    module.write_bytes(b"x = 1\n")
    index = _index(tmp_path)
    index.content(module)
    index.save()
    _index(tmp_path).content(module)
    assert reads == [
        "mod.py",
        "mod.py",
    ]  # read both times: it might change again within a clock tick


@pytest.mark.parametrize(
    "entry",
    [
        "junk",
        None,
        ((1, 2, 3), "digest", True),
        ((1, 2, 3, 4), 5, True),
        ((1, 2, 3, 4), "digest"),  # the format before entries said whether noqa appears
        ((1, 2, 3, 4), "digest", "yes"),
    ],
)
def test_a_damaged_index_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: object
) -> None:
    monkeypatch.setattr(fileindex, "SETTLE_NS", 0)
    module = tmp_path / "x.py"
    module.write_bytes(b"x = 1\n")
    payload = "junk" if entry is None else {str(module): entry}
    cache.CacheDir(tmp_path / "cache").write(fileindex.PACK, payload)
    digest, _ = _index(tmp_path).content(module)
    assert digest == cache.content_digest(b"x = 1\n")


def test_an_unreadable_file_is_the_source_error(tmp_path: Path) -> None:
    content, data = _index(tmp_path).content(tmp_path / "missing.py")
    assert isinstance(content, source.SourceError) and data is None


def test_which_files_mention_noqa_is_remembered_with_the_digest(
    tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warnings about malformed directives read again only the files whose bytes
    mention noqa: a warm run, which reads no file, still knows which."""
    monkeypatch.setattr(fileindex, "SETTLE_NS", 0)
    plain, marked = tmp_path / "plain.py", tmp_path / "marked.py"
    plain.write_bytes(b"x = 1\n")
    marked.write_bytes(b"import os  # NOQA\n")
    first = _index(tmp_path)
    for module in (plain, marked):
        first.content(module)
    first.save()
    assert (first.mentions_noqa(plain), first.mentions_noqa(marked)) == (False, True)
    again = _index(tmp_path)
    for module in (plain, marked):
        again.content(module)
    assert (again.mentions_noqa(plain), again.mentions_noqa(marked)) == (False, True)
    assert reads == ["plain.py", "marked.py"]  # the second index read neither
    assert again.mentions_noqa(tmp_path / "never_seen.py")  # unknown: the caller reads it
