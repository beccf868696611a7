"""Which rules run: ``select``/``extend-select``/``ignore``, the reloader, per-file ignores.

Selectors are codes (``RL101``), prefixes (``RL1``, ``RL``, ``ALL``) or kebab
names (``stale-function-import``), as ruff accepts them. A rule that does not
apply under the configured reloader (:mod:`reloadlint.profiles`) never runs,
however it is selected: its findings would describe a hazard that reloader
does not have. Selecting it by code or name gets a warning saying why.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from pathlib import Path, PurePath

from reloadlint.profiles import DEFAULT_RELOADER, Reloader
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
    select: Iterable[str],
    extend_select: Iterable[str],
    ignore: Iterable[str],
    *,
    upgrade: bool,
    reloader: Reloader | None = DEFAULT_RELOADER,
) -> frozenset[str]:
    """The codes that run. ``reloader``: drop the rules that do not apply under it
    (None: keep them, for ``--plan``, which reads the findings it needs whatever
    the profile says should be reported)."""
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
    if reloader is not None:
        codes -= {r.code for r in rules if not r.runs_under(reloader)}
    return frozenset(codes)


def profile_warnings(selectors: Iterable[str], reloader: Reloader) -> list[str]:
    """Why a rule named by code or name (not by prefix) does not run under ``reloader``."""
    warnings = []
    for rule in all_rules():
        verdict = rule.profiles[reloader]
        named = any(s.strip().upper() == rule.code or s.strip() == rule.name for s in selectors)
        if named and not verdict.runs:
            warnings.append(
                f"{rule.code} does not apply under the `{reloader}` reloader, so it does not "
                f"run: {verdict.why}"
            )
    return warnings


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
