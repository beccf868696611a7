"""Which linted files are the application a reload upgrades: one definition for tree
mode and for plans.

Tests, documentation, examples, ``setup.py`` and ``noxfile.py`` are linted but
are not application code: no running process reloads them. ``plan-exclude``
(default :data:`~reloadlint.config.PLAN_EXCLUDES`, extended by
``extend-plan-exclude``) names them, as gitignore-style patterns relative to
the configuration file's directory. A plan leaves them out
(:mod:`reloadlint.upgrade` matches repository paths against the same
patterns); in tree mode their modules are not reloadable unless
``reloadable`` names them (:meth:`reloadlint.project.ProjectModel.is_reloadable`),
and only the rules that matter there check them (RL502: a ``mock.patch``
string in a test that names nothing).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from reloadlint.ignore_patterns import compile_excludes, matches

if TYPE_CHECKING:
    from reloadlint.config import Settings


def application_excludes(settings: Settings) -> list[str]:
    """``plan-exclude`` (default :data:`~reloadlint.config.PLAN_EXCLUDES`) and its extension."""
    from reloadlint.config import PLAN_EXCLUDES

    chosen = settings.plan_exclude if settings.plan_exclude is not None else PLAN_EXCLUDES
    return [*chosen, *settings.extend_plan_exclude]


def outside_application(
    settings: Settings, errors: list[str] | None = None
) -> Callable[[str], bool]:
    """Whether a file, given as its path under its source root (``tests/test_x.py`` for
    the module ``tests.test_x``), is outside the application; ``errors`` collects
    invalid patterns. The path under the source root, not under the configuration's
    directory: a project linted from above (``reloadlint examples/jobserver``) is the
    application itself, whatever folder holds it."""
    spec = compile_excludes(application_excludes(settings), [] if errors is None else errors)
    if spec is None:
        return lambda path: False

    # A directory's verdict is asked again for every file under it: answered once.
    verdicts: dict[str, bool] = {}

    def matched(candidate: str) -> bool:
        verdict = verdicts.get(candidate)
        if verdict is None:
            verdict = verdicts[candidate] = matches(spec, candidate)
        return verdict

    def outside(relative: str) -> bool:
        parts = relative.split("/")
        candidates = ["/".join(parts[:i]) + "/" for i in range(1, len(parts))] + [relative]
        return any(matched(candidate) for candidate in candidates)

    return outside


def outside_modules(paths: Iterable[tuple[str, str]], settings: Settings) -> frozenset[str]:
    """The module names, of ``(module, file path)`` pairs, whose files are outside the
    application."""
    outside = outside_application(settings)
    found = set()
    for name, path in paths:
        file = os.path.basename(path)
        parts = name.split(".")
        if file.startswith("__init__."):
            parts.append(file)
        else:
            parts[-1] = file
        if outside("/".join(parts)):
            found.add(name)
    return frozenset(found)
