"""The plan document as the runtime reads it: input to distrust (docs/hardening.md).

A file that is not a regular file of at most :data:`MAX_PLAN_BYTES`, a
document nested deeper than :data:`MAX_PLAN_DEPTH` or of the wrong shape is
refused, never a raw exception; and a plan names only the project's own
modules: a standard library module, or one installed under the interpreter's
``site-packages`` (or, with ``first_party=``, any module outside the listed
packages) is refused, so a project file that shadows ``logging`` cannot make
a plan reload the real one.
"""

from __future__ import annotations

import json
import os
import site
import stat
import sys
import sysconfig
from collections.abc import Collection, Mapping
from typing import Any

from reloadlint._runtime.locate import find_spec
from reloadlint._runtime.report import PlanRefused

SCHEMA_VERSION = 1
#: A plan file larger than this is refused unread (a plan takes well under 1 kB per module).
MAX_PLAN_BYTES = 16 * 1024 * 1024
#: A plan's JSON is about 6 levels deep; one deeper than this is refused.
MAX_PLAN_DEPTH = 64


def load(plan: Mapping[str, Any] | str | os.PathLike[str]) -> dict[str, Any]:
    """Turn any accepted form of plan into the decoded JSON document."""
    if isinstance(plan, Mapping):
        return dict(plan)
    try:
        if isinstance(plan, str) and plan.lstrip().startswith("{"):
            doc = json.loads(plan)
        else:
            doc = json.loads(_read_plan_file(plan).decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise PlanRefused([f"cannot read the plan: {exc}"]) from None
    except RecursionError:
        raise PlanRefused(["cannot read the plan: nested too deeply"]) from None
    if not isinstance(doc, dict):
        raise PlanRefused(["the plan is not a JSON object"])
    return doc


def _read_plan_file(path: str | os.PathLike[str]) -> bytes:
    """A regular file's bytes, at most :data:`MAX_PLAN_BYTES`; a FIFO or a device
    is refused without blocking on it or reading it (the linter's own reader,
    ``reloadlint.safeio``, does the same; this module imports nothing of it)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise PlanRefused([f"cannot read the plan: {os.fsdecode(path)} is not a regular file"])
        data = handle.read(MAX_PLAN_BYTES + 1)
    if len(data) > MAX_PLAN_BYTES:
        raise PlanRefused(
            [f"cannot read the plan: {os.fsdecode(path)} is larger than {MAX_PLAN_BYTES} bytes"]
        )
    return data


def problems(doc: dict[str, Any], first_party: Collection[str] | None) -> list[str]:
    """Everything wrong with the document before any module is looked at on disk."""
    if _depth_over(doc, MAX_PLAN_DEPTH):
        return [f"the plan is nested deeper than {MAX_PLAN_DEPTH} levels"]
    if problems := _shape_problems(doc):
        return problems
    names = [entry["module"] for group in doc["groups"] for entry in group["modules"]]
    return [problem for name in names for problem in _foreign_problems(name, first_party)]


def _depth_over(value: object, limit: int) -> bool:
    """Whether lists and dicts nest deeper than ``limit`` (iterative: no recursion limit)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: Any = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            continue
        if depth >= limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _foreign_problems(name: str, first_party: Collection[str] | None) -> list[str]:
    """Why ``name`` is not one of the project's own modules (nothing when it is)."""
    top = name.partition(".")[0]
    if top in sys.stdlib_module_names or top in sys.builtin_module_names:
        return [f"{name}: a standard library module, not part of the project; refused"]
    if first_party is not None:
        if top in first_party:
            return []
        listed = ", ".join(sorted(first_party)) or "none"
        return [f"{name}: not one of the first-party packages ({listed}); refused"]
    spec = find_spec(name)
    origin = spec.origin if spec is not None else None
    home = _installed_under(origin) if origin else None
    if home is None:
        return []
    return [
        f"{name}: installed under {home}, not part of the project; refused (an application "
        "installed there names its packages with apply_plan(..., first_party=[...]))"
    ]


def _installed_under(origin: str) -> str | None:
    """The interpreter's standard library or site-packages directory holding ``origin``."""
    paths = sysconfig.get_paths()
    homes = [paths.get(key) for key in ("stdlib", "platstdlib", "purelib", "platlib")]
    homes += getattr(site, "getsitepackages", list)()
    homes.append(site.getusersitepackages() if site.ENABLE_USER_SITE else None)
    real = os.path.realpath(origin)
    for home in homes:
        if home and os.path.commonpath([real, os.path.realpath(home)]) == os.path.realpath(home):
            return home
    return None


def _shape_problems(doc: dict[str, Any]) -> list[str]:
    """Check the fields the runtime relies on (the JSON Schema says the rest).

    An unknown version or a restart verdict stops the check: a document that
    says "do not apply me" needs no further reasons.
    """
    version, reasons = doc.get("schema_version"), doc.get("restart_reasons")
    if type(version) is not int or version != SCHEMA_VERSION:
        return [f"unknown schema_version {version!r}: this runtime reads {SCHEMA_VERSION}"]
    if doc.get("verdict") == "restart":
        why = "; ".join(
            f"{r.get('code')}: {r.get('message')}" for r in dicts(doc, "restart_reasons")
        )
        return [f"the plan's verdict is restart, a hot upgrade is unsafe: {why or '?'}"]
    problems = [] if doc.get("verdict") == "hot" else [f"unknown verdict {doc.get('verdict')!r}"]
    if reasons != [] or not isinstance(doc.get("not_done"), list):
        problems.append("a hot plan needs an empty restart_reasons list and a not_done list")
    base = doc.get("base", {})
    if not isinstance(base, dict) or not all(isinstance(base.get(k, ""), str) for k in base):
        problems.append("base must be an object {rev, commit} of strings")
    groups = doc.get("groups")
    if not isinstance(groups, list) or not all(
        isinstance(group, dict) and isinstance(group.get("modules"), list) for group in groups
    ):
        return [*problems, "groups must be a list of {cycle, modules: [...]}"]
    seen: set[str] = set()
    for entry in (entry for group in groups for entry in group["modules"]):
        problems += _entry_problems(entry, seen)
    return problems


def _entry_problems(entry: Any, seen: set[str]) -> list[str]:
    """Problems of one module entry of the plan."""
    if not isinstance(entry, dict) or not isinstance(entry.get("module"), str):
        return [f"a module entry has no dotted `module` name: {entry!r}"]
    name, action, problems = entry["module"], entry.get("action"), []
    if not all(part.isidentifier() for part in name.split(".")):
        return [f"{name!r} is not a dotted module name"]
    if name in seen:
        problems.append(f"{name}: listed twice")
    seen.add(name)
    if action not in ("reload", "reload+migrate"):
        problems.append(f"{name}: action {action!r} is not reload or reload+migrate")
    if not all(key in entry and _is_sha(entry[key]) for key in ("base_sha256", "new_sha256")):
        problems.append(f"{name}: base_sha256 and new_sha256 must be hex strings or null")
    migrate = entry.get("migrate")
    if not isinstance(migrate, list) or not all(map(_is_migration, migrate)):
        problems.append(f"{name}: migrate must be a list of {{class, old_vsn, new_vsn}}")
    return problems


def _is_migration(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("class"), str)
        and all(key in item and _is_vsn(item[key]) for key in ("old_vsn", "new_vsn"))
    )


def _is_sha(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _is_vsn(value: Any) -> bool:
    return value is None or type(value) in (int, str)


def dicts(doc: dict[str, Any], key: str = "not_done") -> list[dict[str, Any]]:
    items = doc.get(key)
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []
