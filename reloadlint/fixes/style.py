"""The team's line length and import style, read where ruff, black and isort read them.

A fix must not make a line longer than the project allows. Ruff takes its
settings from the configuration file nearest to each file (``.ruff.toml``,
``ruff.toml``, or a ``pyproject.toml`` with a ``[tool.ruff]`` table, in that
order in one directory); its line-length rule uses
``lint.pycodestyle.max-line-length`` when set, else ``line-length``. Black
reads ``[tool.black] line-length``. Both default to 88, which is used when
no file says otherwise. A new import follows isort's ``force-single-line``
and ``order-by-type`` (ruff's ``lint.isort`` table, or ``[tool.isort]``
next to black's). Only the project's own files are read (the walk stops at
the project root, :mod:`reloadlint.confine`).
"""

from __future__ import annotations

import functools
import os
import re
import sys
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Style:
    """What a fix must respect of the team's formatting."""

    #: None: no limit
    line_length: int | None = DEFAULT_LINE_LENGTH
    #: isort's ``force-single-line``: one name per ``from`` import (pallets' projects)
    force_single_line: bool = False
    #: isort's ``order-by-type``: CONSTANTS, Classes, then the rest in a ``from`` import
    order_by_type: bool = True


#: no line length (a fix asked for outside a project: the API, tests)
UNLIMITED = Style(line_length=None)


def style_of(path: str, roots: ProjectRoots) -> Style:
    """The style that applies to the file at ``path``."""
    directory = os.path.dirname(os.path.abspath(path))
    top = next((r for r in roots.roots if inside(directory, r)), None)
    if top is None:
        return Style()
    return _for_directory(directory, top)


def line_length(path: str, roots: ProjectRoots) -> int | None:
    """The line length that applies to the file at ``path``."""
    return style_of(path, roots).line_length


@functools.lru_cache(maxsize=256)
def _for_directory(directory: str, top: str) -> Style:
    found = _in_directory(directory)
    if found is not None:
        return found
    parent = os.path.dirname(directory)
    if directory == top or parent == directory or not inside(parent, top):
        return Style()
    return _for_directory(parent, top)


def _in_directory(directory: str) -> Style | None:
    """The style the configuration files of ``directory`` set, if one applies
    (ruff's file first: ruff reads no other; else black's and isort's tables)."""
    for name in (".ruff.toml", "ruff.toml"):
        table = _read(os.path.join(directory, name))
        if table is not None:
            return _ruff_style(table)
    pyproject = _read(os.path.join(directory, "pyproject.toml"))
    if pyproject is None:
        return None
    tool = pyproject.get("tool")
    if not isinstance(tool, dict):
        return None
    ruff = tool.get("ruff")
    if isinstance(ruff, dict):
        return _ruff_style(ruff)
    black, isort = tool.get("black"), tool.get("isort")
    if not isinstance(black, dict) and not isinstance(isort, dict):
        return None
    length = black.get("line-length") if isinstance(black, dict) else None
    isort = isort if isinstance(isort, dict) else {}
    return Style(
        length if isinstance(length, int) and _valid(length) else DEFAULT_LINE_LENGTH,
        isort.get("force_single_line") is True,
        isort.get("order_by_type") is not False,
    )


def _ruff_style(table: dict[str, Any]) -> Style:
    isort: dict[str, Any] = {}
    for section in (table, table.get("lint")):  # `lint.isort` wins over the older `isort`
        found = section.get("isort") if isinstance(section, dict) else None
        if isinstance(found, dict):
            isort = found
    return Style(
        _ruff_length(table),
        isort.get("force-single-line") is True,
        isort.get("order-by-type") is not False,
    )


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
