"""A rule declares everything about itself, and the rest of the code reads it.

Its fix is declared by fixer name and title (``Rule.fixer``, ``Rule.fix_title``,
``Rule.fix_applicability``): ``reloadlint.fixes`` looks the fixer up by that
name, so no table keyed by rule code has to be kept in step with the rules,
and a lint run never imports the fixers (libcst). Its role in the reload plan
(``Rule.plan_role``) is what :mod:`reloadlint.plan` reads to decide what a
finding does to the plan.
"""

from __future__ import annotations

from reloadlint import plan
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


def test_every_upgrade_rule_has_a_role_in_the_plan() -> None:
    """An upgrade finding the plan ignored would be a change a hot upgrade
    silently gets wrong."""
    for rule in all_rules():
        if rule.mode == "upgrade":
            assert rule.plan_role is not None, f"{rule.code} has no plan_role"


def test_the_plan_reads_the_roles_the_rules_declare() -> None:
    assert {"RL202", "RL203", "RL303", "RL404", "RL501", "RL503"} == plan.RESTART_ANYWHERE
    assert {"RL104", "RL204", "RL401", "RL402"} == plan.RESTART_IF_RELOADED
    assert {"RL304"} == plan.READS_CHANGED_FILE
    assert {"RL403"} == plan.NOT_DONE
    declared = {rule.code for rule in all_rules() if rule.plan_role is not None}
    assert declared == plan.PLAN_RULES
