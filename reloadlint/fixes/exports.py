"""Which names of each module other modules of the project use from it.

The stale-import fix removes ``from m import f`` from a module and writes
``m.f`` where it was used. Any other module that needs ``f`` *in that
module* would break: an importer (``from thismod import f``, or
``from thismod import *``), a reader of ``thismod.f``, a test that patches
``thismod.f = stub`` (or ``monkeypatch.setattr(thismod, "f", ...)``,
``mock.patch("pkg.thismod.f")``) and so no longer reaches the code that
calls it. Such a name is *kept*: its import is not fixed. (The module's own
strings, ``__all__`` among them, and ``# noqa: F401`` are read by the fix
itself, from the file: :func:`reloadlint.fixes.stale_plan.plan`.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from reloadlint.summary.model import ModuleSummary

#: Kept-name marker: a star import of the module needs every name it has.
EVERYTHING = "*"


def kept_names(summaries: Iterable[ModuleSummary]) -> dict[str, frozenset[str]]:
    """Module name -> the names other modules use from it (:data:`EVERYTHING`
    when one star-imports it)."""
    kept: dict[str, set[str]] = defaultdict(set)

    def dotted(qualified: str) -> None:
        # "pkg.mod.f.attr": f of pkg.mod, mod of pkg (which prefix is a module
        # is the project's business: a name kept of a non-module is never asked for)
        parts = qualified.split(".")
        for end in range(1, len(parts)):
            kept[".".join(parts[:end])].add(parts[end])

    for summary in summaries:
        for fact in summary.imports:
            if fact.module and fact.name:
                kept[fact.module].add(fact.name)  # "*" too: EVERYTHING
        for ref in summary.module_refs:
            dotted(ref.qualified)
        for name in summary.named_attributes:
            dotted(name)
    return {module: frozenset(names) for module, names in kept.items()}


def kept_for(kept: dict[str, frozenset[str]], summary: ModuleSummary) -> frozenset[str]:
    """The names of ``summary``'s module that its fixes must keep bound."""
    return kept.get(summary.name, frozenset()) if summary.name else frozenset()
