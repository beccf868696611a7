"""reloadlint as a pylint plugin: ``load-plugins = ["reloadlint.pylint_plugin"]``.

Every tree-mode rule becomes a pylint message whose symbol is the rule's name
and whose id is ``W9`` + the rule's number (RL101 -> ``W9101``: pylint's
range for plugins). pylint wants the first two digits of a checker's ids to
agree, so there is one checker per hundred (RL1xx -> ``W91xx``, RL2xx ->
``W92xx``...), all named ``reloadlint``; they share one analysis per module.

A checker runs once per module, from pylint's astroid module node
(``node.file`` for the source, ``node.name`` when reloadlint cannot name the
file itself); cross-module facts come from the project model, built from disk
once per run (see :mod:`reloadlint.plugin_support`).

Which rules run is pylint's business: ``enable``/``disable`` (and per-line
``# pylint: disable=stale-function-import``) as for any message, defaults
mirroring reloadlint's. reloadlint's own ``select``/``ignore`` are not
consulted here; its other settings are (``--reloadlint-config`` or the nearest
config file). ``# noqa: RL101`` comments are honoured as in the CLI, since
pylint does not read them. The input errors (RL9xx) are left to pylint, which
reports unparsable files itself (and owns the symbols ``syntax-error`` and
``too-complex``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pylint.checkers import BaseChecker

from reloadlint import plugin_support
from reloadlint.plugin_support import PluginOptions
from reloadlint.rules.base import Rule
from reloadlint.rules.registry import all_rules

if TYPE_CHECKING:
    from astroid import nodes
    from pylint.lint import PyLinter

NAME = "reloadlint"


def message_id(code: str) -> str:
    """The pylint id of a rule: RL101 -> W9101."""
    return f"W9{code[2:]}"


def plugin_rules() -> list[type[Rule]]:
    """The rules pylint can report: tree mode, not input errors."""
    return [rule for rule in all_rules() if rule.mode == "tree" and not rule.code.startswith("RL9")]


def _messages(rules: list[type[Rule]]) -> dict[str, Any]:
    return {
        message_id(rule.code): (
            "%s",
            rule.name,
            f"{rule.summary} ({rule.code}; `reloadlint --explain {rule.code}` for details.)",
            {"default_enabled": rule.default_enabled},
        )
        for rule in rules
    }


class ReloadlintOptions(BaseChecker):
    """Holds the ``reloadlint-...`` options: a checker of its own, so they are registered once."""

    name = NAME
    options = (
        (
            "reloadlint-config",
            {
                "default": "",
                "type": "string",
                "metavar": "<file>",
                "help": "reloadlint configuration file "
                "(default: the nearest pyproject.toml or reloadlint.toml).",
            },
        ),
        (
            "reloadlint-reloadable",
            {
                "default": (),
                "type": "csv",
                "metavar": "<globs>",
                "help": "Modules that are reloaded at runtime.",
            },
        ),
        (
            "reloadlint-not-reloadable",
            {
                "default": (),
                "type": "csv",
                "metavar": "<globs>",
                "help": "Modules that are never reloaded.",
            },
        ),
        (
            "reloadlint-src",
            {
                "default": (),
                "type": "csv",
                "metavar": "<dirs>",
                "help": "Source roots, relative to the reloadlint config file.",
            },
        ),
    )


class _RuleGroupChecker(BaseChecker):
    """Reports the findings of one hundred of rules (``codes``) in each module."""

    name = NAME
    codes: ClassVar[frozenset[str]] = frozenset()

    def visit_module(self, node: nodes.Module) -> None:
        if not node.file or not node.file.endswith((".py", ".pyw")):
            return
        path = Path(node.file)
        try:
            with node.stream() as stream:
                data = stream.read()
        except OSError:
            return
        options = _plugin_options(self.linter)
        settings = plugin_support.settings_for(options, path)
        enabled = frozenset(
            r.code
            for r in plugin_rules()
            if self.linter.is_message_enabled(message_id(r.code))
            and r.runs_under(settings.reloader)
        )
        if not enabled & self.codes:
            return
        for found in plugin_support.lint_file(
            path, data, settings, enabled, apply_noqa=True, module_name=node.name
        ):
            if found.code not in self.codes:
                continue
            self.add_message(
                message_id(found.code),
                node=node,
                line=found.location.row,
                col_offset=found.location.column - 1,
                end_lineno=found.end_location.row,
                end_col_offset=found.end_location.column - 1,
                args=(found.message,),
            )


def _plugin_options(linter: PyLinter) -> PluginOptions:
    config = linter.config
    return PluginOptions(
        config=getattr(config, "reloadlint_config", "") or None,
        reloadable=tuple(getattr(config, "reloadlint_reloadable", ()) or ()),
        not_reloadable=tuple(getattr(config, "reloadlint_not_reloadable", ()) or ()),
        src=tuple(getattr(config, "reloadlint_src", ()) or ()),
    )


def checker_classes() -> list[type[_RuleGroupChecker]]:
    """One checker class per hundred of rules (pylint's ids share a checker prefix)."""
    groups: dict[str, list[type[Rule]]] = {}
    for rule in plugin_rules():
        groups.setdefault(rule.code[2], []).append(rule)
    return [
        type(
            f"ReloadlintRL{digit}Checker",
            (_RuleGroupChecker,),
            {
                "msgs": _messages(rules),
                "codes": frozenset(r.code for r in rules),
                "__module__": __name__,
            },
        )
        for digit, rules in sorted(groups.items())
    ]


def register(linter: PyLinter) -> None:
    """pylint's plugin hook; a new linter is a new run, so the project cache starts empty."""
    plugin_support.new_run()
    linter.register_checker(ReloadlintOptions(linter))
    for checker in checker_classes():
        linter.register_checker(checker(linter))
