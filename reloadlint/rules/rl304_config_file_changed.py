"""RL304 config-file-changed."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING

from reloadlint.context import CheckContext
from reloadlint.profiles import off, on
from reloadlint.rules._upgrade_facts import LINE_ONE
from reloadlint.rules.base import Rule
from reloadlint.summary.model import ConfigRead, ModuleSummary

if TYPE_CHECKING:
    from reloadlint.config import Settings
    from reloadlint.project import ProjectModel
    from reloadlint.upgrade import Upgrade


class ConfigFileChanged(Rule):
    """## What it does
    In upgrade mode (``--base REV``), flags a module that reads a file at
    import time with a literal path (what RL301 reports) when that file
    changed between the base revision and the working tree. It is reported on
    line 1 of the reading module; the message names the file, the line that
    reads it, and every module that must be reloaded to see the new contents.

    ## Why is this bad?
    The file was read once, when the running process imported the module.
    A deploy that only changes ``settings.json`` changes no Python code, so
    nothing in a code-driven reload re-reads it: the process keeps the old
    contents. Reloading the reading module re-reads the file, but modules
    that imported its values by value (``from app.settings import LIMITS``)
    keep the old values until they are reloaded too.

    ## Known problems
    Only files read at import time with a path the code spells out (what
    RL301 reports with a literal path) are compared; a file read through a
    helper or a library, or whose path is computed from configuration, is
    not.

    ## Example
    ```python
    # app/settings.py
    import json
    from pathlib import Path

    LIMITS = json.loads((Path(__file__).parent / "limits.json").read_text())
    ```
    and the upgrade edits ``app/limits.json``:
    ```text
    # app/limits.json, base revision
    {"max_items": 10}
    ```
    ```text
    # app/limits.json, new version
    {"max_items": 20}
    ```

    ## Use instead
    Reload the modules the message lists (the reader first, then the modules
    that bind its values), or restart. Code that reads the file when it needs
    the value, instead of at import time, sees every change:

    ```python
    # app/settings.py
    import json
    from pathlib import Path

    def limits() -> dict:
        return json.loads((Path(__file__).parent / "limits.json").read_text())
    ```

    ## Fix safety
    There is no automatic fix.

    ## Options
    No setting of its own: it runs in upgrade mode (``--base REV``).

    ## References
    - [What needs a restart](https://reloadlint.readthedocs.io/en/latest/guide/restart.html)
    - [Upgrade mode and the reload
      plan](https://reloadlint.readthedocs.io/en/latest/upgrade.html)
    """

    code = "RL304"
    name = "config-file-changed"
    summary = "File read at import time changed"
    mode = "upgrade"
    plan_role = "reloads-readers"

    profiles = {
        "importlib": on("the changed file is read again only when the modules that read it reload"),
        "runtime": off(
            "the plan reloads the modules that read the changed file at import time, and "
            "their by-value importers (this rule's findings, which the plan reads, say "
            "which)"
        ),
        "ipython": on("a changed data file is not a changed module: `%autoreload` reloads nothing"),
        "jurigged": on("jurigged watches Python files only: nothing runs again"),
    }

    def __init__(self) -> None:
        self._readers: tuple[Upgrade, dict[str, list[str]]] | None = None

    def check(self, ctx: CheckContext) -> None:
        upgrade = ctx.upgrade
        if upgrade is None:
            return
        module = ctx.module
        reported: set[str] = set()
        for read in module.config_reads:
            file = read_file(read, module, upgrade, ctx.settings)
            if file is None or file not in upgrade.changed_paths or file in reported:
                continue
            reported.add(file)
            reload = self._modules_to_reload(file, ctx.project, upgrade, ctx.settings)
            status = _status(upgrade, file)
            ctx.report(
                LINE_ONE,
                f"`{module.name}` reads `{file}` at import time (line {read.span.line}) and that "
                f"file was {status}; the running process keeps the old contents — reload "
                f"{_listing(reload)} in that order, or restart",
                symbol=f"{module.name}:{file}",
                context=file,
            )

    def _modules_to_reload(
        self, file: str, project: ProjectModel, upgrade: Upgrade, settings: Settings
    ) -> list[str]:
        """The modules reading ``file`` at import time, then those binding their names by value."""
        if self._readers is None or self._readers[0] is not upgrade:
            self._readers = (upgrade, _readers_by_file(project, upgrade, settings))
        readers = self._readers[1].get(file, [])
        bound = sorted(
            {
                m.name
                for m in project.modules.values()
                if m.name not in readers and _binds_from(m, readers, project)
            }
        )
        return [*readers, *bound]


def read_file(
    read: ConfigRead, module: ModuleSummary, upgrade: Upgrade, settings: Settings
) -> str | None:
    """The repo-relative posix path of the file an import-time read names, if it is in
    the repository.

    A path relative to the module (``Path(__file__).parent / "x.json"``) is
    exact. A plain relative path depends on the process's working directory;
    the project root (where the configuration is) is assumed, and the
    repository root when that names no changed file.
    """
    if not read.import_time or read.path is None:
        return None
    try:
        module_dir = posixpath.dirname(upgrade.repo_path(module.path))
    except ValueError:
        return None
    if read.relative_to_module:
        return _inside(posixpath.join(module_dir, read.path))
    if os.path.isabs(read.path):
        return _repo_relative(Path(read.path), upgrade)
    candidates = [_repo_relative(settings.root / read.path, upgrade), _inside(read.path)]
    found = [c for c in candidates if c is not None]
    return next((c for c in found if c in upgrade.changed_paths), found[0] if found else None)


def _repo_relative(path: Path, upgrade: Upgrade) -> str | None:
    try:
        return _inside(upgrade.repo_path(str(path)))
    except ValueError:
        return None


def _inside(path: str) -> str | None:
    """A normalised repo-relative path, or None when it climbs out of the repository."""
    normal = posixpath.normpath(path)
    return None if normal.startswith("../") or normal == ".." or posixpath.isabs(normal) else normal


def _readers_by_file(
    project: ProjectModel, upgrade: Upgrade, settings: Settings
) -> dict[str, list[str]]:
    readers: dict[str, list[str]] = {}
    for module in project.modules.values():
        for read in module.config_reads:
            file = read_file(read, module, upgrade, settings)
            if file is not None and module.name not in readers.setdefault(file, []):
                readers[file].append(module.name)
    return {file: sorted(names) for file, names in readers.items()}


def _binds_from(module: ModuleSummary, readers: list[str], project: ProjectModel) -> bool:
    """Whether ``module`` binds a name of one of ``readers`` by value (``from reader import X``)."""
    for fact in module.imports:
        if (
            fact.scope != "module"
            or fact.type_checking
            or fact.module not in readers
            or fact.name is None
        ):
            continue
        if fact.name == "*" or f"{fact.module}.{fact.name}" not in project.modules:
            return True
    return False


def _status(upgrade: Upgrade, file: str) -> str:
    """How the file changed, in words: ``changed``, ``added``, ``deleted``, ``moved to `x```."""
    for old, new in upgrade.changes.renamed:
        if old == file:
            return f"moved to `{new}`"
    if file in upgrade.changes.deleted:
        return "deleted"
    if file in upgrade.changes.added:
        return "added"
    return "changed"


def _listing(modules: list[str]) -> str:
    return ", ".join(f"`{name}`" for name in modules)
