"""RL401 module-state-reset."""

from __future__ import annotations

from dataclasses import dataclass

from reloadlint.context import CheckContext
from reloadlint.project import ProjectModel
from reloadlint.rules.base import Rule
from reloadlint.summary.model import Binding, ModuleSummary, Mutation


@dataclass(frozen=True, slots=True)
class _Change:
    """A mutation and the module whose code makes it."""

    module: str
    mutation: Mutation

    @property
    def where(self) -> str:
        function = self.mutation.function
        return f"`{self.module}.{function}`" if function else f"`{self.module}` (module level)"


class ModuleStateReset(Rule):
    """## What it does
    Flags a module-level name bound to a mutable container (a dict, list or
    set literal or comprehension, ``dict()``, ``list()``, ``set()``,
    ``defaultdict``, ``OrderedDict``, ``deque``, ``Counter``,
    ``WeakValueDictionary``, ...), or rebound through ``global`` inside a
    function, when code changes it after import: item assignment,
    ``del x[...]``, a mutating method such as ``.append()`` or ``.update()``,
    or a ``global`` rebinding. Changes made by other first-party modules
    (``from app.state import CACHE; CACHE.append(x)``,
    ``app.state.CACHE[k] = v``) count too.

    A binding protected by a reload guard is not reported:
    ``if "X" not in globals():``, ``X = globals().get("X", ...)``
    (or ``globals().get("X") or ...``), ``globals().setdefault("X", ...)`` and
    ``try: X`` / ``except NameError:``.

    ## Why is this bad?
    ``importlib.reload`` re-runs the module's top level in the same module
    dict, so ``CACHE = {}`` binds a fresh, empty container: everything the
    running process recorded in it (sessions, registrations, counters, an open
    connection) is gone, while other code may still hold the old object.

    ## Example
    ```python
    # app/sessions.py
    SESSIONS = {}

    def login(user_id, token):
        SESSIONS[token] = user_id
    ```

    ## Use instead
    ```python
    # app/sessions.py
    if "SESSIONS" not in globals():  # a reload keeps the live dict
        SESSIONS = {}

    def login(user_id, token):
        SESSIONS[token] = user_id
    ```
    or keep the state in a module that is not reloaded (`not-reloadable`).

    ## Fix safety
    The fix wraps a plain top-level assignment in
    ``if "NAME" not in globals():`` and is safe: on first import the name is
    not defined yet, so the module behaves exactly as before. After a reload
    the container keeps its contents, and also its old value when the new
    code changes the initial value: change it together with a restart or a
    migration.
    """

    code = "RL401"
    name = "module-state-reset"
    summary = "Mutable module state that a reload resets"
    fix = "sometimes"

    def __init__(self) -> None:
        self._index: tuple[ProjectModel, dict[tuple[str, str], list[_Change]]] | None = None

    def check(self, ctx: CheckContext) -> None:
        module = ctx.module
        if not ctx.project.is_reloadable(module.name):
            return
        changes = self._changes(ctx.project)
        for name, bindings in module.bindings.items():
            found = changes.get((module.name, name))
            if not found:
                continue
            binding = _reset_binding(
                bindings, rebound=any(c.mutation.how == "global" for c in found)
            )
            if binding is not None:
                _report(ctx, module, binding, found)

    def _changes(self, project: ProjectModel) -> dict[tuple[str, str], list[_Change]]:
        """Every first-party mutation by the (module, name) it changes; built once per run."""
        if self._index is None or self._index[0] is not project:
            self._index = (project, _index_changes(project))
        return self._index[1]


def _index_changes(project: ProjectModel) -> dict[tuple[str, str], list[_Change]]:
    index: dict[tuple[str, str], list[_Change]] = {}
    referenced = _referenced_elsewhere(project)
    for summary in project.modules.values():
        for mutation in summary.mutations:
            target = _target(project, summary, mutation.qualified)
            if target is None or _runs_only_at_import(summary, target, mutation, referenced):
                continue
            index.setdefault(target, []).append(_Change(summary.name, mutation))
    return index


def _referenced_elsewhere(project: ProjectModel) -> set[str]:
    """Qualified names other modules import or reach through a module attribute."""
    found: set[str] = set()
    for summary in project.modules.values():
        found.update(fact.target for fact in summary.imports if fact.name not in (None, "*"))
        found.update(ref.qualified for ref in summary.module_refs)
    return found


def _runs_only_at_import(
    summary: ModuleSummary, target: tuple[str, str], mutation: Mutation, referenced: set[str]
) -> bool:
    """A module filling its own container from a helper it only calls while
    being imported (``def def_op(...): opmap[name] = op`` called at top level):
    the reload calls it again and rebuilds the same contents."""
    function = mutation.function
    if target[0] != summary.name or function not in summary.init_functions:
        return False
    return (
        function not in (summary.all_names or ()) and f"{summary.name}.{function}" not in referenced
    )


def _target(
    project: ProjectModel, summary: ModuleSummary, qualified: str
) -> tuple[str, str] | None:
    """The (module, name) of the module-level value ``qualified`` denotes, following re-exports."""
    module, _, name = qualified.rpartition(".")
    if module == summary.name:  # the common case: the module's own name, no resolving needed
        own = summary.binding(name)
        return (module, name) if own is not None and own.kind == "value" else None
    if not project.is_first_party(qualified):
        return None
    resolved = project.resolve(qualified)
    if resolved.kind != "value":
        return None
    return resolved.module, resolved.name


def _reset_binding(bindings: list[Binding], *, rebound: bool) -> Binding | None:
    """The unguarded top-level binding a reload re-runs, if the name holds mutable state."""
    values = [b for b in bindings if b.kind == "value" and not b.type_checking]
    if not rebound and not any(b.value.startswith("mutable:") for b in values):
        return None
    unguarded = [b for b in values if not b.guarded]
    if not unguarded:
        return None
    return next((b for b in unguarded if b.value.startswith("mutable:")), unguarded[0])


def _report(
    ctx: CheckContext, module: ModuleSummary, binding: Binding, changes: list[_Change]
) -> None:
    kind = binding.value.partition(":")[2] if binding.value.startswith("mutable:") else ""
    what = f"a {kind}" if kind else "module state"
    first = min(changes, key=lambda c: (c.module != module.name, c.module, c.mutation.span.line))
    how = (
        "rebound with `global`"
        if first.mutation.how == "global"
        else f"changed ({first.mutation.how})"
    )
    others = len(changes) - 1
    more = f" and {others} more place{'s' if others > 1 else ''}" if others else ""
    ctx.report(
        binding.span,
        f"`{binding.name}` in reloadable module `{module.name}` holds {what} that is {how} "
        f"in {first.where}{more}; "
        f"reloading `{module.name}` rebinds it and the recorded state is lost — bind it under "
        f'`if "{binding.name}" not in globals():` or keep it in a module that is not reloaded',
        symbol=f"{module.name}.{binding.name}",
        fixable=binding.span.col == 1,  # a top-level statement; the codemod has the last word
    )
