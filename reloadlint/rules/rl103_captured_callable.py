"""RL103 captured-callable."""

from __future__ import annotations

from reloadlint.context import CheckContext
from reloadlint.profiles import off, on, reload_phrase
from reloadlint.project import Resolved
from reloadlint.rules._reloaders import plan_cannot_reload
from reloadlint.rules.base import Rule
from reloadlint.summary.model import Capture

#: How a capture keeps what it stores, as messages say it (see :func:`describe`).
_KEPT = {
    "default": "default argument value",
    "base": "base class",
    "metaclass": "metaclass",
    "module-name": "assigned to a module-level name",
    "class-attribute": "assigned to a class attribute",
    "container": "stored in a container literal",
}


def describe(capture: Capture) -> str:
    """How ``capture`` keeps the object, as messages and plans say it."""
    if capture.how == "hook":
        return f"assigned to `{capture.target}`"
    if capture.how == "argument":
        return f"passed to `{capture.target}`"
    if capture.how == "method-argument":
        return f"passed to `.{capture.target}()`"
    return _KEPT[capture.how]


class CapturedCallable(Rule):
    """## What it does
    Flags, at import time, a function, class or bound method of *another*
    reloadable module stored by value: used as a base class or metaclass,
    assigned to a module-level name or class attribute, put in a container
    literal, given as a default argument value, wrapped in
    ``functools.partial``, or handed to a process-wide registration
    (``atexit.register``, ``signal.signal``, ``threading.Thread(target=...)``,
    ``threading.Timer``, ``weakref.finalize``, ``sys.excepthook = ...``,
    ``add_done_callback``, ``loop.call_soon``/``call_later``).

    ## Why is this bad?
    The stored reference is the object that existed when this module was
    imported. After the other module reloads, the reference still runs the
    old code: a subclass keeps deriving from the old base, a dispatch table
    keeps the old handlers, a signal handler stays the old function.

    ## Known problems
    Only the storage forms listed above are recognised. A callable fetched
    dynamically (``getattr(module, "name")``, ``importlib.import_module``) and
    stored is not reported, nor is one stored at run time (in ``__init__`` or
    another function) rather than at import time. ``Class.attr`` counts only
    when the class (or a first-party ancestor) defines ``attr`` as a method or
    a nested class: an enum member, a number, a string or ``__doc__`` read from
    a class is data, and an attribute the class inherits from outside the
    project cannot be told apart from data, so it is not reported.
    Nothing a branch that does not run here stores is reported: the branch of
    a platform test (``sys.platform``, ``os.name``,
    ``sys.builtin_module_names``, ``platform.system()``, or a module-level name
    bound to one of them) that does not hold on the platform reloadlint runs
    on, and the ``else`` of a feature probe (``if hasattr(selectors,
    "PollSelector"):`` whose branch uses ``selectors.PollSelector``): that
    fallback runs only where the feature is missing. Names bound in such
    branches resolve to the branch that runs.

    ## Example
    ```python
    # app/handlers.py
    def on_hangup(signum, frame):
        ...

    def ping():
        return "pong"

    # app/main.py
    import signal
    from app import handlers

    signal.signal(signal.SIGHUP, handlers.on_hangup)
    ROUTES = {"ping": handlers.ping}
    ```

    ## Use instead
    ```python
    # app/main.py
    import signal
    from app import handlers

    signal.signal(signal.SIGHUP, lambda *args: handlers.on_hangup(*args))
    ROUTES = {"ping": "ping"}  # look the handler up at call time

    def dispatch(name, *args):
        return getattr(handlers, ROUTES[name])(*args)
    ```

    ## Fix safety
    There is no automatic fix: the right indirection depends on the code.

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

    code = "RL103"
    name = "captured-callable"
    summary = "Callable of another reloadable module stored by value at import time"
    profiles = {
        "importlib": on("the stored reference keeps the old function, method or class"),
        "runtime": on(
            "only what the plan cannot rebind: a callable handed to a call (`atexit.register`, "
            "`Thread(target=)`, `functools.partial`...), which keeps it however often the "
            "module runs again, and any capture in a module that is not reloadable or is a "
            "`__main__` module; the plan reloads every other capturing module after the "
            "module it captures from"
        ),
        "ipython": off(
            "`%autoreload` patches the old functions' code and the old classes' methods in "
            "place: the stored reference runs the new code"
        ),
        "jurigged": off(
            "jurigged patches the old functions' code and the old classes' methods in place: "
            "the stored reference runs the new code"
        ),
    }

    def check(self, ctx: CheckContext) -> None:
        module = ctx.module
        reloader = ctx.settings.reloader
        unreloaded = plan_cannot_reload(ctx) if reloader == "runtime" else None
        for ref in ctx.module.captures:
            # Handed to a call: the callee keeps it, and the plan (which reloads the
            # capturing module) repeats the call rather than rebinding anything.
            handed = ref.how in ("argument", "method-argument")
            if reloader == "runtime" and unreloaded is None and not handed:
                continue
            how = describe(ref)
            callable_required = ref.callable_required
            resolved = ctx.project.resolve(ref.qualified)
            if resolved.kind in ("function", "class"):
                what = resolved.kind
            elif resolved.kind == "attribute" and callable_required:
                what = "method"
            elif resolved.kind == "attribute" and resolved.detail == "class":
                # ``Class.attr``: code only when the class defines it as a method or
                # a nested class; an enum member, a number, a string, ``__doc__``
                # are data, which no reload makes stale code of.
                kind = _class_attribute(ctx, ref.qualified, resolved)
                if kind is None:
                    continue
                what = kind
            elif resolved.kind == "attribute" and _is_bound_method(ctx, ref.qualified, resolved):
                what = "method"
            else:
                continue
            if ref.how in ("base", "metaclass") and what != "class":
                continue
            if resolved.module == module.name or not ctx.project.is_reloadable(resolved.module):
                continue
            if ref.how == "base":
                consequence = "this class keeps deriving from the old class"
            elif ref.how == "metaclass":
                consequence = "this class keeps the old metaclass"
            else:
                consequence = f"the stored {what} keeps running the old code"
            where = f" (this module is {unreloaded})" if unreloaded else ""
            ctx.report(
                ref.span,
                f"`{ref.qualified}` is captured by value at import time ({how}){where}; "
                f"{reload_phrase(reloader, resolved.module)} {consequence} — look it up "
                "through the module when it is used",
                symbol=ref.qualified,
            )


def _attributes_after(qualified: str, resolved: Resolved) -> list[str] | None:
    """The attribute names after the resolved top-level binding (``M.Cls.a.b``: a, b)."""
    prefix = f"{resolved.module}.{resolved.name}."
    if qualified.startswith(prefix):
        return qualified[len(prefix) :].split(".")
    # Reached through an import alias: take the attributes after the binding's name.
    parts = qualified.split(".")
    if resolved.name not in parts:
        return None
    return parts[parts.index(resolved.name) + 1 :]


def _class_attribute(ctx: CheckContext, qualified: str, resolved: Resolved) -> str | None:
    """``method`` or ``class`` when ``M.Cls.attr`` is a method of the class (or of a
    first-party ancestor) or a nested class; None for data and for what cannot be told."""
    rest = _attributes_after(qualified, resolved)
    if not rest:
        return None
    project = ctx.project
    qualname = resolved.name
    for depth, attr in enumerate(rest):
        cls = project.class_in(resolved.module, qualname)
        if cls is None:
            return None
        if project.class_in(resolved.module, f"{qualname}.{attr}") is not None:
            qualname = f"{qualname}.{attr}"
            if depth == len(rest) - 1:
                return "class"
            continue
        if depth != len(rest) - 1:
            return None  # an attribute of data: not a callable we can name
        if attr in cls.methods:
            return "method"
        for ancestor in project.ancestors(resolved.module, cls):
            parent = project.class_fact(ancestor)
            if parent is not None and attr in parent.methods:
                return "method"
        return None
    return None


def _is_bound_method(ctx: CheckContext, qualified: str, resolved: Resolved) -> bool:
    """``M.service.handle`` where ``M.service = Service()`` and ``Service`` defines ``handle``."""
    binding = resolved.binding
    if binding is None or binding.value != "call":
        return False
    prefix = f"{resolved.module}.{resolved.name}."
    if not qualified.startswith(prefix):
        # Reached through an import alias: take the attribute after the value's name.
        parts = qualified.split(".")
        if resolved.name not in parts:
            return False
        rest = parts[parts.index(resolved.name) + 1 :]
    else:
        rest = qualified[len(prefix) :].split(".")
    if len(rest) != 1:
        return False
    cls = ctx.project.class_fact(binding.value_name)
    return cls is not None and rest[0] in cls.methods
