"""Each rule's reloader profiles, proven with the reloaders themselves.

A rule declares, per reloader, whether it applies (``Rule.profiles``,
:mod:`reloadlint.profiles`). Here every corpus experiment runs under
reloadlint's runtime applying the plan, IPython's ``%autoreload 2`` and
jurigged (``tests/reloaders.py``; ``importlib.reload`` is tests/test_corpus.py's),
and the case is linted under that reloader's profile. Then:

- a rule that is ``on`` reports a case exactly when its experiment goes
  STALE under that reloader (the reported lines are ``expected.<reloader>.txt``);
- a rule that is ``off`` does not run, and none of its experiments goes STALE;
- a rule that is ``n/a`` does not run, and its good examples go STALE too:
  the reloader ignores what the rule asks for.

A disagreement fails: either the declaration or the rule is wrong about
that reloader. Where a reloader itself breaks on a corpus case for a reason
no rule is about, :data:`DEFECTS` records it, and the test checks that it
still does (a fixed reloader shows up as a failure here).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from corpus import Case, ExperimentFailed, cases, run_experiment
from test_corpus import lint_case

from reloadlint.plan import RESTART_ANYWHERE, RESTART_IF_RELOADED
from reloadlint.profiles import RELOADERS
from reloadlint.rules.registry import all_rules, rules_by_code

OTHER_RELOADERS = [r for r in RELOADERS if r != "importlib"]
EXPERIMENTS = [c for c in cases() if c.experiment is not None]

#: Reloader defects the corpus runs into that no rule is about: (case, reloader) -> the
#: error the experiment ends with.
DEFECTS = {
    # IPython 9's deduperreload adds a new method to an existing class by compiling it
    # outside any class body: its zero-argument super() has no __class__ cell, so every
    # call fails, on old and new instances alike.
    ("RL202/good-moved-down", "ipython"): "RuntimeError: super(): __class__ cell not found",
    # jurigged 0.6 does the same when an edit adds a method to a class that exists.
    ("RL202/good-moved-down", "jurigged"): "RuntimeError: super(): __class__ cell not found",
}


def _ignored(case: Case) -> str:
    """Under the runtime, the plan is made without the rule under test when that rule
    would make it say restart: the question is whether the runtime needs the rule."""
    return case.code if case.code in RESTART_ANYWHERE | RESTART_IF_RELOADED else ""


@pytest.mark.parametrize(
    ("case", "reloader"),
    [(c, r) for c in EXPERIMENTS for r in OTHER_RELOADERS],
    ids=[f"{c.id}-{r}" for c in EXPERIMENTS for r in OTHER_RELOADERS],
)
def test_the_profile_says_what_the_reloader_does(case: Case, reloader: str, tmp_path: Path) -> None:
    rule = rules_by_code()[case.code]
    verdict = rule.profiles[reloader]  # type: ignore[index]
    found = lint_case(case, tmp_path / "lint", reloader)
    assert found == case.expected(reloader)
    tree = case.path / "v1" if case.upgrade else case.tree
    defect = DEFECTS.get((case.id, reloader))
    if defect is not None:
        with pytest.raises(ExperimentFailed, match=re.escape(defect)):
            run_experiment(case, tree, tmp_path / "run", reloader, _ignored(case))
        return
    said = run_experiment(case, tree, tmp_path / "run", reloader, _ignored(case))
    stale = said.startswith("STALE")
    where = f"{case.id} under {reloader} ({verdict.applies}: {verdict.why})"
    if verdict.applies == "on":
        assert bool(found) == stale, f"{where}: findings {found}, experiment said {said!r}"
    elif verdict.applies == "off":
        assert not stale, f"{where}: the experiment said {said!r}"
    else:
        assert case.bad or stale, f"{where}: the good example is fine here: {said!r}"


def test_every_rule_about_reloads_declares_each_reloader() -> None:
    for rule in all_rules():
        assert set(rule.profiles) == set(RELOADERS), rule.code
        if rule.code.startswith("RL9"):
            continue
        assert "profiles" in vars(rule), f"{rule.code} must declare its own profiles"
        assert rule.profiles["importlib"].runs, f"{rule.code}: every rule applies to importlib"


def test_a_rule_on_under_a_reloader_reports_a_case_there() -> None:
    """An ``on`` that no corpus case shows is a claim without a proof."""
    unproven = []
    for rule in all_rules():
        if rule.code.startswith("RL9"):
            continue
        for reloader in OTHER_RELOADERS:
            own = [c for c in EXPERIMENTS if c.code == rule.code]
            if rule.profiles[reloader].runs and not any(c.expected(reloader) for c in own):
                unproven.append(f"{rule.code} under {reloader}")
    assert not unproven, unproven
