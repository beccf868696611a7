"""``reloadlint --plan --base REV``: the reload plan and its hot/restart verdict.

The plan turns upgrade mode's findings into the steps a running process
takes (see docs/upgrade.md; the JSON document is ``schemas/plan.schema.json``,
which :mod:`reloadlint.runtime` applies; the document's types are in
:mod:`reloadlint.plan_model`, so that its readers need not import this builder):

- **Which modules.** Only the application: modules that ``plan-exclude``
  matches (by default tests, docs, examples, ``setup.py``...) are linted but
  never enter the plan, and their findings and files never force a restart
  (:func:`reloadlint.plan_facts.outside`). Every changed or added first-party module, every module
  an RL304 finding says reads a changed file at import time, and, transitively,
  every reloadable module that binds one of their names by value (reloading a
  module makes all its names new objects, so its own by-value importers go
  stale in turn). A callable handed to a call at import time
  (``atexit.register(M.f)``) does not pull its module in: re-executing it
  would register a second entry and rebind nothing; it is listed as a stale
  reference instead. Modules that are not reloadable (configuration, or a
  ``__main__`` module) are never pulled in; a changed one means restart.
  :mod:`reloadlint.plan_graph` computes the set and the order.
- **Which action.** ``restart`` when a finding below forces it, otherwise
  ``reload+migrate`` when a class's ``__vsn__`` changed and it has a
  ``__code_change__``, otherwise ``reload``.
- **Which findings force a restart.** The upgrade rules that describe a
  change a reload cannot apply, wherever they are reported (RL202 state
  changed without a version bump, RL203 no ``__code_change__`` for the old
  version, RL303 a new environment variable, RL404 a running loop changed,
  RL501 a module removed or renamed, RL503 start-up code changed); and the
  tree rules that make reloading *this* module harmful, when the plan reloads
  it (RL104 enum members or sentinels that values the application stored
  earlier stop being identical to, RL204 a version protocol the runtime cannot honour, RL401
  module state the reload resets, unless only tests change it, RL402 an
  import-time side effect the reload repeats).
  A non-Python change forces it too: the runtime requirement set (parsed and
  compared by :mod:`reloadlint.dependencies`, not file touches), native
  files, the interpreter pin. RL304 adds the reading modules instead; RL403
  (names that linger) goes to what the upgrade will not do.
- **Values made by the old version** (RL601-RL604: record shapes, task
  signatures and names, enum values) never force a restart, which would not
  change them; the plan lists them with what must happen
  (:mod:`reloadlint.plan_values`).
- **What a hot upgrade will not do**, so nothing is silently left out: names
  that linger, by-value references the plan cannot reach, new loops nobody
  starts, changed data files no module is known to re-read, environment not
  re-read, and any restart-forcing rule that was switched off for this run.

Findings suppressed with ``noqa`` or per-file ignores are the user's
decision and do not force a restart; deselected rules are named in the
not-done list. The plan checks every file of the project, not only the paths
given (a plan judges the whole change). Paths in the document are relative to
the git repository's root.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from reloadlint import plan_facts
from reloadlint.diagnostics import Diagnostic
from reloadlint.plan_facts import base_hashes as _base_hashes
from reloadlint.plan_facts import file_sha256 as _file_sha256
from reloadlint.plan_facts import repo_path as _repo_path
from reloadlint.plan_graph import (
    ByValue,
    by_value_refs,
    import_time_deps,
    read_from,
    reload_closure,
    reload_order,
)
from reloadlint.plan_model import Group, Migration, NotDone, Plan, PlanModule, Reason
from reloadlint.plan_values import old_values
from reloadlint.rules.base import PlanRole
from reloadlint.rules.registry import all_rules, rules_by_code
from reloadlint.rules.rl404_loop_changed import describe as describe_loop
from reloadlint.summary.model import ClassFact, ModuleSummary

if TYPE_CHECKING:
    from reloadlint.engine import RunResult
    from reloadlint.project import ProjectModel
    from reloadlint.upgrade import Upgrade


def _role(role: PlanRole) -> frozenset[str]:
    """The codes of the rules that declare this ``plan_role``."""
    return frozenset(rule.code for rule in all_rules() if rule.plan_role == role)


#: Upgrade findings that make a hot upgrade unsafe wherever they are reported.
RESTART_ANYWHERE = _role("restart")
#: Findings that make reloading the module they are in unsafe (only when the plan reloads it).
RESTART_IF_RELOADED = _role("restart-if-reloaded")
#: Findings that a module reads a changed file at import time: the plan reloads it.
READS_CHANGED_FILE = _role("reloads-readers")
#: Findings the plan lists among what the upgrade will not do (names that linger).
NOT_DONE = _role("not-done")
#: Findings about values the old version made (queued messages, stored records): listed in
#: ``old_values``, never a reason to restart (a restart does not change those values).
OLD_VALUES = _role("old-values")
#: Rules whose findings the plan depends on; switching one off is reported in ``not_done``.
PLAN_RULES = RESTART_ANYWHERE | RESTART_IF_RELOADED | READS_CHANGED_FILE | NOT_DONE | OLD_VALUES
#: Restart reasons of the plan's own (not findings): a module that cannot be reloaded,
#: modules that bind each other's names by value (no reload order works), and modules
#: whose files moved while their names stayed (a reload looks where they were).
PLAN_REASONS = frozenset({"not-reloadable", "import-cycle", "moved", "still-registered"})


# -- building the plan ----------------------------------------------------------------


@dataclass
class _Inputs:
    """What every step of the build reads, resolved once."""

    project: ProjectModel
    upgrade: Upgrade
    codes: frozenset[str]
    findings: dict[str, list[Diagnostic]]  # module name ("" when none) -> its findings
    refs: dict[str, list[ByValue]]
    can_reload: set[str]
    #: modules ``plan-exclude`` leaves out: never in the plan, never a reason to restart
    outside: frozenset[str] = frozenset()
    members: frozenset[str] = frozenset()  # the modules the plan reloads


def build(result: RunResult) -> Plan:
    """The plan for the change ``result`` (an upgrade-mode run) describes."""
    upgrade, project = result.upgrade, result.project
    assert upgrade is not None and project is not None, "a plan needs an upgrade-mode run"
    inputs = _inputs(result, project, upgrade)
    seeds, why = _seeds(inputs)
    added, pulled_by = reload_closure(
        [s for s in seeds if s in inputs.can_reload], inputs.refs, inputs.can_reload
    )
    why.update({name: "imports-changed-names-by-value" for name in added})
    members = [*seeds, *added]
    inputs.members = frozenset(members)
    file_order = {name: _repo_path(upgrade, project.modules[name].path) for name in members}
    binds = {name: _binds(inputs, name, set(members)) for name in members}
    imports = {name: import_time_deps(project, project.modules[name]) for name in members}
    order = reload_order(members, binds, imports, file_order)
    forced = _moved_reasons(inputs)
    for name in seeds:
        if upgrade.status.get(name) == "changed" and name not in inputs.outside:
            for message, line in plan_facts.still_registered(
                project, upgrade, project.modules[name]
            ):
                forced.setdefault(name, []).append(
                    Reason("still-registered", message, file_order[name], line)
                )
    for cycle in order.cycles:
        reason = _cycle_reason(inputs, cycle)
        for name in cycle:
            forced.setdefault(name, []).append(reason)
    hashes = _base_hashes(upgrade, members)
    groups = []
    for names in order.groups:
        entries = [
            _module_entry(inputs, name, why[name], pulled_by.get(name, []), hashes, forced)
            for name in names
        ]
        groups.append(Group(len(entries) > 1, entries))
    removed = [name for name in upgrade.removed_modules() if name not in inputs.outside]
    plan = Plan(upgrade.rev, upgrade.commit, groups, [], [], removed)
    plan.restart_reasons = _restart_reasons(inputs, plan)
    moved = [r for reasons in forced.values() for r in reasons if r.code == "moved"]
    plan.restart_reasons = list(dict.fromkeys([*plan.restart_reasons, *moved]))
    plan.not_done = _not_done(inputs, plan)
    plan.old_values = old_values(
        (d for found in inputs.findings.values() for d in found),
        OLD_VALUES,
        lambda path: _repo_path(upgrade, path),
    )
    return plan


def _inputs(result: RunResult, project: ProjectModel, upgrade: Upgrade) -> _Inputs:
    by_path = {module.path: module for module in project.modules.values()}
    outside = plan_facts.outside(project, upgrade)
    findings: dict[str, list[Diagnostic]] = {}
    for diagnostic in result.diagnostics:
        module = by_path.get(diagnostic.path)
        if diagnostic.code in NOT_DONE:
            # Reported where a reference remains; it is about the module the name lingers in.
            if diagnostic.symbol.rpartition(".")[0] in outside:
                continue
        elif upgrade.plan_excluded(
            _repo_path(upgrade, diagnostic.path)
        ) or plan_facts.only_excluded_code_changes(project, outside, diagnostic):
            continue
        findings.setdefault(module.name if module else "", []).append(diagnostic)
    refs = {
        name: list(by_value_refs(project, module))
        for name, module in project.modules.items()
        if name not in outside
    }
    can_reload = {
        name
        for name in project.modules
        if project.is_reloadable(name) and not _is_main(name) and name not in outside
    }
    return _Inputs(project, upgrade, result.codes, findings, refs, can_reload, outside)


def _binds(inputs: _Inputs, name: str, members: set[str]) -> set[str]:
    """The modules whose namespaces ``name`` reads names from by value at import time.

    The module a name is read through (``from pkg import Error``, a re-export)
    counts only when the plan reloads the module that defines it: otherwise
    the object stays the same, read before or after the re-exporter reloads.
    """
    refs = (ref for ref in inputs.refs[name] if not ref.registration)
    return {
        source
        for ref in refs
        for source in read_from(inputs.project, ref)
        if source == ref.source or ref.source in members
    }


def _cycle_reason(inputs: _Inputs, cycle: list[str]) -> Reason:
    """Why no order works: each module of ``cycle`` binds a name of the next by value."""
    project = inputs.project

    def path(name: str) -> str:
        return _repo_path(inputs.upgrade, project.modules[name].path)

    message, where, line = plan_facts.binding_cycle(project, inputs.refs, cycle, path)
    return Reason("import-cycle", message, where, line)


def _moved_reasons(inputs: _Inputs) -> dict[str, list[Reason]]:
    """One reason per moved source root (``.`` -> ``src``), shared by the modules it moved."""
    found: dict[str, list[Reason]] = {}
    moved = {k: v for k, v in inputs.upgrade.moved.items() if k not in inputs.outside}
    for names, message, path in plan_facts.moves(moved):
        reason = Reason("moved", message, path, 1)
        found.update({name: [reason] for name in names})
    return found


def _is_main(name: str) -> bool:
    """``__main__`` modules ran once as the program: reloading them would run it again."""
    return name == "__main__" or name.endswith(".__main__")


def _seeds(inputs: _Inputs) -> tuple[list[str], dict[str, str]]:
    """Changed and added modules, then the unchanged ones RL304 says read a changed file."""
    why = {
        name: inputs.upgrade.status[name]
        for name in inputs.upgrade.changed_modules()
        if name in inputs.project.modules and name not in inputs.outside
    }
    for name, found in sorted(inputs.findings.items()):
        if name and name not in why and any(d.code in READS_CHANGED_FILE for d in found):
            why[name] = "reads-changed-file"
    return list(why), why


def _module_entry(
    inputs: _Inputs,
    name: str,
    why: str,
    pulled_by: list[ByValue],
    hashes: dict[str, str],
    forced: dict[str, list[Reason]],
) -> PlanModule:
    module = inputs.project.modules[name]
    upgrade = inputs.upgrade
    found = [d for d in inputs.findings.get(name, []) if d.code != "RL104" or _held(inputs, d)]
    forcing = [
        _reason(upgrade, d) for d in found if d.code in RESTART_ANYWHERE | RESTART_IF_RELOADED
    ]
    forcing += forced.get(name, [])
    if not forcing and name not in inputs.can_reload:
        forcing = [_not_reloadable(inputs, module)]
    info = [_reason(upgrade, d) for d in found if d.code in READS_CHANGED_FILE]
    info += [_by_value_reason(upgrade, inputs, ref) for ref in _unique(pulled_by)]
    migrate = [] if forcing else _migrations(upgrade.old(name), module)
    action = "restart" if forcing else "reload+migrate" if migrate else "reload"
    old = upgrade.old(name)
    return PlanModule(
        module=name,
        path=_repo_path(upgrade, module.path),
        action=action,
        why=why,
        base_sha256=hashes.get(old.path) if old is not None and why != "added" else None,
        new_sha256=_file_sha256(module.path),
        migrate=migrate,
        reasons=forcing + info,
    )


def _held(i: _Inputs, d: Diagnostic) -> bool:
    return plan_facts.held_by_the_application(i.project, i.outside, i.members, d.symbol)


def _not_reloadable(inputs: _Inputs, module: ModuleSummary) -> Reason:
    if _is_main(module.name):
        why = "it is the program's `__main__` module, which runs once at start-up"
    elif not inputs.project.is_application(module.name):
        why = (
            "its path marks it as tests, docs or examples (`plan-exclude`), while the "
            "application imports it; set `plan-exclude` without that pattern to reload it"
        )
    else:
        why = "the configuration marks it not reloadable (`reloadable`/`not-reloadable`)"
    message = f"`{module.name}` must be re-executed but {why}: restart to apply the change"
    return Reason("not-reloadable", message, _repo_path(inputs.upgrade, module.path), 1, 1)


def _unique(refs: list[ByValue]) -> list[ByValue]:
    return list({(r.qualified, r.line): r for r in refs}.values())


def _by_value_reason(upgrade: Upgrade, inputs: _Inputs, ref: ByValue) -> Reason:
    path = _repo_path(upgrade, inputs.project.modules[ref.importer].path)
    how = {"from-import": "imports", "star-import": "star-imports", "alias": "aliases"}.get(ref.how)
    what = f"{how} `{ref.qualified}`" if how else f"holds `{ref.qualified}` ({ref.how})"
    message = f"`{ref.importer}` {what} by value: reload it after `{ref.source}` to rebind it"
    return Reason("by-value", message, path, ref.line)


def _migrations(old: ModuleSummary | None, new: ModuleSummary) -> list[Migration]:
    """Classes in both versions whose ``__vsn__`` changed and that define ``__code_change__``."""
    if old is None:
        return []
    before = {cls.qualname: cls for cls in old.classes if cls.import_time}
    found = []
    for cls in new.classes:
        previous = before.get(cls.qualname)
        if previous is None or not cls.import_time or cls.vsn_problem or previous.vsn_problem:
            continue
        old_vsn, new_vsn = _vsn(previous), _vsn(cls)
        if (type(old_vsn), old_vsn) == (type(new_vsn), new_vsn):
            continue
        if cls.code_change is not None and cls.code_change.callable_ok:
            found.append(Migration(cls.qualname, old_vsn, new_vsn))
    return found


def _vsn(cls: ClassFact) -> int | str | None:
    value = cls.vsn if cls.has_vsn else None
    return cast("int | str", value) if type(value) in (int, str) else None


def _restart_reasons(inputs: _Inputs, plan: Plan) -> list[Reason]:
    """Forcing reasons of the plan's modules, other forcing findings, non-Python changes."""
    reasons = [r for m in plan.modules if m.action == "restart" for r in m.reasons if _forces(r)]
    reasons = list(dict.fromkeys(reasons))  # a binding cycle is one reason of each of its modules
    in_plan = {m.module for m in plan.modules}
    others = [
        d
        for name, found in inputs.findings.items()
        if name not in in_plan
        for d in found
        if d.code in RESTART_ANYWHERE and not plan_facts.left_unused(inputs, in_plan, d)
    ]
    reasons += [_reason(inputs.upgrade, d) for d in sorted(others, key=lambda d: d.sort_key)]
    for change in inputs.upgrade.other_changes:
        code = plan_facts.CHANGE_REASONS.get(change.kind)
        if code is None:
            continue
        # The requirement set is the project's wherever it is declared (setup.py too).
        if change.kind == "dependencies" or not inputs.upgrade.plan_excluded(change.path):
            message = plan_facts.CHANGE_TEXT[change.kind].format(
                status=change.status, detail=change.detail
            )
            reasons.append(Reason(code, message, change.path))
    return reasons


def _forces(reason: Reason) -> bool:
    return reason.code in RESTART_ANYWHERE | RESTART_IF_RELOADED or reason.code in PLAN_REASONS


def _reason(upgrade: Upgrade, diagnostic: Diagnostic) -> Reason:
    row, column = diagnostic.location.row, diagnostic.location.column
    return Reason(
        diagnostic.code, diagnostic.message, _repo_path(upgrade, diagnostic.path), row, column
    )


# -- what a hot upgrade will not do -----------------------------------------------------


def _not_done(inputs: _Inputs, plan: Plan) -> list[NotDone]:
    items = _lingering(inputs)
    items += _stale_references(inputs, plan)
    items += _new_loops(inputs, plan)
    items += _unread_files(inputs)
    items += _environment(inputs, plan)
    items += _disabled_rules(inputs)
    return items


def _lingering(inputs: _Inputs) -> list[NotDone]:
    """RL403 findings, and removed modules RL501 did not report."""
    upgrade = inputs.upgrade
    found = sorted(
        (d for ds in inputs.findings.values() for d in ds if d.code in NOT_DONE),
        key=lambda d: d.sort_key,
    )
    items = [
        NotDone("removed-names-linger", d.message, _repo_path(upgrade, d.path), d.location.row)
        for d in found
    ]
    reported = {d.path for ds in inputs.findings.values() for d in ds if d.code == "RL501"}
    for name in upgrade.removed_modules():
        if name in inputs.outside:
            continue
        old = upgrade.old(name)
        if old is not None and upgrade.display_path(old.path) not in reported:
            message = (
                f"`{name}` was removed but stays in `sys.modules`; importers that are not "
                "reloaded keep it"
            )
            items.append(NotDone("removed-modules-linger", message, old.path, 1))
    return items


def _stale_references(inputs: _Inputs, plan: Plan) -> list[NotDone]:
    """By-value references the plan cannot refresh: held by modules it does not reload,
    or handed to a process-wide registry (a reload registers again; the old entry stays)."""
    reloaded = {m.module for m in plan.modules if m.action != "restart"}
    items = []
    for name in sorted(inputs.refs):
        for ref in _unique(inputs.refs[name]):
            if ref.source not in reloaded:
                continue
            path = _repo_path(inputs.upgrade, inputs.project.modules[name].path)
            if ref.registration:
                message = (
                    f"`{name}` registered `{ref.qualified}` ({ref.how}) when it was imported: "
                    f"the registry keeps the old callable after `{ref.source}` reloads"
                )
            elif name not in inputs.can_reload:
                message = (
                    f"`{name}` holds `{ref.qualified}` by value and is not reloaded: "
                    "it keeps the old object"
                    f" after `{ref.source}` reloads"
                )
            else:
                continue
            items.append(NotDone("stale-references", message, path, ref.line))
    return items


def _new_loops(inputs: _Inputs, plan: Plan) -> list[NotDone]:
    """Endless loops the new version adds: a hot upgrade starts no thread to run them."""
    items = []
    for entry in plan.modules:
        if entry.why not in ("changed", "added"):
            continue
        old = inputs.upgrade.old(entry.module)
        before = {loop.qualname for loop in old.loops} if old is not None else set()
        for loop in inputs.project.modules[entry.module].loops:
            if loop.qualname not in before:
                message = (
                    f"`{entry.module}.{loop.qualname}` is a new endless loop "
                    f"({describe_loop(loop)}): the upgrade starts no "
                    "worker to run it; whatever starts it at start-up already ran"
                )
                items.append(NotDone("workers-not-started", message, entry.path, loop.span.line))
    return items


def _unread_files(inputs: _Inputs) -> list[NotDone]:
    """Changed data files in package directories that no RL304 finding ties to a module."""
    upgrade = inputs.upgrade
    named = " ".join(
        f"{d.message} {d.symbol}"
        for ds in inputs.findings.values()
        for d in ds
        if d.code in READS_CHANGED_FILE
    )
    packages = _package_dirs(inputs)
    items = []
    for change in upgrade.other_changes:
        if change.kind != "data" or posixpath.dirname(change.path) not in packages:
            continue
        if upgrade.plan_excluded(change.path):
            continue
        if change.path in named or posixpath.basename(change.path) in named:
            continue
        message = (
            f"{change.path} {change.status}: no module is known to read it at import time, "
            "so the upgrade re-reads "
            "nothing; code that read it earlier keeps the old content"
        )
        items.append(NotDone("config-not-reread", message, change.path))
    return items


def _package_dirs(inputs: _Inputs) -> set[str]:
    """Repo-relative directories that are packages, in either version."""
    dirs = set()
    for module in inputs.project.modules.values():
        if module.is_package or "." in module.name:
            dirs.add(posixpath.dirname(_repo_path(inputs.upgrade, module.path)))
    for module in inputs.upgrade.base.modules.values():
        if module.is_package or "." in module.name:
            dirs.add(posixpath.dirname(module.path))
    return dirs


def _environment(inputs: _Inputs, plan: Plan) -> list[NotDone]:
    items = []
    for entry in plan.modules:
        reads = [r for r in inputs.project.modules[entry.module].env_reads if r.import_time]
        if reads and entry.action != "restart":
            message = (
                f"`{entry.module}` reads the environment at import time: "
                "the reload re-reads this process's "
                "environment, not the one a restart would get"
            )
            items.append(NotDone("env-not-reread", message, entry.path, reads[0].span.line))
    return items


def _disabled_rules(inputs: _Inputs) -> list[NotDone]:
    rules = rules_by_code()
    items = []
    for code in sorted(PLAN_RULES - inputs.codes):
        rule = rules.get(code)
        if rule is not None:
            message = (
                f"{code} ({rule.name}) is not enabled in this run, so the plan did not check for it"
            )
            items.append(NotDone("rule-disabled", message))
    return items
