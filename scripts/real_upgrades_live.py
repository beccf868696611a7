"""The live process of ``scripts/real_upgrades.py``: runs the old release, applies a plan.

Started by ``real_upgrades.py`` with the old release on disk::

    python real_upgrades_live.py PACKAGE SOURCE_ROOT PLAN_JSON

1. imports every module of PACKAGE under SOURCE_ROOT (tests, testing helpers
   and ``__main__`` excepted; a module that fails to import is noted and
   skipped), builds the live objects of ``real_upgrades_exercises`` and runs
   their check once, records the loaded sources (``runtime.record_loaded``),
   measures the consistency of the process (below), then prints
   ``@@ READY`` and waits for a line on stdin;
2. meanwhile the caller puts the new release on disk; on ``go`` the process
   applies PLAN_JSON with ``reloadlint.runtime.apply_plan``, runs the check
   again on the same objects and measures again, and prints ``@@ RESULT``
   followed by a JSON document.

Consistency, measured over every module of the package in ``sys.modules``
(only what the upgrade *made* inconsistent counts, so each measure is taken
before and after and the difference is reported):

- ``stale_bindings``: a module-level name bound to a class or function of
  another module of the package that is no longer that module's object
  (``pkg.X is not pkg.mod.X``: a re-export or from-import the upgrade left
  on the old object);
- ``stale_bases``: a class of the package whose base (a class of the
  package) is no longer the object its module holds;
- ``old_code``: a function, or a method of a class, of a reloaded module whose
  code object is not the one the new source defines (same file, a def line of
  that name in the new source);
- ``stale_instances``: a live object of ``setup`` whose class is a class of
  the package that is not its module's current class (not re-pointed).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import os
import sys
import traceback
import types
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SKIPPED_PARTS = frozenset({"tests", "test", "testing", "__main__", "conftest", "__pycache__"})


def main(package: str, root: str, plan_path: str) -> int:
    sys.dont_write_bytecode = True
    sys.path[:0] = [root]
    sys.path.append(str(HERE.parent))  # reloadlint.runtime (standard library only)
    sys.path.append(str(HERE))
    from real_upgrades_exercises import EXERCISES

    from reloadlint import runtime

    imported, failed = import_all(package, Path(root))
    setup, check = EXERCISES[package]
    state = setup()
    before_check = run_check(check, state)
    runtime.record_loaded()
    before = measure(package, state, set())
    say("READY", {"imported": len(imported), "import_failures": failed})
    if sys.stdin.readline().strip() != "go":
        return 1
    result: dict[str, Any] = {"imported": len(imported), "import_failures": failed}
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    result["runtime"] = apply(runtime, plan)
    reloaded = set(result["runtime"].get("modules_reloaded", []))
    after_check = run_check(check, state)
    after = measure(package, state, reloaded)
    result["consistency"] = {
        key: sorted(set(after[key]) - set(before[key])) for key in sorted(after)
    }
    result["checked"] = {key: len(after[key + "_checked"]) for key in ("bindings", "classes")}
    result["consistency"].pop("bindings_checked")
    result["consistency"].pop("classes_checked")
    result["live_objects"] = compare(before_check, after_check)
    say("RESULT", result)
    return 0


def say(tag: str, payload: dict[str, Any]) -> None:
    sys.stdout.write(f"@@ {tag} {json.dumps(payload, default=repr)}\n")
    sys.stdout.flush()


# -- the process ------------------------------------------------------------------


def import_all(package: str, root: Path) -> tuple[list[str], dict[str, str]]:
    """Import every module of ``package``; failures are kept, not raised."""
    imported, failed = [], {}
    for name in sorted(module_names(package, root)):
        try:
            importlib.import_module(name)
            imported.append(name)
        except BaseException as exc:  # SystemExit, missing optional dependency
            failed[name] = f"{type(exc).__name__}: {exc}"[:200]
    return imported, failed


def module_names(package: str, root: Path) -> list[str]:
    names = []
    for directory, dirs, files in os.walk(root / package):
        relative = Path(directory).relative_to(root).parts
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_PARTS)
        if "__init__.py" not in files:
            dirs[:] = []
            continue
        for file in files:
            stem = file[:-3]
            if file.endswith(".py") and stem not in SKIPPED_PARTS and stem.isidentifier():
                names.append(".".join(relative if stem == "__init__" else (*relative, stem)))
    return names


def run_check(check: Any, state: dict[str, Any]) -> dict[str, Any]:
    try:
        return {"ok": True, "values": {k: repr(v) for k, v in check(state).items()}}
    except Exception:
        return {"ok": False, "error": traceback.format_exc(limit=6)[-1500:]}


def apply(runtime: Any, plan: dict[str, Any]) -> dict[str, Any]:
    """Apply the plan; the report as plain data, whatever happens."""
    try:
        report = runtime.apply_plan(plan)
        outcome = "applied"
    except runtime.PlanRefused as exc:
        return {"outcome": "refused", "problems": exc.problems}
    except runtime.UpgradeError as exc:
        report, outcome = exc.report, "upgrade-error"
    except Exception:
        return {"outcome": "raised", "error": traceback.format_exc(limit=8)[-2000:]}
    return {
        "outcome": outcome,
        "completed": report.completed,
        "ok": getattr(report, "ok", report.completed and not report.problems),
        "modules_reloaded": report.modules_reloaded,
        "modules_skipped": report.modules_skipped,
        "problems": report.problems,
        "notes": [note for note in report.notes if not note.startswith("plan: not done")],
        "steps": report.steps[-5:],
        "repointed": sum(c.repointed for c in report.classes),
        "not_repointed": sum(c.not_repointed for c in report.classes),
    }


def compare(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    if not before["ok"]:
        return {"status": "broken-before", "error": before["error"]}
    if not after["ok"]:
        return {"status": "FAILED", "error": after["error"]}
    changed = sorted(k for k in before["values"] if before["values"][k] != after["values"].get(k))
    return {"status": "works", "changed_results": changed}


# -- consistency ------------------------------------------------------------------


def ours(package: str, name: str | None) -> bool:
    return isinstance(name, str) and (name == package or name.startswith(package + "."))


def current(module: str, qualname: str) -> Any:
    """The object ``module.qualname`` names now (None when it does not resolve)."""
    obj: Any = sys.modules.get(module)
    for part in qualname.split("."):
        if part == "<locals>" or obj is None:
            return None
        obj = inspect.getattr_static(obj, part, None)
    return obj


def first_party_modules(package: str) -> list[tuple[str, types.ModuleType]]:
    return sorted(
        (name, module)
        for name, module in list(sys.modules.items())
        if ours(package, name) and isinstance(module, types.ModuleType)
    )


def measure(package: str, state: dict[str, Any], reloaded: set[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {
        "stale_bindings": [],
        "stale_bases": [],
        "old_code": [],
        "stale_instances": [],
        "bindings_checked": [],
        "classes_checked": [],
    }
    classes: dict[int, type] = {}
    for name, module in first_party_modules(package):
        for key, value in list(vars(module).items()):
            if isinstance(value, type | types.FunctionType):
                home = getattr(value, "__module__", None)
                if isinstance(value, type) and ours(package, home):
                    classes[id(value)] = value
                if not ours(package, home) or home == name or home not in sys.modules:
                    continue
                now = current(home, value.__qualname__)
                if now is None:
                    continue
                found["bindings_checked"].append(f"{name}.{key}")
                if now is not value:
                    stale = f"{name}.{key} is not {home}.{value.__qualname__}"
                    found["stale_bindings"].append(stale)
        if name in reloaded:
            found["old_code"] += old_code(name, module)
    for cls in classes.values():
        found["classes_checked"].append(f"{cls.__module__}.{cls.__qualname__}")
        for base in cls.__bases__:
            if ours(package, base.__module__):
                now = current(base.__module__, base.__qualname__)
                if now is not None and now is not base:
                    found["stale_bases"].append(
                        f"{cls.__module__}.{cls.__qualname__} derives from an old "
                        f"{base.__module__}.{base.__qualname__}"
                    )
    for key, value in state.items():
        cls = type(value)
        if ours(package, cls.__module__):
            now = current(cls.__module__, cls.__qualname__)
            if now is not None and now is not cls:
                found["stale_instances"].append(f"{key}: {cls.__module__}.{cls.__qualname__}")
    return found


def old_code(name: str, module: types.ModuleType) -> list[str]:
    """Functions and methods of ``module`` whose code is not what its source on disk defines."""
    origin = getattr(module.__spec__, "origin", None)
    if not origin or not origin.endswith(".py"):
        return []
    tree = ast.parse(Path(origin).read_bytes())
    problems = []
    for node in tree.body:
        problems += _old_defs(name, vars(module), node, origin, f"{name}.")
    classes = [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
    for node in classes:
        cls = inspect.getattr_static(module, node.name, None)
        if isinstance(cls, type) and cls.__module__ == name:
            for item in node.body:
                problems += _old_defs(name, vars(cls), item, origin, f"{name}.{node.name}.")
    return problems


def _old_defs(
    name: str, namespace: dict[str, Any], node: ast.stmt, origin: str, prefix: str
) -> list[str]:
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return []
    value = namespace.get(node.name)
    if isinstance(value, staticmethod | classmethod):
        value = value.__func__
    value = inspect.unwrap(value) if callable(value) else value
    if not isinstance(value, types.FunctionType):
        return []
    code = value.__code__
    if not _same_file(code.co_filename, origin):
        return []  # made by a decorator elsewhere
    lines = {node.lineno, *(d.lineno for d in node.decorator_list)}
    if code.co_firstlineno in lines or value.__name__ != node.name:
        return []
    # Another def of the same name (if/else branches) may be the live one.
    tree_lines = _def_lines(origin, node.name)
    if code.co_firstlineno in tree_lines:
        return []
    return [f"{prefix}{node.name} runs code from line {code.co_firstlineno}, not the new source's"]


def _def_lines(origin: str, name: str) -> set[int]:
    tree = ast.parse(Path(origin).read_bytes())
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            lines |= {node.lineno, *(d.lineno for d in node.decorator_list)}
    return lines


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
