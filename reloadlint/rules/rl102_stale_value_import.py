"""RL102 stale-value-import."""

from __future__ import annotations

from reloadlint.context import CheckContext
from reloadlint.profiles import on, reload_phrase
from reloadlint.rules._reloaders import plan_cannot_reload
from reloadlint.rules._stale_imports import fix_possible, stale_from_imports, star_exports
from reloadlint.rules.base import Rule


class StaleValueImport(Rule):
    """## What it does
    Flags ``from M import X`` where ``X`` is a module-level value (a constant,
    a container, an instance — not a function, class or module) of a
    reloadable module ``M``.

    ## Why is this bad?
    The importer copied the object ``M.X`` referred to when it was imported.
    A reload of ``M`` binds ``M.X`` to a new object; the importer keeps the old
    one, so a changed setting or a rebuilt registry never reaches it.

    ## Known problems
    Whether a name is a value or a function is read from the top level of
    the imported module. Names it creates dynamically (``exec``,
    ``globals()[name] = ...``, a star import from outside the project) are
    unknown and not reported. Package metadata (``__version__``,
    ``__author__``...) is not reported, nor is an alias of an object no reload
    replaces (``text_type = str``, ``json = _json``, ``TimeoutError =
    TimeoutError``, ``log = logging.getLogger(...)``, ``ModuleType =
    type(sys)``), a name imported in an
    ``except ImportError:`` fallback or under ``if __name__ == "__main__":``,
    or a type alias or type variable (``AlignMethod = Literal["left",
    "right"]``, ``StyleType = Union[str, Style]``, ``T = TypeVar("T")``): the
    reload builds an equal one, and what reads them compares by equality.
    Branches that do not run here are not reported: a name bound in
    exclusive branches of a platform test (``sys.platform``, ``os.name``,
    ``sys.builtin_module_names``, ``platform.system()``, or a module-level name
    bound to one of them, as ``_mswindows = sys.platform == "win32"``) is
    bound, for reloadlint, by the branch that runs on the platform reloadlint
    runs on, and the other branches are treated as ``except ImportError:``
    fallbacks; so is the ``else`` of a feature probe (``if hasattr(M,
    "name"):`` whose branch uses ``M.name``). Lint on the platform you deploy
    to: a stale import made only on Windows is not reported on Linux.

    ## Example
    ```python
    # app/settings.py
    TIMEOUT = 5.0

    # app/client.py
    from app.settings import TIMEOUT

    def fetch(client):
        return client.get(timeout=TIMEOUT)
    ```

    ## Use instead
    ```python
    # app/client.py
    import app.settings

    def fetch(client):
        return client.get(timeout=app.settings.TIMEOUT)
    ```

    ## Fix safety
    As for RL101: the import becomes ``import M`` (``from . import m`` for a
    relative import) and each use ``M.X``. Safe, since before a reload both
    forms read the same object; not offered when the module's name is
    shadowed where the value is used, or when a use would grow past the
    configured line length; nor, as for RL101, where a use runs while the
    module is imported or when the name is exported (imported, read or
    assigned from here by another module, named in a string, or marked
    ``# noqa: F401``).

    ## Options
    - ``reloadable``, ``not-reloadable``: which first-party modules are hot-reloaded; only
      bindings to those are reported.
    - ``src``, ``namespace-packages``: where the project's modules are, which decides what is
      first-party.

    ## References
    - [`importlib.reload`](https://docs.python.org/3/library/importlib.html#importlib.reload)
    - [The model of a reload](https://reloadlint.readthedocs.io/en/latest/model.html)
    - [Where state belongs](https://reloadlint.readthedocs.io/en/latest/guide/state.html)
    """

    code = "RL102"
    name = "stale-value-import"
    summary = "Module-level value imported by value from a reloadable module"
    fix = "sometimes"
    fixer = "stale-import"
    fix_title = "Import the module and use the qualified name"
    profiles = {
        "importlib": on("the importing module keeps the old value"),
        "runtime": on(
            "only where the importing module is not reloadable or is a `__main__` module: "
            "the plan reloads every other by-value importer after the module it imports from"
        ),
        "ipython": on(
            "`%autoreload` patches functions and classes, not values: the importing module "
            "keeps the old value"
        ),
        "jurigged": on(
            "jurigged runs the changed assignment again in its own module only: the "
            "importing module keeps the old value"
        ),
    }

    def check(self, ctx: CheckContext) -> None:
        reloader = ctx.settings.reloader
        unreloaded = plan_cannot_reload(ctx) if reloader == "runtime" else None
        if reloader == "runtime" and unreloaded is None:
            return
        where = f"this module ({unreloaded})" if unreloaded else "this module"
        for fact, resolved in stale_from_imports(ctx, kinds=("value",)):
            qualified = f"{resolved.module}.{resolved.name}"
            ctx.report(
                fact.span,
                f"`{fact.bound}` copies a value of reloadable module `{fact.module}`; "
                f"{reload_phrase(reloader, resolved.module)} {where} keeps the old value — "
                f"use `{qualified}` instead",
                symbol=qualified,
                fixable=fix_possible(ctx, fact),
            )
        for fact in ctx.module.imports:
            exported = star_exports(ctx, fact, ("value",))
            # One finding per star import: RL101 reports it when it also binds functions or classes.
            if exported and not star_exports(ctx, fact, ("function", "class")):
                shown = ", ".join(f"`{name}`" for name, _ in exported[:5]) + (
                    ", ..." if len(exported) > 5 else ""
                )
                ctx.report(
                    fact.span,
                    f"`from {fact.module} import *` binds values of reloadable module "
                    f"`{fact.module}` by value ({shown}); {reload_phrase(reloader, fact.module)} "
                    f"{where} keeps the old objects — `import {fact.module}` and use qualified "
                    "names instead",
                    symbol=f"{fact.module}.*",
                    fixable=False,
                )
