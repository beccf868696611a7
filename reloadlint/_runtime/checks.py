"""The checks that keep an upgrade from overstating: before and after the point of no return.

**Before** (preflight, nothing has run): each module about to be reloaded
binds names of other modules by value while it executes (``from M import
name``, ``class K(M.Base)``). Each must reach the new object (M's new source
defines it and M is reloaded earlier) or an unchanged one (M is not in the
upgrade and holds no object the upgrade replaces). A binding that would reach
an old object, or a name that is not there, refuses the plan: applying it
would fail halfway or leave old classes in new code. Live instances that
could not be re-pointed at their new class refuse it too (:mod:`.classes`).

**After** (every step ran): what a reload can still have left behind is
looked for in the process itself and listed as a problem, which makes the
report not ``ok``: a reloaded class still deriving from an old base, a class
outside the upgrade still deriving from a replaced one, a module name
(``pkg.Thing``, a re-export) still holding a replaced object, a live object
still holding a replaced class (:mod:`.held`).
"""

from __future__ import annotations

import builtins
import sys
import types
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from reloadlint._runtime.classes import Replacement, classes_of, count_instances, keeps_its_class
from reloadlint._runtime.held import held_old_classes
from reloadlint._runtime.layout import Layouts, Resolver
from reloadlint._runtime.report import UpgradeReport
from reloadlint._runtime.source import Binding, ClassShape, NewSource

#: Values a reload re-creates equal (or that are not objects of the module): a
#: name still holding the old one is harmless.
_PLAIN = (int, float, complex, str, bytes, bool, type(None), tuple, frozenset, types.ModuleType)
_MISSING = object()
#: The runtime's own modules hold no project object by name.
_OURS = ("reloadlint.runtime", "reloadlint._runtime")


@dataclass
class Planned:
    """One module of an upgrade, as preflight sees it."""

    name: str
    module: types.ModuleType | None  # None: not imported here, it will not be reloaded
    source: NewSource | None  # None: the new source did not compile
    position: int | None  # its place among the modules that are reloaded


# -- preflight: bindings ---------------------------------------------------------------


def binding_problems(planned: list[Planned], exists: Callable[[str], bool]) -> list[str]:
    """Bindings of the modules about to be reloaded that would not reach a current object.

    ``exists(name)`` says whether a module can be found (a submodule imported by
    ``from pkg import sub`` binds the module object, which a reload keeps).
    """
    by_name = {p.name: p for p in planned}
    old = _replaced_objects(planned)
    problems = []
    for p in planned:
        if p.module is None or p.source is None:
            continue
        seen: set[tuple[str, str]] = set()
        for binding in p.source.bindings:
            if (binding.module, binding.name) in seen or binding.module == p.name:
                continue
            seen.add((binding.module, binding.name))
            problem = _binding_problem(p, binding, by_name, old, exists)
            if problem:
                problems.append(problem)
    return problems


def _replaced_objects(planned: list[Planned]) -> dict[int, tuple[str, str, object]]:
    """Objects the reloads will replace, by id: what each module defines itself."""
    found: dict[int, tuple[str, str, object]] = {}
    for p in planned:
        if p.module is None or p.source is None:
            continue
        namespace = vars(p.module)
        for name in sorted(p.source.defines - p.source.imported):
            value = namespace.get(name, _MISSING)
            if _made_here(value, p.name) and _replaceable(name, value):
                _keep_home(found, p.name, name, value)
    return found


def _made_here(value: object, module: str) -> bool:
    """A function or class its module's code made: re-running the code makes a new one.

    Other values may come back as the same object (``typing.Callable[...]`` is
    cached, a constant is interned): only these are sure to be replaced.
    """
    return isinstance(value, (type, types.FunctionType)) and value.__module__ == module


def _keep_home(
    found: dict[int, tuple[str, str, object]], module: str, name: str, value: object
) -> None:
    """Record ``module.name`` for ``value``, unless it is known by its home already."""
    known = found.get(id(value))
    if known is None or (getattr(value, "__module__", None) == module != known[0]):
        found[id(value)] = (module, name, value)


def _binding_problem(
    p: Planned,
    binding: Binding,
    by_name: dict[str, Planned],
    old: dict[int, tuple[str, str, object]],
    exists: Callable[[str], bool],
) -> str | None:
    what = f"`class {binding.owner}` derives from" if binding.what == "base" else "imports"
    where = f"{p.name}: line {binding.line}: {what} `{binding.name}` from `{binding.module}`"
    source = by_name.get(binding.module)
    if source is not None:
        return _planned_source_problem(p, binding, source, where, exists, by_name)
    module = sys.modules.get(binding.module)
    if module is None:
        return None  # imported from disk when the reload runs; preflight found the module
    value = vars(module).get(binding.name, _MISSING)
    if value is _MISSING:
        if binding.optional or "__getattr__" in vars(module) or _is_submodule(binding, exists):
            return None
        return f"{where}, which does not define it (`{binding.module}` is not reloaded)"
    held = old.get(id(value))
    if held is not None and held[2] is value:
        return (
            f"{where}, which is not reloaded and holds the old `{held[0]}.{held[1]}`: "
            f"reload `{binding.module}` after `{held[0]}` too"
        )
    return None


def _planned_source_problem(
    p: Planned,
    binding: Binding,
    source: Planned,
    where: str,
    exists: Callable[[str], bool],
    by_name: dict[str, Planned],
) -> str | None:
    """A binding of a module the upgrade reloads (or, not imported yet, imports fresh)."""
    old = vars(source.module).get(binding.name) if source.module is not None else None
    if (old is None or isinstance(old, types.ModuleType)) and _is_submodule(binding, exists):
        return None  # ``from pkg import sub``: the module object, which a reload keeps
    new = source.source
    in_new = new is None or new.dynamic or binding.name in new.defines
    assert p.position is not None
    if source.position is not None and source.position > p.position:
        in_old = binding.name in vars(source.module)
        if in_old and _kept_through(source, binding.name, old, by_name):
            return None
        if in_old or in_new:
            return (
                f"{where}, which is reloaded after `{p.name}`: it would bind the old object"
                if in_old
                else f"{where}, which is reloaded after `{p.name}`: its old version lacks it"
            )
    if in_new or binding.optional:
        return None
    return f"{where}, whose new source does not define it"


def _kept_through(source: Planned, name: str, old: object, by_name: dict[str, Planned]) -> bool:
    """Whether ``source`` re-exports ``name`` from a module the upgrade does not reload,
    which holds the same object: reading it before or after ``source`` reloads is the same
    (``from anyio import BrokenResourceError``, defined in an unchanged module)."""
    new = source.source
    for b in new.bindings if new is not None else ():
        if b.what != "import" or b.owner != name:
            continue
        home = by_name.get(b.module)
        module = sys.modules.get(b.module)
        reloaded = home is not None and home.module is not None
        return not reloaded and module is not None and vars(module).get(b.name) is old
    return False


def _imports(source: NewSource | None, name: str, module: str) -> bool:
    """Whether the new source binds ``name`` by ``from module import ...``."""
    return source is not None and any(
        b.what == "import" and b.owner == name and b.module == module for b in source.bindings
    )


def _equal(old: object, new: object) -> bool:
    """An equal new value (``typing.Mapping[str, Any]`` made again) leaves nothing stale."""
    if new is _MISSING or isinstance(old, (type, types.FunctionType)):
        return False
    try:
        return bool(old == new)
    except Exception:  # a user __eq__ that fails: not known to be equal
        return False


def _is_submodule(binding: Binding, exists: Callable[[str], bool]) -> bool:
    return exists(f"{binding.module}.{binding.name}")


def _replaceable(name: str, value: object) -> bool:
    return not (name.startswith("__") and name.endswith("__")) and not isinstance(value, _PLAIN)


# -- preflight: live instances ---------------------------------------------------------


def instance_problems(planned: list[Planned]) -> list[str]:
    """Classes whose live instances could not be re-pointed at the new class."""
    shapes: dict[type, tuple[ClassShape, Resolver]] = {}
    names: dict[type, str] = {}
    for p in planned:
        if p.module is None or p.source is None:
            continue
        resolve = _resolver(p.module)
        for qualname, old in classes_of(p.module).items():
            shape = p.source.classes.get(qualname)
            if shape is not None:
                shapes[old] = (shape, resolve)
                names[old] = f"{p.name}.{qualname}"
    layouts = Layouts(shapes)
    reasons = {
        cls: reason
        for cls in shapes
        if not keeps_its_class(cls) and (reason := layouts.blocker(cls)) is not None
    }
    counts = count_instances(set(reasons)) if reasons else {}
    return [
        f"{names[cls]}: {counts[cls]} live instance(s) cannot be re-pointed at the new class: "
        f"{why}; restart to upgrade them"
        for cls, why in reasons.items()
        if counts.get(cls)
    ]


def _resolver(module: types.ModuleType) -> Resolver:
    """``(module, name)`` -> the object it names now; module "" is ``module`` itself."""

    def resolve(home: str, name: str) -> object:
        namespace = vars(module) if not home else vars(sys.modules.get(home) or _EMPTY)
        if name in namespace:
            return namespace[name]
        return vars(builtins).get(name) if not home else None

    return resolve


_EMPTY = types.ModuleType("_empty")


# -- after the upgrade -----------------------------------------------------------------


def snapshot(modules: Iterable[types.ModuleType]) -> dict[str, dict[str, object]]:
    """Each module's namespace before its reload (keeps the old objects alive: ids stay unique)."""
    return {module.__name__: dict(vars(module)) for module in modules}


def consistency(
    order: list[str],
    before: dict[str, dict[str, object]],
    sources: dict[str, NewSource | None],
    replacements: list[Replacement],
    report: UpgradeReport,
) -> None:
    """Add to ``report`` every trace of the old version the upgrade left in the process."""
    modules = {name: sys.modules[name] for name in order if name in sys.modules}
    olds = {id(v) for namespace in before.values() for v in namespace.values()}
    olds |= {id(r.old) for r in replacements}
    new_classes = {
        name: {q: c for q, c in classes_of(module).items() if id(c) not in olds}
        for name, module in modules.items()
    }  # a class the new source no longer defines lingers: it is old, not reloaded
    replaced = {r.old: r for r in replacements}
    report.problems += _old_bases(order, new_classes, replaced)
    report.problems += _outside_subclasses(before, replacements)
    problems, notes = _stale_names(order, modules, before, sources)
    report.problems += problems
    report.notes += notes
    report.problems += held_old_classes(replacements, before.values())


def _old_bases(
    order: list[str], new_classes: dict[str, dict[str, type]], replaced: dict[type, Replacement]
) -> list[str]:
    problems = []
    for name, classes in new_classes.items():
        for qualname, cls in classes.items():
            base = next((b for b in cls.__mro__[1:] if b in replaced), None)
            if base is None:
                continue
            home, full = base.__module__, replaced[base].upgrade.name
            if home in order and order.index(home) > order.index(name):
                problems.append(
                    f"{name}.{qualname} was reloaded before its base {full}: "
                    "it still derives from the old class"
                )
            else:
                problems.append(f"{name}.{qualname} still derives from the old {full}")
    return problems


def _outside_subclasses(
    before: dict[str, dict[str, object]], replacements: list[Replacement]
) -> list[str]:
    """Classes of modules the upgrade did not reload that derive from a class it replaced."""
    found = []
    for r in replacements:
        subclasses: list[type] = r.old.__subclasses__()
        found += [
            f"{sub.__module__}.{sub.__qualname__} is not reloaded and still derives "
            f"from the old {r.upgrade.name}"
            for sub in subclasses
            if sub.__module__ not in before
        ]
    return found


def _stale_names(
    order: list[str],
    modules: dict[str, types.ModuleType],
    before: dict[str, dict[str, object]],
    sources: dict[str, NewSource | None],
) -> tuple[list[str], list[str]]:
    """Module names that still hold an object a reload replaced (``pkg.X`` re-exports)."""
    stale: dict[int, tuple[str, str, object]] = {}
    for name in order:
        namespace = vars(modules[name]) if name in modules else {}
        for key, value in before.get(name, {}).items():
            now = namespace.get(key, _MISSING)
            if now is not value and _replaceable(key, value) and not _equal(value, now):
                _keep_home(stale, name, key, value)
    problems: list[str] = []
    notes: list[str] = []
    if not stale:
        return problems, notes
    for holder in dict.fromkeys([*order, *sorted(sys.modules)]):
        module = sys.modules.get(holder)
        if not isinstance(module, types.ModuleType) or holder.startswith(_OURS):
            continue
        for key, value in list(vars(module).items()):
            found = stale.get(id(value))
            if found is None or found[2] is not value or (found[0], found[1]) == (holder, key):
                continue
            source = sources.get(holder)
            if not _made_here(value, found[0]) and not _imports(source, key, found[0]):
                continue  # a value two modules made alike (a cached ``typing`` alias)
            text = f"{holder}.{key} still names the old {found[0]}.{found[1]}"
            if holder not in order:
                problems.append(f"{text}: {holder} is not reloaded")
            elif source is not None and key not in source.defines:
                notes.append(f"{text}: the new source no longer defines {holder}.{key}")
            elif found[0] in order and order.index(found[0]) > order.index(holder):
                problems.append(f"{text}: {holder} was reloaded before {found[0]}")
            else:
                problems.append(text)
    return problems, notes
