"""RL502 dangling-dotted-path."""

from __future__ import annotations

import builtins

from reloadlint.context import CheckContext
from reloadlint.profiles import on
from reloadlint.project import ProjectModel
from reloadlint.rules._upgrade_facts import removed_module_string
from reloadlint.rules.base import Rule
from reloadlint.summary.model import DottedString

_BUILTIN_NAMES = frozenset(dir(builtins))
_PATCHES = frozenset({"unittest.mock.patch", "mock.patch"})
_FINDER_METHODS = frozenset({"find_spec", "find_module"})


class DanglingDottedPath(Rule):
    """## What it does
    Flags a string naming a dotted path of the project that resolves to no
    module or object: the first argument of ``importlib.import_module``,
    ``__import__``, ``pkgutil.resolve_name`` and ``unittest.mock.patch``
    (``patch.dict`` too), the ``name=`` of a task decorator
    (``@app.task(name=...)``, ``@shared_task(name=...)``), dotted paths
    given to a task, scheduler or resolver, in either form
    (``"app.tasks.cleanup.rotate"`` or ``"app.tasks.cleanup:rotate"``): the
    keyword arguments ``task=``, ``func=``, ``function=``, ``callable=``,
    ``callback=``, ``resolver=``, ``handler=``, ``job=``, ``view=``,
    ``entrypoint=``, ``name=`` of a call or decorator whose name speaks of a
    task, job, schedule, actor or period (``periodic_task(name=...)``), the
    first argument of ``send_task``, ``signature``, ``enqueue`` and
    ``add_job``, and a schedule entry's ``"task"`` (Celery beat), and
    ``"pkg.mod:attr"`` entry strings (also as ``"tool = pkg.mod:main"``; a
    bare ``"word:name"`` is as often a URL or an XML name, so it counts only
    in the entry-point form or given to ``pkgutil.resolve_name``). Only
    strings whose first segment is a top-level package of the project are
    checked; relative names given with ``package=`` are resolved first. A
    string that names an existing module, function, class, value or
    attribute is never flagged, nor is a name the project cannot decide
    statically (a module ``__getattr__``, a star import from outside the
    project, a package that defines its own import finder), nor
    ``patch(..., create=True)``. In upgrade mode, strings that still name a
    module RL501 reports as renamed or removed are flagged too.

    ## Why is this bad?
    A dotted path in a string is not followed when a module is renamed or a
    function moves: nothing fails until the string is used, at run time,
    with an ``ImportError`` or ``AttributeError`` (or a test that patches
    nothing). After a reload the old module may still be in ``sys.modules``,
    which hides the break until the next restart.

    ## Known problems
    Only the calls, decorator arguments and string shapes listed above are
    checked: dotted paths in lists of settings (``INSTALLED_APPS``), in
    configuration files or built at run time are not.

    ## Example
    ```python
    # app/handlers/v1.py, renamed from app/handlers/legacy.py
    def ping():
        return "pong"

    # app/loader.py
    import importlib

    def load_handler(name):
        module = importlib.import_module("app.handlers.legacy")  # renamed to app.handlers.v1
        return getattr(module, name)
    ```

    ## Use instead
    ```python
    # app/loader.py
    import importlib

    def load_handler(name):
        module = importlib.import_module("app.handlers.v1")
        return getattr(module, name)
    ```

    ## Fix safety
    There is no automatic fix: reloadlint cannot know where the object went.

    ## Options
    - ``src``, ``namespace-packages``: where the project's modules are, which decides what is
      first-party.

    ## References
    -
      [`importlib.import_module`](https://docs.python.org/3/library/importlib.html#importlib.import_module),
      [`pkgutil.resolve_name`](https://docs.python.org/3/library/pkgutil.html#pkgutil.resolve_name)
    - [What needs a restart](https://reloadlint.readthedocs.io/en/latest/guide/restart.html)
    """

    code = "RL502"
    name = "dangling-dotted-path"
    outside_application = True  # a test's ``mock.patch("app.x.y")`` must name something
    summary = "String names a dotted path of the project that does not exist"

    profiles = {
        "importlib": on("the string names nothing, whatever reloads the code"),
        "runtime": on("the string names nothing, whatever reloads the code"),
        "ipython": on("the string names nothing, whatever reloads the code"),
        "jurigged": on("the string names nothing, whatever reloads the code"),
    }

    def check(self, ctx: CheckContext) -> None:
        project = ctx.project
        for string in ctx.module.dotted_strings:
            problem = dangling(project, string)
            if problem is None:
                # Upgrade mode: a string that still resolves here but names a
                # module RL501 reports as renamed or removed.
                stale = removed_module_string(ctx, string)
                if stale is not None:
                    ctx.report(string.span, stale, symbol=string.value)
                continue
            ctx.report(
                string.span,
                f"{_described(string, ctx.module.name)}, but {problem}; {_consequence(string)} — "
                "point the string at the current dotted path",
                symbol=string.value,
            )


def dangling(project: ProjectModel, string: DottedString) -> str | None:
    """Why ``string`` names nothing of the project; None when it resolves or cannot be judged."""
    module_part, colon, attribute = string.value.partition(":")
    if module_part.partition(".")[0] not in project.top_level:
        return None
    if colon:
        module = project.resolve(module_part)
        if module.kind == "missing":
            if "." not in module_part:
                return None  # a top-level name with no module file: a namespace package
            return _missing(module_part, module.module, module.name)
        if module.kind != "module":
            if module.kind in ("unknown", "external"):
                return None
            return f"`{module_part}` is not a module"
        qualified = f"{module_part}.{attribute}"
    else:
        qualified = module_part
    resolved = project.resolve(qualified)
    if resolved.kind != "missing" or _behind_import_hook(project, qualified):
        return None
    last = qualified.rpartition(".")[2]
    if string.callee in _PATCHES and resolved.name == last and last in _BUILTIN_NAMES:
        return None  # patching a builtin name on a module creates it (unittest.mock allows that)
    if string.how == "module":
        return f"there is no module `{qualified}` in the project"
    return _missing(qualified, resolved.module, resolved.name)


def _behind_import_hook(project: ProjectModel, qualified: str) -> bool:
    """Whether a package on the path defines an import finder (``find_spec``/``find_module``).

    Such a package (a vendoring ``extern`` package, a lazy loader) makes its
    submodules at run time, so a name missing on disk may well import.
    """
    parts = qualified.split(".")
    for cut in range(1, len(parts)):
        module = project.modules.get(".".join(parts[:cut]))
        if module is not None and any(
            _FINDER_METHODS.intersection(cls.methods) for cls in module.classes
        ):
            return True
    return False


def _missing(qualified: str, module: str, name: str) -> str:
    if module and name:
        return f"`{module}` has no `{name}`"
    return f"there is no module `{qualified}` in the project"


def _described(string: DottedString, module: str) -> str:
    value = f'`"{string.value}"`'
    if string.how == "entry":
        return f"entry string {value} in `{module}` names a dotted path"
    if string.how == "task-name":
        return f"`{module}` names a task {value} (`@{string.callee}(name=...)`) after a dotted path"
    if string.how == "reference":
        callee = string.callee if string.callee.startswith("a ") else f"`{string.callee}`"
        return f"`{module}` gives {value} to {callee} as the dotted path of code to run"
    return f"`{module}` passes {value} to `{string.callee.removeprefix('builtins.')}`"


def _consequence(string: DottedString) -> str:
    if string.how == "module":
        return "importing it fails with ModuleNotFoundError"
    if string.how == "task-name":
        return "whatever routes or imports tasks by this name finds nothing"
    if string.how == "reference":
        return (
            "the worker, scheduler or resolver that imports it fails with an ImportError or "
            "AttributeError"
        )
    if string.callee.startswith(("unittest.mock", "mock.")):
        return "the patch fails with an AttributeError or ModuleNotFoundError"
    return "resolving it fails with an ImportError or AttributeError"
