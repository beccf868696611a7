"""``reloadlint -`` and ``--stdin-filename PATH``: lint an editor's buffer.

As with ruff and flake8, an editor pipes the unsaved buffer to stdin and names
the file it stands for. The buffer is linted as that file, judged against the
project on disk: the rest of the project is read from disk, this file's
content from stdin (:class:`reloadlint.request.StdinBuffer`). Without a file
name (``reloadlint -`` alone) there is no project to judge it against, so the
buffer is linted alone and shown as ``-``.

Front end: it reads the process's stdin and checks the options that make sense
with it; the engine does the rest.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reloadlint.console import CommandError
from reloadlint.request import StdinBuffer
from reloadlint.source import MAX_FILE_BYTES


def buffer(paths: tuple[Path, ...], options: dict[str, object]) -> StdinBuffer | None:
    """The buffer to lint when the command line asks for stdin, else None."""
    named = options.get("stdin_filename")
    dash = any(str(path) == "-" for path in paths)
    if not dash and named is None:
        return None
    if len(paths) > 1 or (named is not None and paths and not dash):
        raise CommandError("stdin (`-` or --stdin-filename) is linted alone: name no other path")
    for flag in ("fix", "unsafe_fixes", "diff", "base", "show_files", "write_baseline"):
        if options.get(flag):
            name = flag.replace("_", "-")
            raise CommandError(f"--{name} works on files, not on a buffer read from stdin")
    data = _read()
    return StdinBuffer(Path(str(named)) if named is not None else None, data)


def _read() -> bytes:
    stream = sys.stdin.buffer if sys.stdin is not None else None
    if stream is None:
        raise CommandError("no stdin to read the buffer from")
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise CommandError(f"stdin: over the {MAX_FILE_BYTES // 2**20} MB limit; not analysed")
    return bytes(data)
