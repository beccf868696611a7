"""RL401 module-state-reset."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reloadlint.context import CheckContext
from reloadlint.profiles import off, on, reload_phrase
from reloadlint.project import ProjectModel, project_index
from reloadlint.rules._registrations import describe_mutation, refilled_by_importers, removes
from reloadlint.rules._state_readers import harmless
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
    ``app.state.CACHE[k] = v``) count too; changes made by tests,
    documentation and examples (``plan-exclude``) do not: no running process
    runs them.

    A binding protected by a reload guard is not reported:
    ``if "X" not in globals():``, ``X = globals().get("X", ...)``
    (or ``globals().get("X") or ...``), ``globals().setdefault("X", ...)`` and
    ``try: X`` / ``except NameError:``.

    Neither is a value computed on first use and kept (``global X; if X is
    None: X = compute()``, or after ``if X is not None: return X``; also
    ``if not X:`` and ``if len(X) == 0:``, or a test of a flag set with it:
    ``if not _built: X = compute(); _built = True``): after a reload the next call
    computes it again, so nothing the process recorded is lost. A ``global``
    assignment that no such test guards, an augmented one (``X += 1``) or
    one whose value reads the old one is state.

    Nor is a memo: a container a function fills with values it computes
    without reading the container, under a test of the key or of emptiness,
    returning what it found or stored (``if key not in CACHE: CACHE[key] =
    compute(key)`` then ``return CACHE[key]``; a set of what was done once,
    ``if alias not in CHECKED: ...; CHECKED.add(alias)``, or a dict of them,
    ``if not DONE.get(path): ...; DONE[path] = 1``), together with what
    empties it (``CACHE.clear()``, ``global CACHE; CACHE = {}``), and a value
    kept once computed (``X = X or compute()``). After a reload the next call
    computes it again: a cost, not lost state. A counter
    (``COUNTS[k] = COUNTS.get(k, 0) + 1``) or a function that stores its
    argument as given (``REGISTRY[name] = handler``) records state.

    The same holds across functions: globals an init helper sets, when every
    call of the helper is guarded by a test that one of them is unset (``if
    _word_re is None: _init_regex()``) and the helper sets them from nothing it
    is given; a private flag of one function's own procedure, which only that
    function tests and changes, and only to a constant (a probe turned off
    once it fails, ``_O_TMPFILE_WORKS = False``; a re-entrancy flag); a
    container filled on a miss, where a function that tests the key calls
    the function that fills it with values it computes (``if name in cache:
    return cache[name]`` / ``return updatecache(name)``); and a value rebuilt
    once from its own initial value under another global's test (``if not
    built: P = compile(P); built = True``). A binding made only where the
    module does not run here (a platform branch, an ``except ImportError:``
    fallback: ``try: from _accel import registry`` / ``except ImportError:
    registry = {}``) is not the one a reload makes: the name is judged by the
    binding that runs.

    Nor is a container whose contents nothing needs again, when no other
    module names it: a dict read only by key and filled on a miss with a
    value computed from the key (``try: return CACHE[k]`` / ``except
    KeyError: CACHE[k] = compute(k)``), a duplicate check (every read
    ``if x in SEEN: raise ...``), or a private container the module only
    adds to and never reads (entries never taken out). Nor one that only
    the module's own import-time code fills (a helper called at the top
    level, a decorator factory, a class body's decorator): the reload
    fills it again. Under reloadlint's runtime, neither is one that a
    registrar of the module fills and that only the import-time
    decorations of modules importing the registrar by value call
    (``@internal`` after ``from app.codes import internal``): the plan
    reloads those modules after this one, and they register again.

    ## Why is this bad?
    ``importlib.reload`` re-runs the module's top level in the same module
    dict, so ``CACHE = {}`` binds a fresh, empty container: everything the
    running process recorded in it (sessions, registrations, counters, an open
    connection) is gone, while other code may still hold the old object.

    ## Known problems
    Mutations through another name are not followed: an alias
    (``d = STORE; d[k] = v``) or a function that receives the container and
    changes it. Only the container types listed above are recognised; an
    instance of a registry class bound at the top level is not reported.

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

    ## Options
    - ``reloadable``, ``not-reloadable``: which first-party modules are hot-reloaded; only those
      are checked.

    ## References
    - [Where state belongs](https://reloadlint.readthedocs.io/en/latest/guide/state.html)
    - [`importlib.reload`](https://docs.python.org/3/library/importlib.html#importlib.reload)
    """

    code = "RL401"
    name = "module-state-reset"
    summary = "Mutable module state that a reload resets"
    fix = "sometimes"
    fixer = "guard-state"
    fix_title = "Keep the object across reloads with a `globals()` guard"
    plan_role = "restart-if-reloaded"
    profiles = {
        "importlib": on("the reload binds the name to a new, empty object"),
        "runtime": on(
            "the plan's reload binds the name to a new, empty object, so a plan that reloads "
            "the module says restart"
        ),
        "ipython": on(
            "an edit outside function bodies makes `%autoreload` reload the whole module "
            "with its namespace cleared first: the state is lost, and a `globals()` guard "
            "keeps nothing"
        ),
        "jurigged": off(
            "jurigged runs only the statements an edit changes: the state is kept unless "
            "the line that binds it is edited"
        ),
    }

    def check(self, ctx: CheckContext) -> None:
        module = ctx.module
        if not ctx.project.is_reloadable(module.name):
            return
        changes = ctx.project.index(_INDEX).get(module.name, {})
        # IPython's full reload clears the namespace first: no guard keeps anything.
        guards_hold = ctx.settings.reloader != "ipython"
        for name, bindings in module.bindings.items():
            found = [
                change
                for change in _state_changes(changes.get(name, ()))
                if ctx.project.is_application(change.module)  # a test's patch is not state
            ]
            if not found or harmless(ctx.project, module, name):
                continue
            if ctx.settings.reloader == "runtime" and _refilled(ctx.project, module, found):
                continue
            binding = _reset_binding(
                bindings,
                rebound=any(c.mutation.how == "global" for c in found),
                guards_hold=guards_hold,
            )
            if binding is not None:
                _report(ctx, module, binding, found)


def _refilled(project: ProjectModel, module: ModuleSummary, changes: list[_Change]) -> bool:
    """Under the plan: every change is made by a registrar of the module that only the
    import-time decorations of its by-value importers call, and the plan reloads those
    after the module (jinja2's ``internal_code``, filled by ``@internalcode``)."""
    if any(c.module != module.name or not c.mutation.function for c in changes):
        return False
    functions = {c.mutation.function.partition(".")[0] for c in changes}
    return refilled_by_importers(project, module, functions)


def changed_by(project: ProjectModel, module: str, name: str) -> frozenset[str]:
    """The modules whose code changes ``module.name`` (what makes it state): the plan
    drops a finding whose only changes are made by code the upgraded process never runs
    (a test that patches ``port_by_scheme``)."""
    changes = project.index(_INDEX).get(module, {}).get(name, [])
    return frozenset(change.module for change in _state_changes(changes))


def _state_changes(changes: Iterable[_Change]) -> list[_Change]:
    """The changes that record state: not a memo's fills and resets, nor, when the
    container is a memo, what empties it (``CACHE.clear()``, ``del CACHE[k]``)."""
    changes = list(changes)
    kept = [c for c in changes if not c.mutation.memo]
    if len(kept) < len(changes):
        kept = [c for c in kept if not removes(c.mutation)]
    return kept


#: The index of every first-party mutation by the (module, name) it changes.
_INDEX = "rl401-mutations"

#: One module's part: the qualified names it imports or reaches through a
#: module attribute, and its mutations as (target module, target name,
#: mutation, key): ``key`` non-empty when the mutation only counts if that
#: function is referenced elsewhere (see :func:`_import_only_key`).
_Part = tuple[tuple[str, ...], tuple[tuple[str, str, Mutation, str], ...]]


def _merge(parts: dict[str, _Part]) -> dict[str, dict[str, list[_Change]]]:
    """module -> name -> the changes other code makes to it (a rule looks up one module's part)."""
    referenced = {name for refs, _ in parts.values() for name in refs}
    index: dict[str, dict[str, list[_Change]]] = {}
    for module, (_, mutations) in parts.items():
        for target_module, target_name, mutation, key in mutations:
            if key and key not in referenced:
                continue
            changes = index.setdefault(target_module, {}).setdefault(target_name, [])
            changes.append(_Change(module, mutation))
    return index


@project_index(_INDEX, _merge)  # type: ignore[arg-type]
def _contribution(project: ProjectModel, summary: ModuleSummary) -> _Part:
    refs = {fact.target for fact in summary.imports if fact.name not in (None, "*")}
    refs.update(ref.qualified for ref in summary.module_refs)
    mutations = []
    for mutation in summary.mutations:
        target = _target(project, summary, mutation.qualified)
        if target is not None:
            mutations.append((*target, mutation, _import_only_key(summary, target, mutation)))
    first_party = sorted(ref for ref in refs if project.is_first_party(ref))
    return tuple(first_party), tuple(mutations)


def _import_only_key(summary: ModuleSummary, target: tuple[str, str], mutation: Mutation) -> str:
    """A module filling its own container from a helper it only calls while
    being imported (``def def_op(...): opmap[name] = op`` called at top level,
    or a decorator factory ``@resolves(T)`` whose inner function registers, or a
    function of a class body that decorates its methods, ``@_lifecycle_event``):
    the reload calls it again and rebuilds the same contents — unless other
    modules reference the helper. Returns the helper's qualified name in that
    case (the mutation counts only if it is referenced elsewhere), else ""."""
    function = mutation.function.partition(".")[0]  # a decorator factory's inner function too
    if target[0] == summary.name and mutation.function in summary.class_init_functions:
        return f"{summary.name}.{mutation.function}"  # a class body's own decorator
    if target[0] != summary.name or function not in summary.init_functions:
        return ""
    if function in (summary.all_names or ()):
        return ""
    return f"{summary.name}.{function}"


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


def _reset_binding(
    bindings: list[Binding], *, rebound: bool, guards_hold: bool = True
) -> Binding | None:
    """The unguarded top-level binding a reload re-runs, if the name holds mutable state
    (``guards_hold=False``: a reload that clears the namespace first, where a guarded
    binding runs again too)."""
    values = [b for b in bindings if b.kind == "value" and not b.type_checking and not b.elsewhere]
    if not rebound and not any(b.value == "mutable" for b in values):
        return None
    unguarded = [b for b in values if not (b.guarded and guards_hold)]
    if not unguarded:
        return None
    return next((b for b in unguarded if b.value == "mutable"), unguarded[0])


def _report(
    ctx: CheckContext, module: ModuleSummary, binding: Binding, changes: list[_Change]
) -> None:
    kind = binding.value_name if binding.value == "mutable" else ""
    what = f"a {kind}" if kind else "module state"
    first = min(changes, key=lambda c: (c.module != module.name, c.module, c.mutation.span.line))
    how = (
        "rebound with `global`"
        if first.mutation.how == "global"
        else f"changed ({describe_mutation(first.mutation.how, first.mutation.method)})"
    )
    others = len(changes) - 1
    more = f" and {others} more place{'s' if others > 1 else ''}" if others else ""
    reloader = ctx.settings.reloader
    held = f"`{binding.name}` in reloadable module `{module.name}` holds {what} that is {how} "
    held += f"in {first.where}{more}; "
    if reloader == "ipython":
        ctx.report(
            binding.span,
            held + f"{reload_phrase(reloader, module.name)} in full (an edit outside function "
            "bodies) the namespace is cleared and the recorded state is lost, `globals()` "
            "guard or not — keep it in a module you do not edit",
            symbol=f"{module.name}.{binding.name}",
            fixable=False,  # the guard the fix adds does not survive that reload
        )
        return
    reloading = (
        f"reloading `{module.name}`"
        if reloader == "importlib"
        else f"the plan's reload of `{module.name}`"
    )
    ctx.report(
        binding.span,
        held + f"{reloading} rebinds it and the recorded state is lost — bind it under "
        f'`if "{binding.name}" not in globals():` or keep it in a module that is not reloaded',
        symbol=f"{module.name}.{binding.name}",
        fixable=binding.span.col == 1,  # a top-level statement; the codemod has the last word
    )
