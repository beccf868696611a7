"""A rule declares everything about itself, and the rest of the code reads it.

Its fix is declared by fixer name and title (``Rule.fixer``, ``Rule.fix_title``,
``Rule.fix_applicability``): ``reloadlint.fixes`` looks the fixer up by that
name, so no table keyed by rule code has to be kept in step with the rules,
and a lint run never imports the fixers (libcst).
"""

from __future__ import annotations

from reloadlint.fixes import FIXERS, FixSpec, fix_spec
from reloadlint.rules.registry import all_rules


def test_a_fixable_rule_names_its_fixer_and_title_and_no_other_rule_does() -> None:
    for rule in all_rules():
        if rule.fix == "none":
            assert (rule.fixer, rule.fix_title) == ("", ""), rule.code
        else:
            assert rule.fixer in FIXERS, f"{rule.code}: unknown fixer {rule.fixer!r}"
            assert rule.fix_title, f"{rule.code}: a fix needs a title"
        assert rule.fix_applicability in ("safe", "unsafe"), rule.code


def test_every_fixer_serves_a_rule() -> None:
    assert {rule.fixer for rule in all_rules() if rule.fixer} == set(FIXERS)


def test_the_fix_of_a_finding_is_what_its_rule_declares() -> None:
    title = "Import the module and use the qualified name"
    assert fix_spec("RL101") == FixSpec("stale-import", "safe", title)
    assert fix_spec("RL102") == FixSpec("stale-import", "safe", title)
    assert fix_spec("RL201") is None  # a rule without a fix
    assert fix_spec("RL000") is None  # no such rule
