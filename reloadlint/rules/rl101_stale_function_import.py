"""RL101 stale-function-import."""

from __future__ import annotations

from reloadlint.context import CheckContext
from reloadlint.profiles import off, on, reload_phrase
from reloadlint.rules._reloaders import plan_cannot_reload
from reloadlint.rules._stale_imports import fix_possible, stale_from_imports, star_exports
from reloadlint.rules.base import Rule


class StaleFunctionImport(Rule):
    """## What it does
    Flags ``from M import f`` where ``M`` is a reloadable (first-party) module
    and ``f`` is a function or class defined there, including names that ``M``
    re-exports from another first-party module.

    ## Why is this bad?
    ``importlib.reload(M)`` creates a new ``f`` in ``M``'s namespace, but the
    importing module bound the *old* function object when it ran
    ``from M import f``. It keeps calling the old code until it is reloaded
    itself — the Python form of Erlang's rule that only fully-qualified calls
    reach the new version of a module.

    Uses that are only annotations (or under ``if TYPE_CHECKING:``) are not
    reported: a type checker is not affected. Runtime readers of annotations,
    such as pydantic or ``typing.get_type_hints``, still see the stale class.

    ## Known problems
    Bindings made without a ``from`` import are other rules' or not seen:
    ``connect = app.db.connect`` at import time is RL103, and a function fetched
    with ``importlib.import_module`` and ``getattr`` is not followed. Uses only
    in annotations are not reported, although runtime readers of annotations
    (pydantic, ``typing.get_type_hints``) see the stale class. Names bound to
    the same object after any reload are not reported: one imported in an
    ``except ImportError:`` fallback (here, or in the module it is imported
    from), and one of a module that ends with a star import from a module
    outside the project (a C accelerator replaces the pure-Python version).
    Nor is an import under ``if __name__ == "__main__":``: it runs only when
    the module is run as a script, never when it is imported or reloaded.
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
    # app/db.py
    def connect():
        ...

    # app/views.py
    from app.db import connect

    def handler():
        return connect()
    ```

    ## Use instead
    ```python
    # app/views.py
    import app.db

    def handler():
        return app.db.connect()
    ```

    ## Fix safety
    The fix rewrites the import to ``import app.db`` and every use of the
    name to the qualified form; a relative import stays relative
    (``from .db import connect`` becomes ``from . import db`` and the uses
    ``db.connect``). It is safe: before any reload both forms call the same
    object. It is not offered when the module's name is shadowed where the
    name is used, or when a use would grow past the line length of the
    project's ruff or black configuration (88 when none sets it). A new
    import goes where an import sorter puts it; nothing else in the file
    changes.

    Nor is it offered where a use runs while the module is imported (a base
    class, a decorator, a default argument, a module-level call or
    assignment, a class body, a function of the module called there): inside
    the package's own import cycle ``app.db`` may not be an attribute of
    ``app`` yet, and the qualified form fails where the bound name worked;
    it would not cure the use anyway, which RL103's advice applies to. Nor
    when the name is exported, since other code needs it bound in this
    module: another module imports it from here or reads or assigns
    ``module.name`` (a test patching it), a string names it (``__all__`` or
    any list of names), or its import carries ``# noqa: F401``. Checked on
    whole real packages, their modules imported and their test suites run
    before and after ``--fix``: [Hardening](https://reloadlint.readthedocs.io/en/latest/hardening.html).

    ## Options
    - ``reloadable``, ``not-reloadable``: which first-party modules are hot-reloaded; only
      bindings to those are reported.
    - ``src``, ``namespace-packages``: where the project's modules are, which decides what is
      first-party.

    ## References
    - [`importlib.reload`](https://docs.python.org/3/library/importlib.html#importlib.reload)
    - [The model of a reload](https://reloadlint.readthedocs.io/en/latest/model.html)
    - [Where state belongs](https://reloadlint.readthedocs.io/en/latest/guide/state.html)
    - [Erlang: code loading](https://www.erlang.org/doc/system/code_loading.html)
      (fully-qualified calls reach the new version)
    """

    code = "RL101"
    name = "stale-function-import"
    summary = "Function or class imported by value from a reloadable module"
    fix = "sometimes"
    fixer = "stale-import"
    fix_title = "Import the module and use the qualified name"
    profiles = {
        "importlib": on("the importing module keeps the old function or class object"),
        "runtime": on(
            "only where the importing module is not reloadable or is a `__main__` module: "
            "the plan reloads every other by-value importer after the module it imports from"
        ),
        "ipython": off(
            "`%autoreload` patches the old function's code, and the old class's methods, in "
            "place, so the imported object runs the new code"
        ),
        "jurigged": off("jurigged patches the old function's code in place"),
    }

    def check(self, ctx: CheckContext) -> None:
        reloader = ctx.settings.reloader
        unreloaded = plan_cannot_reload(ctx) if reloader == "runtime" else None
        if reloader == "runtime" and unreloaded is None:
            return
        where = f"this module ({unreloaded})" if unreloaded else "this module"
        for fact, resolved in stale_from_imports(ctx, kinds=("function", "class")):
            what = "class" if resolved.kind == "class" else "function"
            effect = (
                "keeps using the old class" if what == "class" else "keeps calling the old code"
            )
            qualified = f"{resolved.module}.{resolved.name}"
            defined = f" (defined in `{resolved.module}`)" if resolved.module != fact.module else ""
            ctx.report(
                fact.span,
                f"`{fact.bound}` is bound by value from reloadable module "
                f"`{fact.module}`{defined}; {reload_phrase(reloader, resolved.module)} "
                f"{where} {effect} — use `{qualified}` instead",
                symbol=qualified,
                fixable=fix_possible(ctx, fact),
            )
        for fact in ctx.module.imports:
            exported = star_exports(ctx, fact, ("function", "class"))
            if exported:
                shown = ", ".join(f"`{name}`" for name, _ in exported[:5]) + (
                    ", ..." if len(exported) > 5 else ""
                )
                ctx.report(
                    fact.span,
                    f"`from {fact.module} import *` binds functions and classes of reloadable "
                    f"module `{fact.module}` by value ({shown}); "
                    f"{reload_phrase(reloader, fact.module)} {where} keeps the old objects — "
                    f"`import {fact.module}` and use qualified names instead",
                    symbol=f"{fact.module}.*",
                    fixable=False,
                )
