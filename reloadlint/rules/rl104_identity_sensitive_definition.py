"""RL104 identity-sensitive-definition."""

from __future__ import annotations

from reloadlint.context import CheckContext
from reloadlint.profiles import off, on, reload_phrase
from reloadlint.project import ProjectModel, project_index
from reloadlint.rules.base import Rule
from reloadlint.summary.facts.class_kinds import ENUM_BASES, ENUM_FACTORIES, ENUM_METACLASSES
from reloadlint.summary.model import ClassFact, ModuleSummary

_VALUE_ENUMS = ("enum.IntEnum", "enum.StrEnum", "enum.IntFlag", "django.db.models")
#: A member of ``class Kind(str, Enum)`` is a ``str``: it compares equal through its value.
_VALUE_MIXINS = ("builtins.str", "builtins.int", "builtins.bytes", "builtins.float")


class IdentitySensitiveDefinition(Rule):
    """## What it does
    Flags an ``Enum``/``Flag`` class, or a module-level sentinel
    (``MISSING = object()``), defined in a reloadable module. In a reload
    plan (``--plan``), such a finding in a module the plan reloads makes the
    verdict ``restart``.

    ## Why is this bad?
    A reload creates new members and a new sentinel. Values stored before the
    reload (in caches, sessions, live objects) are the *old* members: they
    fail ``is`` checks, ``isinstance`` and ``match`` class patterns against the
    new class, and members of a plain ``Enum``/``Flag`` also stop comparing
    equal and stop working as dict keys. (``IntEnum``, ``StrEnum`` and
    ``IntFlag`` members, and those of any enum with a data-type mixin such
    as ``class Status(str, Enum)``, still compare equal through their value.)
    An enum class without members of its own (an abstract base, a
    ``TextChoices``-style base) is not reported: no value is ever one of its
    members; the enums that derive from it are judged where they are defined.

    Only values the project keeps can be stale, so a definition is reported
    where the project stores its members (or the sentinel) somewhere lasting:
    inside a function, as an attribute or an item (``self.state =
    State.OPEN``, ``f.flag = Kind.A``, ``cache[k] = MISSING``, ``setattr``);
    or while another module is imported (a module-level or class-level name,
    a default argument, an argument of a call: ``header_property(default=
    Policy.NONE)``). A member only returned and compared within a call is gone
    when the call ends: a reload between calls cannot strand it. An enum whose
    members compare equal through their value (``IntEnum``, ``StrEnum``,
    ``class Kind(str, Enum)``) is reported only where the project also
    compares them with ``is`` or ``isinstance``: ``==`` and dict lookups keep
    working. In a plan, stores that the plan's own reloads make again (another
    module's import-time store, when that module is reloaded too) and uses
    by tests do not count.

    ## Known problems
    A value stored through a parameter (``def __init__(self, state):
    self.state = state``) is not followed back to the member passed in. Only
    ``object()`` sentinels are recognised: an instance of a sentinel
    class of the project (``MISSING = _Missing()``) or a constant compared with
    ``is`` is not reported.

    ## Example
    ```python
    # app/orders.py (reloaded)
    import enum

    class Status(enum.Enum):
        OPEN = 1
        CLOSED = 2

    MISSING = object()

    class Order:
        def __init__(self):
            self.status = Status.OPEN   # kept by every live order
            self.note = MISSING
    ```

    ## Use instead
    ```toml
    # pyproject.toml
    [tool.reloadlint]
    not-reloadable = ["app.constants"]
    ```
    ```python
    # app/constants.py, listed in `not-reloadable`
    import enum

    class Status(enum.Enum):
        OPEN = 1
        CLOSED = 2

    MISSING = object()

    # app/orders.py (reloaded)
    from app.constants import MISSING, Status

    class Order:
        def __init__(self):
            self.status = Status.OPEN
            self.note = MISSING
    ```

    ## Fix safety
    There is no automatic fix: moving a definition changes its import path.

    ## Options
    - ``reloadable``, ``not-reloadable``: only definitions in reloadable modules are reported;
      ``not-reloadable`` is where such definitions belong.
    - ``src``, ``namespace-packages``: where the project's modules are, which decides what is
      first-party.

    ## References
    - [`enum` HOWTO](https://docs.python.org/3/howto/enum.html)
    - [Where state belongs](https://reloadlint.readthedocs.io/en/latest/guide/state.html)
    - [The model of a reload](https://reloadlint.readthedocs.io/en/latest/model.html)
    """

    code = "RL104"
    name = "identity-sensitive-definition"
    summary = "Enum or sentinel whose identity a reload changes"
    plan_role = "restart-if-reloaded"
    profiles = {
        "importlib": on("the reload makes new members and a new sentinel object"),
        "runtime": on(
            "the plan's reload makes new members and a new sentinel object, so a plan that "
            "reloads the module says restart"
        ),
        "ipython": on(
            "an edit outside function bodies makes `%autoreload` reload the whole module, "
            "which makes new members and sentinels; its namespace is cleared first, so a "
            "`globals()` guard keeps nothing"
        ),
        "jurigged": off(
            "jurigged runs only the statements an edit changes: the enum and the sentinel "
            "keep their identity (a member an edit adds to the enum becomes a plain class "
            "attribute, not a member)"
        ),
    }

    def check(self, ctx: CheckContext) -> None:
        module = ctx.module
        if not ctx.project.is_reloadable(module.name):
            return
        reloader = ctx.settings.reloader
        # IPython's full reload clears the module's namespace before running it again.
        guards_hold = reloader != "ipython"
        reloaded = (
            "after a reload" if reloader == "importlib" else reload_phrase(reloader, module.name)
        )
        if reloader == "ipython":
            reloaded += " in full (an edit outside function bodies)"
        elsewhere = (
            "a module you do not edit"
            if reloader == "ipython"
            else ("a module that is not reloaded")
        )
        for cls in module.classes:
            base = ctx.project.derives_from(module.name, cls, ENUM_BASES)
            if (
                base is None
                and cls.metaclass
                and ctx.project.resolve(cls.metaclass).kind == "external"
            ):
                base = cls.metaclass if cls.metaclass in ENUM_METACLASSES else None
            if base is None or not _has_members(module, cls):
                continue
            values = by_value(ctx.project, module.name, cls, base)
            if not _may_be_held(ctx, module.name, cls.name, by_value=values):
                continue
            after = (
                "members stored before it fail `is`, `isinstance` and match class patterns"
                if values
                else "members stored before it fail `is`, `isinstance`, match patterns and `==`, "
                "and stop working as dict keys"
            )
            ctx.report(
                cls.span,
                f"enum `{cls.qualname}` is defined in reloadable module `{module.name}`; "
                f"{reloaded} {after} — move it to {elsewhere}",
                symbol=f"{module.name}.{cls.qualname}",
            )
        for name, bindings in module.bindings.items():
            binding = bindings[-1]
            enum = binding.value == "call" and binding.value_name in ENUM_FACTORIES
            if (binding.guarded and guards_hold) or not (enum or binding.value == "sentinel"):
                continue
            if not _may_be_held(ctx, module.name, name, by_value=False):
                continue
            if enum:
                ctx.report(
                    binding.span,
                    f"enum `{name}` (functional API) is defined in reloadable module "
                    f"`{module.name}`; {reloaded} members stored before it fail `is`, "
                    f"`isinstance` and match patterns — move it to {elsewhere}",
                    symbol=f"{module.name}.{name}",
                )
            else:
                advice = (
                    f"move it to {elsewhere} (a `globals()` guard does not survive the full "
                    "reload, which clears the namespace first)"
                    if reloader == "ipython"
                    else f"move it to {elsewhere} or guard it with `globals().get`"
                )
                ctx.report(
                    binding.span,
                    f"sentinel `{name}` is defined in reloadable module `{module.name}`; "
                    f"{reloaded} it is a new object and values stored before fail `is` checks "
                    f"— {advice}",
                    symbol=f"{module.name}.{name}",
                )


def _may_be_held(ctx: CheckContext, module: str, name: str, *, by_value: bool) -> bool:
    return may_be_held(ctx.project, module, name, by_value=by_value)


def by_value(project: ProjectModel, module: str, cls: ClassFact, base: str) -> bool:
    """Members that compare equal through their value (``IntEnum``, ``class K(str, Enum)``)."""
    ancestors = [base, *cls.bases, *project.ancestors(module, cls)]
    return any(a.startswith(_VALUE_ENUMS) or a in _VALUE_MIXINS for a in ancestors)


def may_be_held(
    project: ProjectModel,
    module: str,
    name: str,
    *,
    by_value: bool,
    ignore: frozenset[str] = frozenset(),
    rebuilt: frozenset[str] = frozenset(),
) -> bool:
    """Whether values of ``module.name`` made before a reload can be held past it by the
    project and meet the new ones: stored inside a function (live objects keep them), or
    while another module is imported (unless a plan reloads that module too: ``rebuilt``).
    Members that compare equal through their value must also be compared with ``is`` or
    ``isinstance``. Uses by the modules in ``ignore`` do not count (a plan's tests)."""
    tags = project.index(_INDEX).get(f"{module}.{name}", ())
    uses = {(how, where) for how, _, where in (t.partition("@") for t in tags)}
    uses = {(how, where) for how, where in uses if where not in ignore}
    stored = any(
        how == "runtime" or (how == "import" and where != module and where not in rebuilt)
        for how, where in uses
    )
    return stored and (not by_value or any(how == "identity" for how, _ in uses))


#: canonical ``module.name`` of a first-party class or value -> how the project uses it,
#: as "how@module": "runtime" (stored inside a function), "import" (stored while that
#: module is imported), "identity" (an ``is`` operand or ``isinstance`` class).
_INDEX = "rl104-uses"

_Part = tuple[tuple[str, str], ...]


def _merge(parts: dict[str, _Part]) -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for module, uses in parts.items():
        for key, how in uses:
            index.setdefault(key, set()).add(f"{how}@{module}")
    return {key: frozenset(hows) for key, hows in index.items()}


@project_index(_INDEX, _merge)  # type: ignore[arg-type]
def _contribution(project: ProjectModel, summary: ModuleSummary) -> _Part:
    found: set[tuple[str, str]] = set()

    def note(qualified: str, how: str) -> None:
        if not project.is_first_party(qualified):
            return
        resolved = project.resolve(qualified)
        if resolved.module and resolved.name:
            found.add((f"{resolved.module}.{resolved.name}", how))

    for store in summary.stores:
        note(store.qualified, store.how)
    for ref in summary.identities:
        note(ref.qualified, "identity")
    for check in summary.type_checks:
        if check.how in ("isinstance", "issubclass"):
            note(check.qualified, "identity")
    return tuple(sorted(found))


def _has_members(module: ModuleSummary, cls: ClassFact) -> bool:
    """Whether the enum class defines a member: a public class-body name that is
    neither a method, a nested class nor an annotation without a value."""
    nested = {c.qualname for c in module.classes}
    return any(
        not name.startswith("_")
        and name not in cls.methods
        and name not in cls.annotated_only
        and f"{cls.qualname}.{name}" not in nested
        for name in cls.body_names
    )
