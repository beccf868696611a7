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


def upgrade() -> None:
    """Replace the tree (v1) with the case's v2 tree, as a deploy does."""
    v2 = Path(os.environ["RELOADKIT_V2"])
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


def reload(name: str):
    importlib.invalidate_caches()
    return importlib.reload(sys.modules[name])


def verdict(stale: bool, detail: str) -> None:
    print(("STALE: " if stale else "FRESH: ") + detail)
