"""Which rules run: ``select``/``extend-select``/``ignore`` and per-file ignores.

Selectors are codes (``RL101``), prefixes (``RL1``, ``RL``, ``ALL``) or kebab
names (``stale-function-import``), as ruff accepts them.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from pathlib import Path, PurePath

from reloadlint.rules.base import Rule
from reloadlint.rules.registry import all_rules


class SelectionError(ValueError):
    pass


def expand(selector: str, rules: Iterable[type[Rule]] | None = None) -> set[str]:
    """The codes a selector names; an unknown selector is an error."""
    rules = tuple(rules if rules is not None else all_rules())
    key = selector.strip()
    upper = key.upper()
    if upper == "ALL":
        return {r.code for r in rules}
    matched = {r.code for r in rules if r.code.startswith(upper) or r.name == key.lower()}
    if not matched:
        raise SelectionError(f"unknown rule selector `{selector}` (see `reloadlint --list-rules`)")
    return matched


def enabled_codes(
    select: Iterable[str], extend_select: Iterable[str], ignore: Iterable[str], *, upgrade: bool
) -> frozenset[str]:
    rules = all_rules()
    select = tuple(select)
    if select:
        codes: set[str] = set()
        for selector in select:
            codes |= expand(selector, rules)
    else:
        codes = {r.code for r in rules if r.default_enabled}
    for selector in extend_select:
        codes |= expand(selector, rules)
    for selector in ignore:
        codes -= expand(selector, rules)
    if not upgrade:
        codes -= {r.code for r in rules if r.mode == "upgrade"}
    return frozenset(codes)


class PerFileIgnores:
    def __init__(self, table: dict[str, tuple[str, ...]], root: Path) -> None:
        self.root = root
        self.entries = [
            (glob, frozenset().union(*(expand(c) for c in codes)) if codes else frozenset())
            for glob, codes in table.items()
        ]

    def ignored(self, path: str) -> frozenset[str]:
        if not self.entries:
            return frozenset()
        candidate = PurePath(path)
        try:
            relative = Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            relative = candidate.as_posix()
        found: set[str] = set()
        for glob, codes in self.entries:
            if fnmatch.fnmatch(relative, glob) or fnmatch.fnmatch(candidate.name, glob):
                found |= codes
        return frozenset(found)
