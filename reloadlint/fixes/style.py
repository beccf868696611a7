"""The team's line length, read where ruff and black read it.

A fix must not make a line longer than the project allows. Ruff takes its
settings from the configuration file nearest to each file (``.ruff.toml``,
``ruff.toml``, or a ``pyproject.toml`` with a ``[tool.ruff]`` table, in that
order in one directory); its line-length rule uses
``lint.pycodestyle.max-line-length`` when set, else ``line-length``. Black
reads ``[tool.black] line-length``. Both default to 88, which is used when
no file says otherwise. Only the project's own files are read (the walk
stops at the project root, :mod:`reloadlint.confine`).
"""

from __future__ import annotations

import functools
import os
import re
import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from reloadlint.confine import ProjectRoots, inside
from reloadlint.safeio import read_limited

#: ruff's and black's default
DEFAULT_LINE_LENGTH = 88

_MAX_BYTES = 4 * 2**20


def line_length(path: str, roots: ProjectRoots) -> int:
    """The line length that applies to the file at ``path``."""
    directory = os.path.dirname(os.path.abspath(path))
    top = next((r for r in roots.roots if inside(directory, r)), None)
    if top is None:
        return DEFAULT_LINE_LENGTH
    return _for_directory(directory, top)


@functools.lru_cache(maxsize=256)
def _for_directory(directory: str, top: str) -> int:
    found = _in_directory(directory)
    if found is not None:
        return found
    parent = os.path.dirname(directory)
    if directory == top or parent == directory or not inside(parent, top):
        return DEFAULT_LINE_LENGTH
    return _for_directory(parent, top)


def _in_directory(directory: str) -> int | None:
    """The line length the configuration files of ``directory`` set, if one applies."""
    for name in (".ruff.toml", "ruff.toml"):
        table = _read(os.path.join(directory, name))
        if table is not None:
            return _ruff_length(table)
    pyproject = _read(os.path.join(directory, "pyproject.toml"))
    if pyproject is None:
        return None
    tool = pyproject.get("tool")
    if not isinstance(tool, dict):
        return None
    ruff = tool.get("ruff")
    if isinstance(ruff, dict):
        return _ruff_length(ruff)
    black = tool.get("black")
    if isinstance(black, dict):
        value = black.get("line-length")
        return value if isinstance(value, int) and _valid(value) else DEFAULT_LINE_LENGTH
    return None


def _ruff_length(table: dict[str, Any]) -> int:
    for section in (table.get("lint"), table):
        if isinstance(section, dict):
            pycodestyle = section.get("pycodestyle")
            value = pycodestyle.get("max-line-length") if isinstance(pycodestyle, dict) else None
            if isinstance(value, int) and _valid(value):
                return value
    value = table.get("line-length")
    return value if isinstance(value, int) and _valid(value) else DEFAULT_LINE_LENGTH


def _valid(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 10_000


def _read(path: str) -> dict[str, Any] | None:
    try:
        table: dict[str, Any] = tomllib.loads(read_limited(path, _MAX_BYTES).decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None
    return table


def width(line: str) -> int:
    """A line's width as ruff's line-length rule counts it: tabs as 4, wide
    characters as 2, and trailing pragma comments (``# type: ignore``,
    ``# noqa``...) left out, since E501 does not count them."""
    line = _without_pragmas(line)
    if line.isascii():
        return len(line.expandtabs(4)) if "\t" in line else len(line)
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


#: the comments ruff's E501 does not count at the end of a line
_PRAGMA = re.compile(
    r"\s*#\s*(?:[nN][oO][qQ][aA]|nosec|(?:isort|type|pyright|pylint|flake8|ruff):)[^#]*\Z"
)


def _without_pragmas(line: str) -> str:
    if "#" not in line:
        return line
    while True:
        found = _PRAGMA.search(line)
        if found is None:
            return line
        line = line[: found.start()]
