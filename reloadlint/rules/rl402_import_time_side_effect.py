"""RL402 import-time-side-effect."""

from __future__ import annotations

from reloadlint.context import CheckContext
from reloadlint.profiles import off, on
from reloadlint.project import ProjectModel
from reloadlint.rules._registrations import method_keeps, registrations, repeats_on_reload
from reloadlint.rules.base import Rule
from reloadlint.summary.facts.state import EFFECT_CALLS, STARTABLE_CLASSES
from reloadlint.summary.model import Effect

#: What a decorator's owner may resolve to for ``@owner.method`` to be a
#: registration: an object living in another first-party module. Modules
#: (``@functools.lru_cache()``, ``@decorators.timed()``) are namespaces, not
#: registries; functions are ``singledispatch``-style (``@fmt.register(int)``
#: replaces by key) or ``mock.patch.object``; external objects are markers
#: (``@pytest.mark.parametrize``), and a project's own registries are its own.
_REGISTRY_KINDS = frozenset({"value", "attribute", "class", "unknown"})
#: What a monkeypatched owner may resolve to: a module or class of another
#: module, or anything outside the project (``json.dumps = ...``).
_PATCHED_KINDS = frozenset({"module", "class", "external"})
#: A class's decorator methods are often wrappers (werkzeug's
#: ``@Request.application``); a class is taken for a registry only when the
#: method says so (``@Plugin.register("x")``, ``@Model.add_listener``).
_REGISTERING_WORDS = (
    "register",
    "subscribe",
    "connect",
    "listen",
    "route",
    "hook",
    "handler",
    "add",
    "on_",
)
#: Decorator methods of objects that wrap the function and register nothing
#: (tracing, caching, rate limits, metrics, property accessors).
_WRAPPING_METHODS = frozenset(
    {
        "capture",
        "memoize",
        "cached",
        "limit",
        "exempt",
        "timed",
        "time",
        "retry",
        "count_exceptions",
        "track_inprogress",
        "setter",
        "getter",
        "deleter",
    }
)


class ImportTimeSideEffect(Rule):
    """## What it does
    Flags effects at import time that every reload repeats while the earlier
    one stays: ``atexit.register``, a ``signal.signal`` handler that keeps the
    previous one (``_prev = signal.signal(...)``, or with
    ``signal.getsignal``: a chain that grows a link per reload), starting a
    thread, timer or process (including first-party subclasses of
    ``threading.Thread``), ``logger.addHandler``, edits of ``sys.path`` /
    ``sys.meta_path``, adding to another module's container
    (``other.HOOKS.append(f)``, ``.add(f)``, ``.setdefault(k, []).append(f)``),
    binding or listening on a socket,
    ``asyncio.create_task``/``ensure_future``, wrapping an attribute of
    another module (monkeypatching with a function that keeps the previous
    value, ``_orig = mod.f; mod.f = wrapper``: each reload wraps the last
    wrapper again; a plain ``mod.f = f`` that keeps nothing of the old value
    is replaced by the reload, and not reported), and decorating with a registration
    method of an object from another module (``@app.route``,
    ``@bus.subscribe``) or a registration function (``@atexit.register``).
    A method of a first-party class is a registration when it appends or
    adds what it is given (``self.handlers.append((event, f))``); one that
    stores it by key (``cls.lookups[name] = lookup``, ``self.routes[path] =
    view``) or holds it weakly (``weakref.ref(f)``) is not reported: the
    reload's new function takes the old one's place.

    Signal receivers (``@receiver(sig)``, ``sig.connect(f)``) are held weakly
    by default: the old function dies when the reload rebinds its name, and
    the new one replaces it. Reported: ``weak=False`` (held strongly, so both
    stay connected and run), and a ``dispatch_uid`` on a decorator (the
    signal refuses the new function while the old one, connected under that
    uid, still lives; then the old one is dropped: nothing handles the signal
    any more) or on a strong ``connect``.

    Registrations through the project's own functions too: ``@register`` or
    ``@handler("tag")`` where ``register`` (or the decorator a factory like
    ``handler`` returns) appends what it is given to a module-level registry
    of another module (``REGISTRY.append(func)``, ``.add()``,
    ``HANDLERS.setdefault(tag, []).append(func)``), or of the same module when
    that registry is reload-guarded. A registry that stores by key
    (``HANDLERS[tag] = func``) is not reported: the reload replaces the entry
    with the new function; nor is one that holds its entries weakly
    (``weakref.WeakSet()``): the old function dies with the reload. But a
    function registered by key that the new version removes or renames stays
    registered and keeps running: in upgrade
    mode the reload plan names it and says ``restart``.

    Not reported: code under ``if __name__ == "__main__":`` or in functions,
    effects inside a reload guard (``if "X" not in globals():``,
    ``try: X`` / ``except NameError:``) or a membership test that makes them
    idempotent (``if p not in sys.path:``, ``if not logger.handlers:``),
    ``addHandler(logging.NullHandler())``, a ``signal.signal(SIG, handler)``
    that discards the previous handler (one handler per signal: the new one
    replaces it), item assignments into another module's container
    (``other.TABLE[key] = f``: replaced), decorators of objects created in
    the same module (a reload recreates them), of modules
    (``@functools.lru_cache()``), of functions (``@fmt.register(int)``) and
    of third-party objects (``@pytest.mark.parametrize``), wrapping decorator
    methods (``@cache.memoize()``, ``@recorder.capture()``), and a patch whose
    value a reload computes identically (``mod.flag = True``,
    ``Error.__module__ = __name__``).

    ## Why is this bad?
    ``importlib.reload`` runs the module's top level again. The first
    exit handler, log handler, thread or subscription is still there, so each
    reload adds one more: log lines are printed twice, events are handled by
    the old and the new function, a patch wraps the previous patch.

    ## Known problems
    Effects made through a function that the top level calls
    (``_setup()`` at module level) are not seen, nor are effects of
    third-party code run at import time.

    ## Example
    ```python
    # app/notifications.py
    import logging

    from app.events import bus

    logging.getLogger("app").addHandler(logging.StreamHandler())

    @bus.subscribe("user.created")
    def send_welcome(user):
        ...
    ```

    ## Use instead
    ```python
    # app/notifications.py
    import logging

    from app.events import bus

    def send_welcome(user):
        ...

    def setup():  # called once from the application's start-up code
        logging.getLogger("app").addHandler(logging.StreamHandler())
        bus.subscribe("user.created")(lambda user: send_welcome(user))
    ```

    ## Fix safety
    There is no automatic fix: where the effect belongs depends on the
    application's start-up code.

    ## Options
    - ``reloadable``, ``not-reloadable``: which first-party modules are hot-reloaded; only those
      are checked.

    ## References
    - [Where state belongs](https://reloadlint.readthedocs.io/en/latest/guide/state.html)
    - [`importlib.reload`](https://docs.python.org/3/library/importlib.html#importlib.reload)
    """

    code = "RL402"
    name = "import-time-side-effect"
    summary = "Import-time effect that every reload repeats"
    plan_role = "restart-if-reloaded"
    profiles = {
        "importlib": on("the reload runs the effect again while the earlier one stays"),
        "runtime": on(
            "the plan's reload would run the effect again, so a plan that reloads the module "
            "says restart"
        ),
        "ipython": on(
            "an edit outside function bodies makes `%autoreload` run the whole module again, "
            "its namespace cleared first (so a `globals()` guard does not hold), and an edit "
            "to a decorated function runs its decorator again"
        ),
        "jurigged": off(
            "jurigged runs only the statements an edit changes, and re-creates an edited "
            "function without running its decorators: nothing is repeated unless the line "
            "that does it is edited"
        ),
    }

    def check(self, ctx: CheckContext) -> None:
        module = ctx.module
        if not ctx.project.is_reloadable(module.name):
            return
        ipython = ctx.settings.reloader == "ipython"
        if ipython:
            again = (
                f"`%autoreload` does it again whenever an edit to `{module.name}` is not "
                "confined to function bodies (it clears the namespace first, so a `globals()` "
                "guard does not hold), while the earlier one stays — do it once from start-up "
                "code, or guard it with the process's own state (`if p not in sys.path:`)"
            )
        else:
            again = (
                f"every reload of `{module.name}` does it again while the earlier one stays — "
                'do it once from start-up code (or under `if __name__ == "__main__":` or a '
                "reload guard)"
            )
        for effect in module.effects:
            if effect.namespace_guarded and not ipython:
                continue  # the guard holds: importlib.reload keeps the namespace
            if effect.kind.startswith("receiver-uid"):
                _refused(ctx, effect)
                continue
            what = _describe(ctx.project, module.name, effect)
            if what is None:
                continue
            ctx.report(
                effect.span,
                f"`{module.name}` {what} at import time; {again}",
                symbol=f"{module.name}:{effect.kind}:{_detail(effect)}",
            )
        adds = (
            f"`%autoreload` runs the decorator again whenever it reloads `{module.name}` or "
            "patches the decorated function, adding the new function"
            if ipython
            else f"every reload of `{module.name}` adds the new function"
        )
        for decoration, found in registrations(ctx.project, module):
            if not repeats_on_reload(found, module.name):
                continue
            ctx.report(
                decoration.span,
                f"`{module.name}` registers `{module.name}.{decoration.target}` with "
                f"`{found.function}` at import time, which adds it to `{found.registry}` "
                f"({found.change}); {adds} while the old one stays registered and still runs — "
                "register once from start-up code, or key the registry so that a new "
                "registration replaces the old one",
                symbol=f"{module.name}:registration:{found.function}",
            )


def _call(effect: Effect) -> tuple[str, str]:
    """A ``call`` effect's call, as shown, and what it does."""
    if effect.method == "addHandler":
        return "`.addHandler()`", "adds a logging handler"
    if effect.method:
        return f"`socket.{effect.method}()`", "claims a port"
    return f"`{effect.callee}`", EFFECT_CALLS[effect.callee]


def _sys_path(effect: Effect) -> str:
    """A ``sys-path`` effect, as a verb phrase."""
    if effect.how == "method":
        return f"edits `{effect.owner}` with `.{effect.method}()`"
    verb = "assigns into" if effect.how == "item" else "replaces"
    return f"{verb} `{effect.owner}`"


def _detail(effect: Effect) -> str:
    """What distinguishes the effect in the finding's symbol (baselines key on it)."""
    kind = effect.kind
    if kind == "call":
        return " ".join(_call(effect))
    if kind == "sys-path":
        return _sys_path(effect)
    if kind == "start":
        return effect.callee
    if kind == "monkeypatch":
        return f"{effect.owner}.{effect.attribute}"
    if kind == "decorator":
        return f"`@{effect.callee}`"
    if kind.startswith("receiver-"):
        return _receiver(effect)
    return f"{effect.owner}|{effect.method}"  # registration, adds


def _receiver(effect: Effect) -> str:
    """How a ``receiver-*`` effect connects, as shown: ```@receiver``` or ```sig.connect()```."""
    return f"`@{effect.callee}`" if effect.how == "decorator" else f"`{effect.callee}()`"


def _describe(project: ProjectModel, module: str, effect: Effect) -> str | None:
    """What the effect does, as a verb phrase; None when a reload does not repeat it harmfully."""
    kind = effect.kind
    if kind == "call":
        call, what = _call(effect)
        return f"calls {call} ({what})"
    if kind == "start":
        return _started(project, effect.callee)
    if kind == "monkeypatch":
        patched = f"{effect.owner}.{effect.attribute}"
        if project.resolve(patched.rpartition(".")[0]).kind not in _PATCHED_KINDS:
            return None
        if not any(ref.qualified == patched for ref in project.summary(module).captures):
            # A new value that keeps nothing of the old one: the reload replaces it.
            return None
        return (
            f"wraps `{patched}` (monkeypatching another module with a function that keeps "
            "its previous value)"
        )
    if kind == "decorator":
        return f"registers a function with `@{effect.callee}`"
    if kind == "receiver-strong":
        return f"connects a receiver with {_receiver(effect)} and `weak=False` (held strongly)"
    if kind == "adds":
        owner, method = effect.owner, effect.method
        resolved = project.resolve(owner)
        if resolved.kind in ("module", "function", "missing") or resolved.module == module:
            return None
        if method_keeps(project, owner, method) in ("replaces", "weak"):
            return None
        return f"adds an entry to `{owner}` (`.{method}()`, a container of another module)"
    if kind == "registration":
        owner, method = effect.owner, effect.method
        resolved = project.resolve(owner)
        if resolved.kind not in _REGISTRY_KINDS or resolved.module == module:
            return None
        if method in _WRAPPING_METHODS:
            return None
        keeps = method_keeps(project, owner, method)
        if keeps in ("replaces", "weak"):
            return None  # by key or weakly: the new function takes the old one's place
        if (
            resolved.kind == "class"
            and keeps != "adds"
            and not any(word in method.lower() for word in _REGISTERING_WORDS)
        ):
            return None
        return f"registers a function with `@{owner}.{method}` (an object of another module)"
    return _sys_path(effect)


def _refused(ctx: CheckContext, effect: Effect) -> None:
    """A receiver connected under a ``dispatch_uid``: the signal refuses the reload's new
    function, the old one being still connected under that uid."""
    name = ctx.module.name
    then = (
        "the old function stays connected and the new code never handles the signal"
        if effect.kind == "receiver-uid-strong"
        else "the old function, held weakly, is dropped once the reload rebinds its name, "
        "so nothing handles the signal any more"
    )
    ctx.report(
        effect.span,
        f"`{name}` connects a receiver with {_receiver(effect)} and a `dispatch_uid` at import "
        f"time; when `{name}` is reloaded the signal refuses the new function, one being "
        f"connected under that `dispatch_uid` already, and {then} — connect it once from "
        "start-up code, or without `dispatch_uid`",
        symbol=f"{name}:{effect.kind}:{_detail(effect)}",
    )


def _started(project: ProjectModel, constructor: str) -> str | None:
    """``starts a <thread/timer/process>`` when ``constructor`` builds one, directly or
    through first-party subclasses."""
    if constructor in STARTABLE_CLASSES:
        return f"starts a `{constructor}`"
    cls = project.class_fact(constructor)
    if cls is None:
        return None
    resolved = project.resolve(constructor)
    if f"{resolved.module}.{resolved.name}" in STARTABLE_CLASSES:
        return f"starts a `{constructor}`"
    base = project.derives_from(resolved.module, cls, STARTABLE_CLASSES)
    return f"starts a `{constructor}` (a `{base}`)" if base else None
