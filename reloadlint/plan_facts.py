"""What a plan finds out itself, beyond the rules' findings.

- **A binding cycle**: modules that bind one another's names by value at
  import time (``a`` does ``from b import g``, ``b`` does ``from a import f``).
  Whichever reloads first keeps the other's old objects: no order works, the
  plan says ``restart`` and names the cycle (:func:`binding_cycle`).
- **Moved files**: a module whose file moved (``app/`` -> ``src/app/``) while
  its dotted name stayed. A running process finds modules where it loaded
  them (their specs, their package's ``__path__``): a reload cannot load the
  new file, so the plan says ``restart`` (:func:`moves`).
- **Files that could not be analysed** (RL9xx) block a plan only when the
  upgrade would run them (:func:`unloadable`): a library that ships a
  deliberately broken test fixture can still be planned.
- **What is not the application**: modules ``plan-exclude`` matches (tests,
  docs, examples, packaging scripts) never enter a plan (:func:`outside`).
- **Registered functions that are gone**: a function the base version
  registered through a first-party registrar (``@register``) and the new
  version removed or renamed stays in the registry after the reload, and
  still runs (:func:`still_registered`).

And the paths and hashes a plan pins its modules by: repository-relative paths
(:func:`repo_path`), the working tree's and the base version's SHA-256
(:func:`file_sha256`, :func:`base_hashes`).
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from reloadlint.diagnostics import Diagnostic
from reloadlint.plan_graph import ByValue, read_from
from reloadlint.safeio import read_limited
from reloadlint.source import MAX_FILE_BYTES
from reloadlint.upgrade import source_root

#: upgrade.NonPythonChange kind -> restart reason code (``data`` is RL304's business).
CHANGE_REASONS = {
    "dependencies": "dependencies",
    "native": "native",
    "interpreter": "python-version",
}
CHANGE_TEXT = {
    "dependencies": "runtime requirements changed ({detail}): installed packages are imported "
    "once, only a restart loads the new ones",
    "native": "native file {status}: an extension module cannot be reloaded, only a restart "
    "loads the new one",
    "interpreter": "interpreter pin {status}: only a restart changes the Python version",
}


if TYPE_CHECKING:
    from reloadlint.engine import RunResult
    from reloadlint.project import ProjectModel
    from reloadlint.summary.model import ImportFact, ModuleSummary
    from reloadlint.upgrade import Upgrade


def binding_cycle(
    project: ProjectModel,
    refs: dict[str, list[ByValue]],
    cycle: list[str],
    path: Callable[[str], str],
) -> tuple[str, str, int]:
    """The message, path and line of the reason a binding ``cycle`` forces a restart."""
    links = []
    for importer, source in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
        ref = next(
            r for r in refs[importer] if not r.registration and source in read_from(project, r)
        )
        where = path(importer)
        links.append(
            (where, ref.line, f"`{importer}` binds `{ref.qualified}` ({where}:{ref.line})")
        )
    message = (
        "binding cycle: "
        + ", ".join(text for _, _, text in links)
        + ": whichever of them reloads first keeps the others' old objects, so no reload "
        "order gives every module the new ones; restart to apply the change"
    )
    return message, links[0][0], links[0][1]


def moves(moved: dict[str, tuple[str, str]]) -> Iterator[tuple[list[str], str, str]]:
    """For each moved source root: the modules it moved, the message, a new path."""
    roots: dict[tuple[str, str], list[str]] = {}
    for name, (old, new) in sorted(moved.items()):
        roots.setdefault((source_root(old, name), source_root(new, name)), []).append(name)
    for (old_root, new_root), names in roots.items():
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        message = (
            f"{len(names)} module(s) moved from `{old_root or '.'}/` to `{new_root or '.'}/` "
            f"with their names unchanged ({shown}): a running process keeps finding them where "
            "it loaded them (their specs, their packages' `__path__`), so a reload cannot load "
            "the new files; restart to run them from the new place"
        )
        yield names, message, moved[names[0]][1]


def unloadable(result: RunResult) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """The files that could not be analysed (RL9xx), as (blocking the plan, left out of it).

    One blocks the plan when the change touches it (changed, added) or a changed
    module imports it (or a submodule of it) at import time: the upgrade would run
    it, and the plan cannot know what it does. Any other one (a deliberately broken
    test fixture, a file for another Python version) is unchanged since the base
    and imported by no changed code: the upgrade never runs it. The decision reads
    only git's changes and the changed modules' imports, never the findings. A
    changed file outside the plan (``plan-exclude``: tests, docs...) is not run by
    the upgrade either, unless a changed module imports it.
    """
    errors = [d for d in result.diagnostics if d.code.startswith("RL9")]
    upgrade, project = result.upgrade, result.project
    if not errors or upgrade is None or project is None:
        return errors, []
    imported: set[str] = set()
    for name in upgrade.changed_modules():
        summary = project.modules.get(name)
        for fact in summary.imports if summary is not None else ():
            if fact.scope == "function" or fact.type_checking or not fact.module:
                continue
            imported.add(fact.module)
            if fact.name and fact.name != "*":
                imported.add(f"{fact.module}.{fact.name}")
    blocking: list[Diagnostic] = []
    left_out: list[Diagnostic] = []
    for diagnostic in errors:
        summary = result.summaries.get(diagnostic.path)
        name = summary.name if summary is not None else ""
        where = repo_path(upgrade, diagnostic.path)
        touched = where in upgrade.changed_paths and not upgrade.plan_excluded(where)
        needed = bool(name) and any(t == name or t.startswith(name + ".") for t in imported)
        (blocking if touched or needed else left_out).append(diagnostic)
    return blocking, left_out


def repo_path(upgrade: Upgrade, display: str) -> str:
    """A displayed path (relative to the working directory) relative to the repository root.

    String work only: ``Upgrade.repo_path`` resolves the root on every call, which
    costs a file-system walk per path on a project of thousands of modules. A plan
    asks again for the same paths (a few times per module, and ``reloadlint run``
    once per save): answers are remembered, by working directory.
    """
    return _repo_path(_resolved(upgrade.repo), display, os.getcwd())


@functools.lru_cache(maxsize=1 << 16)
def _repo_path(root: str, display: str, cwd: str) -> str:
    try:
        relative = os.path.relpath(os.path.join(cwd, display), root)
    except ValueError:  # another drive
        relative = os.pardir
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return display.replace(os.sep, "/")
    return relative.replace(os.sep, "/")


@functools.lru_cache(maxsize=8)
def _resolved(path: Path) -> str:
    return str(path.resolve())


def outside(project: ProjectModel, upgrade: Upgrade) -> frozenset[str]:
    """Modules of either version that ``plan-exclude`` leaves out of the plan (tests,
    docs, examples, packaging scripts): linted, but never run by the upgraded process."""
    new = (
        n for n, m in project.modules.items() if upgrade.plan_excluded(repo_path(upgrade, m.path))
    )
    old = (n for n, m in upgrade.base.modules.items() if upgrade.plan_excluded(m.path))
    left_out = {*new, *old, *tool_plugins(upgrade.repo)}
    left_out |= _serving_left_out(project, left_out)
    return frozenset(left_out - _imported_by_application(project, left_out))


def _imported_by_application(project: ProjectModel, left_out: set[str]) -> set[str]:
    """Left-out modules that the application imports while it is imported, and what they
    import in turn: they run in the upgraded process whatever their name says (jinja2's
    ``tests.py``, the template tests ``jinja2.defaults`` binds by value; werkzeug's
    ``test.py``). They stay in the plan's view, so a change to one is not lost: it is
    reloaded where the configuration allows it, and forces a restart where it does not."""
    needed: set[str] = set()
    todo = [name for name in project.modules if name not in left_out]
    while todo:
        for fact in project.modules[todo.pop()].imports:
            if not _binds_at_import(fact):
                continue
            for target in {fact.module, fact.target}:
                if target in left_out and target not in needed and target in project.modules:
                    needed.add(target)
                    todo.append(target)
    return needed


def _serving_left_out(project: ProjectModel, left_out: set[str]) -> set[str]:
    """Plain modules that belong to what is left out: each imports a left-out module
    while it is imported, and every first-party module that imports it is left out
    too (or none does: test tooling loads it by name). sqlalchemy's
    ``dialects/oracle/provision.py`` imports ``sqlalchemy.testing.provision`` and only
    the test suite loads it. A package ``__init__`` never qualifies: importing a
    test-support subpackage does not make a package test code."""
    importers: dict[str, set[str]] = {}
    for name, summary in project.modules.items():
        for fact in summary.imports:
            for target in (fact.module, fact.target):
                importers.setdefault(target, set()).add(name)
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        gone = left_out | found
        for name, summary in project.modules.items():
            if name in gone or summary.is_package:
                continue
            if not importers.get(name, set()) - {name} <= gone:
                continue
            if any(
                _binds_at_import(fact) and (fact.module in gone or fact.target in gone)
                for fact in summary.imports
            ):
                found.add(name)
                changed = True
    return found


def _binds_at_import(fact: ImportFact) -> bool:
    return fact.scope == "module" and not fact.type_checking and not fact.fallback


#: Entry-point groups of test tools: pytest and Hypothesis load these plugins, not the
#: application.
TEST_PLUGIN_GROUPS = ("pytest11", "hypothesis")


def tool_plugins(repo: Path) -> list[str]:
    """Modules the packaging declares as plugins of test tools (``[project.entry-points.
    pytest11]`` in ``pyproject.toml``, ``entry_points={"hypothesis": [...]}`` in
    ``setup.py``, read from the syntax tree): anyio.pytest_plugin,
    pydantic._hypothesis_plugin. Test tooling, not the application."""
    found: list[str] = []
    pyproject = _packaging_text(repo, "pyproject.toml")
    if pyproject:
        from reloadlint.config import parse_toml

        try:
            project = parse_toml(pyproject).get("project")
        except ValueError:
            project = None
        points = project.get("entry-points") if isinstance(project, dict) else None
        for group in TEST_PLUGIN_GROUPS:
            entries = points.get(group) if isinstance(points, dict) else None
            if isinstance(entries, dict):
                found += [str(v) for v in entries.values() if isinstance(v, str)]
    setup = _packaging_text(repo, "setup.py")
    if setup:
        found += _setup_py_plugins(setup)
    # "module:attr" (pyproject's values) or "name = module:attr" (setup.py's entries)
    return [entry.rpartition("=")[2].partition(":")[0].strip() for entry in found]


def _setup_py_plugins(text: str) -> list[str]:
    """The entries of the test tools' groups in ``setup(entry_points={...})`` (literals)."""
    import ast

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # an unparsable setup.py
        return []
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg != "entry_points" or not isinstance(keyword.value, ast.Dict):
                continue
            for key, value in zip(keyword.value.keys, keyword.value.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in TEST_PLUGIN_GROUPS:
                    items = value.elts if isinstance(value, (ast.List, ast.Tuple)) else []
                    found += [
                        e.value
                        for e in items
                        if isinstance(e, ast.Constant) and isinstance(e.value, str)
                    ]
    return found


def _packaging_text(repo: Path, name: str) -> str | None:
    from reloadlint.safeio import read_limited
    from reloadlint.source import MAX_FILE_BYTES

    try:
        return read_limited(repo / name, MAX_FILE_BYTES, follow_symlinks=False).decode()
    except (OSError, UnicodeDecodeError):  # absent, not a regular file, too large
        return None


def only_excluded_code_changes(
    project: ProjectModel, outside: frozenset[str], diagnostic: Diagnostic
) -> bool:
    """A finding that only code ``plan-exclude`` leaves out makes true: RL401 state
    only tests change (the application records nothing a reload could lose), or only
    they read (pydantic's ``_DEFINED_TYPES``, read by its Hypothesis plugin alone: see
    :mod:`reloadlint.rules._state_readers`), an RL104
    member or sentinel only tests store (see :func:`held_by_the_application`); or an RL503
    main block of a module the application imports (rich.traceback's demo: the process
    imported the module, it did not start from it)."""
    from reloadlint.rules._state_readers import harmless
    from reloadlint.rules.rl401_module_state_reset import changed_by

    if diagnostic.code == "RL503" and diagnostic.context.startswith("the `if __name__"):
        return _imported_by_the_application(project, outside, diagnostic.symbol)
    if diagnostic.code != "RL401":
        return False
    module, _, name = diagnostic.symbol.rpartition(".")
    changers = changed_by(project, module, name)
    if changers and changers <= outside:
        return True
    summary = project.modules.get(module)
    return summary is not None and bool(harmless(project, summary, name, ignore=outside))


def held_by_the_application(
    project: ProjectModel, outside: frozenset[str], reloaded: frozenset[str], symbol: str
) -> bool:
    """RL104 in a plan: a member or sentinel that the application (not its tests) stores
    somewhere the plan does not make again (the import-time stores of modules it reloads
    are redone with the new objects)."""
    from reloadlint.rules import rl104_identity_sensitive_definition as rl104
    from reloadlint.summary.facts.class_kinds import ENUM_BASES

    module, _, name = symbol.rpartition(".")
    summary = project.modules.get(module)
    cls = next((c for c in summary.classes if c.qualname == name), None) if summary else None
    base = project.derives_from(module, cls, ENUM_BASES) if cls is not None else None
    values = cls is not None and rl104.by_value(project, module, cls, base or "")
    return rl104.may_be_held(
        project, module, name, by_value=values, ignore=outside, rebuilt=reloaded
    )


def _imported_by_the_application(
    project: ProjectModel, outside: frozenset[str], module: str
) -> bool:
    for name, summary in project.modules.items():
        if name == module or name in outside:
            continue
        if any(module in (fact.module, fact.target) for fact in summary.imports):
            return True
    return False


class PlanInputs(Protocol):
    """What :func:`left_unused` reads of the plan's inputs."""

    project: ProjectModel
    upgrade: Upgrade
    outside: frozenset[str]


def left_unused(inputs: PlanInputs, reloaded: set[str], diagnostic: Diagnostic) -> bool:
    """An RL501 private module (a ``_`` name: nothing outside the project names it) that
    nothing will use once the plan ran: it had importers, each is reloaded (or removed),
    and no new module imports it. The old module stays in ``sys.modules`` unused (httpx
    0.28 dropped ``httpx._compat``). A public module may be loaded by name (a plugin, a
    task module): the process would go on running the old one, so it still forces."""
    gone, upgrade, outside = diagnostic.symbol, inputs.upgrade, inputs.outside
    if diagnostic.code != "RL501" or not any(p.startswith("_") for p in gone.split(".")):
        return False

    def imports_it(summary: ModuleSummary) -> bool:
        return any(
            target == gone or target.startswith(gone + ".")
            for fact in summary.imports
            for target in (fact.module, fact.target)
        )

    importers = [
        name
        for name, old in upgrade.base.modules.items()
        if name not in outside and name != gone and not name.startswith(gone + ".")
        if imports_it(old)
    ]
    if not importers or any(
        name not in reloaded and upgrade.status.get(name) != "removed" for name in importers
    ):
        return False
    return not any(
        imports_it(new) for name, new in inputs.project.modules.items() if name not in outside
    )


def still_registered(
    project: ProjectModel, upgrade: Upgrade, module: ModuleSummary
) -> list[tuple[str, int]]:
    """(message, line) for each function the base version of ``module`` registered
    through a first-party registrar that the new version no longer registers there."""
    from reloadlint.rules._registrations import registrations

    old = upgrade.old(module.name)
    if old is None:
        return []
    now = {(r.function, d.target) for d, r in registrations(project, module)}
    found = []
    for decoration, registrar in registrations(upgrade.base, old):
        if (registrar.function, decoration.target) in now:
            continue
        gone = (
            "is gone from the new version"
            if decoration.target not in upgrade.definitions(module)
            else f"is no longer registered with `{registrar.function}`"
        )
        message = (
            f"`{module.name}.{decoration.target}` was registered with `{registrar.function}` "
            f"(into `{registrar.registry}`) when `{module.name}` was imported and {gone}; a "
            "reload does not take it out of the registry: it is still registered and still "
            "runs — restart, or remove it from the registry in start-up code"
        )
        found.append((message, decoration.span.line))
    return found


def file_sha256(path: str) -> str | None:
    """SHA-256 of a working-tree file (the plan pins what it reloads); None when unreadable."""
    try:
        return hashlib.sha256(read_limited(path, MAX_FILE_BYTES)).hexdigest()
    except OSError:
        return None


_MAX_PATHSPECS = 200


def base_hashes(upgrade: Upgrade, names: list[str]) -> dict[str, str]:
    """SHA-256 of each module's source in the base version (from git: two processes for all)."""
    paths = sorted({old.path for name in names if (old := upgrade.old(name)) is not None})
    if not paths:
        return {}
    # Pathspecs keep the listing small; past a few hundred, one full listing is cheaper
    # than a command line that may exceed the platform's limit.
    pathspecs = paths if len(paths) <= _MAX_PATHSPECS else []
    tree = upgrade.source.files(pathspecs)
    blobs = upgrade.source.read([tree[p] for p in paths if p in tree])
    return {p: hashlib.sha256(blobs[tree[p]]).hexdigest() for p in paths if p in tree}
