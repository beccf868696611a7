"""The four reloaders a corpus experiment runs under (``RELOADKIT_RELOADER``).

Each adapter applies a change to the running experiment the way that
reloader really does, with the reloader's own code:

- ``importlib``: ``importlib.reload`` of the modules the experiment names.
- ``runtime``: reloadlint's plan for the change (``reloadlint --plan --base
  HEAD --output-format json``, the tree being a git repository whose HEAD is
  what the process loaded), applied with :func:`reloadlint.runtime.apply_plan`.
- ``ipython``: an ``InteractiveShell`` with ``%autoreload 2``; a change is
  picked up when the next cell runs (its ``pre_run_cell`` hook), as at the
  prompt. A cell runs before the first edit too: the user ran the imports
  in an earlier cell, so autoreload has seen the modules as they were.
- ``jurigged``: jurigged's registry watches what the experiment imports
  (``registry.auto_register``, as ``jurigged.live.watch`` sets it up), and
  each file saved since the last change goes through ``Watcher.refresh``, the
  method its file-system handler calls. No observer thread and no timing:
  the test calls what the handler would call, once per changed file.

An adapter is set up when :mod:`reloadkit` is imported, before the
experiment imports its code (jurigged must see the imports).
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import types
from pathlib import Path

RELOADERS = ("importlib", "runtime", "ipython", "jurigged")


class ReloaderFailed(Exception):
    """The reloader reported that it could not apply the change (the old code runs on)."""


class Reloader:
    """The default: ``importlib.reload`` of the named modules, in order."""

    name = "importlib"

    def __init__(self, root: Path) -> None:
        self.root = root

    def before_change(self) -> None:
        """Called before the experiment edits or replaces a file."""

    def apply(self, names: tuple[str, ...]) -> None:
        importlib.invalidate_caches()
        for name in names:
            importlib.reload(sys.modules[name])


class IPythonReloader(Reloader):
    name = "ipython"

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config

        config = Config()
        config.HistoryManager.enabled = False
        self.shell = InteractiveShell.instance(config=config)
        self.shell.run_line_magic("load_ext", "autoreload")
        self.shell.run_line_magic("autoreload", "2")
        self.pending = False

    def _cell(self) -> None:
        result = self.shell.run_cell("pass", store_history=False)
        result.raise_error()

    def before_change(self) -> None:
        if not self.pending:
            self._cell()  # the cell in which the user imported and used the code
            self.pending = True

    def apply(self, names: tuple[str, ...]) -> None:
        reloader = self.shell.magics_manager.registry["AutoreloadMagics"]._reloader
        self._cell()  # the next cell: %autoreload reloads every changed module first
        self.pending = False
        if reloader.failed:
            failed = ", ".join(sorted(reloader.failed))
            raise ReloaderFailed(f"%autoreload could not reload {failed} (see its traceback above)")


class JuriggedReloader(Reloader):
    name = "jurigged"

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        from jurigged.live import Watcher
        from jurigged.register import registry

        prefix = str(root.resolve()) + os.sep
        self.errors: list[BaseException] = []
        registry.auto_register(filter=lambda filename: str(filename).startswith(prefix))
        registry.set_logger(self._log)
        self.registry = registry
        self.watcher = Watcher(registry)  # never started: apply() calls its refresh()
        self.seen: dict[str, float] = {}

    def _log(self, event: object) -> None:
        if isinstance(event, BaseException):
            self.errors.append(event)

    def _watched(self) -> dict[str, float]:
        files = set(self.registry.precache) | set(self.registry.cache)
        return {f: os.path.getmtime(f) for f in files if os.path.exists(f)}

    def before_change(self) -> None:
        for filename, mtime in self._watched().items():
            self.seen.setdefault(filename, mtime)

    def apply(self, names: tuple[str, ...]) -> None:
        for filename, mtime in sorted(self._watched().items()):
            if self.seen.get(filename) != mtime:
                self.seen[filename] = mtime
                if self.registry.get(filename) is not None:  # None: never imported
                    self.watcher.refresh(filename)  # what JuriggedHandler.on_modified calls
        if self.errors:
            errors = "; ".join(f"{type(e).__name__}: {e}" for e in self.errors)
            raise ReloaderFailed(f"jurigged could not apply the change: {errors}")


class RuntimeReloader(Reloader):
    name = "runtime"

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self._git("init", "-q", "-b", "main")
        self._commit("loaded")

    def _git(self, *args: str) -> None:
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
        }
        subprocess.run(["git", *args], cwd=self.root, check=True, capture_output=True, env=env)

    def _commit(self, message: str) -> None:
        self._git("add", "-A")
        self._git("commit", "-q", "--allow-empty", "-m", message)

    def plan(self) -> dict[str, object]:
        """The plan of the change from what the process loaded (HEAD) to the files now."""
        args = ["--plan", "--base", "HEAD", "--output-format", "json", "--no-cache", "--exit-zero"]
        ignore = os.environ.get("RELOADKIT_IGNORE")
        if ignore:
            args += ["--ignore", ignore]
        done = subprocess.run(
            [sys.executable, "-m", "reloadlint", *args, "."],
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"reloadlint --plan failed:\n{done.stderr}")
        plan: dict[str, object] = json.loads(done.stdout)
        return plan

    def apply(self, names: tuple[str, ...]) -> None:
        from reloadlint import runtime

        runtime.apply_plan(self.plan())  # PlanRefused: the plan says restart
        self._commit("reloaded")


def make(root: Path) -> Reloader:
    name = os.environ.get("RELOADKIT_RELOADER", "importlib")
    adapters: dict[str, type[Reloader]] = {
        "importlib": Reloader,
        "ipython": IPythonReloader,
        "jurigged": JuriggedReloader,
        "runtime": RuntimeReloader,
    }
    if name not in adapters:
        raise SystemExit(f"RELOADKIT_RELOADER: unknown reloader {name!r}")
    return adapters[name](root)


def module(name: str) -> types.ModuleType:
    return sys.modules[name]
