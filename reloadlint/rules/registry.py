"""Finds every rule: each module of ``reloadlint.rules`` is imported and its
:class:`~reloadlint.rules.base.Rule` subclasses collected, so there is no list
to keep in step with the files."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from reloadlint.rules.base import Rule

_NOT_RULE_MODULES = {"base", "registry"}


@cache
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class, sorted by code."""
    import reloadlint.rules as package

    found: dict[str, type[Rule]] = {}
    for info in pkgutil.iter_modules(package.__path__):
        if info.name in _NOT_RULE_MODULES or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value is not Rule
                and value.__module__ == module.__name__
                and getattr(value, "code", None)
            ):
                if value.code in found and found[value.code] is not value:
                    raise RuntimeError(f"two rules claim {value.code}")
                found[value.code] = value
    return tuple(found[code] for code in sorted(found))


def rules_by_code() -> dict[str, type[Rule]]:
    return {rule.code: rule for rule in all_rules()}


def find_rule(code_or_name: str) -> type[Rule] | None:
    """A rule by code (``RL101``, any case) or kebab-case name."""
    key = code_or_name.strip()
    for rule in all_rules():
        if rule.code == key.upper() or rule.name == key.lower():
            return rule
    return None
