"""RL105 class-identity-check."""

from __future__ import annotations

from reloadlint.context import CheckContext
from reloadlint.profiles import off, on
from reloadlint.rules.base import Rule

#: What makes each kind of check, as the message names it.
_CHECKS = {
    "except": "except",
    "type-comparison": "type() comparison",
    "isinstance": "isinstance()",
    "issubclass": "issubclass()",
    "singledispatch": "singledispatch registration",
}


class ClassIdentityCheck(Rule):
    """## What it does
    Flags ``isinstance``/``issubclass``, ``except`` clauses, ``type(x) is C``
    and ``singledispatch`` registrations against a class of a reloadable
    module. Off by default (enable with ``extend-select = ["RL105"]``): such
    checks are everywhere, and they only break for objects that outlive a
    reload.

    ## Why is this bad?
    A reload creates a new class object. Instances made before the reload
    belong to the old class, so ``isinstance(old, C)`` is ``False``, an
    ``except C:`` no longer catches an old exception class, and
    ``singledispatch`` picks the wrong implementation.

    ## Known problems
    Checks against a class held in a variable (``isinstance(x, cls)``) are
    not followed. Most checks only see objects made after the last reload and
    never fail, which is why the rule is off by default.

    ## Example
    ```python
    # app/models.py
    class Order:
        kind = "order"

    # app/views.py
    from app import models

    def describe(obj):
        if isinstance(obj, models.Order):
            return "order"
    ```

    ## Use instead
    ```python
    # app/views.py
    def describe(obj):
        if getattr(obj, "kind", None) == "order":  # duck typing survives a reload
            return "order"
    ```

    ## Fix safety
    There is no automatic fix.

    ## Options
    - ``extend-select``: the rule is off by default; ``extend-select = ["RL105"]`` turns it on.
    - ``reloadable``, ``not-reloadable``: which first-party modules are hot-reloaded; only
      bindings to those are reported.

    ## References
    - [`isinstance`](https://docs.python.org/3/library/functions.html#isinstance),
      [`functools.singledispatch`](https://docs.python.org/3/library/functools.html#functools.singledispatch)
    - [The model of a reload](https://reloadlint.readthedocs.io/en/latest/model.html)
    """

    code = "RL105"
    name = "class-identity-check"
    summary = "Identity check against a class a reload replaces"
    default_enabled = False

    profiles = {
        "importlib": on(
            "instances made before the reload belong to the old class and fail the check"
        ),
        "runtime": off(
            "the runtime re-points every live instance at its new class: the check passes"
        ),
        "ipython": off(
            "`%autoreload` patches the class in place, or re-points its live instances at "
            "the new one: the check passes"
        ),
        "jurigged": off("jurigged patches the class in place: it stays the same object"),
    }

    def check(self, ctx: CheckContext) -> None:
        for ref in ctx.module.type_checks:
            resolved = ctx.project.resolve(ref.qualified)
            if resolved.kind != "class" or not ctx.project.is_reloadable(resolved.module):
                continue
            ctx.report(
                ref.span,
                f"{_CHECKS[ref.how]} checks against class `{resolved.module}.{resolved.name}` of a "
                "reloadable module; objects made before a reload belong to the old class and "
                "fail it",
                symbol=f"{resolved.module}.{resolved.name}",
            )
