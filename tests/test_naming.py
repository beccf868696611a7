"""Module names: the memoised, string-based :class:`Namer` against the plain rules.

The reference below is the definition written the slow, obvious way (pathlib,
``resolve()`` per file); the namer must agree with it on every file of a tree
that has each case the rules distinguish.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import write_tree

from reloadlint.naming import Namer, Tree, tree_names


def reference(
    path: Path, src: tuple[Path, ...] = (), namespace: tuple[Path, ...] = ()
) -> tuple[str, Path, bool]:
    """(name, root, is_package) by the module docstring of reloadlint.naming."""
    resolved = path.resolve()
    roots = sorted((r.resolve() for r in src), key=lambda r: len(r.parts), reverse=True)
    spaces = {n.resolve() for n in namespace}

    def is_package(directory: Path) -> bool:
        if directory in spaces or (directory / "__init__.py").is_file():
            return True
        return directory.name.isidentifier() and (directory.parent / "__init__.py").is_file()

    root = next((r for r in roots if r == resolved.parent or r in resolved.parent.parents), None)
    if root is None:
        root = resolved.parent
        while is_package(root) and root.parent != root:
            root = root.parent
    parts = list(resolved.relative_to(root).parts)
    stem = parts[-1].rsplit(".", 1)[0]
    package = stem == "__init__"
    parts = parts[:-1] if package else [*parts[:-1], stem]
    if not parts or not all(part.isidentifier() for part in parts):
        return stem, root, False
    return ".".join(parts), root, package


TREE = {
    "app/__init__.py": "",
    "app/db.py": "",
    "app/sub/__init__.py": "",
    "app/sub/deep.py": "",
    "app/sansio/proto.py": "",  # namespace subpackage of a regular package
    "app/not-ident/x.py": "",
    "app/manage-db.py": "",
    "app/data.v2.py": "",
    "scripts/run.py": "",
    "src/lib/__init__.py": "",
    "src/lib/core.py": "",
    "nspkg/part/mod.py": "",
    "__init__.py": "",
    "top.py": "",
}


@pytest.mark.parametrize(
    ("src", "namespace"), [((), ()), (("src",), ()), (("src", "src/lib"), ("nspkg",))]
)
def test_names_follow_the_rules(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    src: tuple[str, ...],
    namespace: tuple[str, ...],
) -> None:
    write_tree(tmp_path, TREE)
    (tmp_path / "linked").symlink_to(tmp_path / "app")
    (tmp_path / "scripts/alias.py").symlink_to(tmp_path / "app/db.py")
    monkeypatch.chdir(tmp_path)
    src_paths = tuple(tmp_path / s for s in src)
    namespace_paths = tuple(tmp_path / n for n in namespace)
    namer = Namer(src_paths, namespace_paths)
    files = [Path(name) for name in TREE]
    files += [Path("linked/db.py"), Path("scripts/alias.py"), Path("app/../app/db.py")]
    files += [tmp_path / name for name in TREE]
    for path in files:
        named = namer.name(path)
        assert named is not None
        expected = reference(path, src_paths, namespace_paths)
        assert (named.name, named.root, named.is_package) == expected, path
        assert namer.root_of(path) == expected[1]
        assert namer.resolve(path) == path.resolve()
        assert namer.key(path) == str(path.resolve())


def test_answers_are_memoised_per_path(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/m.py": ""})
    namer = Namer()
    first = namer.name(tmp_path / "pkg/m.py")
    assert first is not None and first.name == "pkg.m"
    os.remove(tmp_path / "pkg/__init__.py")  # a run sees one state of the tree
    assert namer.name(tmp_path / "pkg/m.py") is first
    assert Namer().name(tmp_path / "pkg/m.py") != first


@pytest.mark.parametrize(
    ("src", "namespace"), [((), ()), (("src",), ()), (("src", "src/lib"), ("nspkg",))]
)
def test_a_git_tree_is_named_as_the_disk_is(
    tmp_path: Path, src: tuple[str, ...], namespace: tuple[str, ...]
) -> None:
    """Upgrade mode names the base version's files (repository-relative posix paths, no
    file system) by the same rule: every file keeps its name between the two."""
    write_tree(tmp_path, TREE)
    namer = Namer(tuple(tmp_path / s for s in src), tuple(tmp_path / n for n in namespace))
    # The repository's top holds an __init__.py: on disk the walk goes on above it, the
    # base tree ends there; the names below it agree when it is left out.
    os.remove(tmp_path / "__init__.py")
    files = [name for name in TREE if name != "__init__.py"]
    names = tree_names(files, Tree(files), src, namespace)
    for path in files:
        named = namer.name(tmp_path / path)
        assert named is not None
        assert names[path] == (named.name, named.is_package), path
