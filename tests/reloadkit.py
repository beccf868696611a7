"""Helpers for the corpus's reload experiments (``rules/RLxxx/**/reload.py``).

An experiment runs in a fresh interpreter with the case's tree as its
working directory (and on ``sys.path``), imports the code, changes it the way
a deploy would (:func:`edit`, :func:`upgrade`), has the change applied
(:func:`reload`, :func:`upgrade_live`) and ends with :func:`verdict`:
``STALE`` when the hazard showed (old code or state still in use, state
lost, an effect doubled, or an upgrade that cannot be applied), ``FRESH``
when it did not.

The change is applied by the reloader ``RELOADKIT_RELOADER`` names
(:mod:`reloaders`: importlib, reloadlint's runtime applying the plan,
IPython's ``%autoreload 2``, jurigged). The corpus test runs every
experiment under each of them and asserts that it says STALE exactly where
the linter, under that reloader's profile, reports the case.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import time
import types
from pathlib import Path

import reloaders

ROOT = Path.cwd()
sys.dont_write_bytecode = True
for candidate in (ROOT / "src", ROOT):
    if candidate.is_dir() and str(candidate) not in sys.path:
        sys.path.insert(0, str(candidate))

#: The reloader this experiment runs under, set up before the experiment imports anything.
RELOADER = reloaders.make(ROOT)


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
    RELOADER.before_change()
    path.write_text(text.replace(old, new), encoding="utf-8")
    _touch(path)


def add_logger(relative: str) -> None:
    """Edit a module outside its function bodies: add a module logger at its end.

    The everyday edit that is not only a function body. ``importlib.reload``
    re-executes the whole module whatever changed; IPython's deduperreload
    cannot patch a new statement that calls something, so ``%autoreload``
    falls back to a full reload of the module (superreload); jurigged runs
    the new statements only. Experiments that ask what reloading a module does
    to what it holds (state, effects, identities) make this edit.
    """
    text = (ROOT / relative).read_text(encoding="utf-8")
    logger = "\n\nimport logging\n\nlogger = logging.getLogger(__name__)\n"
    edit(relative, text, text.rstrip("\n") + logger)


def upgrade() -> list[str]:
    """Replace the tree (v1) with the case's v2 tree, as a deploy does.

    Returns the files that differ (added, changed or removed), as posix paths
    relative to the tree: what a deploy tool would report as changed.
    """
    v2 = Path(os.environ["RELOADKIT_V2"])
    RELOADER.before_change()
    before = _contents(ROOT)
    _replace_tree(v2)
    after = _contents(ROOT)
    paths = before.keys() | after.keys()
    return sorted(path for path in paths if before.get(path) != after.get(path))


def _tree(root: Path) -> list[Path]:
    """The files and folders of the tree (not the runtime reloader's ``.git``)."""
    return [p for p in root.rglob("*") if ".git" not in p.relative_to(root).parts]


def _contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in _tree(root) if p.is_file()}


def _replace_tree(v2: Path) -> None:
    for path in sorted(_tree(ROOT), reverse=True):
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


def reload(*names: str) -> types.ModuleType:
    """Apply the change: ``importlib.reload`` of ``names`` in order, or the way the
    experiment's reloader applies a change (it decides what to reload). Returns
    the first named module."""
    _apply(names)
    return sys.modules[names[0]]


def _apply(names: tuple[str, ...]) -> None:
    """Have the reloader apply the change. A plan the runtime refuses ends the
    experiment STALE: the change cannot be applied to the running process."""
    if RELOADER.name != "runtime":
        RELOADER.apply(names)
        return
    from reloadlint import runtime

    try:
        RELOADER.apply(names)
    except runtime.PlanRefused as refused:
        verdict(True, "the runtime refused the plan: " + "; ".join(refused.problems))
        raise SystemExit(0) from None


def upgrade_live(*names: str) -> str:
    """Apply the change and bring live instances along: under ``importlib``,
    :func:`reloadlint.runtime.upgrade` of ``names`` (``importlib.reload`` in
    dependency order, live instances re-pointed at their new class,
    ``__code_change__`` called), since plain ``importlib.reload`` never touches
    an instance; under the other reloaders as :func:`reload` (each patches
    classes its own way). Returns what was done, for the verdict's detail."""
    if RELOADER.name != "importlib":
        _apply(names)
        return f"applied by {RELOADER.name}"
    if not names:
        return "nothing to reload"
    from reloadlint import runtime

    report = runtime.upgrade(*names)
    return "; ".join(map(str, report.classes)) or "no class upgraded"


def verdict(stale: bool, detail: str) -> None:
    print(("STALE: " if stale else "FRESH: ") + detail)
