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
its file is found as ``importlib.reload`` finds it (importing nothing), is
Python source, and is where the process loaded the module from (a module
whose file moved cannot be reloaded from its new place); its bytes hash to
``new_sha256`` (unless null); the hash :func:`record_loaded` kept for it, if
any, equals ``base_sha256`` (otherwise the report says the base is
unverified); it parses and ``compile()``s; the modules its unconditional
top-level imports name exist; each ``migrate`` class is defined by the loaded
module with ``__vsn__`` equal to ``old_vsn``. Across modules, at each one's
place in the order: every ``from M import name`` and every base class it
binds reaches the new object or an unchanged one, and every live instance of
a class it replaces can be re-pointed at the new class (see
:mod:`reloadlint._runtime.checks`).

**After the point of no return** the listed modules this process imported are
reloaded in plan order (others are skipped: their next import is new code).
Every live instance of a class that a reload replaced is re-pointed at the
new class, version bump or not, as a class-patching reloader would; then,
all code being new, ``obj.__code_change__(old_vsn, extra)`` runs on those
whose class's ``__vsn__`` changed (the live classes decide, not the plan's
``action``). Then the process itself is checked for what the upgrade left
behind (classes deriving from old bases, names still holding replaced
objects, instances left on an old class): each is a ``problem`` and the
report is not ``ok``. Nothing is rolled back: :class:`UpgradeError` carries a
report of the steps that ran and says which did not; no other exception
leaves :func:`apply_plan` or :func:`upgrade`.

Limits: a source must not change between preflight and reload (reload reads
it again); importlib reuses a ``.pyc`` if its source is rewritten with the
same size within the same second; enum members, and classes whose metaclass
was reloaded, are not re-pointed (the report notes them); preflight reads
bindings from the syntax (``from M import name``, ``class K(M.Base)``), not
names computed at run time.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import importlib.machinery
import importlib.util
import os
import sys
import threading
import types
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import Any

from reloadlint._runtime import checks, classes, document, locate, source
from reloadlint._runtime.document import MAX_PLAN_BYTES, MAX_PLAN_DEPTH, SCHEMA_VERSION
from reloadlint._runtime.locate import SOURCE_SUFFIXES, find_spec
from reloadlint._runtime.report import (
    ClassUpgrade,
    PlanRefused,
    RuntimeUpgradeError,
    UpgradeError,
    UpgradeReport,
)

__all__ = [
    "MAX_PLAN_BYTES",
    "MAX_PLAN_DEPTH",
    "SCHEMA_PATH",
    "SCHEMA_VERSION",
    "ClassUpgrade",
    "PlanRefused",
    "RuntimeUpgradeError",
    "UpgradeError",
    "UpgradeReport",
    "apply_plan",
    "record_loaded",
    "serve_dev",
    "upgrade",
]

SCHEMA_PATH = Path(__file__).with_name("schemas") / "plan.schema.json"

# Reload-guarded (see RL401): reloading this module must not forget what the
# process loaded, nor hand a second upgrade a fresh, unheld lock.
_LOCK = globals().get("_LOCK") or threading.RLock()
_LOADED_SHA256: dict[str, str] = globals().get("_LOADED_SHA256", {})


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
    """A module that passed its own checks, with its classes as loaded before the upgrade."""

    name: str
    module: types.ModuleType | None  # None: never imported here, so not reloaded
    sha256: str
    old_classes: dict[str, type]
    source: source.NewSource | None  # None: the new source does not compile
    unresolved: list[str] = field(default_factory=list)  # imports that cannot be found


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
        if origin and origin.endswith(SOURCE_SUFFIXES) and os.path.isfile(origin):
            recorded[name] = hashlib.sha256(Path(origin).read_bytes()).hexdigest()
    with _LOCK:
        _LOADED_SHA256.update(recorded)
    return recorded


def serve_dev() -> bool:
    """Let ``reloadlint run`` upgrade this process, when its bootstrap could not.

    ``reloadlint run`` starts its agent in the program's interpreter by itself
    (docs/devloop.md). A program started in a way that skips that (``python -I``,
    an embedding application) calls this at start-up, as early as it can:
    modules imported before the call are recorded as their files are at that
    moment. Returns whether the process is under ``reloadlint run``; outside it
    this does nothing, so the call can stay in the code.
    """
    if "RELOADLINT_RUN" not in os.environ and "reloadlint.devloop.agent" not in sys.modules:
        return False
    from reloadlint.devloop import agent  # the in-process half only: nothing of the linter

    return agent.start_from_environment(sys.modules[__name__], late=True)


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
    with _LOCK:
        report = UpgradeReport()
        targets = _refusing(lambda: _plan_preflight(plan, report, first_party))
        return _execute(targets, extra, report)


def _plan_preflight(
    plan: Mapping[str, Any] | str | os.PathLike[str],
    report: UpgradeReport,
    first_party: Collection[str] | None,
) -> list[_Target]:
    doc = document.load(plan)
    if problems := document.problems(doc, first_party):
        raise PlanRefused(problems)
    entries = [entry for group in doc["groups"] for entry in group["modules"]]
    requests = [
        _Request(e["module"], e["new_sha256"], e["base_sha256"], True, e["migrate"])
        for e in entries
    ]
    report.notes += [
        f"plan: not done: {i.get('kind')}: {i.get('message')}" for i in document.dicts(doc)
    ]
    targets = _preflight(requests, report)
    base = doc.get("base", {})
    report.steps.append(f"preflight passed ({len(targets)} module(s), base {base.get('rev')})")
    return targets


def upgrade(*modules: types.ModuleType | str, extra: Any = None) -> UpgradeReport:
    """Reload imported modules in dependency order and migrate their live instances.

    For users without a plan. A module goes after the given modules its
    globals refer to (module objects, or functions, classes and instances
    defined there); an import cycle keeps the given order. Preflight is the
    plan's minus the hash checks; a module that is not imported is refused.
    """
    with _LOCK:
        report = UpgradeReport()
        targets = _refusing(lambda: _modules_preflight(modules, report))
        return _execute(targets, extra, report)


def _modules_preflight(
    modules: tuple[types.ModuleType | str, ...], report: UpgradeReport
) -> list[_Target]:
    names = [m.__name__ if isinstance(m, types.ModuleType) else m for m in modules]
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
    requests = [_Request(name) for name in dict.fromkeys(names)]
    targets = _preflight(requests, report, reorder=True)
    report.steps.append(f"preflight passed ({len(targets)} module(s))")
    return targets


def _refusing(preflight: Callable[[], list[_Target]]) -> list[_Target]:
    """Run a preflight; whatever it raises is a refusal (nothing has changed yet)."""
    try:
        return preflight()
    except RuntimeUpgradeError:
        raise
    except Exception as exc:
        raise PlanRefused([f"preflight could not check the upgrade: {exc!r}"]) from exc


# -- preflight --------------------------------------------------------------


def _preflight(
    requests: list[_Request], report: UpgradeReport, *, reorder: bool = False
) -> list[_Target]:
    """Verify every module before anything changes; refuse all if one fails.

    ``reorder``: put the modules in dependency order first (``upgrade()``; a plan
    has its order).
    """
    importlib.invalidate_caches()  # see files written since the finders last looked
    problems: list[str] = []
    found = [_check_module(request, problems, report) for request in requests]
    targets = [target for target in found if target is not None]
    problems += _unresolved(targets)
    if len(targets) == len(requests):  # the checks across modules need every module
        targets = _dependency_order(targets) if reorder else targets
        loaded = [target.name for target in targets if target.module is not None]
        planned = [
            checks.Planned(t.name, t.module, t.source, loaded.index(t.name) if t.module else None)
            for t in targets
        ]
        problems += checks.binding_problems(planned, locate.module_exists)
        problems += checks.instance_problems(planned)
    if problems:
        raise PlanRefused(problems)
    return targets


def _check_module(request: _Request, problems: list[str], report: UpgradeReport) -> _Target | None:
    """Run every preflight check on one module, adding what fails to ``problems``."""
    name, module = request.name, sys.modules.get(request.name)
    spec = find_spec(name)
    origin = spec.origin if spec is not None else None
    loaded_from = locate.loaded_from(module)
    if spec is None or not origin or not origin.endswith(SOURCE_SUFFIXES):
        if loaded_from and not os.path.exists(loaded_from):
            problems.append(
                f"{name}: {loaded_from}, where the process loaded it from, is gone and a "
                "reload finds no new file: a module that moved cannot be reloaded, restart"
            )
        else:
            problems.append(f"{name}: no Python source file found ({origin or 'no module'})")
        return None
    if (
        loaded_from
        and locate.same_path(locate.root(loaded_from, name), locate.root(origin, name)) is False
    ):
        problems.append(
            f"{name}: the process loaded it from {loaded_from}, a reload would load {origin}: "
            "the module moved, and a running process keeps finding modules where it loaded "
            "them (their spec, their package's __path__); restart to load it from the new place"
        )
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
    new = None
    unresolved = []
    if tree is not None:
        unresolved = _unresolved_imports(name, spec, tree)
        new = source.read(tree, name, spec.submodule_search_locations is not None)
    old_classes = classes.classes_of(module) if module is not None else {}
    problems += _migrate_problems(request, old_classes)
    return _Target(name, module, sha, old_classes, new, unresolved)


def _unresolved(targets: list[_Target]) -> list[str]:
    """Missing imports of the modules the upgrade runs: those imported here, and those
    their new sources import (a module never imported here is not run by the upgrade)."""
    reached = {
        name
        for target in targets
        if target.module is not None and target.source is not None
        for name in target.source.imports
    }
    return [
        problem
        for target in targets
        if target.module is not None or target.name in reached
        for problem in target.unresolved
    ]


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
        missing = [m for m in wanted if m not in sys.modules and find_spec(m) is None]
        problems += [
            f"{name}: line {node.lineno}: imports `{m}`, which cannot be found" for m in missing
        ]
    return problems


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


def _dependency_order(targets: list[_Target]) -> list[_Target]:
    """Each module after the given modules whose names it binds by value.

    What it binds: the ``from M import name`` and base classes of its new
    source, and the functions, classes and instances of other modules its
    globals hold. Module objects (``from pkg import sub``, a package's
    submodule attributes) only break ties: a reload keeps them. A cycle keeps
    the given order (preflight then says which binding it breaks).
    """
    names = [target.name for target in targets]
    hard = {t.name: _bound_modules(t, names) - {t.name} for t in targets}
    soft = {t.name: _held_modules(t, names) - {t.name} for t in targets}
    order: list[_Target] = []
    remaining = list(targets)
    while remaining:
        left = {t.name for t in remaining}
        ready = [t for t in remaining if not hard[t.name] & left] or remaining
        pick = next((t for t in ready if not soft[t.name] & left), ready[0])
        order.append(pick)
        remaining.remove(pick)
    return order


def _bound_modules(target: _Target, candidates: list[str]) -> set[str]:
    found = {
        b.module
        for b in (target.source.bindings if target.source else ())
        if b.module in candidates and f"{b.module}.{b.name}" not in candidates
    }
    if target.module is not None:
        homes = (_home_module(value) for value in list(vars(target.module).values()))
        found |= {home for home in homes if home in candidates}
    return found


def _held_modules(target: _Target, candidates: list[str]) -> set[str]:
    values = list(vars(target.module).values()) if target.module is not None else []
    return {v.__name__ for v in values if isinstance(v, types.ModuleType)} & set(candidates)


def _home_module(value: object) -> str | None:
    """The module a global value comes from, without running user ``__getattr__``.

    None for module objects: a reload keeps them, binding one orders nothing.
    """
    if isinstance(value, types.ModuleType):
        return None
    if isinstance(value, types.MethodType):
        value = value.__func__
    if isinstance(value, (type, types.FunctionType)):
        return getattr(value, "__module__", None)
    return type(value).__module__


#: The stages after the point of no return, in order (for "what was not done").
_STAGES = (
    "reloading the modules",
    "re-pointing live instances at their new classes",
    "calling __code_change__",
    "checking the process for objects of the old version",
)


def _execute(targets: list[_Target], extra: Any, report: UpgradeReport) -> UpgradeReport:
    """Reload every imported target in order, re-point instances, run the hooks, check."""
    loaded = [target for target in targets if target.module is not None]
    report.modules_skipped = [target.name for target in targets if target.module is None]
    stage = 0
    try:
        before = checks.snapshot(target.module for target in loaded)  # type: ignore[misc]
        for position, target in enumerate(loaded):
            _reload(target, loaded[position + 1 :], report)
        stage = 1
        modules = {target.name: target.module for target in loaded}
        old = {target.name: target.old_classes for target in loaded}
        replacements = classes.replaced_classes(old, modules, report)  # type: ignore[arg-type]
        classes.repoint(replacements, report)
        stage = 2
        errors = classes.run_hooks(replacements, extra, report)
        stage = 3
        sources = {target.name: target.source for target in loaded}
        checks.consistency([t.name for t in loaded], before, sources, replacements, report)
    except RuntimeUpgradeError:
        raise
    except Exception as exc:
        report.steps.append(f"FAILED {_STAGES[stage]}: {exc!r}")
        not_done = "; ".join(_STAGES[stage + 1 :]) or "nothing else"
        raise UpgradeError(
            f"{_STAGES[stage]} raised {exc!r} after the point of no return; not done: {not_done}",
            report,
        ) from exc
    if errors:
        raise UpgradeError(
            "__code_change__ failed for " + classes.hook_failures(report), report
        ) from errors[0]
    report.completed = not report.problems
    return report


def _reload(target: _Target, rest: list[_Target], report: UpgradeReport) -> None:
    try:
        importlib.reload(target.module)  # type: ignore[arg-type]
    except (Exception, SystemExit) as exc:
        report.steps.append(f"FAILED reloading {target.name}: {exc!r}")
        names = ", ".join(t.name for t in rest) or "none"
        raise UpgradeError(
            f"reloading {target.name} raised {exc!r} after re-running part of it; "
            f"not reloaded: {names}; no instance was re-pointed, no __code_change__ ran",
            report,
        ) from exc
    _LOADED_SHA256[target.name] = target.sha256
    report.modules_reloaded.append(target.name)
    report.steps.append(f"reloaded {target.name}")
