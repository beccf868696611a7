"""Module state a reload may empty because nothing the process needs is in it.

RL401 reports a container a reload rebinds empty; RL402 a registration a
reload repeats into one. Neither matters when the container's contents are
never needed again (its module's own reads are recorded by
:mod:`reloadlint.summary.facts.state_reads`):

- a **memo** (filled on a miss with a value computed from the key, read only
  by key) is filled again with the same values;
- a **duplicate check** (every read a membership test that raises) only
  forgets what was registered before; the reload's re-registrations would
  otherwise trip it;
- an **unread** private container (the module only adds to it, nothing
  removes from it, and no other module names it) is read by nothing at all:
  losing it, or registering twice into it, changes nothing anybody sees. One
  that its module also empties entry by entry is a lifecycle (it keeps
  objects alive until they are done: sqlalchemy's checked-out connection
  records) and stays state.

Each holds only when no other module names the container: another module
may read it in any way. The plan asks the same question ignoring modules it
leaves out (tests, test tools' plugins): state only they read is no
application state.

Summaries and the project model only: nothing here executes analysed code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reloadlint.project import project_index

if TYPE_CHECKING:
    from reloadlint.project import ProjectModel
    from reloadlint.summary.model import ModuleSummary

_INDEX = "state-readers"

#: What each harmless kind means, for messages and docs.
WHY = {
    "memo": "a memo (filled on a miss with a value computed from the key): emptied, it is "
    "filled again with the same values",
    "duplicate-check": "only read by membership tests that raise on a duplicate: emptied, the "
    "check forgets earlier registrations, nothing else",
    "unread": "never read: the module only adds to it and nothing else names it",
}


def _merge(parts: dict[str, tuple[str, ...]]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for module, names in parts.items():
        for name in names:
            found.setdefault(name, set()).add(module)
    return {name: frozenset(modules) for name, modules in found.items()}


@project_index(_INDEX, _merge)  # type: ignore[arg-type]
def _contribution(project: ProjectModel, summary: ModuleSummary) -> tuple[str, ...]:
    """Every first-party qualified name this module names (an import, or a chain
    ``pkg.mod.NAME.add`` read through a module: each dotted prefix of it)."""
    names = {fact.target for fact in summary.imports if fact.name not in (None, "*")}
    for ref in summary.module_refs:
        parts = ref.qualified.split(".")
        names.update(".".join(parts[:end]) for end in range(2, len(parts) + 1))
    return tuple(sorted(name for name in names if project.is_first_party(name)))


def readers(project: ProjectModel, module: str, name: str) -> frozenset[str]:
    """The other modules that name ``module.name``."""
    found = project.index(_INDEX).get(f"{module}.{name}", frozenset())
    return frozenset(found) - {module}


def harmless(
    project: ProjectModel,
    summary: ModuleSummary,
    name: str,
    ignore: frozenset[str] = frozenset(),
) -> str:
    """The kind of container ``summary.name`` is when losing its contents loses nothing
    (``memo``, ``duplicate-check``, ``unread``), else "". Modules in ``ignore`` do not
    count as readers (the plan's left-out modules)."""
    kind = summary.state_reads.get(name, "")
    if not kind or readers(project, summary.name, name) - ignore:
        return ""
    if kind == "unread" and not name.startswith("_"):
        return ""  # a public container: code outside the project may read it
    return kind
