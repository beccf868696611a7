"""What the upgrade rules (RL2xx-RL5xx marked *upgrade*) share: the base
version of a module, and the place whole-module findings are reported.

Upgrade rules compare two summaries of the same module, the base revision's
(what the running process loaded) and the working tree's; these helpers keep
that comparison in one vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from reloadlint.summary.model import ClassFact, DottedString, ModuleSummary, Span

if TYPE_CHECKING:
    from reloadlint.context import CheckContext
    from reloadlint.upgrade import Upgrade

#: Whole-module findings (RL303, RL304, RL501, RL503) stand on line 1 of the
#: module; the message names the line, variable or file concerned.
LINE_ONE = Span(1, 1, 1, 1)


def changed_base(ctx: CheckContext) -> ModuleSummary | None:
    """The base summary of the checked module when it exists in both versions and changed.

    Modules whose fingerprint is unchanged (docstring-, comment- or
    layout-only edits) give None: nothing a reload would do differs.
    """
    if ctx.upgrade is None or ctx.upgrade.status.get(ctx.module.name) != "changed":
        return None
    return ctx.upgrade.old(ctx.module.name)


def removed_module_named(value: str, upgrade: Upgrade) -> str | None:
    """The removed base module a dotted string names (``mod``, ``mod.attr``, ``mod:attr``), if any.

    The longest removed module that is the string's module part or a prefix
    of it at a dot boundary; a module that still exists in the working tree
    (a rename to a package keeps its name) is never "removed".
    """
    head = value.partition(":")[0].strip()
    parts = head.split(".")
    removed = set(upgrade.removed_modules())
    for cut in range(len(parts), 0, -1):
        candidate = ".".join(parts[:cut])
        if candidate in removed:
            return candidate
    return None


def renamed_hint(upgrade: Upgrade, module: str) -> str:
    """`` (git: renamed to `new`)`` when git's rename detection paired the removed module."""
    target = upgrade.renamed_to.get(module)
    return f" (git: renamed to `{target}`)" if target else ""


def removed_module_string(ctx: CheckContext, string: DottedString) -> str | None:
    """RL502's upgrade extension: the message for a string that still names a module RL501 reports.

    Only for strings tree-mode RL502 lets pass (they resolve in the new tree,
    or no longer look first-party once their package was renamed): in the
    running process the old module is still in ``sys.modules``, so the string
    keeps resolving, to stale code, until the next restart breaks it.
    """
    upgrade = ctx.upgrade
    if upgrade is None:
        return None
    removed = removed_module_named(string.value, upgrade)
    if removed is None:
        return None
    return (
        f'`"{string.value}"` in `{ctx.module.name}` names module `{removed}`, which this '
        f"upgrade removes{renamed_hint(upgrade, removed)}; the running process keeps the old "
        "module in `sys.modules`, so the string resolves to stale code until a restart makes "
        "it fail — point the string at the module's new dotted path"
    )


def class_pairs(ctx: CheckContext) -> Iterator[tuple[ClassFact, ClassFact, ModuleSummary]]:
    """``(old, new, old_module)`` for each class defined at import time in both versions
    of a changed module.

    Classes are matched by qualified name. Classes made inside functions are
    left out: each call makes a new class, so no reload replaces them.
    """
    old_module = changed_base(ctx)
    if old_module is None or not ctx.project.is_reloadable(ctx.module.name):
        return
    old_classes = {cls.qualname: cls for cls in old_module.classes if cls.import_time}
    for new in ctx.module.classes:
        old = old_classes.get(new.qualname)
        if old is not None and new.import_time:
            yield old, new, old_module


def version(cls: ClassFact) -> tuple[bool, object]:
    """``(readable, __vsn__)``: the class's version (None when it declares none), and
    whether it can be read statically (a non-literal ``__vsn__`` is RL204's business)."""
    if not cls.has_vsn:
        return True, None
    return not cls.vsn_problem, cls.vsn
