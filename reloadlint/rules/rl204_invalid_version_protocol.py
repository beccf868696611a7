"""RL204 invalid-version-protocol."""

from __future__ import annotations

from reloadlint.context import CheckContext
from reloadlint.profiles import not_applicable, on
from reloadlint.rules._stateful import is_dataclass_like
from reloadlint.rules.base import Rule
from reloadlint.summary.model import ClassFact, CodeChange


class InvalidVersionProtocol(Rule):
    """## What it does
    Checks how a class of a reloadable module declares the version protocol:

    - ``__vsn__`` must be an ``int`` or ``str`` literal (``True`` is not an
      int here);
    - in a dataclass or attrs class, ``__vsn__`` must not be an annotated
      assignment (that makes it a field); use a plain assignment or
      ``ClassVar``;
    - ``__code_change__`` must be callable as ``(self, old_vsn, extra)``:
      ``*args``, ``**kwargs`` and defaults are fine; static and class methods,
      required extra parameters, async and generator functions are not.

    ## Why is this bad?
    The runtime upgrades a class by comparing the ``__vsn__`` of the old and
    the new class and, when they differ, calling
    ``obj.__code_change__(old_vsn, extra)`` on every live instance. A computed
    ``__vsn__`` (``__vsn__ = VERSION``) may not change when the class does:
    a constant imported from a module that is not reloaded keeps its old
    value, and the migration silently never runs. A dataclass field named
    ``__vsn__`` lives on each instance (where no upgrade updates it), and in
    a slotted class the class attribute is a slot descriptor, not a version.
    A ``__code_change__`` with the wrong signature raises ``TypeError`` in
    the middle of an upgrade, after the point of no return; an async or
    generator hook returns without running its body.

    ## Known problems
    A computed ``__vsn__`` is reported even when it would change with the
    class (a constant defined in the same, reloaded, module): the rule asks for
    a literal so that the version can be read without running the code.

    ## Example
    ```python
    from dataclasses import dataclass
    from app.version import VERSION

    class Cart:
        __vsn__ = VERSION

        def __code_change__(self, old_vsn):
            self.coupons = []

    @dataclass
    class Session:
        user: str
        __vsn__: int = 2
    ```

    ## Use instead
    ```python
    from dataclasses import dataclass
    from typing import ClassVar

    class Cart:
        __vsn__ = 2

        def __code_change__(self, old_vsn, extra):
            if old_vsn == 1:
                self.coupons = []

    @dataclass
    class Session:
        user: str
        __vsn__: ClassVar[int] = 2
    ```

    ## Fix safety
    There is no automatic fix: the right literal and the right signature are
    the author's choice.

    ## Options
    - ``reloadable``, ``not-reloadable``: which first-party modules are hot-reloaded; only those
      are checked.

    ## References
    - [Versioned state: `__vsn__` and
      `__code_change__`](https://reloadlint.readthedocs.io/en/latest/guide/versioning.html)
    - [Erlang: `gen_server`
      `code_change/3`](https://www.erlang.org/doc/apps/stdlib/gen_server.html#c:code_change/3)
    """

    code = "RL204"
    name = "invalid-version-protocol"
    summary = "`__vsn__` or `__code_change__` that the runtime cannot use"
    plan_role = "restart-if-reloaded"

    profiles = {
        "importlib": on(
            "a class-patching upgrade cannot compare such a `__vsn__` or call such a "
            "`__code_change__`"
        ),
        "runtime": on(
            "the runtime cannot compare such a `__vsn__` or call such a `__code_change__`"
        ),
        "ipython": not_applicable(
            "`%autoreload` never reads `__vsn__` nor calls `__code_change__` (RL202 reports "
            "the fields live instances lack)"
        ),
        "jurigged": not_applicable(
            "jurigged never reads `__vsn__` nor calls `__code_change__` (RL202 reports the "
            "fields live instances lack)"
        ),
    }

    def check(self, ctx: CheckContext) -> None:
        module = ctx.module
        if not ctx.project.is_reloadable(module.name):
            return
        for cls in module.classes:
            symbol = f"{module.name}.{cls.qualname}"
            vsn_message = _vsn_problem(cls, module.name)
            if vsn_message is not None and cls.vsn_span is not None:
                ctx.report(cls.vsn_span, vsn_message, symbol=f"{symbol}.__vsn__")
            change = cls.code_change
            if change is not None and not change.callable_ok:
                ctx.report(
                    change.span,
                    f"`__code_change__` of class `{cls.qualname}` in reloadable module "
                    f"`{module.name}` {_code_change_problem(change)}; the runtime calls "
                    "`obj.__code_change__(old_vsn, extra)` on every live instance, so their "
                    "migration fails — define it as `def __code_change__(self, old_vsn, extra):`",
                    symbol=f"{symbol}.__code_change__",
                )


#: What is wrong with a ``__vsn__`` (:attr:`~reloadlint.summary.model.ClassFact.vsn_problem`).
_VSN_PROBLEMS = {
    "unassigned": "is annotated but never assigned, so the class has no version",
    "not-literal": "is not an int or str literal",
}
#: Why the runtime cannot call a ``__code_change__``
#: (:attr:`~reloadlint.summary.model.CodeChange.problem`).
_CODE_CHANGE_PROBLEMS = {
    "static": "is a static or class method, so it cannot migrate the instance",
    "async": "is an async function, so calling it does not run its body",
    "generator": "is a generator function, so calling it does not run its body",
    "too-few": "cannot take (self, old_vsn, extra): too few parameters",
    "keyword-only": "has keyword-only parameters without defaults",
}


def _code_change_problem(change: CodeChange) -> str:
    if change.problem == "required":
        return (
            f"requires {change.required} positional parameters; it is called as "
            "(self, old_vsn, extra)"
        )
    return _CODE_CHANGE_PROBLEMS[change.problem]


def _vsn_problem(cls: ClassFact, module: str) -> str | None:
    """The message for a ``__vsn__`` the runtime cannot compare, or None."""
    where = f"`__vsn__` of class `{cls.qualname}` in reloadable module `{module}`"
    if cls.vsn_annotated and is_dataclass_like(cls):
        literal = "" if not cls.vsn_problem else " (and not an int or str literal)"
        return (
            f"{where} is an annotated assignment in a dataclass/attrs class{literal}, which "
            "makes it a field: each instance keeps its own copy that no upgrade changes (with "
            "slots the class has no version at all) — assign it without an annotation or "
            "annotate it `ClassVar[int]`"
        )
    if cls.vsn_problem:
        return (
            f"{where} {_VSN_PROBLEMS[cls.vsn_problem]}; the runtime migrates live instances "
            "only when the old and new values differ, and a computed value need not change when "
            "the class does — write a literal such as `__vsn__ = 2`"
        )
    return None
