"""``# noqa`` comments, in flake8's grammar, shared by the CLI and the plugins."""

from __future__ import annotations

import re

# flake8's own expression: a bare "noqa", "noqa: RL101", "noqa:RL101,RL102" after a "#".
_NOQA = re.compile(
    r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)
_FILE_NOQA = re.compile(r"#\s*reloadlint\s*:\s*noqa\b(?!\s*:)", re.IGNORECASE)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)


def scan(lines: list[str]) -> tuple[dict[int, frozenset[str] | None], bool]:
    """Map 1-based line -> codes suppressed there (None: all), and the file-wide flag."""
    found: dict[int, frozenset[str] | None] = {}
    file_wide = False
    for number, line in enumerate(lines, start=1):
        if "#" not in line:
            continue
        lowered = line.lower()
        if "noqa" not in lowered:
            continue
        if "reloadlint" in lowered and _FILE_NOQA.search(line):
            file_wide = True
            continue
        match = _NOQA.search(line)
        if match is None:
            continue
        codes = match.group("codes")
        found[number] = frozenset(c.upper() for c in _CODE.findall(codes)) if codes else None
    return found, file_wide


def suppressed(noqa: dict[int, frozenset[str] | None], line: int, code: str) -> bool:
    if line not in noqa:
        return False
    codes = noqa[line]
    return codes is None or code in codes or any(code.startswith(c) for c in codes)
