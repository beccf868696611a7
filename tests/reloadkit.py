"""Helpers for the corpus's reload experiments (``rules/RLxxx/**/reload.py``).

An experiment runs in a fresh interpreter with the case's tree as its
working directory (and on ``sys.path``), imports the code, changes it the way
a deploy would, reloads with ``importlib.reload`` (or the reloadlint runtime),
and ends with :func:`verdict`: ``STALE`` when the hazard showed (old code or
state still in use, state lost, an effect doubled), ``FRESH`` when it did not.
The corpus test asserts bad cases print STALE and good cases FRESH.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path.cwd()
sys.dont_write_bytecode = True
for candidate in (ROOT / "src", ROOT):
    if candidate.is_dir() and str(candidate) not in sys.path:
        sys.path.insert(0, str(candidate))


def _touch(path: Path) -> None:
    # importlib compares mtimes at one-second resolution for cached bytecode;
    # we write none, but bump anyway so any finder notices the change.
    stamp = time.time() + 2
    os.utime(path, (stamp, stamp))


def edit(relative: str, old: str, new: str) -> None:
    """Replace ``old`` with ``new`` in a file of the tree (must occur)."""
    path = ROOT / relative
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise AssertionError(f"{old!r} not in {relative}")
    path.write_text(text.replace(old, new), encoding="utf-8")
    _touch(path)


def upgrade() -> list[str]:
    """Replace the tree (v1) with the case's v2 tree, as a deploy does.

    Returns the files that differ (added, changed or removed), as posix paths
    relative to the tree: what a deploy tool would report as changed.
    """
    v2 = Path(os.environ["RELOADKIT_V2"])
    before = _contents(ROOT)
    _replace_tree(v2)
    after = _contents(ROOT)
    paths = before.keys() | after.keys()
    return sorted(path for path in paths if before.get(path) != after.get(path))


def _contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _replace_tree(v2: Path) -> None:
    for path in sorted(ROOT.rglob("*"), reverse=True):
        if path.is_file():
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    for source in v2.rglob("*"):
        target = ROOT / source.relative_to(v2)
        if source.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            _touch(target)
    importlib.invalidate_caches()


def loaded_from(paths: list[str]) -> list[str]:
    """Names of the imported modules whose source file is one of ``paths`` (tree-relative)."""
    wanted = {(ROOT / path).resolve() for path in paths}
    found = []
    for name, module in list(sys.modules.items()):
        origin = getattr(getattr(module, "__spec__", None), "origin", None)
        if origin and Path(origin).resolve() in wanted and name != "__main__":
            found.append(name)
    return sorted(found)


def fresh(code: str, env: dict[str, str] | None = None) -> str:
    """Run ``code`` in a new interpreter started in the tree (as a restart would); its output.

    ``env`` replaces the environment's non-Python variables: a restarted
    service gets its deployment's environment, not this process's.
    """
    kept = ("PYTHON", "PATH", "SYSTEMROOT", "HOME", "LANG", "LC_")
    base = {k: v for k, v in os.environ.items() if k.startswith(kept)}
    base["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode != 0:
        raise AssertionError(f"the fresh process failed:\n{done.stderr}")
    return done.stdout.strip()


def reload(name: str):
    importlib.invalidate_caches()
    return importlib.reload(sys.modules[name])


def verdict(stale: bool, detail: str) -> None:
    print(("STALE: " if stale else "FRESH: ") + detail)
