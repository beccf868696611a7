"""The families the summary walk runs, in order (:class:`reloadlint.summary.builder.Summarizer`)."""

from __future__ import annotations

import ast

from reloadlint.summary.facts import values
from reloadlint.summary.facts.attributes import AttributeFacts
from reloadlint.summary.facts.classes import ClassFacts
from reloadlint.summary.facts.config import ConfigFacts
from reloadlint.summary.facts.identity import IdentityFacts
from reloadlint.summary.facts.keeps import KeepsFacts
from reloadlint.summary.facts.loops import LoopFacts
from reloadlint.summary.facts.paths import PathFacts
from reloadlint.summary.facts.state import StateFacts
from reloadlint.summary.walk import Family, Walk


class ValueFacts(Family):
    """The values family (:mod:`reloadlint.summary.facts.values`) reads top-level
    definitions once the walk is done."""

    RULES = ("RL601", "RL602", "RL603", "RL604")

    def __init__(self, walk: Walk) -> None:
        super().__init__(walk)
        self.calls: list[ast.Call] = []

    def on_call(self, node: ast.Call, callee: str | None) -> None:
        if values.candidate(node):
            self.calls.append(node)

    def on_finish(self) -> None:
        values.collect(self.walk, self.calls)


FAMILIES = (
    IdentityFacts,
    ClassFacts,
    ConfigFacts,
    StateFacts,
    KeepsFacts,
    LoopFacts,
    PathFacts,
    ValueFacts,
    AttributeFacts,
)
