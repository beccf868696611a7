"""Reloader profiles: which reloader the project uses decides which hazards are real.

A from-imported function is stale after ``importlib.reload`` but fresh under
IPython's ``%autoreload`` and jurigged, which patch function code in place; a
from-imported constant is stale under all of them. ``reloader = "..."`` in
``[tool.reloadlint]`` (or ``--reloader``) names the reloader; each rule
declares, in its own file (:attr:`reloadlint.rules.base.Rule.profiles`),
whether it applies under each one and why, and words its messages for the
chosen one. The declarations are claims about real behaviour: the test suite
runs every corpus experiment under each reloader (tests/test_profiles.py) and
fails where a declaration and what the reloader really did disagree. What
each reloader does is described in docs/reloaders.md.

A leaf module: the configuration, the rules and the front ends read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Reloader = Literal["importlib", "runtime", "ipython", "jurigged"]
RELOADERS: tuple[Reloader, ...] = ("importlib", "runtime", "ipython", "jurigged")
DEFAULT_RELOADER: Reloader = "importlib"

#: What each reloader does when code changes, in one sentence (``--list-rules``, the docs).
DESCRIPTIONS: dict[Reloader, str] = {
    "importlib": (
        "`importlib.reload` of the changed module: it runs again in the same namespace, "
        "and whatever holds its old objects keeps them"
    ),
    "runtime": (
        "reloadlint's runtime applying the plan (`reloadlint --plan`): modules that bind "
        "a changed module's names by value are reloaded after it, live instances are "
        "re-pointed and migrated, and what it cannot do makes the plan say restart"
    ),
    "ipython": (
        "IPython's `%autoreload 2`: an edit confined to function bodies patches those "
        "functions in place; any other edit reloads the whole module, its namespace "
        "cleared first, and patches its old classes and functions into the new ones"
    ),
    "jurigged": (
        "jurigged: changed functions are patched in place and changed top-level "
        "statements run again; nothing else runs"
    ),
}

#: How a message says that module ``M`` is reloaded, under each reloader.
RELOAD_PHRASES: dict[Reloader, str] = {
    "importlib": "after `{module}` reloads",
    "runtime": "after the plan reloads `{module}`",
    "ipython": "after `%autoreload` reloads `{module}`",
    "jurigged": "after jurigged applies an edit to `{module}`",
}

#: The reloaders that patch classes in place and never call ``__code_change__``, by the
#: name a message gives them.
CLASS_PATCHERS: dict[Reloader, str] = {"ipython": "`%autoreload`", "jurigged": "jurigged"}

Applies = Literal["on", "off", "n/a"]


@dataclass(frozen=True)
class Verdict:
    """Whether a rule applies under one reloader, and why.

    ``on``: the rule's bad examples misbehave under that reloader and its good
    ones do not (the rule runs). ``off``: they do not misbehave there (the
    rule does not run). ``n/a``: they misbehave, but so do the good examples,
    because the reloader ignores what the rule asks for (the ``__vsn__``
    convention means nothing to a reloader that never calls
    ``__code_change__``): the advice could not help, so the rule does not run,
    and ``why`` says what reports the hazard instead.
    """

    applies: Applies
    why: str

    @property
    def runs(self) -> bool:
        return self.applies == "on"


def on(why: str) -> Verdict:
    return Verdict("on", why)


def off(why: str) -> Verdict:
    return Verdict("off", why)


def not_applicable(why: str) -> Verdict:
    return Verdict("n/a", why)


def reload_phrase(reloader: Reloader, module: str) -> str:
    """``after `app.db` reloads``, worded for the reloader."""
    return RELOAD_PHRASES[reloader].format(module=module)


def markdown_section(declared: Mapping[Reloader, Verdict]) -> str:
    """A rule's ``## Reloaders`` section (``--explain`` and its documentation page)."""
    lines = ["## Reloaders", "", "| reloader | applies | why |", "| --- | --- | --- |"]
    for reloader in RELOADERS:
        verdict = declared[reloader]
        lines.append(f"| `{reloader}` | {verdict.applies} | {verdict.why} |")
    return "\n".join(lines)


def applying(declared: Mapping[Reloader, Verdict]) -> list[Reloader]:
    """The reloaders under which a rule runs, in :data:`RELOADERS` order."""
    return [reloader for reloader in RELOADERS if declared[reloader].runs]
