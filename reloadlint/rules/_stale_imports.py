"""What RL101 and RL102 share: from-imports of reloadable modules' names."""

from __future__ import annotations

import builtins
from collections.abc import Iterator

from reloadlint.context import CheckContext
from reloadlint.project import STAR, Resolved
from reloadlint.summary.model import ImportFact


def stale_from_imports(
    ctx: CheckContext, kinds: tuple[str, ...]
) -> Iterator[tuple[ImportFact, Resolved]]:
    """Module-level ``from M import name`` whose name resolves to one of ``kinds``
    in a reloadable module other than this one."""
    module = ctx.module
    for fact in module.imports:
        # A from-import in a function body runs again on every call; at module
        # and class level it binds once, at import time.
        if (
            fact.scope not in ("module", "class")
            or fact.type_checking
            or not fact.module
            or fact.name in (None, "*")
        ):
            continue
        if fact.uses and all(use.where != "runtime" for use in fact.uses):
            continue  # annotations only: type checkers are not affected
        main = module.main_block
        if main is not None and main.line <= fact.stmt_span.line <= main.end_line:
            continue  # runs as a script only: a reloaded module never runs its main block
        resolved = ctx.project.resolve(fact.target)
        if resolved.kind not in kinds or resolved.module == module.name:
            continue
        if resolved.binding is not None and resolved.binding.type_checking:
            continue
        if not ctx.project.is_reloadable(resolved.module):
            continue
        if _identical_after_reload(ctx, fact, resolved):
            continue
        yield fact, resolved


#: Type aliases and type variables: the reload makes equal ones, and they are read by
#: type checkers and ``typing`` introspection, which compare by equality.
#: (Binding.value, Binding.value_name)
TYPE_FORMS = frozenset(
    {
        ("type-alias", ""),
        ("call", "typing.TypeVar"),
        ("call", "typing.NewType"),
        ("call", "typing.ParamSpec"),
        ("type-of", ""),  # ``ModuleType = type(sys)``, ``GenericAlias = type(list[int])``
    }
)
#: Calls that return the same object however often the module runs them.
IDENTICAL_CALLS = frozenset({("call", "logging.getLogger")})
_BUILTIN_NAMES = frozenset(dir(builtins))
#: Package metadata: read for display, never compared with what a reload makes.
METADATA = frozenset(
    {
        "__version__",
        "__version_info__",
        "__author__",
        "__email__",
        "__license__",
        "__copyright__",
        "__title__",
        "__summary__",
        "__description__",
        "__url__",
        "__uri__",
        "__maintainer__",
        "__credits__",
        "__status__",
        "__docformat__",
    }
)


def _identical_after_reload(ctx: CheckContext, fact: ImportFact, resolved: Resolved) -> bool:
    """Whether the name is bound to the same object however often its module reloads,
    or is bound here only where the reload of a first-party module does not reach:

    - package metadata (``__version__``...): a string shown, not state;
    - a type alias or type variable (``AlignMethod = Literal[...]``): rebuilt equal;
    - ``logging.getLogger(...)`` (the registry's logger) or a local alias of a builtin
      (``TimeoutError = TimeoutError``): the same object after any reload;
    - an alias of an object no reload replaces (``text_type = str``, ``json = _json``);
    - a binding in an ``except ImportError:`` fallback, here or in the module it is
      imported from: where the preferred import works, the fallback never runs;
    - a name of a module that ends with ``from _accelerator import *`` from a module
      outside the project (a C extension): the accelerated object replaces it, and
      no reload of a Python module changes that object.
    """
    if resolved.name in METADATA or fact.fallback:
        return True
    made = resolved.binding
    value = (made.value, made.value_name) if made is not None else None
    if value in TYPE_FORMS:
        return True  # a reload rebuilds an equal alias: ``Literal["a"] == Literal["a"]``
    if value in IDENTICAL_CALLS:
        return True  # ``logging.getLogger(name)`` returns the registry's logger again
    if value == ("alias", f"{resolved.module}.{resolved.name}"):
        return resolved.name in _BUILTIN_NAMES  # ``TimeoutError = TimeoutError``
    project = ctx.project
    binding = resolved.binding
    if binding is not None and binding.value == "alias":
        aliased = project.resolve(binding.value_name)
        if aliased.kind in ("external", "module"):
            return True
    # Fine-grained reads (project.summary plus the touches that say what was read), so
    # that an incremental run rechecks this module only when those facts change.
    if fact.module in project.modules and fact.name is not None:
        project.touch(fact.module, fact.name)
        for other in project.summary(fact.module).imports:
            if other.scope == "module" and other.bound == fact.name and other.fallback:
                return True
    if resolved.module not in project.modules:
        return False
    project.touch(resolved.module, STAR)
    defining = project.summary(resolved.module)
    return any(
        other.name == "*" and other.scope == "module" and other.module not in project.modules
        for other in defining.imports
    )


def fix_possible(ctx: CheckContext, fact: ImportFact) -> bool:
    """A cheap first answer to "can --fix rewrite this?" (the codemod has the last word):
    not for re-exports (package ``__init__``, ``__all__``) and not for unused names."""
    module = ctx.module
    return not module.is_package and fact.bound not in (module.all_names or ()) and bool(fact.uses)


def star_exports(
    ctx: CheckContext, fact: ImportFact, kinds: tuple[str, ...]
) -> list[tuple[str, Resolved]]:
    """Names a module-level ``from M import *`` binds by value that resolve to ``kinds``
    in a reloadable module (M's ``__all__``, else its public names)."""
    if fact.scope != "module" or fact.type_checking or fact.name != "*" or not fact.module:
        return []
    source = ctx.project.modules.get(fact.module)
    if source is None:
        return []
    names = (
        source.all_names
        if source.all_names is not None
        else [n for n in source.bindings if not n.startswith("_")]
    )
    found = []
    for name in names:
        resolved = ctx.project.resolve(f"{fact.module}.{name}")
        if (
            resolved.kind in kinds
            and resolved.module != ctx.module.name
            and ctx.project.is_reloadable(resolved.module)
            and (resolved.binding is None or not resolved.binding.type_checking)
        ):
            found.append((name, resolved))
    return found
