"""RL104 identity-sensitive-definition."""

from __future__ import annotations

from reloadlint.context import CheckContext
from reloadlint.profiles import off, on, reload_phrase
from reloadlint.rules.base import Rule
from reloadlint.summary.patterns import ENUM_BASES, ENUM_FACTORIES, ENUM_METACLASSES

_VALUE_ENUMS = ("enum.IntEnum", "enum.StrEnum", "enum.IntFlag", "django.db.models")


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
    ``IntFlag`` members still compare equal through their value.)

    ## Known problems
    Only ``object()`` sentinels are recognised: an instance of a sentinel
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
            if base is None:
                continue
            by_value = base.startswith(_VALUE_ENUMS) or any(
                a.startswith(_VALUE_ENUMS) for a in ctx.project.ancestors(module.name, cls)
            )
            after = (
                "members stored before it fail `is`, `isinstance` and match class patterns"
                if by_value
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
            guarded = binding.guarded and guards_hold
            if binding.value.removeprefix("call:") in ENUM_FACTORIES and not guarded:
                ctx.report(
                    binding.span,
                    f"enum `{name}` (functional API) is defined in reloadable module "
                    f"`{module.name}`; {reloaded} members stored before it fail `is`, "
                    f"`isinstance` and match patterns — move it to {elsewhere}",
                    symbol=f"{module.name}.{name}",
                )
            if binding.value == "sentinel" and not guarded:
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
