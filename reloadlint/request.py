"""What a run is asked to check: the request and each file it covers.

Plain records at the bottom of the import graph: the CLI builds a
:class:`LintRequest`, the engine turns it into :class:`FileEntry` rows, and
upgrade mode (:mod:`reloadlint.upgrade`) reads both without importing the
engine that calls it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from reloadlint.confine import ProjectRoots

if TYPE_CHECKING:
    from reloadlint.basesource import BaseSource
    from reloadlint.config import Settings


@dataclass
class FileEntry:
    path: Path
    display: str
    name: str
    is_package: bool
    target: bool  # reported (named by the user) or only part of the project


@dataclass(frozen=True)
class StdinBuffer:
    """An editor's buffer read from stdin (``reloadlint -``, ``--stdin-filename``):
    linted in place of the file on disk at ``path``; None: ``-`` without a name,
    linted alone."""

    path: Path | None
    data: bytes


@dataclass
class LintRequest:
    paths: Sequence[Path]
    settings: Settings
    codes: frozenset[str] | None = None  # None: from settings
    force_exclude: bool = False
    #: upgrade mode: the base version's files (``--base REV``: a git revision)
    base: BaseSource | None = None
    jobs: int | None = None
    use_cache: bool = True
    #: check every file of the project, not only those named (``--plan`` judges the whole change)
    whole_project: bool = False
    #: the one file to report, read from stdin (``paths`` is then ignored)
    stdin: StdinBuffer | None = None
    #: the files (and discovery's warnings) an earlier run of this same request found,
    #: when nothing was added, removed or reconfigured since: ``reloadlint run`` plans
    #: at every save and walks the project again only when its files may differ
    collected: tuple[list[FileEntry], list[str]] | None = None

    @cached_property
    def roots(self) -> ProjectRoots:
        """Where this run may walk, read and write (:mod:`reloadlint.confine`)."""
        return ProjectRoots.of(self.settings.root, self.paths)
