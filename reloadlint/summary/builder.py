"""One walk over a module's tree that records every fact the rules use: the core walk
(:mod:`reloadlint.summary.walk` with its statements and expressions) carrying
every family of facts (:mod:`reloadlint.summary.facts`)."""

from __future__ import annotations

import ast

from reloadlint.summary.facts.families import FAMILIES
from reloadlint.summary.model import ModuleSummary
from reloadlint.summary.walk_expressions import Expressions
from reloadlint.summary.walk_statements import Statements


class Summarizer(Statements, Expressions):
    def __init__(self, lines: list[str], tree: ast.Module, summary: ModuleSummary) -> None:
        super().__init__(lines, tree, summary, FAMILIES)
