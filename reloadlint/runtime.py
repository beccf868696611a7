"""Apply a reload plan inside a running process: reloadlint's release handler.

``__vsn__`` and ``__code_change__`` mean something because this module honours
them, as Erlang's ``release_handler`` honours ``code_change/3``. Standard
library only, and nothing else from reloadlint: production needs no linter.

**The caller chooses the update point.** Nothing here suspends threads. OTP
suspends processes around ``code_change``; a Python application calls
:func:`apply_plan` or :func:`upgrade` at a quiet moment (a signal handler, an
admin endpoint, between two jobs) with the threads that use the upgraded
modules parked. A module-level lock keeps two upgrades from interleaving.

**Preflight** changes nothing and lists every problem in one :class:`PlanRefused`.
The plan is input like any other (docs/hardening.md): a file that is not a
regular file of at most :data:`MAX_PLAN_BYTES`, a document nested deeper
than :data:`MAX_PLAN_DEPTH` or of the wrong shape is refused, never a raw
exception; and it reloads only the project's own modules: a standard library
module, or one installed under the interpreter's ``site-packages`` (or, with
``first_party=``, any module outside the listed packages) is refused, so a
project file that shadows ``logging`` cannot make a plan reload the real one.
The plan: ``schema_version`` 1, verdict ``hot``, no restart reasons, no
``restart`` module, no module twice, well-typed fields. Each listed module:
its file is found as ``importlib.reload`` finds it (importing nothing) and is
Python source; its bytes hash to ``new_sha256`` (unless null); the hash
:func:`record_loaded` kept for it, if any, equals ``base_sha256`` (otherwise
the report says the base is unverified); it parses and ``compile()``s; the
modules its unconditional top-level imports name exist; each ``migrate`` class
is defined by the loaded module with ``__vsn__`` equal to ``old_vsn``.

**After the point of no return** the listed modules this process imported are
reloaded in plan order (others are skipped: their next import is new code).
Every live instance of a class that a reload replaced is re-pointed at the
new class, version bump or not, as a class-patching reloader would; then,
all code being new, ``obj.__code_change__(old_vsn, extra)`` runs on those
whose class's ``__vsn__`` changed (the live classes decide, not the plan's
``action``). Nothing is rolled back: :class:`UpgradeError` carries a report
of the steps that ran.

Limits: a source must not change between preflight and reload (reload reads
it again); importlib reuses a ``.pyc`` if its source is rewritten with the
same size within the same second; enum members, and classes whose metaclass
was reloaded, are not re-pointed (the report notes them).
"""

from __future__ import annotations

import ast
import enum
import gc
import hashlib
import importlib
import importlib.machinery
import importlib.util
import json
import os
import site
import stat
import sys
import sysconfig
import threading
import types
from collections import deque
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("schemas") / "plan.schema.json"
_SOURCE_SUFFIXES = tuple(importlib.machinery.SOURCE_SUFFIXES)
#: A plan file larger than this is refused unread (a plan takes well under 1 kB per module).
MAX_PLAN_BYTES = 16 * 1024 * 1024
#: A plan's JSON is about 6 levels deep; one deeper than this is refused.
MAX_PLAN_DEPTH = 64

# Reload-guarded (see RL401): reloading this module must not forget what the
# process loaded, nor hand a second upgrade a fresh, unheld lock.
_LOCK = globals().get("_LOCK") or threading.RLock()
_LOADED_SHA256: dict[str, str] = globals().get("_LOADED_SHA256", {})


class RuntimeUpgradeError(Exception):
    """Base class of every error raised by this module."""


class PlanRefused(RuntimeUpgradeError):
    """Preflight refused the upgrade; nothing was reloaded or migrated."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "".join(f"\n  - {problem}" for problem in problems)
        super().__init__(f"upgrade refused, nothing was changed:{lines}")


class UpgradeError(RuntimeUpgradeError):
    """A step after the point of no return failed; nothing was undone.

    ``report.steps`` lists what had already run: the process now runs that mix
    of old and new code until it is fixed forward or restarted.
    """

    def __init__(self, message: str, report: UpgradeReport) -> None:
        self.report = report
        steps = "".join(f"\n  - {step}" for step in report.steps)
        super().__init__(f"{message}\nsteps already done (there is no undo):{steps}")


@dataclass
class ClassUpgrade:
    """What happened to the live instances of one class that a reload replaced."""

    name: str  # module.QualName
    old_vsn: Any
    new_vsn: Any
    repointed: int = 0
    not_repointed: int = 0  # ``__class__`` assignment refused, e.g. ``__slots__`` changed
    migrated: int = 0  # ``__code_change__`` returned
    failed: int = 0  # ``__code_change__`` raised
    errors: list[str] = field(default_factory=list)  # repr of each exception raised

    @property
    def vsn_changed(self) -> bool:
        return self.old_vsn != self.new_vsn

    @property
    def hooks_called(self) -> int:
        return self.migrated + self.failed

    def __str__(self) -> str:
        text = f"{self.name}: {self.repointed} instance(s) re-pointed, "
        if self.vsn_changed:
            text += f"vsn {self.old_vsn!r} -> {self.new_vsn!r}, "
            text += f"{self.migrated} migrated by __code_change__"
        else:
            text += "vsn unchanged, no migration"
        text += f", {self.failed} __code_change__ failure(s)" if self.failed else ""
        return text + (f", {self.not_repointed} not re-pointed" if self.not_repointed else "")


@dataclass
class UpgradeReport:
    """What an upgrade did, in order. ``completed`` is false after a failure."""

    modules_reloaded: list[str] = field(default_factory=list)
    modules_skipped: list[str] = field(default_factory=list)  # listed, never imported here
    classes: list[ClassUpgrade] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # left undone although it completed
    notes: list[str] = field(default_factory=list)
    completed: bool = False

    @property
    def hooks_called(self) -> int:
        return sum(upgrade.hooks_called for upgrade in self.classes)

    def for_class(self, name: str) -> ClassUpgrade:
        """The entry of the class named ``module.QualName``."""
        return next(upgrade for upgrade in self.classes if upgrade.name == name)

    def __str__(self) -> str:
        reloaded = ", ".join(self.modules_reloaded) or "none"
        lines = [
            "upgrade " + ("complete" if self.completed else "FAILED (no undo, see steps)"),
            f"  modules reloaded ({len(self.modules_reloaded)}): {reloaded}",
        ]
        if self.modules_skipped:
            lines.append("  not imported here, skipped: " + ", ".join(self.modules_skipped))
        lines += [f"  {c}" for c in self.classes if c.repointed or c.not_repointed]
        lines += [f"  problem: {problem}" for problem in self.problems]
        lines += [f"  note: {note}" for note in self.notes]
        if not self.completed:
            lines += ["  steps:", *(f"    - {step}" for step in self.steps)]
        return "\n".join(lines)


@dataclass
class _Request:
    """One module to upgrade, from a plan entry or an ``upgrade()`` argument."""

    name: str
    new_sha256: str | None = None
    base_sha256: str | None = None
    check_base: bool = False  # only a plan knows the base
    migrate: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Target:
    """A module that passed preflight, with its classes as loaded before the upgrade."""

    name: str
    module: types.ModuleType | None  # None: never imported here, so not reloaded
    sha256: str
    old_classes: dict[str, type]


@dataclass
class _Replacement:
    """A class replaced by a reload, with the live instances of its old version."""

    old: type
    new: type
    upgrade: ClassUpgrade
    instances: list[object] = field(default_factory=list)


def record_loaded(*module_names: str) -> dict[str, str]:
    """Remember the SHA-256 of the source each module was loaded from.

    Call it right after the start-up imports, before the files can change: a
    plan's ``base_sha256`` is checked against it, which is how the runtime
    knows the process runs the plan's base. Without names, every imported
    module with a Python source file is recorded. Returns this call's hashes.
    """
    missing = [name for name in module_names if name not in sys.modules]
    if missing:
        raise ValueError(f"not imported: {', '.join(missing)}")
    recorded = {}
    for name in module_names or list(sys.modules):
        origin = getattr(getattr(sys.modules.get(name), "__spec__", None), "origin", None)
        if origin and origin.endswith(_SOURCE_SUFFIXES) and os.path.isfile(origin):
            recorded[name] = hashlib.sha256(Path(origin).read_bytes()).hexdigest()
    with _LOCK:
        _LOADED_SHA256.update(recorded)
    return recorded


def apply_plan(
    plan: Mapping[str, Any] | str | os.PathLike[str],
    *,
    extra: Any = None,
    first_party: Collection[str] | None = None,
) -> UpgradeReport:
    """Apply a reload plan: a dict, a JSON string (starts with ``{``) or a file path.

    ``extra`` is passed to every ``__code_change__``. ``first_party``: the
    project's top-level packages, for an application installed into
    ``site-packages`` (by default a module found there is refused as
    third-party). Raises :class:`PlanRefused` before the point of no return
    and :class:`UpgradeError` after it.
    """
    doc = _load_plan(plan)
    with _LOCK:
        if problems := _plan_problems(doc, first_party):
            raise PlanRefused(problems)
        entries = [entry for group in doc["groups"] for entry in group["modules"]]
        requests = [
            _Request(e["module"], e["new_sha256"], e["base_sha256"], True, e["migrate"])
            for e in entries
        ]
        report = UpgradeReport()
        report.notes += [
            f"plan: not done: {i.get('kind')}: {i.get('message')}" for i in _dicts(doc)
        ]
        targets = _preflight(requests, report)
        base = doc.get("base", {})
        report.steps.append(f"preflight passed ({len(targets)} module(s), base {base.get('rev')})")
        return _execute(targets, extra, report)


def upgrade(*modules: types.ModuleType | str, extra: Any = None) -> UpgradeReport:
    """Reload imported modules in dependency order and migrate their live instances.

    For users without a plan. A module goes after the given modules its
    globals refer to (module objects, or functions, classes and instances
    defined there); an import cycle keeps the given order. Preflight is the
    plan's minus the hash checks; a module that is not imported is refused.
    """
    names = [m.__name__ if isinstance(m, types.ModuleType) else m for m in modules]
    with _LOCK:
        problems = [
            f"{name}: not imported in this process" for name in names if name not in sys.modules
        ]
        problems += [
            f"{m.__name__}: not the module object in sys.modules"
            for m in modules
            if isinstance(m, types.ModuleType) and sys.modules.get(m.__name__) not in (None, m)
        ]
        if problems:
            raise PlanRefused(problems)
        report = UpgradeReport()
        targets = _preflight([_Request(name) for name in _dependency_order(names)], report)
        report.steps.append(f"preflight passed ({len(targets)} module(s))")
        return _execute(targets, extra, report)


# -- the plan document ------------------------------------------------------


def _load_plan(plan: Mapping[str, Any] | str | os.PathLike[str]) -> dict[str, Any]:
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


def _plan_problems(doc: dict[str, Any], first_party: Collection[str] | None) -> list[str]:
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
    spec = _find_spec(name)
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
            f"{r.get('code')}: {r.get('message')}" for r in _dicts(doc, "restart_reasons")
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


def _dicts(doc: dict[str, Any], key: str = "not_done") -> list[dict[str, Any]]:
    items = doc.get(key)
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


# -- preflight --------------------------------------------------------------


def _preflight(requests: list[_Request], report: UpgradeReport) -> list[_Target]:
    """Verify every module before anything changes; refuse all if one fails."""
    importlib.invalidate_caches()  # see files written since the finders last looked
    problems: list[str] = []
    targets = [_check_module(request, problems, report) for request in requests]
    if problems:
        raise PlanRefused(problems)
    return [target for target in targets if target is not None]


def _check_module(request: _Request, problems: list[str], report: UpgradeReport) -> _Target | None:
    """Run every preflight check on one module, adding what fails to ``problems``."""
    name, module = request.name, sys.modules.get(request.name)
    spec = _find_spec(name)
    origin = spec.origin if spec is not None else None
    if spec is None or not origin or not origin.endswith(_SOURCE_SUFFIXES):
        problems.append(f"{name}: no Python source file found ({origin or 'no module'})")
        return None
    try:
        data = Path(origin).read_bytes()
    except OSError as exc:
        problems.append(f"{name}: cannot read the source: {exc}")
        return None
    sha = hashlib.sha256(data).hexdigest()
    if request.new_sha256 not in (None, sha):
        problems.append(
            f"{name}: {origin} is not the plan's new version "
            f"(sha256 {sha[:12]} on disk, {request.new_sha256[:12]} in the plan)"
        )
    if request.check_base and module is not None:
        problems += _base_problems(request, report)
    tree = _compile(name, origin, data, problems)
    if tree is not None:
        problems += _unresolved_imports(name, spec, tree)
    old_classes = _classes_of(module) if module is not None else {}
    problems += _migrate_problems(request, old_classes)
    return _Target(name, module, sha, old_classes)


def _base_problems(request: _Request, report: UpgradeReport) -> list[str]:
    """Compare the plan's base with the source the process recorded it loaded."""
    loaded = _LOADED_SHA256.get(request.name)
    if loaded is None:
        report.notes.append(f"{request.name}: base not verified (record_loaded() was not called)")
    elif loaded != request.base_sha256:
        base = (request.base_sha256 or "null, a new module")[:12]
        return [
            f"{request.name}: the process loaded sha256 {loaded[:12]}, the plan's base is {base}"
        ]
    return []


def _compile(name: str, origin: str, data: bytes, problems: list[str]) -> ast.Module | None:
    """Parse and compile the new source (compiling also runs the symbol table checks)."""
    try:
        tree = ast.parse(data, origin)
        compile(tree, origin, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        problems.append(f"{name}: does not compile: {exc}")
        return None
    return tree


def _unresolved_imports(name: str, spec: ModuleSpec, tree: ast.Module) -> list[str]:
    """Modules named by the new source's top-level imports that cannot be found.

    Imports nested in ``try``, ``if`` or functions may be optional: not checked.
    """
    package = name if spec.submodule_search_locations is not None else name.rpartition(".")[0]
    problems = []
    for node in tree.body:
        try:
            if isinstance(node, ast.Import):
                wanted = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                relative = "." * node.level + (node.module or "")
                wanted = [importlib.util.resolve_name(relative, package)]
            else:
                continue
        except ImportError as exc:  # a relative import beyond the top-level package
            problems.append(f"{name}: line {node.lineno}: {exc}")
            continue
        missing = [m for m in wanted if m not in sys.modules and _find_spec(m) is None]
        problems += [
            f"{name}: line {node.lineno}: imports `{m}`, which cannot be found" for m in missing
        ]
    return problems


def _find_spec(name: str) -> ModuleSpec | None:
    """Find ``name`` as ``importlib.reload`` does, but without importing its parents."""
    parent = name.rpartition(".")[0]
    path = None
    if parent in sys.modules:
        path = getattr(sys.modules[parent], "__path__", None)
    if parent and path is None:
        # Not imported, or imported as a plain module that the new source turns
        # into a package (``app/db.py`` -> ``app/db/__init__.py``): ask the disk.
        parent_spec = _find_spec(parent)
        path = parent_spec.submodule_search_locations if parent_spec else None
    if parent and path is None:
        return None
    for finder in sys.meta_path:
        spec = finder.find_spec(name, path) if hasattr(finder, "find_spec") else None
        if spec is not None:
            return spec
    return None


def _migrate_problems(request: _Request, old_classes: dict[str, type]) -> list[str]:
    """Check the plan's migrations against the classes the process actually has."""
    problems = []
    for item in request.migrate:
        where, cls = f"{request.name}.{item['class']}", old_classes.get(item["class"])
        live = getattr(cls, "__vsn__", None)
        if cls is None:
            problems.append(f"{where}: the plan migrates a class the loaded module lacks")
        elif live != item["old_vsn"]:
            problems.append(
                f"{where}: the process runs __vsn__ {live!r}, the plan migrates from "
                f"{item['old_vsn']!r}: this process does not run the plan's base"
            )
    return problems


def _classes_of(module: types.ModuleType) -> dict[str, type]:
    """Classes ``module`` defines (nested ones too), by ``__qualname__``, in source order.

    A class bound under its own name wins over an alias: after a reload, an
    alias the new source no longer assigns still holds the old class.
    """
    found: dict[str, type] = {}
    pending = deque(_own_names_first(vars(module)))
    while pending:
        obj = pending.popleft()
        if (
            isinstance(obj, type)
            and getattr(obj, "__module__", None) == module.__name__
            and obj.__qualname__ not in found
        ):
            found[obj.__qualname__] = obj
            pending += _own_names_first(vars(obj))
    return found


def _own_names_first(namespace: Mapping[str, object]) -> list[object]:
    items = sorted(namespace.items(), key=lambda kv: not _is_bound_to_own_name(*kv))
    return [value for _key, value in items]


def _is_bound_to_own_name(key: str, value: object) -> bool:
    return isinstance(value, type) and value.__name__ == key


def _dependency_order(names: list[str]) -> list[str]:
    """Order modules so that each comes after the given modules it refers to."""
    wanted = list(dict.fromkeys(names))
    uses = {name: _modules_used_by(sys.modules[name], wanted) - {name} for name in wanted}
    order: list[str] = []
    while len(order) < len(wanted):
        remaining = [name for name in wanted if name not in order]
        ready = [name for name in remaining if uses[name] <= set(order)]
        order.append((ready or remaining)[0])  # a cycle keeps the given order
    return order


def _modules_used_by(module: types.ModuleType, candidates: list[str]) -> set[str]:
    """Which of ``candidates`` the globals of ``module`` hold something from."""
    homes = (_home_module(value) for value in list(vars(module).values()))
    return {home for home in homes if home in candidates}


def _home_module(value: object) -> str | None:
    """The module a global value comes from, without running user ``__getattr__``."""
    if isinstance(value, types.ModuleType):
        return value.__name__
    if isinstance(value, types.MethodType):
        value = value.__func__
    if isinstance(value, (type, types.FunctionType)):
        return getattr(value, "__module__", None)
    return type(value).__module__


# -- after the point of no return --------------------------------------------


def _execute(targets: list[_Target], extra: Any, report: UpgradeReport) -> UpgradeReport:
    """Reload every imported target in order, re-point instances, run the hooks."""
    loaded = [target for target in targets if target.module is not None]
    report.modules_skipped = [target.name for target in targets if target.module is None]
    for position, target in enumerate(loaded):
        try:
            importlib.reload(target.module)  # type: ignore[arg-type]
        except Exception as exc:
            report.steps.append(f"FAILED reloading {target.name}: {exc!r}")
            rest = ", ".join(t.name for t in loaded[position + 1 :]) or "none"
            raise UpgradeError(
                f"reloading {target.name} raised {exc!r} after re-running part of it; "
                f"not reloaded: {rest}; no instance was re-pointed",
                report,
            ) from exc
        _LOADED_SHA256[target.name] = target.sha256
        report.modules_reloaded.append(target.name)
        report.steps.append(f"reloaded {target.name}")
    replacements = _replaced_classes(loaded, report)
    _repoint(replacements, report)
    _run_hooks(replacements, extra, report)
    report.completed = True
    return report


def _replaced_classes(loaded: list[_Target], report: UpgradeReport) -> list[_Replacement]:
    """Every class of a reloaded module that the reload replaced, old and new."""
    old_set = {cls for target in loaded for cls in target.old_classes.values()}
    replacements = []
    for target in loaded:
        new_classes = _classes_of(target.module)  # type: ignore[arg-type]
        for qualname, old in target.old_classes.items():
            new, name = new_classes.get(qualname), f"{target.name}.{qualname}"
            if new is None or new is old:
                continue
            if issubclass(old, (enum.Enum, type)):
                report.notes.append(f"{name}: enum members and classes keep their old class")
                continue
            vsns = (getattr(old, "__vsn__", None), getattr(new, "__vsn__", None))
            replacements.append(_Replacement(old, new, ClassUpgrade(name, *vsns)))
            report.notes += [
                f"{sub.__module__}.{sub.__qualname__} is not reloaded and still derives "
                f"from the old {name}"
                for sub in old.__subclasses__()
                if sub not in old_set
            ]
    report.classes += [r.upgrade for r in replacements]
    return replacements


def _repoint(replacements: list[_Replacement], report: UpgradeReport) -> None:
    """Set ``__class__`` of every live instance of each old class to its new class.

    Instances of classes defined in Python are always tracked by the garbage
    collector, so ``gc.get_objects()`` finds them wherever they are held
    (lists, dicts, attributes of other objects, closures).
    """
    gc.collect()  # garbage is not migrated
    by_old = {r.old: r for r in replacements}
    for obj in gc.get_objects():
        if (replacement := by_old.get(type(obj))) is not None:
            replacement.instances.append(obj)
    for r in replacements:
        done, refused = [], []
        for obj in r.instances:
            try:
                obj.__class__ = r.new
                done.append(obj)
            except TypeError as exc:  # "object layout differs": __slots__ changed
                refused.append(str(exc))
        r.instances, r.upgrade.repointed, r.upgrade.not_repointed = done, len(done), len(refused)
        report.steps.append(f"re-pointed {len(done)} instance(s) of {r.upgrade.name}")
        if refused:
            report.problems.append(
                f"{len(refused)} instance(s) of {r.upgrade.name} keep the old class: {refused[0]}"
            )


def _run_hooks(replacements: list[_Replacement], extra: Any, report: UpgradeReport) -> None:
    """Call ``__code_change__`` where ``__vsn__`` changed; raise after trying them all.

    Every instance is tried even after a failure: each one skipped would run
    the new methods on old state, and nothing can be undone anyway.
    """
    errors: list[Exception] = []
    for r, upgrade in ((r, r.upgrade) for r in replacements if r.instances):
        if not upgrade.vsn_changed:
            continue
        if not callable(getattr(r.new, "__code_change__", None)):
            report.problems.append(
                f"{upgrade.name}: __vsn__ changed but there is no "
                "__code_change__, instances keep their old state"
            )
            continue
        for obj in r.instances:
            try:
                obj.__code_change__(upgrade.old_vsn, extra)  # type: ignore[attr-defined]
                upgrade.migrated += 1
            except Exception as exc:
                upgrade.failed += 1
                upgrade.errors.append(repr(exc))
                errors.append(exc)
        report.steps.append(
            f"called __code_change__({upgrade.old_vsn!r}, extra) on {upgrade.hooks_called} "
            f"instance(s) of {upgrade.name}: {upgrade.migrated} migrated, {upgrade.failed} failed"
        )
    if errors:
        raise UpgradeError("__code_change__ failed for " + _failures(report), report) from errors[0]


def _failures(report: UpgradeReport) -> str:
    return "; ".join(
        f"{u.name} (vsn {u.old_vsn!r} -> {u.new_vsn!r}): {u.failed} of {u.hooks_called} "
        f"instance(s) failed, {u.migrated} migrated; first error: {u.errors[0]}"
        for u in report.classes
        if u.failed
    )
