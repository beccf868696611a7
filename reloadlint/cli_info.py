"""What the command line prints about reloadlint itself rather than about the code:
``--list-rules``, ``--explain CODE``, ``--show-settings``.

Front end (it prints); kept out of :mod:`reloadlint.cli`, which parses the
options and runs the lint.
"""

from __future__ import annotations

import json
import os

import click

from reloadlint.console import EXIT_CLEAN, CommandError, say
from reloadlint.output import sanitize
from reloadlint.profiles import applying, markdown_section
from reloadlint.request import LintRequest
from reloadlint.rules.registry import all_rules, find_rule


def list_rules(fmt: str) -> int:
    rules = all_rules()
    if fmt == "json":
        rows = [
            {
                "code": r.code,
                "name": r.name,
                "summary": r.summary,
                "default": r.default_enabled,
                "fix": r.fix,
                "mode": r.mode,
                "reloaders": {
                    name: {"applies": verdict.applies, "why": verdict.why}
                    for name, verdict in r.profiles.items()
                },
            }
            for r in rules
        ]
        click.echo(json.dumps(rows, indent=2))
        return EXIT_CLEAN
    width = max(len(r.name) for r in rules)
    reloaders = {r.code: ",".join(applying(r.profiles)) or "none" for r in rules}
    rwidth = max(len(text) for text in reloaders.values())
    click.echo(
        f"{'code':<6} {'name':<{width}}  {'default':<7}  {'fix':<9}  {'mode':<7}  "
        f"{'reloaders':<{rwidth}}  summary"
    )
    for r in rules:
        default = "on" if r.default_enabled else "off"
        click.echo(
            f"{r.code:<6} {r.name:<{width}}  {default:<7}  {r.fix:<9}  {r.mode:<7}  "
            f"{reloaders[r.code]:<{rwidth}}  {r.summary}"
        )
    click.echo("\nreloaders: where a rule applies (`reloadlint --explain CODE` says why)")
    return EXIT_CLEAN


def explain(code: str) -> int:
    rule = find_rule(code)
    if rule is None:
        raise CommandError(f"unknown rule `{code}` (see `reloadlint --list-rules`)")
    status = "on by default" if rule.default_enabled else "off by default"
    mode = "upgrade mode only (--base REV)" if rule.mode == "upgrade" else "tree and upgrade mode"
    fix = {
        "none": "no automatic fix",
        "sometimes": "fix sometimes available",
        "always": "fix always available",
    }[rule.fix]
    reloaders = ", ".join(applying(rule.profiles)) or "none"
    click.echo(
        f"# {rule.name} ({rule.code})\n\n{status}; {mode}; {fix}; applies under: "
        f"{reloaders}.\n\n{rule.doc()}\n\n{markdown_section(rule.profiles)}"
    )
    return EXIT_CLEAN


def show_settings(request: LintRequest, *, verbose: bool) -> int:
    """``--show-settings``: what the run would use (:mod:`reloadlint.settings_report`)."""
    from reloadlint import settings_report

    report = settings_report.gather(request)
    for warning in report.warnings:
        say(f"reloadlint: warning: {warning}")
    text = settings_report.render(report, os.getcwd(), modules=verbose)
    # Paths and module names are the repository's text: never raw on a terminal.
    click.echo("\n".join(sanitize.message(line) for line in text.splitlines()))
    return EXIT_CLEAN
