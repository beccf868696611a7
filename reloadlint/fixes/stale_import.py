"""RL101/RL102 fix: import the module, use the qualified name.

``from app.db import connect`` becomes ``import app.db`` and every use of
``connect`` becomes ``app.db.connect``; a relative import stays relative:
``from .db import connect`` becomes ``from . import db`` and the uses
``db.connect`` (or ``db`` joins an existing ``from . import models``).

Offered only when it provably keeps behaviour before a reload
(:mod:`reloadlint.fixes.scopes` decides what each name means):

- every use of the imported name means that one module-level binding (it is
  bound nowhere else in the module: ``connect = retry(connect)`` or a
  fallback ``except ImportError: connect = None`` would be bypassed), and no
  use sits in a string annotation or where its meaning depends on execution
  order;
- the name the fix introduces (``app``, or ``db``) means nothing else
  anywhere in the module (a ``def f(app)`` parameter, ``app = Flask()``,
  ``import os as app`` would capture the qualified form);
- the name is not part of the module's public surface (``__all__`` or a
  package ``__init__``), which importers may rely on;
- no use runs while the module is imported (module code, a class body, a
  decorator, a default argument, an evaluated annotation, a function of the
  module that such code calls): in the package's own import cycle the
  qualified form can fail where the bound name worked (``app`` has no
  ``db`` yet), and the rewrite would not cure such a use anyway;
- the name is not exported: no other module imports it from here, reads or
  assigns it as ``module.name`` (a test's patch), no string of the module
  names it (a list of names to export), and its import has no
  ``# noqa: F401`` (:mod:`reloadlint.fixes.exports`);
- the import names the defining module or a package it is in: a name
  re-exported by a sibling (``from app.api import connect`` of
  ``app.db.connect``) is not fixed, since ``import app.db`` would no longer
  import ``app.api`` and run what its import does.

And it keeps the code's style: a new import goes where an import sorter puts
it (:mod:`reloadlint.fixes.imports`), a use whose line would grow past the
configured line length is not rewritten (the whole fix is then not offered),
and nothing else changes: the file is edited as text at the positions
``ast`` gives, and libcst rewrites only the import statement itself (its
parentheses, commas and comments kept).
"""

from __future__ import annotations

from collections.abc import Sequence

from reloadlint.fixes.stale_edits import Refused, apply_edits, compatible, edits, within_length
from reloadlint.fixes.stale_plan import Analysis, Plan, TextEdit, analyse, plan
from reloadlint.fixes.style import Style

__all__ = ["Analysis", "Plan", "Refused", "TextEdit", "analyse", "edits", "plan", "rewrite_all"]


def rewrite(
    source: str,
    line: int,
    qualified: str,
    *,
    is_package: bool,
    module: str = "",
    style: Style | None = None,
    keep: frozenset[str] = frozenset(),
) -> str | None:
    """The source with the from-import at ``line`` made qualified, or None when unsafe."""
    return rewrite_all(
        source, [(line, qualified)], is_package=is_package, module=module, style=style, keep=keep
    )


def rewrite_all(
    source: str,
    findings: Sequence[tuple[int, str]],
    *,
    is_package: bool,
    module: str = "",
    style: Style | None = None,
    keep: frozenset[str] = frozenset(),
) -> str | None:
    """The source with every (line, qualified name) finding fixed that can be
    fixed together; None when none can. A fix that has to wait for another
    (:func:`compatible`: two imports binding the same name) is made on the
    result, in up to :data:`ROUNDS` rounds, rather than after a re-lint."""
    text = source
    for _ in range(ROUNDS):
        new, waiting = _one_round(
            text, findings, is_package=is_package, module=module, style=style, keep=keep
        )
        if new is None:
            break
        text = new
        if not waiting:
            break
    return text if text != source else None


#: rounds of :func:`rewrite_all`
ROUNDS = 3


def _one_round(
    source: str,
    findings: Sequence[tuple[int, str]],
    *,
    is_package: bool,
    module: str,
    style: Style | None,
    keep: frozenset[str],
) -> tuple[str | None, bool]:
    """The source with the findings fixed that can be together, and whether some
    were left for another round because they conflicted with those."""
    analysis = analyse(source)
    if analysis is None:
        return None, False
    plans = []
    for line, qualified in findings:
        found = plan(analysis, line, qualified, is_package=is_package, module=module, keep=keep)
        if found is not None:
            plans.append(found)
    together = compatible(plans)
    waiting = len(together) < len(plans)
    plans = within_length(analysis, together, style)
    if not plans:
        return None, False
    try:
        changes = edits(analysis, plans, style=style)
    except Refused:
        if len(plans) == 1:
            return None, False
        # One by one, each on the file the previous ones left.
        text = source
        done = False
        for line, qualified in findings:
            new = rewrite(text, line, qualified, is_package=is_package, module=module,
                          style=style, keep=keep)  # fmt: skip
            if new is not None:
                text, done = new, True
        return (text if done else None), False
    return apply_edits(source, changes), waiting
