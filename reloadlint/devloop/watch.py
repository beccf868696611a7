"""File changes under the project, in bursts: one batch per burst of saves.

watchfiles (inotify, FSEvents, ReadDirectoryChangesW; polling elsewhere) does
the watching and the debouncing: after a change it keeps collecting until no
new change arrives for ``step`` milliseconds (an editor's write, rename and
touch of one save, or a "save all", make one batch). Its default filter drops
version-control, virtual-environment and cache directories and editor swap
files; reloadlint's own cache directory is dropped too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

#: Milliseconds without a new change that end a burst.
STEP_MS = 50
#: The longest a burst is collected before it is handed over anyway.
DEBOUNCE_MS = 1600

#: watchfiles' change kinds as the planner names them.
STATUS = {1: "added", 2: "modified", 3: "deleted"}


class MissingWatcher(Exception):
    """watchfiles is not installed (``pip install 'reloadlint[run]'``)."""


class Watcher:
    """Watch ``roots`` in a thread; each burst goes to ``deliver`` as a set of
    ``(status, absolute path)``."""

    def __init__(
        self,
        roots: Sequence[Path],
        deliver: Callable[[set[tuple[str, str]]], None],
        *,
        ignore: Sequence[Path] = (),
    ) -> None:
        try:
            import watchfiles
        except ImportError:
            raise MissingWatcher(
                "reloadlint run needs watchfiles: pip install 'reloadlint[run]'"
            ) from None
        self._watchfiles = watchfiles
        self.roots = list(roots)
        self.deliver = deliver
        self.stop_event = threading.Event()
        ignored = tuple(str(path) for path in ignore)
        self.filter = watchfiles.DefaultFilter(ignore_paths=ignored)
        self.thread = threading.Thread(target=self._run, name="reloadlint-run-watch", daemon=True)
        self.ready = threading.Event()

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        changes = self._watchfiles.watch(
            *self.roots,
            watch_filter=self.filter,
            step=STEP_MS,
            debounce=DEBOUNCE_MS,
            stop_event=self.stop_event,
            rust_timeout=500,
            yield_on_timeout=True,
            raise_interrupt=False,
        )
        for batch in changes:
            self.ready.set()  # the first timeout: the watch is in place
            if batch:
                self.deliver({(STATUS.get(int(kind), "modified"), path) for kind, path in batch})

    def stop(self) -> None:
        self.stop_event.set()
        self.thread.join(timeout=5)
